/**
 * Comparing pod statuses the way upstream's status manager does: semanticEqual (absent, null, "" and empty lists
 * alike, as apiequality.Semantic with Go's omitempty), normalizeStatus (regular container statuses by name, termination messages capped
 * at 12 KiB per pod), and isPodStatusByKubeletEqual — kubelet-owned and shared conditions compared on status, reason
 * and message only (transition and probe times ignored), other conditions ignored, everything else compared whole.
 */
import { findCondition, isConditionByKubelet, isConditionSharedByKubelet, podSpec, type ApiContainerStatus, type ContainerState, type PodStatus } from './types';

/** kubecontainer.MaxPodTerminationMessageLogLength. */
const MAX_POD_TERMINATION_MESSAGE = 1024 * 12;

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Deep equality where absent, null, "" and [] are alike (Go's omitempty and nil-vs-empty), without copying. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a)) return isEmpty(b);
  if (isEmpty(b)) return false;
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!semanticEqual(x[k], y[k])) return false;
  for (const k in y) if (!(k in x) && !isEmpty(y[k])) return false;
  return true;
}

const byName = (a: ApiContainerStatus, b: ApiContainerStatus) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function capMessage(c: ApiContainerStatus, max: number): ApiContainerStatus {
  const long = (st: ContainerState | undefined) => (st?.terminated?.message?.length ?? 0) > max;
  if (!long(c.state) && !long(c.lastState)) return c;
  const cap = (st: ContainerState): ContainerState => (long(st) ? { ...st, terminated: { ...st.terminated!, message: st.terminated!.message!.slice(0, max) } } : st);
  return { ...c, state: cap(c.state), lastState: cap(c.lastState) };
}

/**
 * normalizeStatus: a shallow copy with regular statuses sorted by name, init statuses in spec order, termination
 * messages capped. Nested objects are shared with `status`: treat both as read-only.
 */
export function normalizeStatus(pod: Record<string, unknown>, status: PodStatus): PodStatus {
  const s: PodStatus = { ...(status ?? {}) };
  const spec = podSpec(pod);
  const count = spec.containers.length + spec.initContainers.length;
  const max = count > 0 ? Math.floor(MAX_POD_TERMINATION_MESSAGE / count) : MAX_POD_TERMINATION_MESSAGE;
  if (Array.isArray(s.containerStatuses)) s.containerStatuses = s.containerStatuses.map((c) => capMessage(c, max)).sort(byName);
  if (Array.isArray(s.initContainerStatuses)) {
    const order = new Map(spec.initContainers.map((c, i) => [c.name, i]));
    s.initContainerStatuses = s.initContainerStatuses.map((c) => capMessage(c, max)).sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity));
  }
  return s;
}

/** isPodStatusByKubeletEqual (both sides are expected to be normalized). */
export function isPodStatusByKubeletEqual(oldStatus: PodStatus, status: PodStatus): boolean {
  const conds = Array.isArray(status.conditions) ? status.conditions : [];
  for (const c of conds) {
    if (!isConditionByKubelet(c.type) && !isConditionSharedByKubelet(c.type)) continue;
    const oc = findCondition(oldStatus.conditions, c.type);
    if (!oc || oc.status !== c.status || (oc.message ?? '') !== (c.message ?? '') || (oc.reason ?? '') !== (c.reason ?? '')) return false;
  }
  return semanticEqual({ ...oldStatus, conditions: undefined }, { ...status, conditions: undefined });
}
