/**
 * Pod ordering helpers preemption shares (upstream corev1helpers.PodPriority, util.GetPodStartTime,
 * util.MoreImportantPod, util.GetEarliestPodStartTime). Start times are epoch milliseconds; a pod without
 * `status.startTime` counts as starting `now` (upstream uses time.Now()).
 */
import type { Pod } from '../../framework';

/** spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  const p = (pod.spec as { priority?: unknown } | undefined)?.priority;
  return typeof p === 'number' ? p : 0;
}

/** status.startTime in ms, or `now` when the pod has not started. */
export function podStartTime(pod: Pod, now: number): number {
  const s = (pod.status as { startTime?: unknown } | undefined)?.startTime;
  if (typeof s === 'string') {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return t;
  }
  return now;
}

/** MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** GetEarliestPodStartTime: the earliest start among the victims of the highest priority; undefined for none. */
export function earliestPodStartTime(victims: readonly Pod[], now: number): number | undefined {
  if (victims.length === 0) return undefined;
  let earliest = podStartTime(victims[0], now);
  let maxPriority = podPriority(victims[0]);
  for (const p of victims) {
    const prio = podPriority(p);
    if (prio === maxPriority) {
      const t = podStartTime(p, now);
      if (t < earliest) earliest = t;
    } else if (prio > maxPriority) {
      maxPriority = prio;
      earliest = podStartTime(p, now);
    }
  }
  return earliest;
}
