/** ChangeBatcher on a FakeClock: throttled flushes, order, coalescing, re-entrancy, errors, dispose. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../../../src/base/clock';
import { ChangeBatcher, registryEventKey, RegistryTree } from '../../../../src/ui/registry';
import { del, put } from './harness';

function setup<T>(intervalMs = 100, keyOf?: (item: T) => string) {
  const clock = new FakeClock();
  const flushes: Array<{ at: number; items: T[] }> = [];
  const batcher = new ChangeBatcher<T>({ clock, intervalMs, keyOf, flush: (items) => flushes.push({ at: clock.now(), items }) });
  return { clock, flushes, batcher, start: clock.now() };
}

describe('ChangeBatcher', () => {
  it('flushes the first event on the next tick, never inside push', () => {
    const { clock, flushes, batcher } = setup<number>();
    batcher.push(1);
    assert.equal(flushes.length, 0);
    assert.equal(batcher.pending, 1);
    clock.advance(0);
    assert.deepEqual(flushes.map((f) => f.items), [[1]]);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('turns 1,000 updates/s into ≤ 10 flushes/s, delivering each event once, in order, ≤ 100 ms late', () => {
    const { clock, flushes, batcher, start } = setup<number>();
    const pushedAt: number[] = [];
    for (let i = 0; i < 3000; i++) {
      pushedAt.push(clock.now());
      batcher.push(i);
      clock.advance(1);
    }
    clock.advance(100);
    assert.deepEqual(flushes.flatMap((f) => f.items), Array.from({ length: 3000 }, (_, i) => i));
    for (let w = 0; w < 3000; w += 100) {
      const inWindow = flushes.filter((f) => f.at >= start + w && f.at < start + w + 1000).length;
      assert.ok(inWindow <= 10, `${inWindow} flushes in the second starting at ${w} ms`);
    }
    for (let i = 1; i < flushes.length; i++) assert.ok(flushes[i]!.at - flushes[i - 1]!.at >= 100);
    for (const f of flushes) for (const item of f.items) assert.ok(f.at - pushedAt[item]! <= 100);
  });

  it('coalesces by key: the latest event per key, at the key’s first position', () => {
    const { clock, flushes, batcher } = setup(100, registryEventKey);
    batcher.pushAll([put('/registry/a/1', 2), put('/registry/a/2', 3), del('/registry/a/1', 4), put('/registry/a/3', 5)]);
    assert.equal(batcher.pending, 3);
    clock.advance(0);
    assert.deepEqual(flushes[0]!.items, [del('/registry/a/1', 4), put('/registry/a/2', 3), put('/registry/a/3', 5)]);
  });

  it('feeds a RegistryTree: the coalesced batch gives the same tree as every event', () => {
    const clock = new FakeClock();
    const direct = new RegistryTree();
    const batched = new RegistryTree();
    const batcher = new ChangeBatcher({ clock, keyOf: registryEventKey, flush: (events) => batched.apply(events) });
    const events = [put('/registry/a/1', 2), put('/registry/a/2', 3), del('/registry/a/1', 4), put('/registry/a/1', 5), del('/registry/a/2', 6)];
    direct.apply(events);
    batcher.pushAll(events);
    clock.advance(100);
    assert.deepEqual(batched.children('/registry/a'), direct.children('/registry/a'));
    assert.deepEqual(batched.takeChanged(), direct.takeChanged());
  });

  it('puts events pushed during a flush into the next batch, one interval later', () => {
    const clock = new FakeClock();
    const flushes: Array<{ at: number; items: string[] }> = [];
    const batcher: ChangeBatcher<string> = new ChangeBatcher<string>({
      clock,
      flush: (items) => {
        flushes.push({ at: clock.now(), items });
        if (items.includes('a')) batcher.push('from-flush');
      },
    });
    const t0 = clock.now();
    batcher.push('a');
    clock.advance(99);
    assert.deepEqual(flushes, [{ at: t0, items: ['a'] }]);
    clock.advance(1);
    assert.deepEqual(flushes[1], { at: t0 + 100, items: ['from-flush'] });
  });

  it('flushNow flushes at once and restarts the interval; empty flushes never happen', () => {
    const { clock, flushes, batcher, start } = setup<number>();
    batcher.flushNow();
    assert.equal(flushes.length, 0);
    batcher.push(1);
    batcher.flushNow();
    assert.deepEqual(flushes, [{ at: start, items: [1] }]);
    assert.equal(clock.pendingTimers(), 0);
    clock.advance(30);
    batcher.push(2);
    clock.advance(69);
    assert.equal(flushes.length, 1);
    clock.advance(1);
    assert.deepEqual(flushes[1], { at: start + 100, items: [2] });
  });

  it('reports a throwing flush to onError and keeps batching; rethrows without onError', () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const seen: number[][] = [];
    const b = new ChangeBatcher<number>({
      clock,
      flush: (items) => {
        seen.push(items);
        if (items[0] === 1) throw new Error('boom');
      },
      onError: (e) => errors.push(e),
    });
    b.push(1);
    clock.advance(0);
    b.push(2);
    clock.advance(100);
    assert.deepEqual(seen, [[1], [2]]);
    assert.equal((errors[0] as Error).message, 'boom');
    const bare = new ChangeBatcher<number>({ clock, flush: () => { throw new Error('bare'); } });
    bare.push(1);
    assert.throws(() => bare.flushNow(), /bare/);
    assert.equal(bare.pending, 0);
  });

  it('dispose drops queued items and the timer; later pushes are ignored', () => {
    const { clock, flushes, batcher } = setup<number>();
    batcher.push(1);
    batcher.dispose();
    batcher.push(2);
    clock.advance(1000);
    assert.equal(flushes.length, 0);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('property: any push schedule — order kept, flushes ≥ interval apart, each item ≤ interval late', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 250 }), { maxLength: 200 }), fc.integer({ min: 1, max: 200 }), (gaps, interval) => {
        const { clock, flushes, batcher } = setup<number>(interval);
        const pushedAt: number[] = [];
        gaps.forEach((gap, i) => {
          clock.advance(gap);
          pushedAt.push(clock.now());
          batcher.push(i);
        });
        clock.advance(interval);
        assert.deepEqual(flushes.flatMap((f) => f.items), gaps.map((_, i) => i));
        for (let i = 1; i < flushes.length; i++) assert.ok(flushes[i]!.at - flushes[i - 1]!.at >= interval);
        for (const f of flushes) {
          assert.ok(f.items.length > 0);
          for (const item of f.items) assert.ok(f.at - pushedAt[item]! <= interval);
        }
      }),
      { numRuns: 200 },
    );
  });
});
