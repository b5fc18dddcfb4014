/**
 * Job and CronJob status helpers shared by the CronJob controller (upstream cronjob/utils.go): finished/succeeded
 * Jobs by their Complete/Failed conditions, the active list (object references), a Job's object reference, the
 * order for history cleanup (status.startTime, unset last, then name), the Job built from the template for a
 * scheduled time (labels, annotations + `batch.kubernetes.io/cronjob-scheduled-timestamp`, controller ref, spec),
 * and RFC 3339 times.
 */
import type { ObjectReference } from '../../client/events/types';
import { deepCopy } from '../../api/object';
import type { CachedObject } from '../../client/informers';
import type { Obj } from '../framework/api-client';
import { newControllerRef } from '../framework/controller-ref';
import { jobNameFor } from './schedule-math';
import { rfc3339In } from './zoned-time';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** An ObjectReference (core/v1) as CronJob status.active holds them. */
export type ObjectRef = ObjectReference;

type Cond = { type?: string; status?: string };

/** The type of the Complete/Failed condition that is True, if any (upstream getFinishedStatus). */
export function finishedType(job: CachedObject): string | undefined {
  const conds = ((job.status as { conditions?: Cond[] } | undefined)?.conditions ?? []) as Cond[];
  return conds.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
}

export const isJobFinished = (job: CachedObject): boolean => finishedType(job) !== undefined;
export const isJobSucceeded = (job: CachedObject): boolean => finishedType(job) === 'Complete';

export function jobRef(job: CachedObject | Obj): ObjectRef {
  const m = job.metadata ?? {};
  return {
    kind: 'Job',
    namespace: String(m.namespace ?? ''),
    name: String(m.name ?? ''),
    uid: String(m.uid ?? ''),
    apiVersion: 'batch/v1',
    resourceVersion: String(m.resourceVersion ?? ''),
  };
}

export function timeMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** metav1.Time's wire form (RFC 3339, whole seconds, UTC). */
export function rfc3339(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** byJobStartTime: by status.startTime (unset last), then by name. */
export function compareByStartTime(a: CachedObject, b: CachedObject): number {
  const ta = timeMs((a.status as { startTime?: string } | undefined)?.startTime);
  const tb = timeMs((b.status as { startTime?: string } | undefined)?.startTime);
  if (ta === undefined && tb !== undefined) return 1;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta !== tb && ta !== undefined && tb !== undefined) return ta - tb;
  const na = String(a.metadata?.name ?? '');
  const nb = String(b.metadata?.name ?? '');
  return na < nb ? -1 : na > nb ? 1 : 0;
}

type JobTemplate = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };

/** The Job for `scheduled` (upstream getJobFromTemplate2); the annotation is in the CronJob's time zone. */
export function jobFromTemplate(cj: CachedObject, scheduled: number, timeZone: string): Obj {
  const t = ((cj.spec as { jobTemplate?: JobTemplate } | undefined)?.jobTemplate ?? {}) as JobTemplate;
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = rfc3339In(scheduled, timeZone);
  const metadata: Record<string, unknown> = {
    name: jobNameFor(String(cj.metadata?.name ?? ''), scheduled),
    annotations,
    ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
  };
  if (t.metadata?.labels) metadata.labels = { ...t.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: deepCopy(t.spec ?? {}) as Record<string, unknown> };
}
