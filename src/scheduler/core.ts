/**
 * What the scheduling loop works with (shared by schedule-one.ts, failure.ts and scheduler.ts): the cache and the
 * snapshot it refreshes, the queue (the subset of SchedulingQueue used), the frameworks by schedulerName, the node
 * search state, the decisions kept for "why this node", and a tracker of the async work (binding cycles, status
 * patches) that `idle()` waits for.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { Lister } from '../client/informers';
import type { ApiClient } from '../controllers/framework/api-client';
import type { SchedulerCache } from './cache/cache';
import type { CacheSnapshot } from './cache/cache-snapshot';
import type { ClusterEvent, Pod, PodInfo, PodNominator, QueuedPodInfo } from './framework';
import type { DecisionStore } from './runtime/explain';
import type { NodeSearch } from './runtime/find-nodes';
import type { Framework } from './runtime/framework';

/** The scheduling queue as the core uses it (src/scheduler/queue/scheduling-queue.ts). */
export interface QueueLike extends PodNominator {
  add(pod: Pod): void;
  update(oldPod: Pod | undefined, newPod: Pod): void;
  delete(pod: Pod): void;
  activate(pods: Iterable<Pod>): void;
  pop(): Promise<QueuedPodInfo | undefined>;
  done(uid: string): void;
  schedulingCycle(): number;
  addUnschedulableIfNotPresent(qpi: QueuedPodInfo, podSchedulingCycle: number): Error | undefined;
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown, preCheck?: (pod: Pod) => boolean): void;
  assignedPodAdded(pod: Pod): void;
  assignedPodUpdated(oldPod: Pod, newPod: Pod): void;
  addNominatedPod(pi: PodInfo, nodeName?: string): void;
  deleteNominatedPodIfExists(pod: Pod): void;
  pendingPods(): { active: number; backoff: number; unschedulable: number };
  close(): void;
}

export class TaskTracker {
  private readonly pending = new Set<Promise<unknown>>();

  track(p: Promise<unknown>): void {
    const q = p.finally(() => this.pending.delete(q));
    this.pending.add(q);
  }

  get size(): number {
    return this.pending.size;
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

export interface Core {
  cache: SchedulerCache;
  snapshot: CacheSnapshot;
  queue: QueueLike;
  frameworks: ReadonlyMap<string, Framework>;
  search: NodeSearch;
  decisions: DecisionStore;
  podLister: Lister;
  client: ApiClient;
  clock: Clock;
  logger: Logger;
  tasks: TaskTracker;
  /** Tie-breaking among equal scores (tests pin it). */
  rand?: (n: number) => number;
  /** Record explanations (default true). */
  explain: boolean;
  /** True while a scheduling cycle runs (between pop and the start of binding). */
  cycling?: boolean;
}

export const podRef = (pod: Pod): string => `${String(pod.metadata?.namespace ?? '')}/${String(pod.metadata?.name ?? '')}`;
export const podUid = (pod: Pod): string => String(pod.metadata?.uid ?? '');
export const schedulerNameOf = (pod: Pod): string => String((pod.spec as { schedulerName?: string } | undefined)?.schedulerName || 'default-scheduler');

/** The event reference of a pod (the cached object may lack kind/apiVersion). */
export function podReference(pod: Pod): Record<string, string> {
  const m = pod.metadata ?? {};
  const ref: Record<string, string> = { kind: 'Pod', apiVersion: 'v1', namespace: String(m.namespace ?? ''), name: String(m.name ?? ''), uid: String(m.uid ?? '') };
  if (m.resourceVersion) ref.resourceVersion = String(m.resourceVersion);
  return ref;
}
