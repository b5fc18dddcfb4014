/**
 * EventSourceObjectSpamFilter (client-go `tools/record`): one token bucket per spam key (by default source +
 * involved object), `burst` events at once and then `qps` refill; an event that finds the bucket empty is filtered
 * out (never written). Buckets live in a bounded LRU cache.
 */
import type { Clock } from '../../base/clock';
import { LruCache } from './lru-cache';
import { TokenBucket } from './token-bucket';
import type { CoreEvent } from './types';

export class SpamFilter {
  private readonly cache: LruCache<TokenBucket>;

  constructor(
    cacheSize: number,
    private readonly burst: number,
    private readonly qps: number,
    private readonly clock: Clock,
    private readonly keyFunc: (e: CoreEvent) => string,
  ) {
    this.cache = new LruCache(cacheSize);
  }

  /** True when the event must be dropped. */
  filter(e: CoreEvent): boolean {
    const key = this.keyFunc(e);
    let bucket = this.cache.get(key);
    if (!bucket) bucket = new TokenBucket(this.qps, this.burst, this.clock);
    const drop = !bucket.tryAccept();
    this.cache.add(key, bucket);
    return drop;
  }
}
