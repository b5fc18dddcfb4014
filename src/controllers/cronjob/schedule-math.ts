/**
 * The CronJob controller's schedule arithmetic (upstream pkg/controller/cronjob/utils.go): the most recent
 * scheduled time that is due (with a rough count of missed schedules, "many" beyond 100), the time to wait until
 * the next one (+100 ms), the Job name for a scheduled time (`<cronjob>-<minutes since the epoch>`), and the
 * schedule string as the controller parses it (spec.timeZone becomes a `TZ=` prefix). Times are epoch ms.
 */
import type { CronSchedule } from './cron-schedule';

export const NEXT_SCHEDULE_DELTA_MS = 100;

export type Missed = 'none' | 'few' | 'many';

export interface ScheduleState {
  /** metadata.creationTimestamp (ms). */
  created: number;
  /** status.lastScheduleTime (ms), if any. */
  lastScheduled?: number;
  startingDeadlineSeconds?: number;
}

export interface MostRecent {
  earliest: number;
  mostRecent?: number;
  missed: Missed;
  error?: string;
}

export function mostRecentScheduleTime(cj: ScheduleState, now: number, sched: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = cj.lastScheduled ?? cj.created;
  if (includeStartingDeadline && cj.startingDeadlineSeconds !== undefined) {
    const deadline = now - cj.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = sched.next(earliest);
  const t2 = sched.next(t1);
  if (now < t1) return { earliest, missed: 'none' };
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent = 0;
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = sched.next(potentialEarliest); t !== 0 && t <= now; t = sched.next(t)) mostRecent = t;
  const missed: Missed = missedCount > 100 ? 'many' : missedCount > 1 ? 'few' : 'none';
  return mostRecent === 0 ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** The scheduled time to start now, if one is due (upstream nextScheduleTime); `tooMany` asks for the warning. */
export function nextScheduleTime(cj: ScheduleState, now: number, sched: CronSchedule): { time?: number; tooMany: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, now, sched, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return { tooMany: false, error: r.error };
  return { time: r.mostRecent, tooMany: r.missed === 'many', error: r.error };
}

/** Milliseconds from `now` until the sync after the next schedule (upstream nextScheduleTimeDuration). */
export function nextScheduleTimeDuration(cj: ScheduleState, now: number, sched: CronSchedule): number {
  const r = mostRecentScheduleTime(cj, now, sched, false);
  let from: number;
  if (r.error) from = now;
  else if (r.mostRecent === undefined) from = r.missed === 'none' ? r.earliest : now;
  else from = r.mostRecent;
  return sched.next(from) + NEXT_SCHEDULE_DELTA_MS - now;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>` (upstream getJobName). */
export function jobNameFor(cronJobName: string, scheduled: number): string {
  return `${cronJobName}-${Math.floor(scheduled / 60_000)}`;
}

/** The schedule string the controller parses (upstream formatSchedule without its event). */
export function formatSchedule(schedule: string, timeZone: string | undefined): string {
  if (schedule.includes('TZ')) return schedule;
  if (timeZone !== undefined) return `TZ=${timeZone} ${schedule}`;
  return schedule;
}
