/**
 * SyncRunner: kube-proxy's BoundedFrequencyRunner — `request()` asks for a sync; syncs never overlap and never run
 * closer together than `minIntervalMs` (changes arriving meanwhile are folded into the next one); with nothing
 * requested a sync still runs every `maxIntervalMs` (the sync period). `fn(periodic)` is told whether the run came
 * from the period rather than a request. Errors of `fn` are handed to `onError` and do not stop the runner.
 */
import type { Clock, TimerHandle } from '../base/clock';

export class SyncRunner {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private lastRun = Number.NEGATIVE_INFINITY;
  private stopped = true;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly fn: (periodic: boolean) => Promise<void>,
    private readonly minIntervalMs: number,
    private readonly maxIntervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    return this.running ?? Promise.resolve();
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
    const wait = this.pending ? Math.max(0, this.lastRun + this.minIntervalMs - now) : Math.max(0, this.lastRun + this.maxIntervalMs - now);
    const periodic = !this.pending;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.run(periodic && !this.pending);
    }, Number.isFinite(wait) ? wait : 0);
  }

  private run(periodic: boolean): void {
    if (this.stopped) return;
    this.pending = false;
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
