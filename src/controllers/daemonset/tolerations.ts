/**
 * Taints and tolerations as upstream's scheduling helpers judge them (core/v1 Toleration.ToleratesTaint,
 * FindMatchingUntoleratedTaint, AddOrUpdateTolerationInPodSpec), and the tolerations the DaemonSet controller adds
 * to every daemon pod (daemon util AddOrUpdateDaemonPodTolerations): not-ready and unreachable (NoExecute, no
 * tolerationSeconds), disk-, memory-, pid-pressure and unschedulable (NoSchedule), network-unavailable for
 * hostNetwork pods. Pure functions; inputs are never modified.
 */
import { isDeepStrictEqual } from 'node:util';
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export { findUntoleratedTaint, toleratesTaint, tolerationsTolerateTaint } from '../../api/tolerations';

/** Toleration.MatchToleration: same key, effect, operator and value. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');
}

/** AddOrUpdateTolerationInPodSpec: replaces a matching toleration (e.g. one with tolerationSeconds) or appends. */
export function addOrUpdateToleration(spec: PodSpec, toleration: Toleration): void {
  const current = spec.tolerations ?? [];
  let updated = false;
  const next: Toleration[] = [];
  for (const t of current) {
    if (sameToleration(toleration, t)) {
      if (isDeepStrictEqual({ ...toleration }, JSON.parse(JSON.stringify(t)))) return;
      next.push({ ...toleration });
      updated = true;
      continue;
    }
    next.push(t);
  }
  if (!updated) next.push({ ...toleration });
  spec.tolerations = next;
}

/** AddOrUpdateDaemonPodTolerations, in upstream's order. */
export function addDaemonPodTolerations(spec: PodSpec): void {
  addOrUpdateToleration(spec, { key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' });
  if (spec.hostNetwork) addOrUpdateToleration(spec, { key: TAINT_NODE_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' });
}
