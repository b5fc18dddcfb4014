/**
 * Pod state as controllers judge it (upstream podutil and controller_utils): active, ready, available, and
 * ActivePodsWithRanks — the order in which a controller deletes surplus pods (first in the list goes first).
 */
import type { CachedObject } from '../../client/informers';

type Condition = { type?: string; status?: string; lastTransitionTime?: string };
type ContainerStatus = { restartCount?: number };
type PodStatus = { phase?: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[] };

export function podStatus(p: CachedObject): PodStatus {
  return (p.status ?? {}) as PodStatus;
}

export function podNodeName(p: CachedObject): string {
  return String((p.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
}

/** Not Succeeded, not Failed, not being deleted (upstream IsPodActive). */
export function isPodActive(p: CachedObject): boolean {
  const phase = podStatus(p).phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

export function isPodTerminal(p: CachedObject): boolean {
  const phase = podStatus(p).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function podReadyCondition(p: CachedObject): Condition | undefined {
  return podStatus(p).conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(p: CachedObject): boolean {
  return podReadyCondition(p)?.status === 'True';
}

/** Ready for at least minReadySeconds at `now` (ms). */
export function isPodAvailable(p: CachedObject, minReadySeconds: number, now: number): boolean {
  const c = podReadyCondition(p);
  if (c?.status !== 'True') return false;
  return readyLongEnough(c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN, minReadySeconds, now);
}

/** For a ready pod: whether it has been ready since `readySinceMs` (NaN: unknown) for minReadySeconds at `now`. */
export function readyLongEnough(readySinceMs: number, minReadySeconds: number, now: number): boolean {
  if (minReadySeconds <= 0) return true;
  return !Number.isNaN(readySinceMs) && readySinceMs + minReadySeconds * 1000 <= now;
}

function maxRestarts(p: CachedObject): number {
  return Math.max(0, ...(podStatus(p).containerStatuses ?? []).map((s) => s.restartCount ?? 0));
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** log2 of the age in ns at `now`, -1 when not in the past (upstream logarithmicRankDiff's buckets). */
function logRank(t: number, now: number): number {
  const d = now - t;
  return d > 0 ? Math.floor(Math.log2(d * 1e6)) : -1;
}

function timeOf(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

function deletionCost(p: CachedObject): number {
  const v = Number(p.metadata?.annotations?.[POD_DELETION_COST] ?? 0);
  return Number.isInteger(v) ? v : 0;
}

/**
 * Compares two pods for deletion (negative: `a` goes first), as ActivePodsWithRanks.Less with PodDeletionCost and
 * LogarithmicScaleDown on: unassigned < assigned; Pending < Unknown < Running; not ready < ready; lower
 * pod-deletion-cost first; more related pods on the same node (higher rank) first; ready more recently (log2 buckets)
 * first; more restarts first; created more recently (log2 buckets) first; then by uid.
 */
export function compareForDeletion(a: CachedObject, b: CachedObject, rankA: number, rankB: number, now: number): number {
  const na = podNodeName(a);
  const nb = podNodeName(b);
  if ((na === '') !== (nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_RANK[podStatus(a).phase ?? ''] ?? 0;
  const pb = PHASE_RANK[podStatus(b).phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const ta = timeOf(podReadyCondition(a)?.lastTransitionTime);
    const tb = timeOf(podReadyCondition(b)?.lastTransitionTime);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
      const d = logRank(ta, now) - logRank(tb, now);
      if (d !== 0) return d;
    }
  }
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  const ka = timeOf(a.metadata?.creationTimestamp);
  const kb = timeOf(b.metadata?.creationTimestamp);
  if (ka !== kb) {
    if (ka === undefined || kb === undefined) return ka === undefined ? -1 : 1;
    const d = logRank(ka, now) - logRank(kb, now);
    if (d !== 0) return d;
  }
  const ua = String(a.metadata?.uid ?? '');
  const ub = String(b.metadata?.uid ?? '');
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}
