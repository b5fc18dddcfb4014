/**
 * A token bucket on an injected clock (client-go's `flowcontrol.NewTokenBucketRateLimiterWithClock`, i.e.
 * golang.org/x/time/rate): the bucket starts full with `burst` tokens and refills continuously at `qps` tokens per
 * second, never above `burst`. `tryAccept()` takes one token if one is there and never waits.
 */
import type { Clock } from '../../base/clock';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token now if one is available; a refused call changes nothing. */
  tryAccept(): boolean {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.last) / 1000;
    const tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.qps);
    if (tokens < 1) return false;
    this.tokens = tokens - 1;
    this.last = Math.max(this.last, now);
    return true;
  }
}
