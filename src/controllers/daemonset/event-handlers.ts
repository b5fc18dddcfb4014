/**
 * The DaemonSet controller's informer event handlers (upstream addPod/updatePod/deletePod, addNode/updateNode,
 * addHistory/updateHistory/deleteHistory): they only resolve which sets are concerned, record pod creations and
 * deletions against the set's expectations, and enqueue set keys. A node whose labels, taints or true conditions
 * change enqueues the sets whose verdict on it changed; a deleted node enqueues every set (upstream has no delete
 * handler and waits for pod GC or a resync; here the set notices at once).
 */
import { isDeepStrictEqual } from 'node:util';
import type { CachedObject, DeletedFinalStateUnknown, Lister } from '../../client/informers';
import { deletedObject, objectKey } from '../../client/informers';
import { labelSelectorAsSelector } from '../../api/selectors';
import { controllerRefOf } from '../framework/controller-ref';
import { isPodReady } from '../framework/pod-util';
import { nodeShouldRunDaemonPod } from './node-should-run';
import { asDaemonSet, asNode, DS_KIND } from './types';

export interface HandlerTarget {
  readonly dsLister: Lister;
  enqueueKey(key: string): void;
  enqueueAfter(key: string, ms: number): void;
  creationObserved(dsKey: string): void;
  deletionObserved(dsKey: string, podKey: string): void;
  forgetExpectations(dsKey: string): void;
}

/** resolveControllerRef: the set a controllerRef names, if it is a DaemonSet that still has that uid. */
export function resolveDaemonSet(t: HandlerTarget, o: CachedObject): CachedObject | undefined {
  const ref = controllerRefOf(o);
  if (!ref || ref.kind !== DS_KIND) return undefined;
  const ds = t.dsLister.get(String(o.metadata?.namespace ?? ''), ref.name);
  return ds && ds.metadata?.uid === ref.uid ? ds : undefined;
}

/** GetPodDaemonSets / GetHistoryDaemonSets: sets in the object's namespace whose non-empty selector matches it. */
export function daemonSetsSelecting(t: HandlerTarget, o: CachedObject): CachedObject[] {
  const labels = o.metadata?.labels;
  return t.dsLister.list(String(o.metadata?.namespace ?? '')).filter((ds) => {
    try {
      const sel = labelSelectorAsSelector(asDaemonSet(ds).spec?.selector);
      return !sel.empty() && sel.matches(labels);
    } catch {
      return false;
    }
  });
}

const sameRef = (a: CachedObject, b: CachedObject) => isDeepStrictEqual(controllerRefOf(a), controllerRefOf(b));

export function onPodDeleted(t: HandlerTarget, p: CachedObject | DeletedFinalStateUnknown): void {
  const pod = deletedObject(p);
  const ds = resolveDaemonSet(t, pod);
  if (!ds) return;
  const key = objectKey(ds);
  t.deletionObserved(key, objectKey(pod));
  t.enqueueKey(key);
}

export function onPodAdded(t: HandlerTarget, pod: CachedObject): void {
  if (pod.metadata?.deletionTimestamp) return onPodDeleted(t, pod);
  if (controllerRefOf(pod)) {
    const ds = resolveDaemonSet(t, pod);
    if (!ds) return;
    t.creationObserved(objectKey(ds));
    t.enqueueKey(objectKey(ds));
    return;
  }
  for (const ds of daemonSetsSelecting(t, pod)) t.enqueueKey(objectKey(ds));
}

export function onPodUpdated(t: HandlerTarget, old: CachedObject, cur: CachedObject): void {
  if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
  if (cur.metadata?.deletionTimestamp) return onPodDeleted(t, cur);
  const refChanged = !sameRef(old, cur);
  if (refChanged && controllerRefOf(old)) {
    const prev = resolveDaemonSet(t, old);
    if (prev) t.enqueueKey(objectKey(prev));
  }
  if (controllerRefOf(cur)) {
    const ds = resolveDaemonSet(t, cur);
    if (!ds) return;
    t.enqueueKey(objectKey(ds));
    const minReady = asDaemonSet(ds).spec?.minReadySeconds ?? 0;
    if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) t.enqueueAfter(objectKey(ds), minReady * 1000 + 1000);
    return;
  }
  const labelsChanged = !isDeepStrictEqual(old.metadata?.labels ?? {}, cur.metadata?.labels ?? {});
  if (labelsChanged || refChanged) for (const ds of daemonSetsSelecting(t, cur)) t.enqueueKey(objectKey(ds));
}

