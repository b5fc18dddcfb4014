/**
 * The taints the node lifecycle controller owns (upstream nodelifecycle nodeConditionToTaintKeyStatusMap,
 * doNoScheduleTaintingPass, controller.AddOrUpdateTaintOnNode / RemoveTaintOffNode, PatchNodeTaints):
 * - NoSchedule taints mirror conditions (Ready False → not-ready, Ready Unknown → unreachable, MemoryPressure /
 *   DiskPressure / PIDPressure / NetworkUnavailable True → their taints) and spec.unschedulable → unschedulable;
 * - NoExecute `not-ready` / `unreachable` taints are added (rate-limited) and removed by the controller.
 * `swapTaints` adds and removes taints (matched by key and effect) in one strategic merge patch guarded by the
 * node's resourceVersion, first against the lister's copy, then re-reading the node after a conflict (5 tries).
 * Added taints get timeAdded; a taint already there is kept as it is.
 */
import type { CachedObject } from '../../client/informers';
import { isConflict, type ApiClient } from '../framework/api-client';
import { R } from '../framework/resources';
import { timeString } from '../tainteviction/pod-conditions';
import { taintsOf, type Taint } from '../tainteviction/tolerations';
import { nodeConditions } from './node-health';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

/** {condition type: {status: taint key}}. */
export const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};

const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

export const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
export const hasTaint = (taints: readonly Taint[], t: Taint): boolean => taints.some((x) => matchTaint(x, t));

/** The NoSchedule taints the node should have from its conditions and spec.unschedulable. */
export function wantedNoScheduleTaints(node: CachedObject): Taint[] {
  const out: Taint[] = [];
  for (const c of nodeConditions(node.status)) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/** The NoSchedule taints the controller manages that the node has now. */
export function managedNoScheduleTaints(node: CachedObject): Taint[] {
  return taintsOf(node).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
}

/** TaintSetDiff: what to add to `current` and remove from it to get `wanted` (by key and effect). */
export function taintSetDiff(wanted: readonly Taint[], current: readonly Taint[]): { add: Taint[]; remove: Taint[] } {
  return { add: wanted.filter((t) => !hasTaint(current, t)), remove: current.filter((t) => !hasTaint(wanted, t)) };
}

/** The node's taints with `remove` dropped and `add` added (timeAdded `now`) where missing; undefined: no change. */
export function applyTaints(current: readonly Taint[], add: readonly Taint[], remove: readonly Taint[], now: number): Taint[] | undefined {
  let changed = false;
  const out = current.filter((t) => {
    const drop = hasTaint(remove, t) && !hasTaint(add, t);
    if (drop) changed = true;
    return !drop;
  });
  for (const t of add) {
    if (hasTaint(out, t)) continue;
    out.push({ ...t, timeAdded: timeString(now) });
    changed = true;
  }
  return changed ? out : undefined;
}

/** Adds and removes taints on the node (see the file comment); a node gone (404) is left alone. */
export async function swapTaints(client: ApiClient, node: CachedObject, add: readonly Taint[], remove: readonly Taint[], now: () => number): Promise<void> {
  if (add.length === 0 && !remove.some((t) => hasTaint(taintsOf(node), t))) return;
  let cur: CachedObject = node;
  const name = String(node.metadata?.name ?? '');
  for (let attempt = 0; ; attempt++) {
    const next = applyTaints(taintsOf(cur), add, remove, now());
    if (!next) return;
    try {
      await client.patch(R.nodes, '', name, { metadata: { resourceVersion: cur.metadata?.resourceVersion }, spec: { taints: next.length ? next : null } }, 'strategic');
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) throw e;
      cur = (await client.get(R.nodes, '', name)) as CachedObject;
    }
  }
}
