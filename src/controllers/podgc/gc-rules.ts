/**
 * Which pods the pod garbage collector takes and in what order (upstream podgc isPodTerminated,
 * byEvictionAndCreationTimestamp, gcTerminating's node test), pure.
 */
import type { CachedObject } from '../../client/informers';
import { taintsOf } from '../tainteviction/tolerations';

export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

const phaseOf = (p: CachedObject): string => String((p.status as { phase?: string } | undefined)?.phase ?? '');

/** Upstream isPodTerminated: any phase but Pending, Running and Unknown (an empty phase counts, as upstream). */
export function isPodTerminated(p: CachedObject): boolean {
  const phase = phaseOf(p);
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** eviction.PodIsEvicted: Failed with reason Evicted. */
export function isPodEvicted(p: CachedObject): boolean {
  return phaseOf(p) === 'Failed' && (p.status as { reason?: string } | undefined)?.reason === 'Evicted';
}

/** Evicted pods first, then by creationTimestamp (oldest first), then by name. */
export function byEvictionAndCreation(a: CachedObject, b: CachedObject): number {
  const ea = isPodEvicted(a);
  const eb = isPodEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(String(a.metadata?.creationTimestamp ?? '')) || 0;
  const tb = Date.parse(String(b.metadata?.creationTimestamp ?? '')) || 0;
  if (ta !== tb) return ta - tb;
  const na = String(a.metadata?.name ?? '');
  const nb = String(b.metadata?.name ?? '');
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** nodeutil.IsNodeReady: a Ready condition with status True. */
export function isNodeReady(node: CachedObject): boolean {
  const conds = (node.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A terminating pod whose node is not Ready and carries the out-of-service taint (any effect). */
export function isTerminatingOnOutOfServiceNode(p: CachedObject, node: CachedObject): boolean {
  return !!p.metadata?.deletionTimestamp && !isNodeReady(node) && taintsOf(node).some((t) => t.key === TAINT_OUT_OF_SERVICE);
}
