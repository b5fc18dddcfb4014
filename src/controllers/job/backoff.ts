/**
 * The pod failure backoff of Job pod creation (upstream job/backoff_utils.go): per Job, the failures since the last
 * success and when the last one happened. New finished pods update a copy of the record (a success resets it;
 * failures after the latest success count); the controller stores it once the new pods are in the Job's status.
 * The delay before creating pods again is 10 s doubled per further failure, capped at 10 minutes (upstream's
 * DefaultJobPodFailureBackOff / MaxJobPodFailureBackOff), counted from the last failure on the clock.
 */
import type { CachedObject } from '../../client/informers';
import { podFinishedTime } from './job-util';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord {
    return this.records.get(key) ?? { key, failuresAfterLastSuccess: 0 };
  }

  update(r: BackoffRecord): void {
    this.records.set(r.key, { ...r });
  }

  remove(key: string): void {
    this.records.delete(key);
  }

  /** The record after these newly finished pods (not stored). */
  newRecord(key: string, succeeded: readonly CachedObject[], failed: readonly CachedObject[]): BackoffRecord {
    return nextRecord(this.get(key), succeeded.map(podFinishedTime), failed.map(podFinishedTime));
  }
}

/** upstream newBackoffRecord on finish times. */
export function nextRecord(prev: BackoffRecord, succeededAt: readonly number[], failedAt: readonly number[]): BackoffRecord {
  const ok = [...succeededAt].sort((a, b) => a - b);
  const bad = [...failedAt].sort((a, b) => a - b);
  const r: BackoffRecord = { ...prev };
  if (ok.length === 0) {
    if (bad.length === 0) return r;
    r.failuresAfterLastSuccess += bad.length;
    r.lastFailureTime = bad[bad.length - 1];
    return r;
  }
  r.failuresAfterLastSuccess = 0;
  delete r.lastFailureTime;
  const lastSuccess = ok[ok.length - 1];
  for (let i = bad.length - 1; i >= 0; i--) {
    if (bad[i] <= lastSuccess) break;
    r.lastFailureTime ??= bad[i];
    r.failuresAfterLastSuccess++;
  }
  return r;
}

/** Milliseconds to wait before creating pods again (0: no wait). */
export function remainingBackoff(r: BackoffRecord, now: number, base = DEFAULT_POD_FAILURE_BACKOFF_MS, max = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  let d = base;
  for (let i = 1; i < r.failuresAfterLastSuccess; i++) {
    d *= 2;
    if (d >= max) {
      d = max;
      break;
    }
  }
  const elapsed = now - r.lastFailureTime;
  return d < elapsed ? 0 : d - elapsed;
}
