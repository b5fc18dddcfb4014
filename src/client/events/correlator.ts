/**
 * EventCorrelator (client-go `tools/record`): every event goes through aggregation (similar events → one combined
 * event), then de-duplication (identical events → count + 1 and a patch of the existing Event), then the spam filter
 * (token bucket per source + object). As upstream, aggregation and dedup state advance even for an event the spam
 * filter then drops, so the count written after a dropped stretch jumps by the dropped events.
 *
 * Defaults are upstream's: LRU caches of 4096 entries; aggregation after 10 similar events within 600 s; a burst
 * of 25 events per source + object, refilled at one every 300 s.
 */
import { systemClock, type Clock } from '../../base/clock';
import { EventAggregator } from './aggregator';
import { EventObserver } from './event-observer';
import { aggregateKeyByReason, aggregateMessageByReason, spamKey, type AggregatorKeyFunc, type AggregatorMessageFunc } from './keys';
import { NanoStamps } from './make-event';
import { SpamFilter } from './spam-filter';
import type { CoreEvent } from './types';

export const MAX_LRU_CACHE_ENTRIES = 4096;
export const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
export const DEFAULT_AGGREGATE_INTERVAL_SECONDS = 600;
export const DEFAULT_SPAM_BURST = 25;
export const DEFAULT_SPAM_QPS = 1 / 300;

/** Upstream's CorrelatorOptions; anything left out takes the default. */
export interface CorrelatorOptions {
  lruCacheSize?: number;
  burstSize?: number;
  qps?: number;
  keyFunc?: AggregatorKeyFunc;
  messageFunc?: AggregatorMessageFunc;
  maxEvents?: number;
  maxIntervalSeconds?: number;
  spamKeyFunc?: (e: CoreEvent) => string;
  clock?: Clock;
  /** Nanosecond stamps for aggregate event names (shared with the recorder so names never repeat). */
  stamps?: NanoStamps;
}

export interface CorrelateResult {
  /** True: write nothing. */
  skip: boolean;
  event?: CoreEvent;
  /** Set when the event updates an existing Event: the strategic merge patch to send. */
  patch?: Record<string, unknown>;
}

export class EventCorrelator {
  private readonly aggregator: EventAggregator;
  private readonly observer: EventObserver;
  private readonly spam: SpamFilter;

  constructor(o: CorrelatorOptions = {}) {
    const size = o.lruCacheSize || MAX_LRU_CACHE_ENTRIES;
    const clock = o.clock ?? systemClock;
    this.spam = new SpamFilter(size, o.burstSize || DEFAULT_SPAM_BURST, o.qps || DEFAULT_SPAM_QPS, clock, o.spamKeyFunc ?? spamKey);
    this.aggregator = new EventAggregator({
      cacheSize: size,
      keyFunc: o.keyFunc ?? aggregateKeyByReason,
      messageFunc: o.messageFunc ?? aggregateMessageByReason,
      maxEvents: o.maxEvents || DEFAULT_AGGREGATE_MAX_EVENTS,
      maxIntervalSeconds: o.maxIntervalSeconds || DEFAULT_AGGREGATE_INTERVAL_SECONDS,
      clock,
      stamps: o.stamps ?? new NanoStamps(),
    });
    this.observer = new EventObserver(size);
  }

  correlate(e: CoreEvent): CorrelateResult {
    const aggregated = this.aggregator.aggregate(e);
    const observed = this.observer.observe(aggregated.event, aggregated.key);
    if (this.spam.filter(observed.event)) return { skip: true };
    return { skip: false, event: observed.event, patch: observed.patch };
  }

  /** Record the server's answer (name, resourceVersion, count, firstTimestamp) for later dedup. */
  updateState(serverEvent: CoreEvent): void {
    this.observer.updateState(serverEvent);
  }
}
