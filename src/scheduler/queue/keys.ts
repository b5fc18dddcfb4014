/**
 * How the scheduling queue identifies pods: by `namespace/name` in its queues (upstream podInfoKeyFunc), by UID for
 * in-flight tracking and nomination.
 */
import type { Pod, QueuedPodInfo } from '../framework';

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function qpiKey(qpi: QueuedPodInfo): string {
  return podKey(qpi.podInfo.pod);
}

export function podUid(pod: Pod): string {
  return String(pod.metadata?.uid ?? '');
}
