/**
 * EventAggregator (client-go `tools/record`): similar events — same aggregate key, different local key (by default
 * the message) — are counted per aggregate key within a rolling interval. Once `maxEvents` distinct local keys were
 * seen without a gap longer than the interval, each further similar event is replaced by one aggregate event
 * (`(combined from similar events): <message>`) whose cache key is the aggregate key, so the dedup step that follows
 * updates that single Event instead of creating new ones.
 *
 * Like upstream, the aggregate event carries only name, namespace, involved object, type, reason, source, count 1,
 * timestamps and the combined message (no annotations, empty reportingComponent/reportingInstance). Upstream drops an
 * arbitrary local key (`PopAny`) to keep the set below the maximum; here the oldest one goes.
 */
import type { Clock } from '../../base/clock';
import { eventKey, type AggregatorKeyFunc, type AggregatorMessageFunc } from './keys';
import { LruCache } from './lru-cache';
import { eventName, metaTime, type NanoStamps } from './make-event';
import type { CoreEvent } from './types';

interface AggregateRecord {
  localKeys: Set<string>;
  /** When the last similar event was seen (ms). */
  lastMs: number;
}

export interface AggregatorOptions {
  cacheSize: number;
  keyFunc: AggregatorKeyFunc;
  messageFunc: AggregatorMessageFunc;
  maxEvents: number;
  maxIntervalSeconds: number;
  clock: Clock;
  stamps: NanoStamps;
}

export class EventAggregator {
  private readonly cache: LruCache<AggregateRecord>;

  constructor(private readonly o: AggregatorOptions) {
    this.cache = new LruCache(o.cacheSize);
  }

  /** The event to go on with (the given one or a new aggregate) and its dedup cache key. */
  aggregate(e: CoreEvent): { event: CoreEvent; key: string } {
    const nowMs = this.o.clock.now();
    const [aggregateKey, localKey] = this.o.keyFunc(e);
    let record = this.cache.get(aggregateKey);
    if (!record || nowMs - record.lastMs > this.o.maxIntervalSeconds * 1000) record = { localKeys: new Set(), lastMs: nowMs };
    record.localKeys.add(localKey);
    record.lastMs = nowMs;
    this.cache.add(aggregateKey, record);

    if (record.localKeys.size < this.o.maxEvents) return { event: e, key: eventKey(e) };

    const oldest = record.localKeys.values().next().value as string;
    record.localKeys.delete(oldest);

    const t = metaTime(nowMs);
    const aggregate: CoreEvent = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: eventName(e.involvedObject.name, this.o.stamps.next(nowMs)), namespace: e.metadata.namespace },
      involvedObject: { ...e.involvedObject },
      reason: e.reason,
      message: this.o.messageFunc(e),
      source: { ...e.source },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: e.type,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    };
    return { event: aggregate, key: aggregateKey };
  }
}
