/**
 * The controller work queue: client-go's rate-limited, delaying work queue (util/workqueue queue.go,
 * delaying_queue.go, rate_limiting_queue.go) for string keys, on an injected Clock.
 *
 * Contract (upstream semantics):
 * - A key is queued at most once ("dirty" set): add() of a queued key is a no-op. Otherwise keys are handed out FIFO.
 * - get() hands the oldest queued key to one caller and marks it "processing"; it waits while nothing is queued.
 *   A key being processed is never handed out again until done(key): add() during processing only marks it dirty,
 *   and done() re-queues it (at the tail) if so. So no key is ever processed by two workers at once.
 * - addAfter(key, ms): ms <= 0 adds now; otherwise the key waits on the clock. A key waiting twice keeps the earlier
 *   deadline. When the deadline comes the key is add()ed (and dedups as usual). addRateLimited(key) is
 *   addAfter(key, rateLimiter.when(key)); forget()/numRequeues() go to the rate limiter.
 * - shutDown(): later add()/addAfter() are ignored, keys waiting on the clock are dropped, and get() keeps handing out
 *   what is already queued, then resolves undefined (waiting getters are woken with undefined).
 *   shutDownWithDrain() does the same and resolves once no key is processing (every handed-out key got done());
 *   a later shutDown() makes it resolve at once.
 * - idle() (ours, for tests) resolves when nothing is queued and nothing is processing. Keys waiting on the clock do
 *   NOT count as busy: advance the clock first if they matter.
 * Differences from upstream: done() of a key that is not being processed is ignored (upstream would append a queued
 * key a second time); there are no metrics and no 10 s heartbeat (the single clock timer is exact).
 */
import type { Clock } from '../../base/clock';
import { systemClock } from '../../base/clock';
import { DelayedAdds } from './delaying';
import type { RateLimiter } from './rate-limiters';
import { defaultControllerRateLimiter } from './rate-limiters';

export interface WorkQueueOptions {
  /** For logs and error messages. */
  name: string;
  clock?: Clock;
  /** Defaults to defaultControllerRateLimiter(clock). */
  rateLimiter?: RateLimiter;
}

export class WorkQueue {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly delayed: DelayedAdds;

  /** Keys in hand-out order; every key here is dirty and not processing. `head` avoids O(n) shifts. */
  private queue: string[] = [];
  private head = 0;
  /** Keys that need processing: queued, or re-added while processing. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private shutting = false;

  constructor(options: WorkQueueOptions) {
    this.name = options.name;
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
    this.delayed = new DelayedAdds(this.clock, (key) => this.add(key));
  }

  /** Marks the key as needing processing (see the file comment for dedup and processing rules). */
  add(key: string): void {
    if (this.shutting || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /** The number of queued keys (not counting those being processed or waiting on the clock). */
  len(): number {
    return this.queue.length - this.head;
  }

  /** The next key to process, marked processing; undefined once shut down and nothing is left queued. */
  get(): Promise<string | undefined> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shutting) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends processing of the key; re-queues it if it was added meanwhile. Ignored for keys not being processed. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.dispatch();
    }
    if (this.processing.size === 0) {
      this.release('drain');
      if (this.len() === 0) this.release('idle');
    }
  }

  /** Adds the key after `ms` on the clock (now when ms <= 0); an earlier pending deadline for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shutting) return;
    if (ms <= 0) return this.add(key);
    this.delayed.schedule(key, this.clock.now() + ms);
  }

  /** addAfter(key, rateLimiter.when(key)). */
  addRateLimited(key: string): void {
    // As upstream, the limiter is asked (and counts a requeue) even when shutting down; addAfter then ignores it.
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** The key is finished being retried (success or given up): the rate limiter stops tracking it. Still call done(). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Ignore new keys, drop delayed ones, and wake waiting getters with undefined. Idempotent. */
  shutDown(): void {
    this.startShutdown();
    this.release('drain'); // forces a pending shutDownWithDrain() to finish now, as upstream
  }

  /** Like shutDown(), then resolves once every key handed out by get() has been done(). */
  shutDownWithDrain(): Promise<void> {
    this.startShutdown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.shutting;
  }

  /** Resolves when nothing is queued or processing. Keys waiting on the clock (addAfter) do not count. */
  idle(): Promise<void> {
    if (this.len() === 0 && this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** How many keys wait on the clock (for tests and debugging). */
  delayedLen(): number {
    return this.delayed.size();
  }

  private startShutdown(): void {
    if (this.shutting) return;
    this.shutting = true;
    this.delayed.stop();
    // Getters only wait while nothing is queued, so every one of them gets undefined.
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  /** Hands queued keys to waiting getters, oldest first on both sides. */
  private dispatch(): void {
    while (this.getters.length > 0 && this.len() > 0) this.getters.shift()!(this.take());
  }

  private take(): string {
    const key = this.queue[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private release(which: 'idle' | 'drain'): void {
    const waiters = which === 'idle' ? this.idleWaiters : this.drainWaiters;
    if (waiters.length === 0) return;
    if (which === 'idle') this.idleWaiters = [];
    else this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
