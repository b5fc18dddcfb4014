/**
 * trackJobStatusAndRemoveFinalizers (upstream job_controller.go): finished pods that still hold the tracking
 * finalizer are first recorded in status.uncountedTerminatedPods (or, Indexed, in completedIndexes), with the interim
 * SuccessCriteriaMet / FailureTarget condition when the Job is finishing; that status is written; then their
 * finalizers are removed, and the uids whose finalizer is gone move from the uncounted lists into
 * status.succeeded / status.failed. Once nothing is uncounted or terminating, the final Complete (with
 * completionTime) or Failed condition is set, the status written, and the Completed / failure event recorded.
 */
import type { CachedObject } from '../../client/informers';
import { isNotFound } from '../framework/api-client';
import { R } from '../framework/resources';
import { intervalsToString, totalOf, withOrderedIndexes, hasIndex } from './indexes';
import { removeFinalizerPatch } from './manage-job';
import { completionIndex, ensureCondition, findCondition, hasTrackingFinalizer, isIndexed, isPodFailed, isSucceeded, newCondition, UNKNOWN_INDEX, type Job, type JobStatus } from './job-util';
import { eventTarget, type JobHost, type SyncCtx } from './sync-context';

export const MAX_UNCOUNTED_PODS = 500;

const uidOf = (p: CachedObject) => String(p.metadata?.uid ?? '');

/** Moves uncounted uids whose pods no longer hold the finalizer into the counters; true when something moved. */
export function cleanUncounted(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const ok = (u.succeeded ?? []).filter((x) => withFinalizer.has(x));
  if (ok.length !== (u.succeeded ?? []).length) {
    changed = true;
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - ok.length;
    u.succeeded = ok;
  }
  const bad = (u.failed ?? []).filter((x) => withFinalizer.has(x));
  if (bad.length !== (u.failed ?? []).length) {
    changed = true;
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - bad.length;
    u.failed = bad;
  }
  return changed;
}

async function writeStatus(h: JobHost, job: Job): Promise<Job> {
  const body = structuredClone(job);
  const u = body.status.uncountedTerminatedPods;
  if (u && !u.succeeded?.length) delete u.succeeded;
  if (u && !u.failed?.length) delete u.failed;
  if (body.status.conditions?.length === 0) delete body.status.conditions;
  // int32 counters with omitempty: 0 is not sent.
  for (const f of ['active', 'succeeded', 'failed'] as const) if (body.status[f] === 0) delete body.status[f];
  const res = structuredClone(await h.client.updateStatus(R.jobs, String(job.metadata.namespace ?? ''), body)) as Job;
  res.status ??= {};
  res.status.uncountedTerminatedPods ??= {};
  return res;
}

async function removeFinalizers(h: JobHost, key: string, pods: CachedObject[]): Promise<{ removed: Set<string>; error?: unknown }> {
  h.finalizers.expectRemoved(key, pods.map(uidOf));
  const removed = new Set<string>();
  let error: unknown;
  await Promise.all(
    pods.map(async (p) => {
      try {
        await h.client.patch(R.pods, String(p.metadata?.namespace ?? ''), String(p.metadata?.name ?? ''), removeFinalizerPatch, 'strategic');
      } catch (e) {
        h.finalizers.observed(key, uidOf(p));
        if (!isNotFound(e)) {
          error ??= e;
          return;
        }
      }
      removed.add(uidOf(p));
    }),
  );
  return { removed, error };
}

