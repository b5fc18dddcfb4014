/**
 * LeaderElector (client-go tools/leaderelection): leader election over a ResourceLock, on an injected clock.
 * - `run()` acquires (first try at once, then every retryPeriod with jitter factor 1.2), records the event
 *   "<id> became leader", calls onStartedLeading (not awaited) with a signal that aborts when leading ends, then
 *   renews: each round retries every retryPeriod until it succeeds or renewDeadline passes (the attempt in flight
 *   is abandoned); a failed round ends leading. Then, with releaseOnCancel, the lease is released (holder '',
 *   leaseDurationSeconds 1); the event "<id> stopped leading" is recorded; onStoppedLeading is called (also when
 *   stopped before ever leading, as upstream's deferred call is) and `run()` resolves.
 * - tryAcquireOrRenew as upstream: the leader first updates optimistically from its cached Lease; otherwise it reads
 *   the lock (creating it when missing), respects a holder whose lease has not expired as measured on the local
 *   clock from when the record was last seen to change, keeps acquireTime/leaseTransitions when renewing and
 *   increments leaseTransitions on takeover. Conflicts (409) just fail the attempt; the next one re-reads.
 * - `stop({ release })` cancels the loop (release defaults to releaseOnCancel; `release: false` is a crash: the
 *   lease is left to expire) and resolves when `run()` has ended.
 */
import { systemClock, type Clock } from '../../base/clock';
import { silentLogger, type Logger } from '../../base/logger';
import { isLockNotFound, type ResourceLock } from './lease-lock';
import { EMPTY_RECORD, type LeaderElectionRecord } from './record';
import { jitter, raceSignals, sleep } from './waits';

export const JITTER_FACTOR = 1.2;
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

export interface LeaderCallbacks {
  /** Called (not awaited) when this elector starts leading; `signal` aborts when leading ends. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called (awaited) when run() ends, whether or not it led. */
  onStoppedLeading(): void | Promise<void>;
  /** The observed leader changed (the first one observed included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  callbacks: LeaderCallbacks;
  releaseOnCancel?: boolean;
  /** For logs. */
  name?: string;
  clock?: Clock;
  logger?: Logger;
  /** [0, 1) for the acquire jitter. */
  random?: () => number;
}

