/**
 * PrioritySort (upstream plugins/queuesort): the QueueSort plugin ordering the active queue — higher
 * `spec.priority` first (a pod without one counts as 0, corev1helpers.PodPriority), then the earlier queue
 * timestamp first.
 */
import type { Handle, Pod, QueuedPodInfo, QueueSortPlugin } from '../framework';

export const NAME = 'PrioritySort';

/** corev1helpers.PodPriority: `spec.priority`, 0 when unset. */
export function podPriority(pod: Pod): number {
  const p = (pod.spec as { priority?: unknown } | undefined)?.priority;
  return typeof p === 'number' ? p : 0;
}

export class PrioritySort implements QueueSortPlugin {
  readonly name = NAME;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = podPriority(a.podInfo.pod);
    const p2 = podPriority(b.podInfo.pod);
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
}

export const newPrioritySort = (_args: Record<string, unknown> | undefined, _handle: Handle): PrioritySort => new PrioritySort();
