/**
 * The resource registry: every built-in resource the API server serves, with what discovery publishes about it
 * (kind, scope, verbs, short names, categories, subresources) and where it lives in storage. Storage prefixes are
 * upstream's (`/registry/minions` for nodes, `/registry/services/specs` for services, …). Custom resources are added
 * at runtime from CustomResourceDefinitions through `ResourceRegistry.add`.
 */
import type { GroupVersionKind } from './object';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_ONLY: Verb[] = ['get', 'list'];
const CREATE_ONLY: Verb[] = ['create'];

export interface SubresourceInfo {
  name: 'status' | 'scale' | 'binding' | 'log' | 'eviction' | 'token' | 'proxy' | 'exec' | 'attach' | 'portforward';
  /** The kind served at the subresource (Scale is autoscaling/v1). */
  kind: GroupVersionKind;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower-case: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: Verb[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceInfo[];
  /** Storage prefix without trailing slash: `/registry/deployments`. Keys are `<prefix>/<ns>/<name>` or `<prefix>/<name>`. */
  storagePrefix: string;
  /** Computed, never stored (componentstatuses, the review APIs). */
  virtual?: boolean;
  /** Set for resources served from a CustomResourceDefinition. */
  crd?: string;
}

interface Spec {
  g: string;
  v: string;
  r: string;
  k: string;
  ns: boolean;
  short?: string[];
  cat?: string[];
  sub?: SubresourceInfo['name'][];
  prefix?: string;
  verbs?: Verb[];
  virtual?: boolean;
}

const SCALE: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

const SPECS: Spec[] = [
  { g: '', v: 'v1', r: 'namespaces', k: 'Namespace', ns: false, short: ['ns'], sub: ['status'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { g: '', v: 'v1', r: 'pods', k: 'Pod', ns: true, short: ['po'], cat: ['all'], sub: ['status', 'binding', 'log', 'eviction', 'exec', 'attach', 'portforward'] },
  { g: '', v: 'v1', r: 'services', k: 'Service', ns: true, short: ['svc'], cat: ['all'], sub: ['status'], prefix: '/registry/services/specs', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
  { g: '', v: 'v1', r: 'endpoints', k: 'Endpoints', ns: true, short: ['ep'], prefix: '/registry/services/endpoints' },
  { g: '', v: 'v1', r: 'nodes', k: 'Node', ns: false, short: ['no'], sub: ['status', 'proxy'], prefix: '/registry/minions' },
  { g: '', v: 'v1', r: 'events', k: 'Event', ns: true, short: ['ev'] },
  { g: '', v: 'v1', r: 'configmaps', k: 'ConfigMap', ns: true, short: ['cm'] },
  { g: '', v: 'v1', r: 'secrets', k: 'Secret', ns: true },
  { g: '', v: 'v1', r: 'serviceaccounts', k: 'ServiceAccount', ns: true, short: ['sa'], sub: ['token'] },
  { g: '', v: 'v1', r: 'persistentvolumes', k: 'PersistentVolume', ns: false, short: ['pv'], sub: ['status'] },
  { g: '', v: 'v1', r: 'persistentvolumeclaims', k: 'PersistentVolumeClaim', ns: true, short: ['pvc'], sub: ['status'] },
  { g: '', v: 'v1', r: 'limitranges', k: 'LimitRange', ns: true, short: ['limits'] },
  { g: '', v: 'v1', r: 'resourcequotas', k: 'ResourceQuota', ns: true, short: ['quota'], sub: ['status'] },
  { g: '', v: 'v1', r: 'replicationcontrollers', k: 'ReplicationController', ns: true, short: ['rc'], cat: ['all'], sub: ['status', 'scale'], prefix: '/registry/controllers' },
  { g: '', v: 'v1', r: 'podtemplates', k: 'PodTemplate', ns: true },
  { g: '', v: 'v1', r: 'componentstatuses', k: 'ComponentStatus', ns: false, short: ['cs'], verbs: READ_ONLY, virtual: true },
  { g: 'authentication.k8s.io', v: 'v1', r: 'selfsubjectreviews', k: 'SelfSubjectReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authentication.k8s.io', v: 'v1', r: 'tokenreviews', k: 'TokenReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', r: 'localsubjectaccessreviews', k: 'LocalSubjectAccessReview', ns: true, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', r: 'selfsubjectaccessreviews', k: 'SelfSubjectAccessReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', r: 'selfsubjectrulesreviews', k: 'SelfSubjectRulesReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', r: 'subjectaccessreviews', k: 'SubjectAccessReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'apps', v: 'v1', r: 'deployments', k: 'Deployment', ns: true, short: ['deploy'], cat: ['all'], sub: ['status', 'scale'] },
  { g: 'apps', v: 'v1', r: 'replicasets', k: 'ReplicaSet', ns: true, short: ['rs'], cat: ['all'], sub: ['status', 'scale'] },
  { g: 'apps', v: 'v1', r: 'statefulsets', k: 'StatefulSet', ns: true, short: ['sts'], cat: ['all'], sub: ['status', 'scale'] },
  { g: 'apps', v: 'v1', r: 'daemonsets', k: 'DaemonSet', ns: true, short: ['ds'], cat: ['all'], sub: ['status'] },
  { g: 'apps', v: 'v1', r: 'controllerrevisions', k: 'ControllerRevision', ns: true },
  { g: 'autoscaling', v: 'v1', r: 'horizontalpodautoscalers', k: 'HorizontalPodAutoscaler', ns: true, short: ['hpa'], cat: ['all'], sub: ['status'] },
  { g: 'autoscaling', v: 'v2', r: 'horizontalpodautoscalers', k: 'HorizontalPodAutoscaler', ns: true, short: ['hpa'], cat: ['all'], sub: ['status'] },
  { g: 'batch', v: 'v1', r: 'jobs', k: 'Job', ns: true, cat: ['all'], sub: ['status'] },
  { g: 'batch', v: 'v1', r: 'cronjobs', k: 'CronJob', ns: true, short: ['cj'], cat: ['all'], sub: ['status'] },
  { g: 'coordination.k8s.io', v: 'v1', r: 'leases', k: 'Lease', ns: true },
  { g: 'discovery.k8s.io', v: 'v1', r: 'endpointslices', k: 'EndpointSlice', ns: true },
  { g: 'events.k8s.io', v: 'v1', r: 'events', k: 'Event', ns: true, short: ['ev'], prefix: '/registry/events' },
  { g: 'networking.k8s.io', v: 'v1', r: 'ingresses', k: 'Ingress', ns: true, short: ['ing'], sub: ['status'], prefix: '/registry/ingress' },
  { g: 'networking.k8s.io', v: 'v1', r: 'ingressclasses', k: 'IngressClass', ns: false },
  { g: 'policy', v: 'v1', r: 'poddisruptionbudgets', k: 'PodDisruptionBudget', ns: true, short: ['pdb'], sub: ['status'] },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'roles', k: 'Role', ns: true },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'rolebindings', k: 'RoleBinding', ns: true },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'clusterroles', k: 'ClusterRole', ns: false },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'clusterrolebindings', k: 'ClusterRoleBinding', ns: false },
  { g: 'scheduling.k8s.io', v: 'v1', r: 'priorityclasses', k: 'PriorityClass', ns: false, short: ['pc'] },
  { g: 'storage.k8s.io', v: 'v1', r: 'storageclasses', k: 'StorageClass', ns: false, short: ['sc'] },
  {
    g: 'apiextensions.k8s.io',
    v: 'v1',
    r: 'customresourcedefinitions',
    k: 'CustomResourceDefinition',
    ns: false,
    short: ['crd', 'crds'],
    sub: ['status'],
    prefix: '/registry/apiextensions.k8s.io/customresourcedefinitions',
  },
];

