/**
 * Cron schedules as the CronJob controller reads them: robfig/cron v3's ParseStandard (5 fields — minute, hour,
 * day of month, month, day of week — with names, `*`, `?`, ranges, steps and lists; the descriptors @yearly,
 * @annually, @monthly, @weekly, @daily, @midnight, @hourly; `@every <Go duration>`; an optional `TZ=`/`CRON_TZ=`
 * prefix) and its `Next(t)`: the first instant after `t` (whole seconds) the schedule fires, searched field by field
 * in the schedule's zone exactly as robfig does (so a wall time skipped by DST does not fire that day, and one
 * repeated fires twice). Day of month and day of week combine with OR when both are restricted, with AND when either
 * is `*`/`?` (robfig's star bit). `parseSchedule` throws CronParseError with robfig's message.
 */
import { CRON_FIELDS, type CronBounds } from '../../api/cron-fields';
import { isKnownZone, wallClock, zonedDate } from './zoned-time';
import { parseGoDuration as goParseDuration } from '../../base/go-duration';

export class CronParseError extends Error {}

export interface CronSchedule {
  /** The first firing strictly after `t` (epoch ms), or 0 when none within five years (robfig's zero time). */
  next(t: number): number;
}

type Bounds = CronBounds;
const FIELDS = CRON_FIELDS;

/** A field: the set of allowed values and whether it was `*`/`?` (star). */
export interface Field {
  values: Set<number>;
  star: boolean;
}

function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronParseError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

/** robfig getRange for one comma-separated element, adding to `f`. */
function addRange(expr: string, b: Bounds, f: Field): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], b.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (singleDigit) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new CronParseError(`too many slashes: ${expr}`);
  if (start < b.min) throw new CronParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) f.values.add(v);
  if (star) f.star = true;
}

export function parseField(text: string, b: Bounds): Field {
  const f: Field = { values: new Set(), star: false };
  for (const expr of text.split(',').filter(Boolean)) addRange(expr, b, f);
  return f;
}

const all = (b: Bounds): Field => {
  const values = new Set<number>();
  for (let v = b.min; v <= b.max; v++) values.add(v);
  return { values, star: true };
};
const only = (v: number): Field => ({ values: new Set([v]), star: false });

interface Spec {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

function descriptor(d: string): Spec | undefined {
  const [, h, dom, mo, dow] = FIELDS;
  switch (d) {
    case '@yearly':
    case '@annually':
      return { minute: only(0), hour: only(0), dom: only(1), month: only(1), dow: all(dow) };
    case '@monthly':
      return { minute: only(0), hour: only(0), dom: only(1), month: all(mo), dow: all(dow) };
    case '@weekly':
      return { minute: only(0), hour: only(0), dom: all(dom), month: all(mo), dow: only(0) };
    case '@daily':
    case '@midnight':
      return { minute: only(0), hour: only(0), dom: all(dom), month: all(mo), dow: all(dow) };
    case '@hourly':
      return { minute: only(0), hour: all(h), dom: all(dom), month: all(mo), dow: all(dow) };
    default:
      return undefined;
  }
}

/** Go's time.ParseDuration, in ms (fractions kept); throws Go's error text as a CronParseError. */
export function parseGoDuration(s: string): number {
  try {
    return goParseDuration(s);
  } catch (e) {
    throw new CronParseError((e as Error).message);
  }
}

/** robfig Every(d): at least a second, rounded down to whole seconds; Next(t) = t (whole seconds) + delay. */
function everySchedule(ms: number): CronSchedule {
  const delay = ms < 1000 ? 1000 : ms - (ms % 1000);
  return { next: (t) => t - (((t % 1000) + 1000) % 1000) + delay };
}

/** Parses a schedule; `defaultZone` is the zone when the spec has no TZ= prefix ('' = UTC). */
export function parseSchedule(specIn: string, defaultZone = ''): CronSchedule {
  let spec = specIn;
  if (!spec) throw new CronParseError('empty spec string');
  let zone = defaultZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    zone = spec.slice(eq + 1, i < 0 ? undefined : i);
    if (!isKnownZone(zone)) throw new CronParseError(`provided bad location ${zone}: unknown time zone ${zone}`);
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      try {
        return everySchedule(parseGoDuration(d));
      } catch (e) {
        throw new CronParseError(`failed to parse duration ${spec}: ${(e as Error).message}`);
      }
    }
    const s = descriptor(spec);
    if (!s) throw new CronParseError(`unrecognized descriptor: ${spec}`);
    return specSchedule(s, zone);
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]));
  return specSchedule({ minute, hour, dom, month, dow }, zone);
}

/** robfig dayMatches: OR of day-of-month and day-of-week unless either is starred. */
export function dayMatches(s: Pick<Spec, 'dom' | 'dow'>, day: number, weekday: number): boolean {
  const domMatch = s.dom.values.has(day);
  const dowMatch = s.dow.values.has(weekday);
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

function specSchedule(s: Spec, zone: string): CronSchedule {
  return {
    next(from: number): number {
      // Start at the upcoming whole second.
      let t = Math.floor(from / 1000) * 1000 + 1000;
      let added = false;
      const w = () => wallClock(t, zone);
      const yearLimit = w().year + 5;
      wrap: for (;;) {
        if (w().year > yearLimit) return 0;
        while (!s.month.values.has(w().month)) {
          if (!added) {
            added = true;
            const c = w();
            t = zonedDate(c.year, c.month, 1, 0, 0, 0, zone);
          }
          const c = w();
          t = zonedDate(c.year, c.month + 1, c.day, c.hour, c.minute, c.second, zone);
          if (w().month === 1) continue wrap;
        }
        while (!dayMatches(s, w().day, w().weekday)) {
          if (!added) {
            added = true;
            const c = w();
            t = zonedDate(c.year, c.month, c.day, 0, 0, 0, zone);
          }
          const c = w();
          t = zonedDate(c.year, c.month, c.day + 1, c.hour, c.minute, c.second, zone);
          const h = w().hour;
          if (h !== 0) t += h > 12 ? (24 - h) * HOUR : -h * HOUR;
          if (w().day === 1) continue wrap;
        }
        while (!s.hour.values.has(w().hour)) {
          if (!added) {
            added = true;
            const c = w();
            t = zonedDate(c.year, c.month, c.day, c.hour, 0, 0, zone);
          }
          t += HOUR;
          if (w().hour === 0) continue wrap;
        }
        while (!s.minute.values.has(w().minute)) {
          if (!added) {
            added = true;
            t = Math.floor(t / MINUTE) * MINUTE;
          }
          t += MINUTE;
          if (w().minute === 0) continue wrap;
        }
        while (w().second !== 0) {
          if (!added) {
            added = true;
            t = Math.floor(t / 1000) * 1000;
          }
          t += 1000;
          if (w().second === 0) continue wrap;
        }
        return t;
      }
    },
  };
}
