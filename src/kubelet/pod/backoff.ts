/**
 * The kubelet's restart and image-pull back-off (upstream client-go flowcontrol.Backoff as the kubelet configures it:
 * 10 s initial, doubling, capped at 5 min; an entry idle for twice the cap starts over). Keys are per container
 * ("<podUid>/<container>") or per image pull ("<podUid>/<image>"). Time comes from the caller (clock milliseconds).
 * A key may carry a note: the image manager keeps the last pull error there (upstream prevPullErrMsg) to append it
 * to the ImagePullBackOff message; notes go with forgetPrefix and gc.
 */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  private readonly notes = new Map<string, string>();

  constructor(
    private readonly initialMs = BACKOFF_INITIAL_MS,
    private readonly maxMs = BACKOFF_MAX_MS,
  ) {}

  private expired(now: number, e: Entry): boolean {
    return now - e.lastUpdate > this.maxMs * 2;
  }

  /** The current delay of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /**
   * Records one more failure: the event at `at` (the crash) is measured against the last update to decide whether
   * the entry has gone quiet (then it starts over at the initial delay); the update itself is stamped `now` (upstream
   * Next stores Clock.Now()).
   */
  next(key: string, at: number, now = at): void {
    const e = this.entries.get(key);
    if (!e || this.expired(at, e)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdate = now;
    }
  }

  /** Whether `now` is still within the delay that started at `since` (upstream IsInBackOffSince). */
  inBackoffSince(key: string, since: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(now, e)) return false;
    return now - since < e.backoffMs;
  }

  /** Whether `now` is within the delay counted from the last failure (upstream IsInBackOffSinceUpdate). */
  inBackoffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(now, e)) return false;
    return now - e.lastUpdate < e.backoffMs;
  }

  /** When the delay that started at `since` ends (for a wake-up timer); undefined when there is none. */
  endsAt(key: string, since: number): number | undefined {
    const e = this.entries.get(key);
    return e ? since + e.backoffMs : undefined;
  }

  /** The note kept for `key` (undefined: none). */
  note(key: string): string | undefined {
    return this.notes.get(key);
  }

  /** Keeps a note for `key`, or drops it (undefined). */
  setNote(key: string, note: string | undefined): void {
    if (note === undefined) this.notes.delete(key);
    else this.notes.set(key, note);
  }

  /** Forgets every key starting with `prefix` (a pod that is gone). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
    for (const k of this.notes.keys()) if (k.startsWith(prefix)) this.notes.delete(k);
  }

  /** Drops entries idle for more than twice the cap (upstream GC). */
  gc(now: number): void {
    for (const [k, e] of this.entries) {
      if (!this.expired(now, e)) continue;
      this.entries.delete(k);
      this.notes.delete(k);
    }
  }
}

/** Go's time.Duration String() at millisecond precision: 0s, 523ms, 2.003s, 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${+s.toFixed(3)}s`;
  return `${Math.floor(s / 60)}m${+(s % 60).toFixed(3)}s`;
}
