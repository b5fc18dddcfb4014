/**
 * The backoff on deleting failed daemon pods (client-go flowcontrol.Backoff as the DaemonSet controller builds it:
 * 1 s initial, doubling to 15 min, no jitter), keyed by `<set uid>/<observedGeneration>/<node>` so a kubelet that
 * keeps rejecting a pod does not make the controller hot-loop. An entry untouched for twice the maximum is
 * forgotten (the periodic GC upstream runs every minute happens here on `next`). Time comes from the clock.
 */
import type { Clock } from '../../base/clock';

export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;
const GC_INTERVAL_MS = 60_000;

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class FailedPodsBackoff {
  private readonly entries = new Map<string, Entry>();
  private lastGc = 0;

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  private expired(e: Entry, now: number): boolean {
    return now - e.lastUpdate > 2 * this.maxMs;
  }

  /** The current delay of `key` (0 when unknown). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** IsInBackOffSinceUpdate: less than the current delay has passed since the last `next`. */
  inBackoffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return false;
    return now - e.lastUpdate < e.backoff;
  }

  /** Records an attempt: starts at the initial delay (or after expiry), else doubles up to the maximum. */
  next(key: string, now: number): void {
    this.gc(now);
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) this.entries.set(key, { backoff: this.initialMs, lastUpdate: this.clock.now() });
    else {
      e.backoff = Math.min(e.backoff * 2, this.maxMs);
      e.lastUpdate = this.clock.now();
    }
  }

  private gc(now: number): void {
    if (now - this.lastGc < GC_INTERVAL_MS) return;
    this.lastGc = now;
    for (const [k, e] of this.entries) if (this.expired(e, now)) this.entries.delete(k);
  }

  /** For tests. */
  size(): number {
    return this.entries.size;
  }
}