function subresource(name: SubresourceInfo['name'], spec: Spec): SubresourceInfo {
  const self = { group: spec.g, version: spec.v, kind: spec.k };
  switch (name) {
    case 'status':
      return { name, kind: self, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { name, kind: SCALE, verbs: ['get', 'patch', 'update'] };
    case 'binding':
      return { name, kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] };
    case 'eviction':
      return { name, kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] };
    case 'log':
      return { name, kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] };
    case 'exec':
      return { name, kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] };
    case 'attach':
      return { name, kind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] };
    case 'portforward':
      return { name, kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] };
    case 'token':
      return { name, kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] };
    case 'proxy':
      return { name, kind: { group: '', version: 'v1', kind: spec.k === 'Node' ? 'NodeProxyOptions' : 'ServiceProxyOptions' }, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
  }
}

export function builtinResources(): ResourceInfo[] {
  return SPECS.map((s) => ({
    group: s.g,
    version: s.v,
    resource: s.r,
    singular: s.k.toLowerCase(),
    kind: s.k,
    listKind: `${s.k}List`,
    namespaced: s.ns,
    verbs: s.verbs ?? ALL_VERBS,
    shortNames: s.short ?? [],
    categories: s.cat ?? [],
    subresources: (s.sub ?? []).map((n) => subresource(n, s)),
    storagePrefix: s.prefix ?? `/registry/${s.r}`,
    virtual: s.virtual,
  }));
}

export function gvKey(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/**
 * Lookup by group/version/resource, by kind, and by any name kubectl may use. Mutable so CRDs can add and remove
 * resources; `onChange` listeners (discovery, OpenAPI) rebuild their documents.
 */
export class ResourceRegistry {
  private readonly byGvr = new Map<string, ResourceInfo>();
  private readonly listeners = new Set<() => void>();

  constructor(initial: ResourceInfo[] = builtinResources()) {
    for (const r of initial) this.byGvr.set(this.key(r.group, r.version, r.resource), r);
  }

  private key(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  get(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byGvr.get(this.key(group, version, resource));
  }

  byKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    for (const r of this.byGvr.values()) if (r.group === group && r.version === version && r.kind === kind) return r;
    return undefined;
  }

  all(): ResourceInfo[] {
    return [...this.byGvr.values()];
  }

  /** Group/versions in serving order: the legacy group first, then groups by name. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.byGvr.values()) seen.set(gvKey(r.group, r.version), { group: r.group, version: r.version });
    return [...seen.values()].sort((a, b) => (a.group === b.group ? a.version.localeCompare(b.version) : a.group.localeCompare(b.group)));
  }

  inGroupVersion(group: string, version: string): ResourceInfo[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }

  add(r: ResourceInfo): void {
    this.byGvr.set(this.key(r.group, r.version, r.resource), r);
    this.changed();
  }

  remove(group: string, version: string, resource: string): void {
    if (this.byGvr.delete(this.key(group, version, resource))) this.changed();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}
