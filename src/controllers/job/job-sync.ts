/**
 * syncJob (upstream job_controller.go) for one Job copy and its claimed pods: counts new succeeded/failed pods
 * (those still holding the tracking finalizer and not yet uncounted), sets startTime, decides whether the Job is
 * finishing — FailureTarget (BackoffLimitExceeded "Job has reached the specified backoff limit", also for
 * restartPolicy OnFailure restarts; DeadlineExceeded "Job was active longer than specified deadline") or
 * SuccessCriteriaMet (CompletionsReached "Reached expected number of succeeded pods") — and otherwise runs
 * manageJob, keeps the Suspended condition ("Job suspended" / "Job resumed", startTime reset on resume) and
 * requeues for activeDeadlineSeconds. Then tracks status and finalizers. Throws manageJob's error last.
 */
import type { CachedObject } from '../../client/informers';
import { isPodActive, isPodReady } from '../framework/pod-util';
import { succeededIndexes } from './indexes';
import { completionIndex, ensureCondition, findCondition, hasTrackingFinalizer, isIndexed, isPodFailed, isPodTerminating, isSucceeded, isSuspended, newCondition, rfc3339, timeMs, UNKNOWN_INDEX, type Job } from './job-util';
import { deleteActivePods, manageJob } from './manage-job';
import { eventTarget, type JobHost, type SyncCtx } from './sync-context';
import { trackJobStatusAndRemoveFinalizers } from './track-status';

type RestartStatus = { restartCount?: number };

/** restartPolicy OnFailure: container restarts of running/pending pods reach backoffLimit (upstream pastBackoffLimitOnFailure). */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly CachedObject[]): boolean {
  if ((job.spec.template?.spec as { restartPolicy?: string } | undefined)?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const st = (p.status ?? {}) as { phase?: string; initContainerStatuses?: RestartStatus[]; containerStatuses?: RestartStatus[] };
    if (st.phase !== 'Running' && st.phase !== 'Pending') continue;
    for (const s of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function newFinishedPods(c: SyncCtx): { succeeded: CachedObject[]; failed: CachedObject[] } {
  const valid = (p: CachedObject, uncounted: Set<string>) => {
    const uid = String(p.metadata?.uid ?? '');
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRmFinalizers.has(uid)) return false;
    if (isIndexed(c.job)) {
      const ix = completionIndex(p);
      if (ix === UNKNOWN_INDEX || ix >= (c.job.spec.completions ?? 0)) return false;
    }
    return true;
  };
  return {
    succeeded: c.pods.filter((p) => valid(p, c.uncounted.succeeded) && isSucceeded(p)),
    failed: c.pods.filter((p) => valid(p, c.uncounted.failed) && isPodFailed(p, c.job)),
  };
}

export async function syncJob(h: JobHost, key: string, job: Job, pods: CachedObject[], satisfied: boolean): Promise<void> {
  const now = h.clock.now();
  job.status ??= {};
  const u = (job.status.uncountedTerminatedPods ??= {});
  const activePods = pods.filter(isPodActive);
  const c: SyncCtx = {
    key,
    job,
    pods,
    activePods,
    ready: activePods.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    succeeded: 0,
    failed: 0,
    uncounted: { succeeded: new Set(u.succeeded ?? []), failed: new Set(u.failed ?? []) },
    expectedRmFinalizers: h.finalizers.expected(key),
    prevSucceededIndexes: [],
    succeededIndexes: [],
    newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
  };
  let active = activePods.length;
  const fresh = newFinishedPods(c);
  c.succeeded = (job.status.succeeded ?? 0) + fresh.succeeded.length + c.uncounted.succeeded.size;
  c.failed = (job.status.failed ?? 0) + fresh.failed.length + c.uncounted.failed.size;
  if (job.status.startTime === undefined && !isSuspended(job)) job.status.startTime = rfc3339(now);
  c.newBackoffRecord = h.backoff.newRecord(key, fresh.succeeded, fresh.failed);

  const met = findCondition(job.status.conditions, 'SuccessCriteriaMet');
  c.finishedCondition = met?.status === 'True' ? met : undefined;
  if (!c.finishedCondition) {
    const target = findCondition(job.status.conditions, 'FailureTarget');
    if (target?.status === 'True') c.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
  }
  const deadline = job.spec.activeDeadlineSeconds;
  const started = timeMs(job.status.startTime);
  if (!c.finishedCondition) {
    if (c.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      c.finishedCondition = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
    } else if (deadline != null && started !== undefined && !isSuspended(job) && now - started >= deadline * 1000) {
      c.finishedCondition = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
    } else if (deadline != null && started !== undefined && !isSuspended(job)) {
      h.enqueueAfter(key, deadline * 1000 - (now - started));
    }
  }
  if (isIndexed(job)) {
    const s = succeededIndexes(job, pods);
    c.prevSucceededIndexes = s.prev;
    c.succeededIndexes = s.now;
    c.succeeded = s.now.reduce((n, v) => n + v.last - v.first + 1, 0);
  }
  let suspendChanged = false;
  let manageError: unknown;
  if (c.finishedCondition) {
    const [ready, deleted, error] = await deleteActivePods(h, c, c.activePods);
    if (deleted !== active || !satisfied) c.finishedCondition = undefined;
    active -= deleted;
    c.terminating += deleted;
    c.ready -= ready;
    manageError = error;
  } else {
    let managed = false;
    if (satisfied && !job.metadata.deletionTimestamp) {
      const r = await manageJob(h, c);
      active = r.active;
      manageError = r.error;
      managed = true;
    }
    const completions = job.spec.completions;
    const complete = completions == null ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0;
    if (complete) {
      c.finishedCondition = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
    } else if (managed) {
      if (isSuspended(job)) {
        if (ensureCondition(job.status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
          suspendChanged = true;
          h.recorder.event(eventTarget(job), 'Normal', 'Suspended', 'Job suspended');
        }
      } else if (ensureCondition(job.status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
        suspendChanged = true;
        h.recorder.event(eventTarget(job), 'Normal', 'Resumed', 'Job resumed');
        job.status.startTime = rfc3339(now);
      }
    }
  }
  const needsUpdate = suspendChanged || active !== (job.status.active ?? 0) || c.ready !== job.status.ready || c.terminating !== job.status.terminating;
  job.status.active = active;
  job.status.ready = c.ready;
  job.status.terminating = c.terminating;
  await trackJobStatusAndRemoveFinalizers(h, c, needsUpdate);
  if (manageError) throw manageError;
}
