/**
 * SyncRunner: kube-proxy's BoundedFrequencyRunner — `request()` asks for a sync; syncs never overlap and never run
 * closer together than `minIntervalMs` (changes arriving meanwhile are folded into the next one); with nothing
 * requested a sync still runs every `maxIntervalMs` (the sync period). `fn(periodic)` is told whether the run came
 * from the period rather than a request. Errors of `fn` are handed to `onError` and do not stop the runner;
 * `retryAfter(ms)` asks for a run no later than `ms` from now (upstream's RetryAfter after a failed sync).
 */
import type { Clock, TimerHandle } from '../base/clock';

export class SyncRunner {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private lastRun = Number.NEGATIVE_INFINITY;
  private stopped = true;
  /** When a retry asked for by retryAfter is due (absent: none). */
  private retryAt: number | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly fn: (periodic: boolean) => Promise<void>,
    private readonly minIntervalMs: number,
    private readonly maxIntervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** `ranNow`: the caller has just run `fn` itself (the first sync), so the period counts from now. */
  start(ranNow = false): void {
    this.stopped = false;
    if (ranNow) this.lastRun = this.clock.now();
    this.schedule();
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    this.retryAt = undefined;
    return this.running ?? Promise.resolve();
  }

  /** A run no later than `ms` from now (still never closer than minInterval to the last one), unless one comes first. */
  retryAfter(ms: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + ms;
    this.retryAt = this.retryAt === undefined ? at : Math.min(this.retryAt, at);
    this.schedule();
  }

  request(): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule();
  }

  /** Resolves when no sync is running or requested. */
  idle(): Promise<void> {
    if (!this.running && !this.pending) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  private schedule(): void {
    if (this.stopped || this.running) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    const now = this.clock.now();
    const earliest = this.lastRun + this.minIntervalMs;
    let due = this.pending ? earliest : this.lastRun + this.maxIntervalMs;
    if (!this.pending && this.retryAt !== undefined) due = Math.min(due, Math.max(this.retryAt, earliest));
    const wait = Math.max(0, due - now);
    const periodic = !this.pending && (this.retryAt === undefined || this.lastRun + this.maxIntervalMs <= Math.max(this.retryAt, earliest));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.run(periodic && !this.pending);
    }, Number.isFinite(wait) ? wait : 0);
  }

  private run(periodic: boolean): void {
    if (this.stopped) return;
    this.pending = false;
    this.retryAt = undefined;
    this.lastRun = this.clock.now();
    this.running = this.fn(periodic)
      .catch((e: unknown) => this.onError(e))
      .finally(() => {
        this.running = undefined;
        if (!this.pending) {
          const w = this.waiters;
          this.waiters = [];
          for (const r of w) r();
        }
        this.schedule();
      });
  }
}