export function onHistoryDeleted(t: HandlerTarget, h: CachedObject | DeletedFinalStateUnknown): void {
  const ds = resolveDaemonSet(t, deletedObject(h));
  if (ds) t.enqueueKey(objectKey(ds));
}

export function onHistoryAdded(t: HandlerTarget, h: CachedObject): void {
  if (h.metadata?.deletionTimestamp) return onHistoryDeleted(t, h);
  if (controllerRefOf(h)) return; // upstream only observes it
  for (const ds of daemonSetsSelecting(t, h)) t.enqueueKey(objectKey(ds));
}

export function onHistoryUpdated(t: HandlerTarget, old: CachedObject, cur: CachedObject): void {
  if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
  const refChanged = !sameRef(old, cur);
  if (refChanged && controllerRefOf(old)) {
    const prev = resolveDaemonSet(t, old);
    if (prev) t.enqueueKey(objectKey(prev));
  }
  if (controllerRefOf(cur)) {
    const ds = resolveDaemonSet(t, cur);
    if (ds) t.enqueueKey(objectKey(ds));
    return;
  }
  const labelsChanged = !isDeepStrictEqual(old.metadata?.labels ?? {}, cur.metadata?.labels ?? {});
  if (labelsChanged || refChanged) for (const ds of daemonSetsSelecting(t, cur)) t.enqueueKey(objectKey(ds));
}

export function onNodeAdded(t: HandlerTarget, node: CachedObject): void {
  for (const ds of t.dsLister.list()) if (nodeShouldRunDaemonPod(asNode(node), asDaemonSet(ds)).shouldRun) t.enqueueKey(objectKey(ds));
}

type Condition = { type?: string; status?: string };

/** nodeInSameCondition: the same condition types are True. */
function trueConditions(n: CachedObject): string[] {
  return (((n.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter((c) => c.status === 'True').map((c) => String(c.type))).sort();
}

/** shouldIgnoreNodeUpdate: only resourceVersion or non-True conditions changed. */
export function shouldIgnoreNodeUpdate(old: CachedObject, cur: CachedObject): boolean {
  if (!isDeepStrictEqual(trueConditions(old), trueConditions(cur))) return false;
  // Everything else equal, field by field (no copies: this runs for every node update).
  const o = old as unknown as Record<string, unknown>;
  const c = cur as unknown as Record<string, unknown>;
  return equalWithout(o, c, TOP_SKIP) && nestedEqualWithout(o.metadata, c.metadata, 'resourceVersion') && nestedEqualWithout(o.status, c.status, 'conditions');
}

const TOP_SKIP = new Set(['metadata', 'status']);

/** Deep equality of own fields, the ones in `skip` left out (their presence too). */
function equalWithout(a: Record<string, unknown>, b: Record<string, unknown>, skip: ReadonlySet<string>): boolean {
  const ak = Object.keys(a).filter((k) => !skip.has(k));
  const bk = Object.keys(b).filter((k) => !skip.has(k));
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!Object.prototype.hasOwnProperty.call(b, k) || !isDeepStrictEqual(a[k], b[k])) return false;
  return true;
}

/** a and b equal with field `field` of each left out (as deleting it from copies and comparing would find). */
function nestedEqualWithout(a: unknown, b: unknown, field: string): boolean {
  const plain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!plain(a) || !plain(b)) return isDeepStrictEqual(a, b);
  return equalWithout(a, b, new Set([field]));
}

export function onNodeUpdated(t: HandlerTarget, old: CachedObject, cur: CachedObject): void {
  if (shouldIgnoreNodeUpdate(old, cur)) return;
  for (const ds of t.dsLister.list()) {
    const a = nodeShouldRunDaemonPod(asNode(old), asDaemonSet(ds));
    const b = nodeShouldRunDaemonPod(asNode(cur), asDaemonSet(ds));
    if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) t.enqueueKey(objectKey(ds));
  }
}

export function onNodeDeleted(t: HandlerTarget): void {
  for (const ds of t.dsLister.list()) t.enqueueKey(objectKey(ds));
}

export function onDaemonSetDeleted(t: HandlerTarget, o: CachedObject | DeletedFinalStateUnknown): void {
  const key = objectKey(deletedObject(o));
  t.forgetExpectations(key);
  t.enqueueKey(key);
}
