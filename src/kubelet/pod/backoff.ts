/**
 * The kubelet's restart and image-pull back-off (upstream client-go flowcontrol.Backoff as the kubelet configures it:
 * 10 s initial, doubling, capped at 5 min; an entry idle for twice the cap starts over). Keys are per container
 * ("<podUid>/<container>") or per image pull ("<podUid>/<image>"). Time comes from the caller (clock milliseconds).
 */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

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

  /** Records one more failure at `at`: the first (or the first after a long quiet time) gets the initial delay. */
  next(key: string, at: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(at, e)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: at });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdate = at;
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

  /** Forgets every key starting with `prefix` (a pod that is gone). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Drops entries idle for more than twice the cap (upstream GC). */
  gc(now: number): void {
    for (const [k, e] of this.entries) if (this.expired(now, e)) this.entries.delete(k);
  }
}

/** Go's time.Duration String() for whole-second and larger delays: 10s, 20s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}
