/**
 * Quota evaluators (pkg/quota/v1/evaluator/core and apiserver's generic object-count evaluator): for one
 * group/resource, which quota resource names it tracks, which requests change usage, which quota scopes an object
 * falls under, the usage one object charges, and the per-object constraints a matching quota imposes.
 *
 * - pods: `count/pods` always; while not terminal (phase Succeeded/Failed) and not deleted past its grace period
 *   also `pods`, `cpu`/`requests.cpu`, `limits.cpu`, the same for memory and ephemeral-storage, hugepages and
 *   `requests.<extended>`, from the pod's aggregate requests/limits (init containers, sidecars, overhead,
 *   pod-level resources). Scopes Terminating/NotTerminating (activeDeadlineSeconds), BestEffort/NotBestEffort,
 *   PriorityClass (In/NotIn/Exists/DoesNotExist) and CrossNamespacePodAffinity. Quotas on cpu or memory require
 *   every container to set them: `must specify requests.cpu for: a,b; memory for: c`.
 * - services: `count/services`, `services`, `services.nodeports`, `services.loadbalancers`.
 * - persistentvolumeclaims: `count/…`, `persistentvolumeclaims`, `requests.storage` and the
 *   `<class>.storageclass.storage.k8s.io/…` forms.
 * - everything else: `count/<resource>[.<group>]`, plus the legacy names configmaps, secrets, resourcequotas and
 *   replicationcontrollers. Events are never quota'd (`evaluatorFor` returns undefined).
 */
import { Quantity } from '../../../api/quantity';
import { addLists, type ResourceList } from '../../../api/quantity-math';
import { list, str, sub, type Obj } from '../plugin-util';
import { containerResourceList, isBestEffort, isPodLevelResourcesSet, podLimits, podRequests } from '../pod-resources';
import type { Operation } from '../types';
import { podMatchesScope, type ScopeRequirement } from './scopes';

export type { ScopeRequirement } from './scopes';

export interface QuotaEvaluator {
  readonly group: string;
  readonly resource: string;
  /** MatchingResources: the names among `names` this evaluator tracks. */
  matchingResources(names: readonly string[]): string[];
  /** Whether a request can change usage (subresource requests never reach evaluators). */
  handles(operation: Operation, object?: Readonly<Obj>, oldObject?: Readonly<Obj>): boolean;
  matchesScope(req: ScopeRequirement, obj: Readonly<Obj>): boolean;
  /** The usage one object charges. */
  usage(obj: Readonly<Obj>, now: Date): ResourceList;
  /** The violated constraint (without the `failed quota: <name>: ` prefix), or undefined. */
  constraints(required: readonly string[], obj: Readonly<Obj>): string | undefined;
}

const one = (): Quantity => Quantity.fromInt(1);
const int = (n: number): Quantity => Quantity.fromInt(n);

/** ObjectCountQuotaResourceNameFor: `count/<resource>` or `count/<resource>.<group>`. */
export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

const LEGACY_ALIASES: Record<string, string> = {
  configmaps: 'configmaps',
  secrets: 'secrets',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
};
const IGNORED = new Set(['/events']);

// ---- pods -------------------------------------------------------------------------------------------------------

