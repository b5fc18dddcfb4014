/**
 * Job and pod predicates of the Job controller (upstream pkg/controller/job): the tracking finalizer, completion
 * index annotation/label, conditions (newCondition / ensureJobConditionStatus), finished / suspended / indexed Jobs,
 * failed and terminating pods as the controller counts them (a deleted, not succeeded pod counts as failed unless
 * podReplacementPolicy is Failed), and the time a pod finished (for the failure backoff).
 */
import type { CachedObject } from '../../client/informers';
import type { Obj } from '../framework/api-client';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';
export const UNKNOWN_INDEX = -1;

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  completionMode?: string;
  suspend?: boolean;
  podReplacementPolicy?: string;
  podFailurePolicy?: unknown;
  managedBy?: string;
  selector?: unknown;
  template?: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

export type Job = Obj & { metadata: Record<string, unknown>; spec: JobSpec; status: JobStatus };

/** metav1.Time's wire form. */
export function rfc3339(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function timeMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export function findCondition(list: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return (list ?? []).find((c) => c.type === type);
}

/** Sets a condition's status/reason/message; a False condition is never added. Returns whether it changed. */
export function ensureCondition(status: JobStatus, type: string, value: string, reason: string, message: string, now: number): boolean {
  const list = (status.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === value && c.reason === reason && c.message === message) return false;
    list[i] = newCondition(type, value, reason, message, now);
    return true;
  }
  if (value === 'False') return false;
  list.push(newCondition(type, value, reason, message, now));
  return true;
}

export function isJobFinished(job: CachedObject): boolean {
  const conds = (job.status as JobStatus | undefined)?.conditions ?? [];
  return conds.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export const isIndexed = (job: Job): boolean => job.spec.completionMode === 'Indexed';
export const isSuspended = (job: Job): boolean => job.spec.suspend === true;
export const onlyReplaceFailedPods = (job: Job): boolean => job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy != null;

export function hasTrackingFinalizer(p: CachedObject): boolean {
  return (p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

const phaseOf = (p: CachedObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase;
export const isSucceeded = (p: CachedObject): boolean => phaseOf(p) === 'Succeeded';

export function isPodFailed(p: CachedObject, job: Job): boolean {
  const phase = phaseOf(p);
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata?.deletionTimestamp && phase !== 'Succeeded';
}

/** Being deleted and not finished (upstream IsPodTerminating). */
export function isPodTerminating(p: CachedObject): boolean {
  const phase = phaseOf(p);
  return !!p.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The pod's completion index from its annotation, or UNKNOWN_INDEX. */
export function completionIndex(p: CachedObject): number {
  const v = p.metadata?.annotations?.[COMPLETION_INDEX_KEY];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return UNKNOWN_INDEX;
  const n = Number(v);
  return n < 0 || !Number.isSafeInteger(n) ? UNKNOWN_INDEX : n;
}

type ContainerStatus = { state?: { terminated?: { finishedAt?: string } } };

/** When the pod finished: its containers' latest finishedAt (all must have one), else Ready=False's transition,
 * else the deletionTimestamp, else its creation (upstream getFinishedTime). */
export function podFinishedTime(p: CachedObject): number {
  const st = (p.status ?? {}) as { containerStatuses?: ContainerStatus[]; conditions?: { type?: string; status?: string; lastTransitionTime?: string }[] };
  let fromContainers: number | undefined;
  for (const cs of st.containerStatuses ?? []) {
    const t = timeMs(cs.state?.terminated?.finishedAt);
    if (t === undefined) {
      fromContainers = undefined;
      break;
    }
    if (fromContainers === undefined || t > fromContainers) fromContainers = t;
  }
  if (fromContainers !== undefined) return fromContainers;
  const ready = st.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? timeMs(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  return timeMs(p.metadata?.deletionTimestamp) ?? timeMs(p.metadata?.creationTimestamp) ?? 0;
}

/** generateName for an indexed pod: `<job>-<index>-`, the job name cut so the prefix fits 58 characters. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > 58 ? `${jobName.slice(0, 58 - suffix.length)}${suffix}` : prefix;
}
