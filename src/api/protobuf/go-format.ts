/**
 * Go's text forms of the time values API types carry, for the JSON a Go client would have sent:
 * - metav1.Time: `time.Unix(seconds, nanos)` formatted as RFC3339 in UTC (whole seconds), e.g. 2024-05-01T10:00:00Z;
 * - metav1.MicroTime: the same with nanos truncated to microseconds, RFC3339Micro (six digits always);
 * - the zero time.Time (0001-01-01T00:00:00Z exactly) → undefined (the caller writes JSON null);
 * - metav1.Duration: time.Duration.String() ("1h0m0s", "1.5s", "500ms", "0s").
 *
 * Contract: exact for every int64 second count (BigInt civil-date arithmetic); years outside 0…9999 print as Go
 * prints them (more digits, or a leading '-').
 */

const NANOS_PER_SECOND = 1_000_000_000n;
/** Seconds from 0001-01-01 to 1970-01-01 (Go's unixToInternal). */
const UNIX_TO_INTERNAL = 62_135_596_800n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Days since 1970-01-01 → [year, month, day] (proleptic Gregorian; Howard Hinnant's civil_from_days). */
function civilFromDays(days: bigint): [bigint, number, number] {
  const z = days + 719_468n;
  const era = floorDiv(z, 146_097n);
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const m = Number(mp < 10n ? mp + 3n : mp - 9n);
  const y = yoe + era * 400n + (m <= 2 ? 1n : 0n);
  return [y, m, d];
}

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

function goYear(y: bigint): string {
  // Go's appendInt(b, year, 4): a '-' for negatives, then at least four digits.
  return y < 0n ? `-${pad(-y, 4)}` : pad(y, 4);
}

/** time.Unix's normalisation of (sec, nsec) into nsec ∈ [0, 1e9). */
function normalize(seconds: bigint, nanos: bigint): [bigint, bigint] {
  if (nanos < 0n || nanos >= NANOS_PER_SECOND) {
    const n = nanos / NANOS_PER_SECOND;
    seconds += n;
    nanos -= n * NANOS_PER_SECOND;
    if (nanos < 0n) {
      nanos += NANOS_PER_SECOND;
      seconds--;
    }
  }
  return [seconds, nanos];
}

function format(seconds: bigint, nanos: bigint, micro: boolean): string | undefined {
  [seconds, nanos] = normalize(seconds, nanos);
  if (seconds === -UNIX_TO_INTERNAL && nanos === 0n) return undefined;
  const days = floorDiv(seconds, 86_400n);
  const rem = Number(seconds - days * 86_400n);
  const [y, m, d] = civilFromDays(days);
  const clock = `${pad(Math.floor(rem / 3600), 2)}:${pad(Math.floor(rem / 60) % 60, 2)}:${pad(rem % 60, 2)}`;
  const frac = micro ? `.${pad(nanos / 1000n, 6)}` : '';
  return `${goYear(y)}-${pad(m, 2)}-${pad(d, 2)}T${clock}${frac}Z`;
}

/** metav1.Time's JSON string, or undefined for the zero time (JSON null). */
export function formatTime(seconds: bigint, nanos: bigint): string | undefined {
  return format(seconds, nanos, false);
}

/** metav1.MicroTime's JSON string (nanos truncated toward zero to microseconds first, as its Unmarshal does). */
export function formatMicroTime(seconds: bigint, nanos: bigint): string | undefined {
  const truncated = nanos - (nanos % 1000n);
  return format(seconds, truncated, true);
}

/** Go's time.Duration.String() for an int64 nanosecond count. */
export function formatDuration(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d; // |math.MinInt64| still fits a bigint
  let out: string;
  if (u < NANOS_PER_SECOND) {
    // Sub-second: one unit (ns, µs, ms) with a fraction.
    let prec: number;
    let unit: string;
    if (u < 1000n) return `${neg ? '-' : ''}${u}ns`;
    if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    out = fraction(u, prec) + unit;
  } else {
    const frac = fraction(u % NANOS_PER_SECOND + NANOS_PER_SECOND * (u / NANOS_PER_SECOND % 60n), 9);
    out = `${frac}s`;
    u /= NANOS_PER_SECOND * 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return (neg ? '-' : '') + out;
}

/** `v / 10^prec` printed like Go's fmtFrac + fmtInt: trailing zeros of the fraction and a bare '.' dropped. */
function fraction(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const whole = v / scale;
  const digits = pad(v % scale, prec).replace(/0+$/, '');
  return digits ? `${whole}.${digits}` : `${whole}`;
}
