/**
 * Per-resource behaviour of the generic registry, as upstream's registry strategies define it: whether the object
 * has a status subresource (then the main resource ignores status changes and the status subresource ignores
 * everything else), whether metadata.generation tracks spec changes, whether PUT may create, whether DELETE returns
 * the object, and hooks that fill server-owned fields on create (a Namespace's phase, a Pod's phase and QoS class).
 */
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { generateJobSelector } from '../../api/defaults';
import { tryParseQuantity } from '../../api/quantity';

export interface Strategy {
  hasStatus: boolean;
  tracksGeneration: boolean;
  allowCreateOnUpdate: boolean;
  returnDeletedObject: boolean;
  /** Server-owned fields set on create (after status is cleared, before defaulting). */
  prepareForCreate?(obj: StoredObject): void;
  /** Server-owned fields kept on update (the new object is mutable; old is frozen). */
  prepareForUpdate?(obj: StoredObject, old: Readonly<StoredObject>): void;
  /** Whether an object with a deletionTimestamp and no finalizers may go now (namespaces also wait for spec.finalizers). */
  canFinishDeletion?(obj: Readonly<StoredObject>): boolean;
}

const GENERATION = new Set([
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  '/replicationcontrollers',
  'apiextensions.k8s.io/customresourcedefinitions',
  'networking.k8s.io/ingresses',
  'policy/poddisruptionbudgets',
  'discovery.k8s.io/endpointslices',
]);

const CREATE_ON_UPDATE = new Set(['/endpoints', '/events', 'events.k8s.io/events']);
const RETURN_DELETED = new Set(['/pods', '/services', '/namespaces', '/persistentvolumes', '/persistentvolumeclaims', '/nodes']);

export function strategyFor(r: ResourceInfo): Strategy {
  const id = `${r.group}/${r.resource}`;
  const s: Strategy = {
    hasStatus: r.subresources.some((x) => x.name === 'status'),
    tracksGeneration: GENERATION.has(id) || r.crd !== undefined,
    allowCreateOnUpdate: CREATE_ON_UPDATE.has(id),
    returnDeletedObject: RETURN_DELETED.has(id),
  };
  if (id === '/namespaces') {
    s.prepareForCreate = (o) => {
      o.status = { phase: 'Active' };
      const spec = (o.spec ?? {}) as { finalizers?: string[] };
      spec.finalizers = [...new Set([...(spec.finalizers ?? []), 'kubernetes'])];
      o.spec = spec;
    };
    s.canFinishDeletion = (o) => !((o.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length;
  }
  if (id === '/pods') {
    s.prepareForCreate = (o) => {
      o.status = { phase: 'Pending', qosClass: qosClass(o) };
    };
  }
  if (id === 'batch/jobs') s.prepareForCreate = (o) => generateJobSelector(o as never);
  if (id === '/persistentvolumeclaims' || id === '/persistentvolumes') {
    s.prepareForCreate = (o) => {
      o.status = { phase: 'Pending' };
    };
  }
  return s;
}

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** QoS class as upstream's GetPodQOS: Guaranteed when every container has equal cpu and memory limits and requests. */
export function qosClass(pod: StoredObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = pod.spec as { containers?: { resources?: Resources }[]; initContainers?: { resources?: Resources }[] } | undefined;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    for (const k of ['cpu', 'memory']) {
      if (req[k] !== undefined || lim[k] !== undefined) any = true;
      const l = lim[k];
      const q = req[k] ?? l;
      if (l === undefined || q === undefined || !sameQuantity(q, l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function sameQuantity(a: string, b: string): boolean {
  const x = tryParseQuantity(a);
  const y = tryParseQuantity(b);
  return x !== undefined && y !== undefined ? x.cmp(y) === 0 : a === b;
}
