/**
 * manageJob (upstream job_controller.go): brings a Job's active pods to what it wants — none when suspended; else
 * parallelism, capped by the completions still missing (or, without completions, parallelism until one pod
 * succeeded). Surplus pods are deleted (tracking finalizer removed first); missing pods are created in slow-start
 * batches once the pod failure backoff has passed (else the Job is requeued for then), each with the tracking
 * finalizer and, for Indexed Jobs, its index (annotation, label, JOB_COMPLETION_INDEX env, hostname
 * `<job>-<index>`, generateName `<job>-<index>-`). Deleting active pods of a finished Job keeps the finalizer
 * (deleteActivePods). Returns the new active count.
 */
import type { CachedObject } from '../../client/informers';
import { deepCopy } from '../../api/object';
import { isNamespaceTerminating, isNotFound } from '../framework/api-client';
import { newControllerRef } from '../framework/controller-ref';
import { podFromTemplate } from '../framework/pod-control';
import { isPodReady } from '../framework/pod-util';
import { R } from '../framework/resources';
import { remainingBackoff } from './backoff';
import { activePodsForRemoval, firstPendingIndexes } from './indexes';
import { COMPLETION_INDEX_ENV, COMPLETION_INDEX_KEY, hasTrackingFinalizer, indexedGenerateName, isIndexed, isPodTerminating, isSuspended, JOB_TRACKING_FINALIZER, onlyReplaceFailedPods } from './job-util';
import { eventTarget, type JobHost, type SyncCtx } from './sync-context';

export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

const podKey = (p: CachedObject) => `${String(p.metadata?.namespace ?? '')}/${String(p.metadata?.name ?? '')}`;

export const removeFinalizerPatch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

/** Deletes pods of a running Job (suspend, surplus): the finalizer goes first. Returns [readyDeleted, deleted, error]. */
async function deleteJobPods(h: JobHost, c: SyncCtx, pods: CachedObject[]): Promise<[number, number, unknown]> {
  let ready = 0;
  let deleted = pods.length;
  let error: unknown;
  await Promise.all(
    pods.map(async (p) => {
      const ns = String(p.metadata?.namespace ?? '');
      const name = String(p.metadata?.name ?? '');
      try {
        if (hasTrackingFinalizer(p)) await h.client.patch(R.pods, ns, name, removeFinalizerPatch, 'strategic');
        await h.podControl.deletePod(ns, name, eventTarget(c.job));
        if (isPodReady(p)) ready++;
      } catch (e) {
        h.expectations.deletionObserved(c.key, podKey(p));
        if (!isNotFound(e)) {
          deleted--;
          error ??= e;
        }
      }
    }),
  );
  return [ready, deleted, error];
}

/** Deletes the active pods of a finishing Job, keeping their finalizers. Returns [readyDeleted, deleted, error]. */
export async function deleteActivePods(h: JobHost, c: SyncCtx, pods: CachedObject[]): Promise<[number, number, unknown]> {
  let ready = 0;
  let deleted = pods.length;
  let error: unknown;
  await Promise.all(
    pods.map(async (p) => {
      try {
        await h.podControl.deletePod(String(p.metadata?.namespace ?? ''), String(p.metadata?.name ?? ''), eventTarget(c.job));
      } catch (e) {
        if (!isNotFound(e)) {
          deleted--;
          error ??= e;
        }
      }
      if (isPodReady(p)) ready++;
    }),
  );
  return [ready, deleted, error];
}

function addIndexEnv(spec: Record<string, unknown>): void {
  for (const field of ['initContainers', 'containers']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const ctr of list as { env?: { name?: string }[] }[]) {
      const env = (ctr.env ??= []);
      if (env.some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
      env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_KEY}']` } } } as { name: string });
    }
  }
}

export async function manageJob(h: JobHost, c: SyncCtx): Promise<{ active: number; error?: unknown }> {
  const job = c.job;
  let active = c.activePods.length;
  const now = h.clock.now();
  const afterDelete = async (pods: CachedObject[]) => {
    h.expectations.expectDeletions(c.key, pods.map(podKey));
    const [ready, removed, error] = await deleteJobPods(h, c, pods);
    c.terminating += removed;
    c.ready -= ready;
    return { active: active - removed, error };
  };
  if (isSuspended(job)) return afterDelete(activePodsForRemoval(job, c.activePods, active, now));
  const parallelism = job.spec.parallelism ?? 1;
  let want: number;
  if (job.spec.completions === undefined || job.spec.completions === null) want = c.succeeded > 0 ? active : parallelism;
  else want = Math.max(0, Math.min(job.spec.completions - c.succeeded, parallelism));
  const rm = activePodsForRemoval(job, c.activePods, Math.max(0, active - want), now).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (rm.length > 0) return afterDelete(rm);
  const terminating = onlyReplaceFailedPods(job) ? c.pods.filter(isPodTerminating).length : 0;
  let diff = want - terminating - active;
  if (diff <= 0) return { active };
  const wait = remainingBackoff(c.newBackoffRecord, now);
  if (wait > 0) {
    h.enqueueAfter(c.key, wait);
    return { active: 0 };
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  let indexes: number[] = [];
  if (isIndexed(job)) {
    const taken = onlyReplaceFailedPods(job) ? [...c.activePods, ...c.pods.filter(isPodTerminating)] : c.activePods;
    indexes = firstPendingIndexes(c.succeededIndexes, taken, diff, job.spec.completions ?? 0);
    diff = indexes.length;
  }
  h.expectations.expectCreations(c.key, diff);
  active += diff;
  const template = deepCopy(job.spec.template ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const tmeta = (template.metadata ??= {});
  template.spec ??= {};
  if (isIndexed(job)) addIndexEnv(template.spec);
  const finalizers = Array.isArray(tmeta.finalizers) ? (tmeta.finalizers as string[]) : [];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) tmeta.finalizers = [...finalizers, JOB_TRACKING_FINALIZER];
  const ref = newControllerRef(job, 'batch/v1', 'Job');
  const ns = String(job.metadata.namespace ?? '');
  const name = String(job.metadata.name ?? '');
  let firstError: unknown;
  const createOne = async (ix: number | undefined) => {
    const pod = podFromTemplate(template, job, ref);
    if (ix !== undefined) {
      const meta = pod.metadata as Record<string, unknown> & { annotations?: Record<string, string>; labels?: Record<string, string> };
      meta.annotations = { ...(meta.annotations ?? {}), [COMPLETION_INDEX_KEY]: String(ix) };
      meta.labels = { ...(meta.labels ?? {}), [COMPLETION_INDEX_KEY]: String(ix) };
      meta.generateName = indexedGenerateName(name, ix);
      (pod.spec as Record<string, unknown>).hostname = `${name}-${ix}`;
    }
    try {
      await h.podControl.createPod(ns, pod, eventTarget(job));
    } catch (e) {
      if (isNamespaceTerminating(e)) return;
      h.expectations.creationObserved(c.key);
      active--;
      firstError ??= e;
    }
  };
  let remaining = diff;
  for (let batch = Math.min(remaining, 1); remaining > 0; batch = Math.min(2 * batch, remaining)) {
    const before = firstError;
    await Promise.all(Array.from({ length: batch }, () => createOne(isIndexed(job) ? indexes.shift() : undefined)));
    const skipped = remaining - batch;
    if (firstError !== before && skipped > 0) {
      active -= skipped;
      h.expectations.lowerCreations(c.key, skipped);
      break;
    }
    remaining -= batch;
  }
  return { active, error: firstError };
}
