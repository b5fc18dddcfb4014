/** ResourceRefs of the built-in resources controllers read and write. */
import type { ResourceRef } from '../../client/informers';

const core = (resource: string): ResourceRef => ({ group: '', version: 'v1', resource });
const apps = (resource: string): ResourceRef => ({ group: 'apps', version: 'v1', resource });

export const R = {
  pods: core('pods'),
  nodes: core('nodes'),
  namespaces: core('namespaces'),
  services: core('services'),
  endpoints: core('endpoints'),
  events: core('events'),
  configmaps: core('configmaps'),
  resourcequotas: core('resourcequotas'),
  limitranges: core('limitranges'),
  secrets: core('secrets'),
  serviceaccounts: core('serviceaccounts'),
  persistentvolumes: core('persistentvolumes'),
  persistentvolumeclaims: core('persistentvolumeclaims'),
  replicationcontrollers: core('replicationcontrollers'),
  replicasets: apps('replicasets'),
  deployments: apps('deployments'),
  statefulsets: apps('statefulsets'),
  daemonsets: apps('daemonsets'),
  controllerrevisions: apps('controllerrevisions'),
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  storageclasses: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' },
  poddisruptionbudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  clusterroles: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' },
} as const satisfies Record<string, ResourceRef>;
