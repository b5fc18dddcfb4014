/**
 * Every controller KubeLab's controller manager runs (kube-controller-manager's default set, as far as built, plus
 * the simulated local volume provisioner add-on), by name, and the subset a cluster needs before anything else works
 * (ServiceAccounts for admission, the root CA ConfigMap for token volumes, aggregated ClusterRoles for RBAC).
 */
import * as path from 'node:path';
import type { ControllerFactory } from './manager';
import { clusterRoleAggregationControllerFactory } from './clusterrole-aggregation/clusterrole-aggregation-controller';
import { cronJobControllerFactory } from './cronjob';
import { daemonSetControllerFactory } from './daemonset';
import { deploymentControllerFactory } from './deployment';
import { disruptionControllerFactory } from './disruption/disruption-controller';
import { endpointsControllerFactory } from './endpoint/endpoints-controller';
import { endpointSliceControllerFactory } from './endpointslice/endpointslice-controller';
import { garbageCollectorControllerFactory } from './garbagecollector';
import { jobControllerFactory } from './job';
import { newLocalProvisionerControllerFactory } from './localprovisioner';
import { namespaceControllerFactory } from './namespace';
import { newNodeIpamControllerFactory, type NodeIpamOptions } from './nodeipam';
import { newNodeLifecycleControllerFactory, type NodeLifecycleOptions } from './nodelifecycle';
import { persistentVolumeBinderControllerFactory } from './persistentvolume';
import { podGCControllerFactory } from './podgc';
import { replicaSetControllerFactory } from './replicaset';
import { replicationControllerFactory } from './replication';
import { resourceQuotaControllerFactory } from './resourcequota/resource-quota-controller';
import { rootCaPublisherFactory } from './root-ca-publisher/root-ca-publisher';
import { serviceAccountsControllerFactory } from './serviceaccounts/serviceaccounts-controller';
import { statefulSetControllerFactory } from './statefulset';
import { taintEvictionControllerFactory } from './tainteviction';
import { ttlAfterFinishedControllerFactory } from './ttlafterfinished';

export const ESSENTIAL_CONTROLLERS: readonly string[] = ['serviceaccount', 'root-ca-cert-publisher', 'clusterrole-aggregation'];

export interface RegistryOptions {
  /** The cluster CA (PEM) the root CA publisher distributes. */
  caPem: string;
  /** The cluster's data directory (the simulated provisioner's volume paths live under it). */
  dataDir: string;
  /** The node IPAM controller's cluster CIDR, node mask size and service CIDR (default 10.244.0.0/16, /24). */
  nodeIpam?: Partial<NodeIpamOptions>;
  /** The node lifecycle controller's grace periods (default 50 s / 60 s). */
  nodeLifecycle?: Partial<Pick<NodeLifecycleOptions, 'nodeMonitorGracePeriodMs' | 'nodeStartupGracePeriodMs'>>;
}

export function allControllerFactories(o: RegistryOptions): ControllerFactory[] {
  return [
    serviceAccountsControllerFactory,
    rootCaPublisherFactory(o.caPem),
    clusterRoleAggregationControllerFactory,
    namespaceControllerFactory,
    garbageCollectorControllerFactory,
    resourceQuotaControllerFactory,
    replicaSetControllerFactory,
    replicationControllerFactory,
    deploymentControllerFactory,
    statefulSetControllerFactory,
    daemonSetControllerFactory,
    jobControllerFactory,
    cronJobControllerFactory,
    ttlAfterFinishedControllerFactory,
    endpointsControllerFactory,
    endpointSliceControllerFactory,
    disruptionControllerFactory,
    newNodeIpamControllerFactory(o.nodeIpam),
    newNodeLifecycleControllerFactory(o.nodeLifecycle),
    taintEvictionControllerFactory,
    podGCControllerFactory,
    persistentVolumeBinderControllerFactory,
    newLocalProvisionerControllerFactory({ basePath: path.join(o.dataDir, 'local-path-provisioner') }),
  ];
}

/** The factories named in `names` (`*` = all), or an error naming unknown ones. */
export function selectControllers(o: RegistryOptions, names: readonly string[] | undefined): ControllerFactory[] {
  const all = allControllerFactories(o);
  if (!names || names.includes('*')) return all;
  const known = new Set(all.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`unknown controllers: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return all.filter((f) => names.includes(f.name));
}
