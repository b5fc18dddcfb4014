/**
 * Wall-clock arithmetic in an IANA time zone with Go's `time` semantics, for the cron schedule: the fields of an
 * instant in a zone (`wallClock`), and Go's `time.Date` (`zonedDate`: out-of-range fields normalise, a wall time that
 * does not exist or exists twice around a DST change resolves as Go resolves it). Zones come from Intl; '' and 'UTC'
 * are UTC. Instants are epoch milliseconds.
 */

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(tz, f);
  }
  return f;
}

const isUtc = (tz: string): boolean => tz === '' || tz === 'UTC';

/** True when Intl knows the zone (Go's time.LoadLocation succeeds). */
export function isKnownZone(tz: string): boolean {
  if (isUtc(tz)) return true;
  try {
    formatFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t`, in ms (whole seconds). */
export function offsetAt(t: number, tz: string): number {
  if (isUtc(tz)) return 0;
  const sec = Math.floor(t / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatFor(tz).formatToParts(sec)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - sec;
}

export function wallClock(t: number, tz: string): WallClock {
  const d = new Date(t + offsetAt(t, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/**
 * Go's time.Date(year, month, day, hour, min, sec, 0, loc): fields normalise (month 13 is January of the next year);
 * the offset is the one in force at the wall time read as UTC, corrected once if that guess lands in another period
 * (so a skipped wall time moves forward by the gap, and a repeated one takes the first occurrence's offset … as Go).
 */
export function zonedDate(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = offsetAt(wall, tz);
  const utc = wall - guess;
  const actual = offsetAt(utc, tz);
  return wall - (actual === guess ? guess : actual);
}

/** RFC 3339 of instant `t` in zone `tz` (`Z` for UTC, `±hh:mm` otherwise), as Go's time.RFC3339 formats it. */
export function rfc3339In(t: number, tz: string): string {
  const off = offsetAt(t, tz);
  const w = new Date(Math.floor(t / 1000) * 1000 + off).toISOString().slice(0, 19);
  if (off === 0) return `${w}Z`;
  const sign = off < 0 ? '-' : '+';
  const m = Math.abs(off) / 60_000;
  return `${w}${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Go's time.RFC1123Z of `t` in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123zUtc(t: number): string {
  const d = new Date(t);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
