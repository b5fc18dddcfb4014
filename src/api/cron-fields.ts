/** The five fields of a standard cron spec as robfig/cron v3 bounds them (with month and weekday names). */

export interface CronBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

export const CRON_MONTHS = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
export const CRON_DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));

/** minute, hour, day of month, month, day of week. */
export const CRON_FIELDS: readonly CronBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: CRON_MONTHS },
  { min: 0, max: 6, names: CRON_DAYS },
];
