/**
 * How the StatefulSet controller judges a member pod (upstream stateful_set_utils.go): created (the API server
 * gave it a phase), pending, failed, succeeded, terminating, running and ready, available (ready for
 * minReadySeconds at `now`), healthy (running, ready and not terminating), and the ordinal sort orders.
 */
import { isPodAvailable, isPodReady } from '../framework/pod-util';
import { getOrdinal } from './identity';
import type { Pod } from './types';

const phase = (pod: Pod): string => pod.status?.phase ?? '';

export const isCreated = (pod: Pod): boolean => phase(pod) !== '';
export const isPending = (pod: Pod): boolean => phase(pod) === 'Pending';
export const isFailed = (pod: Pod): boolean => phase(pod) === 'Failed';
export const isSucceeded = (pod: Pod): boolean => phase(pod) === 'Succeeded';
export const isTerminating = (pod: Pod): boolean => !!pod.metadata.deletionTimestamp;
export const isRunningAndReady = (pod: Pod): boolean => phase(pod) === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, now: number): boolean => isPodAvailable(pod, minReadySeconds, now);
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);

export function byAscendingOrdinal(a: Pod, b: Pod): number {
  return getOrdinal(a) - getOrdinal(b);
}

export function byDescendingOrdinal(a: Pod, b: Pod): number {
  return getOrdinal(b) - getOrdinal(a);
}
