/**
 * Server-side values upstream sets outside defaulting, for the registry to call at the right moment (these must not
 * run on every decode, so `defaultObject` does not call them):
 * - `prepareNamespaceForCreate`: phase Active and the "kubernetes" spec finalizer (namespace strategy, create only —
 *   the finalizer is later removed by the namespace controller and must not come back);
 * - `generateJobSelector`: a Job's selector and template labels from its uid (job strategy PrepareForCreate, after
 *   the uid is assigned, unless spec.manualSelector is true);
 * - `applyPodPriority`: spec.priority and spec.preemptionPolicy as the Priority admission plugin resolves them;
 * - `normalizeServiceClusterIPs` and `defaultServiceIPFamilies`: the service strategy's clusterIP/clusterIPs sync and
 *   the single-stack family choice made at allocation.
 */
import { ensure, isSet, type Obj } from './util';

export function prepareNamespaceForCreate(ns: Obj): void {
  ns.status = { phase: 'Active' };
  const spec = ensure(ns, 'spec');
  const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as unknown[]) : [];
  if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
}

export function generateJobSelector(job: Obj): void {
  const spec = ensure(job, 'spec');
  if (spec.manualSelector === true) return;
  const meta = ensure(job, 'metadata');
  const name = typeof meta.name === 'string' ? meta.name : '';
  const uid = typeof meta.uid === 'string' ? meta.uid : '';
  const labels = ensure(ensure(ensure(spec, 'template'), 'metadata'), 'labels');
  for (const k of ['job-name', 'batch.kubernetes.io/job-name']) if (!(k in labels)) labels[k] = name;
  for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) if (!(k in labels)) labels[k] = uid;
  const matchLabels = ensure(ensure(spec, 'selector'), 'matchLabels');
  if (!('batch.kubernetes.io/controller-uid' in matchLabels)) matchLabels['batch.kubernetes.io/controller-uid'] = uid;
}

export interface ResolvedPriority {
  /** The PriorityClass value (0 when no class applies and there is no global default). */
  value: number;
  /** The class's preemptionPolicy (PreemptLowerPriority when none applies). */
  preemptionPolicy?: string;
  /** The class name to record (a global default class's name when the pod named none). */
  className?: string;
}

/** What the Priority admission plugin writes into a new Pod. */
export function applyPodPriority(pod: Obj, resolved: ResolvedPriority = { value: 0 }): void {
  const spec = ensure(pod, 'spec');
  if (resolved.className && !spec.priorityClassName) spec.priorityClassName = resolved.className;
  spec.priority = resolved.value;
  if (!isSet(spec.preemptionPolicy)) spec.preemptionPolicy = resolved.preemptionPolicy ?? 'PreemptLowerPriority';
}

/** NormalizeClusterIPs: clusterIPs follows clusterIP when only one of them is given. */
export function normalizeServiceClusterIPs(svc: Obj, old?: Obj): void {
  const spec = ensure(svc, 'spec');
  const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as unknown[]) : [];
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const oldSpec = old ? ensure(old, 'spec') : undefined;
  if (ip && !ips.length) spec.clusterIPs = [ip];
  else if (!ip && ips.length && typeof ips[0] === 'string') spec.clusterIP = ips[0];
  else if (oldSpec && ip && ip !== oldSpec.clusterIP && ips.length && ips[0] === oldSpec.clusterIP) spec.clusterIPs = [ip, ...ips.slice(1)];
}

/** The single-stack choice of the allocator: SingleStack and the cluster's family, unless ExternalName. */
export function defaultServiceIPFamilies(svc: Obj, family: 'IPv4' | 'IPv6' = 'IPv4'): void {
  const spec = ensure(svc, 'spec');
  if (spec.type === 'ExternalName') return;
  setIfAbsent(spec, 'ipFamilyPolicy', 'SingleStack');
  if (!Array.isArray(spec.ipFamilies) || !spec.ipFamilies.length) spec.ipFamilies = [family];
}

function setIfAbsent(o: Obj, k: string, v: unknown): void {
  if (!isSet(o[k])) o[k] = v;
}
