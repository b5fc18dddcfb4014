/**
 * What one Job sync works with (upstream syncJobCtx) and what it needs from the controller (JobHost): the API
 * client, pod control, creation/deletion expectations, the expected finalizer removals, the backoff store, the
 * recorder and clock, and a way to requeue the Job later.
 */
import type { Clock } from '../../base/clock';
import type { EventRecorder } from '../../client/events';
import type { CachedObject } from '../../client/informers';
import type { ApiClient } from '../framework/api-client';
import type { ControllerExpectations } from '../framework/expectations';
import type { PodControl } from '../framework/pod-control';
import type { BackoffRecord, BackoffStore } from './backoff';
import type { Interval } from './indexes';
import type { Job, JobCondition } from './job-util';

export interface SyncCtx {
  key: string;
  job: Job;
  pods: CachedObject[];
  activePods: CachedObject[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  expectedRmFinalizers: Set<string>;
  finishedCondition?: JobCondition;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  newBackoffRecord: BackoffRecord;
}

/** Per Job key, the uids of pods whose finalizer removal was sent but not yet seen (upstream uidTrackingExpectations). */
export class FinalizerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  expected(key: string): Set<string> {
    return new Set(this.uids.get(key) ?? []);
  }

  expectRemoved(key: string, uids: readonly string[]): void {
    const s = this.uids.get(key) ?? new Set<string>();
    for (const u of uids) s.add(u);
    this.uids.set(key, s);
  }

  observed(key: string, uid: string): void {
    const s = this.uids.get(key);
    if (!s) return;
    s.delete(uid);
    if (s.size === 0) this.uids.delete(key);
  }

  delete(key: string): void {
    this.uids.delete(key);
  }
}

export interface JobHost {
  client: ApiClient;
  podControl: PodControl;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  finalizers: FinalizerExpectations;
  backoff: BackoffStore;
  clock: Clock;
  enqueueAfter(key: string, ms: number): void;
}

/** The Job with kind and apiVersion, as events want it. */
export const eventTarget = (job: Job | CachedObject): Record<string, unknown> => ({ ...job, apiVersion: 'batch/v1', kind: 'Job' });
