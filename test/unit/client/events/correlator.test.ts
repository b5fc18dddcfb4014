/**
 * The correlator's parts on their own: LRU bounds, the token bucket (property: never more than burst + elapsed ×
 * qps; spaced calls always pass), the keys, the aggregator's threshold and window, the dedup patch, and the order
 * aggregation → dedup → spam filter.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../../../src/base/clock';
import { EventCorrelator, eventKey, makeEvent, NanoStamps, spamKey, type CoreEvent } from '../../../../src/client/events';
import { twoWayTopLevelPatch } from '../../../../src/client/events/event-observer';
import { LruCache } from '../../../../src/client/events/lru-cache';
import { TokenBucket } from '../../../../src/client/events/token-bucket';

const T0 = Date.UTC(2026, 0, 1);

function ev(over: { reason?: string; message?: string; name?: string; component?: string; fieldPath?: string } = {}, ms = T0): CoreEvent {
  return makeEvent({
    ref: { kind: 'Pod', namespace: 'ns', name: over.name ?? 'p', uid: 'u', apiVersion: 'v1', ...(over.fieldPath ? { fieldPath: over.fieldPath } : {}) },
    source: { component: over.component ?? 'c' },
    type: 'Warning',
    reason: over.reason ?? 'R',
    message: over.message ?? 'm',
    nowMs: ms,
    nowNs: BigInt(ms) * 1_000_000n,
  });
}

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<number>(2);
    c.add('a', 1);
    c.add('b', 2);
    assert.equal(c.get('a'), 1);
    c.add('c', 3);
    assert.deepEqual([c.has('a'), c.has('b'), c.has('c'), c.size], [true, false, true, 2]);
  });

  it('never holds more than its size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.string({ maxLength: 2 }), { maxLength: 60 }), (size, keys) => {
        const c = new LruCache<string>(size);
        for (const k of keys) c.add(k, k);
        assert.ok(c.size <= size);
        if (keys.length) assert.equal(c.get(keys[keys.length - 1]), keys[keys.length - 1]);
      }),
    );
  });
});

describe('TokenBucket', () => {
  it('starts full, then refills one token every 1/qps seconds', () => {
    const clock = new FakeClock(T0);
    const b = new TokenBucket(1 / 300, 25, clock);
    for (let i = 0; i < 25; i++) assert.equal(b.tryAccept(), true, `token ${i}`);
    assert.equal(b.tryAccept(), false);
    clock.advance(299_999);
    assert.equal(b.tryAccept(), false);
    clock.advance(1);
    assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), false);
  });

  it('accepts at most burst + elapsed × qps, and every call spaced 1/qps apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), (burst, gaps) => {
        const clock = new FakeClock(T0);
        const b = new TokenBucket(2, burst, clock);
        let accepted = 0;
        for (const g of gaps) {
          clock.advance(g);
          if (b.tryAccept()) accepted++;
          else assert.ok(g < 500, 'a call 1/qps after the previous one must pass');
        }
        assert.ok(accepted <= burst + ((clock.now() - T0) / 1000) * 2 + 1e-9);
      }),
    );
  });
});

describe('keys', () => {
  it('event key separates by message and fieldPath, spam key does not', () => {
    assert.notEqual(eventKey(ev({ message: 'a' })), eventKey(ev({ message: 'b' })));
    assert.notEqual(eventKey(ev({ fieldPath: 'spec.containers{a}' })), eventKey(ev()));
    assert.equal(spamKey(ev({ message: 'a', reason: 'X' })), spamKey(ev({ message: 'b', reason: 'Y' })));
    assert.notEqual(spamKey(ev({ component: 'a' })), spamKey(ev({ component: 'b' })));
  });
});

describe('twoWayTopLevelPatch', () => {
  it('sends changed and added fields, nulls for removed ones, keys sorted', () => {
    assert.deepEqual(
      JSON.stringify(twoWayTopLevelPatch({ a: 1, lastTimestamp: '1970-01-01T00:00:00Z', z: { x: 1 }, gone: 1 }, { z: { x: 1 }, message: 'm', lastTimestamp: 't', count: 2, a: 1 })),
      '{"count":2,"gone":null,"lastTimestamp":"t","message":"m"}',
    );
  });
});

describe('EventCorrelator', () => {
  it('counts identical events and patches count, lastTimestamp and message', () => {
    const clock = new FakeClock(T0);
    const c = new EventCorrelator({ clock });
    const first = c.correlate(ev());
    assert.equal(first.skip, false);
    assert.equal(first.patch, undefined);
    c.updateState({ ...first.event!, metadata: { ...first.event!.metadata, resourceVersion: '7' } });
    const second = c.correlate(ev({}, T0 + 61_000));
    assert.equal(second.event!.count, 2);
    assert.equal(second.event!.metadata.name, first.event!.metadata.name);
    assert.equal(second.event!.metadata.resourceVersion, '7');
    assert.equal(second.event!.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.deepEqual(second.patch, { count: 2, lastTimestamp: '2026-01-01T00:01:01Z', message: 'm' });
  });

  it('aggregates at the 10th distinct message within the window, keyed by the aggregate', () => {
    const clock = new FakeClock(T0);
    const c = new EventCorrelator({ clock, stamps: new NanoStamps() });
    const out = [];
    for (let i = 1; i <= 12; i++) out.push(c.correlate(ev({ message: `m${i}` })));
    assert.deepEqual(out.slice(0, 9).map((r) => r.event!.message), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
    assert.deepEqual(out.slice(9).map((r) => [r.event!.message, r.event!.count]), [
      ['(combined from similar events): m10', 1],
      ['(combined from similar events): m11', 2],
      ['(combined from similar events): m12', 3],
    ]);
    assert.equal(out[10].event!.metadata.name, out[9].event!.metadata.name);
    // A different reason is not similar.
    assert.equal(c.correlate(ev({ reason: 'Other', message: 'm13' })).event!.message, 'm13');
  });

  it('uses the configured thresholds', () => {
    const clock = new FakeClock(T0);
    const c = new EventCorrelator({ clock, maxEvents: 2, burstSize: 3, maxIntervalSeconds: 5 });
    assert.equal(c.correlate(ev({ message: 'a' })).event!.message, 'a');
    assert.equal(c.correlate(ev({ message: 'b' })).event!.message, '(combined from similar events): b');
    assert.equal(c.correlate(ev({ message: 'c' })).event!.count, 2);
    assert.equal(c.correlate(ev({ message: 'd' })).skip, true);
    clock.advance(6000);
    assert.equal(c.correlate(ev({ name: 'q', message: 'e' })).event!.message, 'e');
  });

  it('drops events over the spam budget but still counts them', () => {
    const clock = new FakeClock(T0);
    const c = new EventCorrelator({ clock });
    const results = Array.from({ length: 27 }, () => c.correlate(ev()));
    assert.deepEqual(results.map((r) => r.skip).lastIndexOf(false), 24);
    clock.advance(300_000);
    assert.equal(c.correlate(ev()).event!.count, 28);
  });
});
