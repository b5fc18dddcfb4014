/**
 * batch/v1 tables (printers.go printJob, printCronJob):
 *   jobs      NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR
 *   cronjobs  NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST-SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR
 *
 * Job STATUS: Complete, Failed (True conditions), Terminating (deletionTimestamp), Suspended, FailureTarget, else
 * Running. COMPLETIONS: "succeeded/completions", or without completions "succeeded/1" ("succeeded/1 of P" when
 * parallelism > 1). DURATION: empty before startTime, completionTime - startTime once complete, else now - startTime.
 */
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1';
import { ageOf, humanDuration, parseTime, since } from './age';
import { AGE, CONTAINERS_WIDE, IMAGES_WIDE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, boolPtr, containerCells, int, str } from './format';
import { formatLabelSelector } from './selectors';
import type { TablePrinter } from './types';

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(conditions: unknown, type: string): boolean {
  for (const c of arr<JobCondition>(conditions)) if (c?.type === type) return c.status === 'True';
  return false;
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (typeof job.metadata?.deletionTimestamp === 'string' && job.metadata.deletionTimestamp !== '') return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  if (typeof job.spec?.completions === 'number') return `${succeeded}/${int(job.spec.completions)}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, nowMs: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? nowMs) - start);
}

export const jobPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', DOC['JobStatus.succeeded']),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    col('Selector', 'string', DOC['JobSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const job = obj as Job;
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      str(job.metadata?.name),
      jobStatus(job),
      completions(job),
      jobDuration(job, ctx.nowMs),
      ageOf(job, ctx.nowMs),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Schedule', 'string', DOC['CronJobSpec.schedule']),
    col('Timezone', 'string', DOC['CronJobSpec.timeZone']),
    col('Suspend', 'boolean', DOC['CronJobSpec.suspend']),
    col('Active', 'integer', DOC['CronJobStatus.active']),
    col('Last Schedule', 'string', DOC['CronJobStatus.lastScheduleTime']),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    col('Selector', 'string', DOC['JobSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const cj = obj as CronJob;
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime;
    return [
      str(cj.metadata?.name),
      str(cj.spec?.schedule),
      typeof cj.spec?.timeZone === 'string' ? cj.spec.timeZone : '<none>',
      boolPtr(cj.spec?.suspend),
      arr(cj.status?.active).length,
      typeof last === 'string' ? since(last, ctx.nowMs) : '<none>',
      ageOf(cj, ctx.nowMs),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