const POD_RESOURCES = new Set([
  'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods',
]);
/** The backward-compatible rule: quotas on these require every container to set them. */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** IsNativeResource: no domain, or a kubernetes.io domain. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** helper.IsExtendedResourceName (for a container's requests). */
function isExtended(name: string): boolean {
  return !isNative(name) && !name.startsWith('requests.');
}

function podMatchingResources(names: readonly string[]): string[] {
  return names.filter(
    (n) => POD_RESOURCES.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || (!isNative(n) && n.startsWith('requests.')),
  );
}

/** podComputeUsageHelper. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', one()]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) out.set(r, req).set(`requests.${r}`, req);
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [r, q] of requests) {
    if (r.startsWith('hugepages-')) out.set(r, q).set(`requests.${r}`, q);
    if (isExtended(r)) out.set(`requests.${r}`, q);
  }
  return out;
}

/** QuotaV1Pod: terminal pods and pods deleted past their grace period are not charged compute usage. */
export function podChargesQuota(pod: Readonly<Obj>, now: Date): boolean {
  const phase = str(sub(pod, 'status'), 'phase');
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const meta = sub(pod, 'metadata');
  const deletedAt = str(meta, 'deletionTimestamp');
  const grace = meta?.deletionGracePeriodSeconds;
  if (deletedAt && typeof grace === 'number') {
    const deadline = Date.parse(deletedAt) + grace * 1000;
    if (now.getTime() > deadline) return false;
  }
  return true;
}

/** IsTerminating: activeDeadlineSeconds ≥ 0. */
export function isTerminating(pod: Readonly<Obj> | undefined): boolean {
  const v = sub(pod, 'spec')?.activeDeadlineSeconds;
  return typeof v === 'number' && v >= 0;
}

export function podUsage(pod: Readonly<Obj>, now: Date): ResourceList {
  const result: ResourceList = new Map([['count/pods', one()]]);
  if (!podChargesQuota(pod, now)) return result;
  const opts = { podLevel: true, overhead: true };
  return addLists(result, computeUsage(podRequests(pod, opts), podLimits(pod, opts)));
}

function podConstraints(required: readonly string[], pod: Readonly<Obj>): string | undefined {
  if (isPodLevelResourcesSet(pod)) return undefined;
  const needed = required.filter((r) => VALIDATION_SET.has(r));
  if (!needed.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const spec = sub(pod, 'spec');
  for (const c of [...list(spec, 'containers'), ...list(spec, 'initContainers')]) {
    const have = computeUsage(containerResourceList(c, 'requests'), containerResourceList(c, 'limits'));
    for (const r of needed) if (!have.has(r)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(str(c, 'name'));
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

const podEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'pods',
  matchingResources: podMatchingResources,
  handles: (op, obj, old) => op === 'CREATE' || (op === 'UPDATE' && !!obj && !!old && isTerminating(obj) !== isTerminating(old)),
  matchesScope: (req, obj) => podMatchesScope(req, obj, { isTerminating, isBestEffort }),
  usage: podUsage,
  constraints: podConstraints,
};

// ---- services ---------------------------------------------------------------------------------------------------

const SERVICE_RESOURCES = new Set(['count/services', 'services', 'services.nodeports', 'services.loadbalancers']);

export function serviceUsage(svc: Readonly<Obj>): ResourceList {
  const spec = sub(svc, 'spec');
  const ports = list(spec, 'ports');
  const out: ResourceList = new Map([
    ['count/services', one()],
    ['services', one()],
    ['services.loadbalancers', int(0)],
    ['services.nodeports', int(0)],
  ]);
  const type = str(spec, 'type');
  if (type === 'NodePort') out.set('services.nodeports', int(ports.length));
  if (type === 'LoadBalancer') {
    const noAlloc = spec?.allocateLoadBalancerNodePorts === false;
    out.set('services.nodeports', int(noAlloc ? ports.filter((p) => typeof p.nodePort === 'number' && p.nodePort !== 0).length : ports.length));
    out.set('services.loadbalancers', one());
  }
  return out;
}

const serviceEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'services',
  matchingResources: (names) => names.filter((n) => SERVICE_RESOURCES.has(n)),
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchesScope: () => false,
  usage: serviceUsage,
  constraints: () => undefined,
};

// ---- persistentvolumeclaims -------------------------------------------------------------------------------------

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage'];

/** GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName. */
function claimClass(pvc: Readonly<Obj>): string {
  const beta = sub(sub(pvc, 'metadata'), 'annotations')?.['volume.beta.kubernetes.io/storage-class'];
  if (typeof beta === 'string') return beta;
  return str(sub(pvc, 'spec'), 'storageClassName');
}

export function claimUsage(pvc: Readonly<Obj>): ResourceList {
  const out: ResourceList = new Map([['persistentvolumeclaims', one()], ['count/persistentvolumeclaims', one()]]);
  const cls = claimClass(pvc);
  if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, one());
  let storage = quantityOf(sub(sub(sub(pvc, 'spec'), 'resources'), 'requests')?.storage);
  const allocated = quantityOf(sub(sub(pvc, 'status'), 'allocatedResources')?.storage);
  if (storage && allocated && allocated.cmp(storage) > 0) storage = allocated;
  if (storage) {
    storage = storage.roundUp(0);
    out.set('requests.storage', storage);
    if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
  }
  return out;
}

function quantityOf(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return Quantity.parse(String(v));
  } catch {
    return undefined;
  }
}

const claimEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  matchingResources: (names) =>
    names.filter(
      (n) => n === 'count/persistentvolumeclaims' || PVC_RESOURCES.includes(n) || PVC_RESOURCES.some((r) => n.endsWith(STORAGE_CLASS_SUFFIX + r)),
    ),
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchesScope: () => false,
  usage: claimUsage,
  constraints: () => undefined,
};

// ---- generic object count ---------------------------------------------------------------------------------------

function objectCountEvaluator(group: string, resource: string): QuotaEvaluator {
  const names = [objectCountName(group, resource)];
  if (!group && LEGACY_ALIASES[resource]) names.push(LEGACY_ALIASES[resource]);
  return {
    group,
    resource,
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    handles: (op) => op === 'CREATE',
    matchesScope: () => false,
    usage: () => new Map(names.map((n) => [n, one()])),
    constraints: () => undefined,
  };
}

/** The evaluator for a group/resource; undefined for resources quota ignores (events). */
export function evaluatorFor(group: string, resource: string): QuotaEvaluator | undefined {
  if (IGNORED.has(`${group}/${resource}`)) return undefined;
  if (!group && resource === 'pods') return podEvaluator;
  if (!group && resource === 'services') return serviceEvaluator;
  if (!group && resource === 'persistentvolumeclaims') return claimEvaluator;
  return objectCountEvaluator(group, resource);
}

/** The group/resources whose objects a quota with these hard names counts (what a usage recomputation must list). */
export function trackedResources(hardNames: readonly string[]): { group: string; resource: string }[] {
  const out = new Map<string, { group: string; resource: string }>();
  const add = (group: string, resource: string): void => void out.set(`${group}/${resource}`, { group, resource });
  for (const n of hardNames) {
    if (podMatchingResources([n]).length) add('', 'pods');
    else if (serviceEvaluator.matchingResources([n]).length) add('', 'services');
    else if (claimEvaluator.matchingResources([n]).length) add('', 'persistentvolumeclaims');
    else if (LEGACY_ALIASES[n]) add('', n);
    else if (n.startsWith('count/')) {
      const gr = n.slice('count/'.length);
      const dot = gr.indexOf('.');
      if (dot < 0) add('', gr);
      else add(gr.slice(dot + 1), gr.slice(0, dot));
    }
  }
  return [...out.values()].filter((t) => evaluatorFor(t.group, t.resource));
}