/** NewLeaderElector's checks, with its messages. */
export function validateConfig(c: LeaderElectionConfig): void {
  if (c.leaseDurationMs <= c.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
  if (c.renewDeadlineMs <= JITTER_FACTOR * c.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
  if (c.leaseDurationMs < 1) throw new Error('leaseDuration must be greater than zero');
  if (c.renewDeadlineMs < 1) throw new Error('renewDeadline must be greater than zero');
  if (c.retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class LeaderElector {
  private readonly clock: Clock;
  private readonly log: Logger;
  private observed: LeaderElectionRecord = EMPTY_RECORD;
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';
  private readonly ctx = new AbortController();
  private releaseAtEnd: boolean;
  private running: Promise<void> | undefined;
  private parked = false;
  private parkWaiters: (() => void)[] = [];
  private resolveFirst!: (ok: boolean) => void;
  /** Resolves with the outcome of the first acquire attempt (false also when stopped before it). */
  readonly firstAttempt: Promise<boolean>;

  constructor(private readonly c: LeaderElectionConfig) {
    validateConfig(c);
    this.clock = c.clock ?? systemClock;
    this.log = c.logger ?? silentLogger;
    this.releaseAtEnd = c.releaseOnCancel ?? false;
    this.firstAttempt = new Promise((r) => (this.resolveFirst = r));
  }

  /** Runs the election until stop() or the loss of the lease; resolves after onStoppedLeading. Once only. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Cancels run() and waits for it to end. `release` overrides releaseOnCancel (false: leave the lease to expire). */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    if (opts.release !== undefined) this.releaseAtEnd = opts.release;
    this.ctx.abort();
    this.resolveFirst(false);
    await this.running;
  }

  getLeader(): string {
    return this.observed.holderIdentity;
  }

  isLeader(): boolean {
    return this.observed.holderIdentity === this.c.lock.identity();
  }

  /** HealthzAdaptor's check: an error message when leading but not renewed for leaseDuration + tolerance. */
  check(maxTolerableExpiredMs: number): string | undefined {
    if (!this.isLeader()) return undefined;
    if (this.clock.now() - this.observedTime > this.c.leaseDurationMs + maxTolerableExpiredMs) return `failed election to renew leadership on lease ${this.c.name ?? ''}`;
    return undefined;
  }

  /** Resolves when the loop waits on the clock (or has ended): what tests await before advancing a fake clock. */
  idle(): Promise<void> {
    if (this.parked || !this.running) return Promise.resolve();
    return new Promise((r) => this.parkWaiters.push(r));
  }

  private async loop(): Promise<void> {
    try {
      if (!(await this.acquire())) return;
      const leading = new AbortController();
      try {
        Promise.resolve()
          .then(() => this.c.callbacks.onStartedLeading(leading.signal))
          .catch((e: unknown) => this.log.error(`OnStartedLeading failed: ${msg(e)}`));
        await this.renew();
      } finally {
        leading.abort();
      }
    } finally {
      this.resolveFirst(false);
      try {
        await this.c.callbacks.onStoppedLeading();
      } catch (e) {
        this.log.error(`OnStoppedLeading failed: ${msg(e)}`);
      }
      this.park(true);
    }
  }

  private park(on: boolean): void {
    this.parked = on;
    if (!on) return;
    const w = this.parkWaiters;
    this.parkWaiters = [];
    for (const f of w) f();
  }

  private wait(ms: number, signals: readonly AbortSignal[]): Promise<boolean> {
    this.park(true);
    return sleep(this.clock, ms, signals, () => this.park(false));
  }

  /** One tryAcquireOrRenew, abandoned (undefined) when a signal aborts first. */
  private attempt(signals: readonly AbortSignal[]): Promise<boolean | undefined> {
    return raceSignals(this.tryAcquireOrRenew(), signals);
  }

  private async acquire(): Promise<boolean> {
    const desc = this.c.lock.describe();
    this.log.info(`attempting to acquire leader lease ${desc}...`);
    for (;;) {
      if (this.ctx.signal.aborted) return false;
      const ok = (await this.attempt([this.ctx.signal])) === true;
      this.maybeReportTransition();
      this.resolveFirst(ok);
      if (ok) {
        this.c.lock.recordEvent('became leader');
        this.log.info(`successfully acquired lease ${desc}`);
        return true;
      }
      this.log.debug(`failed to acquire lease ${desc}`);
      if (!(await this.wait(jitter(this.c.retryPeriodMs, JITTER_FACTOR, this.c.random), [this.ctx.signal]))) return false;
    }
  }

  private async renew(): Promise<void> {
    const desc = this.c.lock.describe();
    try {
      while (!this.ctx.signal.aborted) {
        const deadline = new AbortController();
        const timer = this.clock.setTimeout(() => deadline.abort(), this.c.renewDeadlineMs);
        let ok = false;
        try {
          const signals = [this.ctx.signal, deadline.signal];
          for (;;) {
            const r = await this.attempt(signals);
            if (r === true) ok = true;
            if (r !== false) break;
            if (!(await this.wait(this.c.retryPeriodMs, signals))) break;
          }
        } finally {
          this.clock.clearTimeout(timer);
        }
        this.maybeReportTransition();
        if (!ok) {
          if (!this.ctx.signal.aborted) this.log.info(`failed to renew lease ${desc}: timed out waiting for the condition`);
          break;
        }
        this.log.debug(`successfully renewed lease ${desc}`);
        if (!(await this.wait(this.c.retryPeriodMs, [this.ctx.signal]))) break;
      }
      if (this.releaseAtEnd) await this.release();
    } finally {
      this.c.lock.recordEvent('stopped leading');
    }
  }

  private async release(): Promise<void> {
    if (!this.isLeader()) return;
    const now = this.clock.now();
    const rec: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: this.observed.leaderTransitions };
    try {
      await this.c.lock.update(rec);
      this.setObserved(rec);
    } catch (e) {
      this.log.error(`Failed to release lock: ${msg(e)}`);
    }
  }

  private setObserved(r: LeaderElectionRecord): void {
    this.observed = r;
    this.observedTime = this.clock.now();
  }

  private isLeaseValid(now: number): boolean {
    return this.observedTime + this.observed.leaseDurationSeconds * 1000 > now;
  }

  private maybeReportTransition(): void {
    const holder = this.observed.holderIdentity;
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    const cb = this.c.callbacks.onNewLeader;
    if (cb) queueMicrotask(() => cb(holder));
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const lock = this.c.lock;
    const now = this.clock.now();
    const rec: LeaderElectionRecord = { holderIdentity: lock.identity(), leaseDurationSeconds: Math.floor(this.c.leaseDurationMs / 1000), acquireTime: now, renewTime: now, leaderTransitions: 0 };
    // 1. The leader's fast path: update from the cached Lease, assuming nobody else wrote it.
    if (this.isLeader() && this.isLeaseValid(now)) {
      const fast = { ...rec, acquireTime: this.observed.acquireTime, leaderTransitions: this.observed.leaderTransitions };
      try {
        await lock.update(fast);
        this.setObserved(fast);
        return true;
      } catch (e) {
        this.log.error(`Failed to update lock optimitically: ${msg(e)}, falling back to slow path`);
      }
    }
    // 2. Read the record, or create it.
    let old: { record: LeaderElectionRecord; raw: string };
    try {
      old = await lock.get();
    } catch (e) {
      if (!isLockNotFound(e)) {
        this.log.error(`error retrieving resource lock ${lock.describe()}: ${msg(e)}`);
        return false;
      }
      try {
        await lock.create(rec);
      } catch (e2) {
        this.log.error(`error initially creating leader election record: ${msg(e2)}`);
        return false;
      }
      this.setObserved(rec);
      return true;
    }
    // 3. Has the record changed since last seen? Is it held by someone else whose lease has not expired?
    if (this.observedRaw !== old.raw) {
      this.setObserved(old.record);
      this.observedRaw = old.raw;
    }
    if (old.record.holderIdentity.length > 0 && this.isLeaseValid(now) && !this.isLeader()) {
      this.log.debug(`lock is held by ${old.record.holderIdentity} and has not yet expired`);
      return false;
    }
    // 4. Renew (keeping acquireTime and the transitions) or take over (one more transition).
    if (this.isLeader()) {
      rec.acquireTime = old.record.acquireTime;
      rec.leaderTransitions = old.record.leaderTransitions;
    } else {
      rec.leaderTransitions = old.record.leaderTransitions + 1;
    }
    try {
      await lock.update(rec);
    } catch (e) {
      this.log.error(`Failed to update lock: ${msg(e)}`);
      return false;
    }
    this.setObserved(rec);
    return true;
  }
}
