/**
 * Ages and durations as upstream prints them: apimachinery's `duration.HumanDuration` ("5m", "2d3h", "<invalid>")
 * and printers.go's `translateTimestampSince` ("<unknown>" for a missing or zero timestamp). Time never comes from
 * the clock here: callers pass "now" in milliseconds.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** metav1.Time's zero value, 0001-01-01T00:00:00Z, which Go treats as "not set". */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * duration.HumanDuration: a succinct duration with ~2-3 significant figures. Up to one second in the future is
 * tolerated as clock skew ("0s"); further in the future is "<invalid>". Go truncates toward zero at every step.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * Parses an RFC 3339 timestamp (metav1.Time or MicroTime). Returns undefined when absent, unparsable or Go's zero
 * time — the cases where upstream has a zero metav1.Time.
 */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  if (Number.isNaN(t) || t === GO_ZERO_TIME_MS) return undefined;
  return t;
}

/** printers.go translateTimestampSince: "<unknown>" for a zero time, else HumanDuration(now - t). */
export function since(ts: unknown, nowMs: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(nowMs - t);
}

/** The age of an object from metadata.creationTimestamp. */
export function ageOf(obj: { metadata?: { creationTimestamp?: unknown } }, nowMs: number): string {
  return since(obj.metadata?.creationTimestamp, nowMs);
}
