/** What the scheduler gives the SchedulingQueue (upstream priorityQueueOptions), with upstream's defaults. */
import type { Clock } from '../../base/clock';
import type { ClusterEvent, Pod, QueuedPodInfo, Status } from '../framework';
import type { EventHintFn } from './queueing-hints';

export interface SchedulingQueueOptions {
  /** Defaults to the system clock. */
  clock?: Clock;
  /** The QueueSort plugin's less (PrioritySort: higher priority, then earlier timestamp). */
  lessFn: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** Runs the PreEnqueue plugins; a non-success Status gates the pod (its `plugin` names the gating plugin). */
  preEnqueue: (pod: Pod) => Status;
  /** A rejecting plugin's queueing hint for an event (see queueingHintsFor). */
  eventHint: EventHintFn;
  /** Default 1000 (upstream podInitialBackoffSeconds 1). */
  podInitialBackoffMs?: number;
  /** Default 10000 (upstream podMaxBackoffSeconds 10). */
  podMaxBackoffMs?: number;
  /** Default 300000 (upstream DefaultPodMaxInUnschedulablePodsDuration, 5 min). */
  podMaxInUnschedulablePodsDurationMs?: number;
  /** Ours (optional): events no plugin registered are dropped early and are not move requests. Default: all are. */
  isEventOfInterest?: (event: ClusterEvent) => boolean;
  /** Ours (optional): namespace labels for affinity terms with a namespaceSelector. */
  namespaceLabels?: (namespace: string) => Readonly<Record<string, string>> | undefined;
  /** Ours (optional): the pod as the informer has it; the nominator skips deleted or bound pods (upstream podLister). */
  getPod?: (namespace: string, name: string) => Pod | undefined;
}

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 300000;
/** How often backoffQ and unschedulablePods are flushed (upstream Run). */
export const BACKOFF_FLUSH_INTERVAL_MS = 1000;
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30000;