export async function trackJobStatusAndRemoveFinalizers(h: JobHost, c: SyncCtx, flush: boolean): Promise<void> {
  let needsFlush = flush;
  const indexed = isIndexed(c.job);
  const completions = c.job.spec.completions ?? 0;
  const pods = indexed ? [...c.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : c.pods;
  const withFinalizer = new Set<string>();
  for (const p of pods) if (hasTrackingFinalizer(p) && !c.expectedRmFinalizers.has(uidOf(p))) withFinalizer.add(uidOf(p));
  const status = c.job.status;
  const uncounted = (status.uncountedTerminatedPods ??= {});
  uncounted.succeeded ??= [];
  uncounted.failed ??= [];
  if (cleanUncounted(status, withFinalizer)) needsFlush = true;
  const toRemove: CachedObject[] = [];
  const newIndexes: number[] = [];
  let reachedMax = false;
  const finishing = c.finishedCondition;
  for (const p of pods) {
    const uid = uidOf(p);
    if (!hasTrackingFinalizer(p) || c.expectedRmFinalizers.has(uid)) continue;
    const failed = isPodFailed(p, c.job);
    if (!(c.job.metadata.deletionTimestamp || finishing || isSucceeded(p) || failed)) continue;
    toRemove.push(p);
    const ix = completionIndex(p);
    if (isSucceeded(p) && !c.uncounted.failed.has(uid)) {
      if (indexed) {
        if (ix !== UNKNOWN_INDEX && ix < completions && !hasIndex(c.prevSucceededIndexes, ix)) {
          newIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!c.uncounted.succeeded.has(uid)) {
        needsFlush = true;
        uncounted.succeeded.push(uid);
      }
    } else if (failed || (finishing && finishing.type !== 'SuccessCriteriaMet')) {
      if (!c.uncounted.failed.has(uid) && (!indexed || (ix !== UNKNOWN_INDEX && ix < completions))) {
        needsFlush = true;
        uncounted.failed.push(uid);
      }
    }
    if (newIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    c.succeededIndexes = withOrderedIndexes(c.succeededIndexes, newIndexes);
    const s = intervalsToString(c.succeededIndexes);
    if (s !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = totalOf(c.succeededIndexes);
    status.completedIndexes = s;
  }
  const now = h.clock.now();
  if (c.finishedCondition?.type === 'FailureTarget') {
    (status.conditions ??= []).push(c.finishedCondition);
    needsFlush = true;
    c.finishedCondition = newCondition('Failed', 'True', c.finishedCondition.reason ?? '', c.finishedCondition.message ?? '', now);
  }
  if (c.finishedCondition?.type === 'SuccessCriteriaMet') {
    if (findCondition(status.conditions, 'SuccessCriteriaMet')?.status !== 'True') {
      (status.conditions ??= []).push(c.finishedCondition);
      needsFlush = true;
    }
    c.finishedCondition = newCondition('Complete', 'True', c.finishedCondition.reason ?? '', c.finishedCondition.message ?? '', now);
  }
  // Flush what was counted, then remove finalizers.
  if (needsFlush) {
    c.job = await writeStatus(h, c.job);
    h.backoff.update(c.newBackoffRecord);
    needsFlush = false;
  }
  let rmError: unknown;
  if (toRemove.length > 0) {
    const r = await removeFinalizers(h, c.key, toRemove);
    for (const uid of r.removed) withFinalizer.delete(uid);
    rmError = r.error;
  }
  if (cleanUncounted(c.job.status, withFinalizer)) needsFlush = true;
  if (rmError) {
    if (needsFlush) await writeStatus(h, c.job);
    throw rmError;
  }
  const finished = !reachedMax && enactJobFinished(c, now);
  if (finished) needsFlush = true;
  if (!needsFlush) return;
  c.job = await writeStatus(h, c.job);
  if (finished && c.finishedCondition) recordFinished(h, c.job, c.finishedCondition.type, c.finishedCondition.reason ?? '', c.finishedCondition.message ?? '');
}

function enactJobFinished(c: SyncCtx, now: number): boolean {
  const cond = c.finishedCondition;
  if (!cond) return false;
  const u = c.job.status.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
  if (c.terminating > 0) return false;
  ensureCondition(c.job.status, cond.type, cond.status, cond.reason ?? '', cond.message ?? '', now);
  if (cond.type === 'Complete') c.job.status.completionTime = findCondition(c.job.status.conditions, 'Complete')?.lastTransitionTime;
  return true;
}

function recordFinished(h: JobHost, job: Job, type: string, reason: string, message: string): void {
  if (type === 'Complete') {
    const completions = job.spec.completions;
    if (completions !== undefined && (job.status.succeeded ?? 0) > completions) {
      h.recorder.event(eventTarget(job), 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    h.recorder.event(eventTarget(job), 'Normal', 'Completed', 'Job completed');
  } else h.recorder.event(eventTarget(job), 'Warning', reason, message);
}
