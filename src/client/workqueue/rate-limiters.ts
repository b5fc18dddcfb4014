/**
 * Rate limiters for the controller work queue, after client-go's util/workqueue/default_rate_limiters.go.
 *
 * A RateLimiter decides how long an item must wait before it is re-queued (`when`, in milliseconds, which also counts
 * the attempt), stops tracking an item (`forget`) and reports how many times it was re-queued (`numRequeues`).
 *
 * - ItemExponentialFailureRateLimiter: per item, base·2^failures, capped at max (never overflows: Infinity → max).
 * - ItemFastSlowRateLimiter: per item, `fast` for the first maxFastAttempts attempts, `slow` afterwards.
 * - BucketRateLimiter: one token bucket for all items (golang.org/x/time/rate semantics, on an injected Clock):
 *   starts full with `burst` tokens, refills at `qps` tokens per second, `when` reserves a token and returns how long
 *   until it is available (the bucket may go into debt; later reservations wait longer). Item-agnostic.
 * - MaxOfRateLimiter: the worst (largest) answer of all its limiters; forget forgets in all of them.
 * - defaultControllerRateLimiter: max of exponential(5 ms, 1000 s) and bucket(10 qps, burst 100).
 */
import type { Clock } from '../../base/clock';
import { systemClock } from '../../base/clock';

export interface RateLimiter {
  /** How long (ms) the item should wait before it is added again; counts one more requeue for per-item limiters. */
  when(item: string): number;
  /** Stop tracking the item (it succeeded, or was given up on). */
  forget(item: string): void;
  /** How many times `when` was called for the item since it was last forgotten. */
  numRequeues(item: string): number;
}

/** delay = baseMs · 2^failures, capped at maxMs. Upstream's DefaultItemBasedRateLimiter is (1 ms, 1000 s). */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  when(item: string): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseMs * 2 ** exp;
    // 2 ** exp becomes Infinity for large exp; any non-finite or too-large value is capped.
    if (!Number.isFinite(backoff) || backoff > this.maxMs) return this.maxMs;
    return backoff;
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/** Quick retries (fastMs) for the first maxFastAttempts attempts of an item, then slowMs. */
export class ItemFastSlowRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly fastMs: number,
    private readonly slowMs: number,
    private readonly maxFastAttempts: number,
  ) {}

  when(item: string): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastMs : this.slowMs;
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket shared by all items (golang.org/x/time/rate `Limiter.Reserve().Delay()`). qps = Infinity never
 * delays; qps <= 0 hands out the initial burst and then returns Infinity (upstream: InfDuration, "never").
 */
export class BucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = burst;
  }

  when(_item: string): number {
    if (this.qps === Infinity) return 0;
    const now = this.clock.now();
    if (this.qps <= 0) {
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return 0;
      }
      return Infinity;
    }
    if (this.burst < 1) return Infinity; // upstream: the reservation is not OK, Delay() is InfDuration
    const tokens = this.advance(now) - 1;
    const waitMs = tokens < 0 ? (-tokens / this.qps) * 1000 : 0;
    this.last = now;
    this.tokens = tokens;
    return waitMs;
  }

  forget(_item: string): void {}

  numRequeues(_item: string): number {
    return 0;
  }

  /** The tokens available at `now`: refilled for the time since the last reservation, at most `burst`. */
  private advance(now: number): number {
    if (this.last === undefined) return this.burst; // upstream's zero `last` means an eternity ago: a full bucket
    const last = Math.min(this.last, now); // the clock went backwards: no refill, no penalty
    const tokens = this.tokens + ((now - last) / 1000) * this.qps;
    return Math.min(tokens, this.burst);
  }
}

/**
 * The worst case of several limiters. With a bucket inside, the burst may seem exceeded for items that were
 * separately delayed longer.
 */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string): number {
    let ret = 0;
    for (const l of this.limiters) ret = Math.max(ret, l.when(item));
    return ret;
  }

  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: string): number {
    let ret = 0;
    for (const l of this.limiters) ret = Math.max(ret, l.numRequeues(item));
    return ret;
  }
}

/** Upstream's DefaultControllerRateLimiter: per-item exponential (5 ms .. 1000 s) and overall 10 qps, burst 100. */
export function defaultControllerRateLimiter(clock: Clock = systemClock): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(5, 1000 * 1000),
    new BucketRateLimiter(10, 100, clock),
  );
}
