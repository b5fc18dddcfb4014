/**
 * The CronJob controller (upstream pkg/controller/cronjob, ControllerV2): for each CronJob, reconciles its Jobs
 * (those whose controller reference is the CronJob): finished Jobs leave status.active ("SawCompletedJob"),
 * status.lastSuccessfulTime follows the latest completion, active Jobs that vanished leave the list ("MissingJob"),
 * history beyond successfulJobsHistoryLimit / failedJobsHistoryLimit is deleted oldest first; then, unless the
 * CronJob is being deleted, suspended, has an unknown time zone or an unparseable schedule, the most recent due
 * scheduled time gets a Job named `<cronjob>-<minutes since epoch>` (startingDeadlineSeconds, Forbid and Replace
 * honoured), and the key is requeued (on the clock) just after the next scheduled time. Events use upstream's
 * reasons and messages. The schedule's zone is spec.timeZone, else UTC (the controller's local zone here).
 */
import type { CachedObject, Lister } from '../../client/informers';
import { deletedObject, objectKey, splitKey, type DeletedFinalStateUnknown } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import { isAlreadyExists, isNamespaceTerminating, isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { controllerRefOf, type OwnerReference } from '../framework/controller-ref';
import { R } from '../framework/resources';
import { CronParseError, parseSchedule } from './cron-schedule';
import { compareByStartTime, finishedType, isJobFinished, isJobSucceeded, jobFromTemplate, jobRef, rfc3339, timeMs, type ObjectRef } from './cronjob-util';
import { formatSchedule, jobNameFor, nextScheduleTime, nextScheduleTimeDuration, type ScheduleState } from './schedule-math';
import { isKnownZone, rfc1123zUtc } from './zoned-time';

export const CRONJOB_CONTROLLER_SA = 'cronjob-controller';

interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: string;
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}
interface CronJobStatus {
  active?: ObjectRef[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}
type CronJob = Obj & { spec: CronJobSpec; status: CronJobStatus };

const withKind = (o: CachedObject | Obj): Record<string, unknown> => ({ ...o, apiVersion: 'batch/v1', kind: 'CronJob' });

export class CronJobController extends QueueController {
  private readonly cronJobs: Lister;
  private readonly jobs: Lister;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super({ name: 'cronjob', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor(CRONJOB_CONTROLLER_SA);
    this.recorder = ctx.recorderFor('cronjob-controller', CRONJOB_CONTROLLER_SA);
    this.cronJobs = ctx.informers.listerFor(R.cronjobs);
    this.jobs = ctx.informers.listerFor(R.jobs);
    ctx.informers.informerFor(R.cronjobs).addEventHandler({ onAdd: (o) => this.enqueue(o), onUpdate: (o, n) => this.cronJobUpdated(o, n) });
    ctx.informers.informerFor(R.jobs).addEventHandler({
      onAdd: (j) => this.jobChanged(j),
      onUpdate: (o, n) => {
        if (o.metadata?.resourceVersion === n.metadata?.resourceVersion) return;
        const a = controllerRefOf(o);
        const b = controllerRefOf(n);
        if (a && a.uid !== b?.uid) this.enqueueOwner(o, a);
        this.jobChanged(n);
      },
      onDelete: (j: CachedObject | DeletedFinalStateUnknown) => this.jobChanged(deletedObject(j)),
    });
  }

  /** upstream updateCronJob: a new schedule or zone requeues for its next time; any other change syncs now. */
  private cronJobUpdated(old: CachedObject, cur: CachedObject): void {
    const a = (old.spec ?? {}) as CronJobSpec;
    const b = (cur.spec ?? {}) as CronJobSpec;
    if (a.schedule === b.schedule && a.timeZone === b.timeZone) return this.enqueue(cur);
    let sched;
    try {
      sched = parseSchedule(formatSchedule(String(b.schedule ?? ''), b.timeZone !== undefined && isKnownZone(b.timeZone) ? b.timeZone : undefined));
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      this.recorder.eventf(withKind(cur), 'Warning', 'UnParseableCronJobSchedule', 'unparseable schedule for cronjob: %s', b.schedule);
      return;
    }
    const st = (cur.status ?? {}) as CronJobStatus;
    const now = this.clock.now();
    const state: ScheduleState = { created: timeMs(cur.metadata?.creationTimestamp) ?? now, lastScheduled: timeMs(st.lastScheduleTime) };
    this.enqueueAfter(objectKey(cur), Math.max(0, nextScheduleTimeDuration(state, now, sched)));
  }

  private jobChanged(job: CachedObject): void {
    const ref = controllerRefOf(job);
    if (ref) this.enqueueOwner(job, ref);
  }

  private enqueueOwner(job: CachedObject, ref: OwnerReference): void {
    if (ref.kind !== 'CronJob') return;
    const cj = this.cronJobs.get(String(job.metadata?.namespace ?? ''), ref.name);
    if (cj && cj.metadata?.uid === ref.uid) this.enqueue(cj);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const shared = this.cronJobs.get(namespace, name);
    if (!shared) return;
    // upstream getJobsToBeReconciled: every Job whose controller reference names this CronJob.
    const jobs = this.jobs.list(namespace).filter((j) => controllerRefOf(j)?.name === name);
    const cj = structuredClone(shared) as CronJob;
    cj.spec ??= {};
    cj.status ??= {};
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    let result: { requeueMs?: number; updateStatus: boolean };
    let syncErr: unknown;
    try {
      result = await this.syncCronJob(cj, jobs);
    } catch (e) {
      syncErr = e;
      result = { updateStatus: false };
    }
    if (cleaned || result.updateStatus) {
      if (!cj.status.active?.length) delete cj.status.active;
      await this.client.updateStatus(R.cronjobs, namespace, cj);
    }
    if (result.requeueMs !== undefined) {
      this.enqueueAfter(key, Math.max(0, result.requeueMs));
      return;
    }
    if (syncErr) throw syncErr;
  }

  private async syncCronJob(cj: CronJob, jobs: CachedObject[]): Promise<{ requeueMs?: number; updateStatus: boolean }> {
    const now = this.clock.now();
    let updateStatus = false;
    const children = new Set<string>();
    for (const j of jobs) {
      const juid = String(j.metadata?.uid ?? '');
      children.add(juid);
      const found = inActiveList(cj, juid);
      if (!found && !isJobFinished(j)) {
        const fresh = (await this.client.get(R.cronjobs, String(cj.metadata?.namespace), String(cj.metadata?.name))) as CronJob;
        if (inActiveList(fresh, juid)) {
          Object.assign(cj, structuredClone(fresh));
          cj.status ??= {};
          continue;
        }
        this.recorder.eventf(withKind(cj), 'Warning', 'UnexpectedJob', 'Saw a job that the controller did not create or forgot: %s', j.metadata?.name);
      } else if (found && isJobFinished(j)) {
        deleteFromActiveList(cj, juid);
        this.recorder.eventf(withKind(cj), 'Normal', 'SawCompletedJob', 'Saw completed job: %s, status: %v', j.metadata?.name, finishedType(j));
        updateStatus = true;
      } else if (isJobSucceeded(j)) {
        const completed = (j.status as { completionTime?: string } | undefined)?.completionTime;
        const prev = timeMs(cj.status.lastSuccessfulTime);
        const done = timeMs(completed);
        if (prev === undefined || (done !== undefined && done > prev)) {
          if (cj.status.lastSuccessfulTime !== completed) updateStatus = true;
          cj.status.lastSuccessfulTime = completed;
        }
      }
    }
    for (const ref of [...(cj.status.active ?? [])]) {
      if (children.has(String(ref.uid))) continue;
      try {
        await this.client.get(R.jobs, String(ref.namespace ?? cj.metadata?.namespace), String(ref.name));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.recorder.eventf(withKind(cj), 'Normal', 'MissingJob', 'Active job went missing: %v', ref.name);
        deleteFromActiveList(cj, String(ref.uid));
        updateStatus = true;
      }
    }
    if (cj.metadata?.deletionTimestamp) return { updateStatus };
    const tz = cj.spec.timeZone;
    if (tz !== undefined && !isKnownZone(tz)) {
      this.recorder.eventf(withKind(cj), 'Warning', 'UnknownTimeZone', 'invalid timeZone: %q: %s', tz, `unknown time zone ${tz}`);
      return { updateStatus };
    }
    if (cj.spec.suspend === true) return { updateStatus };
    const schedule = String(cj.spec.schedule ?? '');
    if (schedule.includes('TZ')) {
      this.recorder.eventf(withKind(cj), 'Warning', 'UnsupportedSchedule', 'CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details', schedule);
    }
    let sched;
    try {
      sched = parseSchedule(formatSchedule(schedule, tz));
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      this.recorder.eventf(withKind(cj), 'Warning', 'UnparseableSchedule', 'unparseable schedule: %q : %s', schedule, e.message);
      return { updateStatus };
    }
    const state: ScheduleState = {
      created: timeMs(cj.metadata?.creationTimestamp) ?? now,
      lastScheduled: timeMs(cj.status.lastScheduleTime),
      startingDeadlineSeconds: cj.spec.startingDeadlineSeconds,
    };
    const due = nextScheduleTime(state, now, sched);
    if (due.tooMany) {
      this.recorder.event(withKind(cj), 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    if (due.error) {
      this.recorder.eventf(withKind(cj), 'Warning', 'InvalidSchedule', 'invalid schedule: %s : %s', schedule, due.error);
      return { updateStatus };
    }
    const requeue = () => nextScheduleTimeDuration(state, now, sched);
    if (due.time === undefined) return { requeueMs: requeue(), updateStatus };
    const scheduled = due.time;
    if (cj.spec.startingDeadlineSeconds !== undefined && scheduled + cj.spec.startingDeadlineSeconds * 1000 < now) {
      this.recorder.eventf(withKind(cj), 'Warning', 'MissSchedule', 'Missed scheduled time to start a job: %s', rfc1123zUtc(scheduled));
      return { requeueMs: requeue(), updateStatus };
    }
    const jobName = jobNameFor(String(cj.metadata?.name), scheduled);
    if ((cj.status.active ?? []).some((r) => r.name === jobName) || timeMs(cj.status.lastScheduleTime) === scheduled) {
      return { requeueMs: requeue(), updateStatus };
    }
    if (cj.spec.concurrencyPolicy === 'Forbid' && (cj.status.active ?? []).length > 0) {
      this.recorder.event(withKind(cj), 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueMs: requeue(), updateStatus };
    }
    if (cj.spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(cj.status.active ?? [])]) {
        let job: Obj;
        try {
          job = await this.client.get(R.jobs, String(ref.namespace ?? cj.metadata?.namespace), String(ref.name));
        } catch (e) {
          this.recorder.eventf(withKind(cj), 'Warning', 'FailedGet', 'Get job: %v', (e as Error).message);
          throw e;
        }
        if (!(await this.deleteJob(cj, job))) throw new Error(`could not replace job ${String(ref.namespace)}/${String(ref.name)}`);
        updateStatus = true;
      }
    }
    const req = jobFromTemplate(cj, scheduled, tz ?? '');
    let created: Obj;
    try {
      created = await this.client.create(R.jobs, String(cj.metadata?.namespace), req);
      this.recorder.eventf(withKind(cj), 'Normal', 'SuccessfulCreate', 'Created job %v', created.metadata?.name);
    } catch (e) {
      if (isNamespaceTerminating(e)) throw e;
      if (!isAlreadyExists(e)) {
        this.recorder.eventf(withKind(cj), 'Warning', 'FailedCreate', 'Error creating job: %v', (e as Error).message);
        throw e;
      }
      created = await this.client.get(R.jobs, String(cj.metadata?.namespace), jobName);
      // A Job of that name that this CronJob does not control is not ours to track; one already listed is done.
      if (controllerRefOf(created as CachedObject)?.uid !== cj.metadata?.uid) return { updateStatus };
      if (inActiveList(cj, String(created.metadata?.uid ?? ''))) return { updateStatus };
    }
    cj.status.active = [...(cj.status.active ?? []), jobRef(created)];
    cj.status.lastScheduleTime = rfc3339(scheduled);
    const after: ScheduleState = { ...state, lastScheduled: scheduled };
    return { requeueMs: nextScheduleTimeDuration(after, now, sched), updateStatus: true };
  }

  /** Deletes finished Jobs beyond the history limits, oldest first; true when the status changed. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: CachedObject[]): Promise<boolean> {
    const { successfulJobsHistoryLimit: okLimit, failedJobsHistoryLimit: failLimit } = cj.spec;
    if (okLimit === undefined && failLimit === undefined) return false;
    const ok = jobs.filter((j) => finishedType(j) === 'Complete');
    const failed = jobs.filter((j) => finishedType(j) === 'Failed');
    let changed = false;
    for (const [list, limit] of [
      [ok, okLimit],
      [failed, failLimit],
    ] as const) {
      if (limit === undefined || list.length <= limit) continue;
      const doomed = [...list].sort(compareByStartTime).slice(0, list.length - limit);
      for (const j of doomed) if (await this.deleteJob(cj, j)) changed = true;
    }
    return changed;
  }

  private async deleteJob(cj: CronJob, job: CachedObject | Obj): Promise<boolean> {
    const name = String(job.metadata?.name ?? '');
    try {
      await this.client.delete(R.jobs, String(job.metadata?.namespace ?? ''), name, { propagationPolicy: 'Background' });
    } catch (e) {
      this.recorder.eventf(withKind(cj), 'Warning', 'FailedDelete', 'Deleted job: %v', (e as Error).message);
      return false;
    }
    deleteFromActiveList(cj, String(job.metadata?.uid ?? ''));
    this.recorder.eventf(withKind(cj), 'Normal', 'SuccessfulDelete', 'Deleted job %v', name);
    return true;
  }
}

function inActiveList(cj: CronJob, uid: string): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function deleteFromActiveList(cj: CronJob, uid: string): void {
  if (cj.status.active) cj.status.active = cj.status.active.filter((r) => r.uid !== uid);
}
