/** addAfter / addRateLimited (client-go delaying_queue.go, rate_limiting_queue.go) on a FakeClock. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { ItemExponentialFailureRateLimiter, WorkQueue } from '../../../../src/client/workqueue';
import { flush, track } from './harness';

function setup(): { clock: FakeClock; q: WorkQueue } {
  const clock = new FakeClock();
  return { clock, q: new WorkQueue({ name: 'delaying', clock }) };
}

async function drainQueued(q: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.len() > 0) out.push((await q.get())!);
  return out;
}

describe('WorkQueue: addAfter', () => {
  it('adds at once when ms <= 0', () => {
    const { q } = setup();
    q.addAfter('zero', 0);
    q.addAfter('negative', -5);
    assert.equal(q.len(), 2);
    assert.equal(q.delayedLen(), 0);
  });

  it('adds the key exactly when the deadline is reached (upstream TestSimpleQueue)', async () => {
    const { clock, q } = setup();
    q.addAfter('foo', 50);
    assert.equal(q.len(), 0);
    clock.advance(49);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'foo');
    assert.equal(q.delayedLen(), 0);
    assert.equal(clock.pendingTimers(), 0, 'no timer left armed');
  });

  it('fires keys in deadline order, whatever the order of the calls', async () => {
    const { clock, q } = setup();
    const plan: Array<[string, number]> = [['e', 50], ['a', 10], ['d', 40], ['b', 20], ['c', 30]];
    for (const [k, ms] of plan) q.addAfter(k, ms);
    clock.advance(25);
    assert.deepEqual(await drainQueued(q), ['a', 'b']);
    clock.advance(100);
    assert.deepEqual(await drainQueued(q), ['c', 'd', 'e']);
  });

  it('fires equal deadlines in the order the keys were added', async () => {
    const { clock, q } = setup();
    for (const k of ['x', 'y', 'z', 'w']) q.addAfter(k, 10);
    clock.advance(10);
    assert.deepEqual(await drainQueued(q), ['x', 'y', 'z', 'w']);
  });

  it('keeps the earlier deadline when a waiting key is added again (upstream TestDeduping)', async () => {
    const { clock, q } = setup();
    q.addAfter('foo', 50);
    q.addAfter('foo', 70); // later: ignored
    clock.advance(60);
    assert.deepEqual(await drainQueued(q), ['foo']);
    q.done('foo');
    clock.advance(100);
    assert.equal(q.len(), 0, 'the later deadline was not kept as a second entry');

    q.addAfter('foo', 70);
    q.addAfter('foo', 50); // earlier: moves the key forward
    clock.advance(60);
    assert.deepEqual(await drainQueued(q), ['foo']);
    q.done('foo');
    clock.advance(100);
    assert.equal(q.len(), 0);
  });

  it('moves a key earlier past other keys (upstream TestAddTwoFireEarly)', async () => {
    const { clock, q } = setup();
    q.addAfter('foo', 1000);
    q.addAfter('bar', 50);
    clock.advance(60);
    assert.deepEqual(await drainQueued(q), ['bar']);
    q.addAfter('foo', 20);
    clock.advance(30);
    assert.deepEqual(await drainQueued(q), ['foo']);
    clock.advance(2000);
    assert.equal(q.len(), 0, 'the original 1000 ms deadline is gone');
  });

  it('treats the waiting key independently of the queue: it is added again when it fires', async () => {
    const { clock, q } = setup();
    q.addAfter('a', 100);
    q.add('a');
    assert.equal(await q.get(), 'a');
    q.done('a');
    clock.advance(100);
    assert.equal(q.len(), 1, 'the delayed add still happens');
    q.add('b');
    q.addAfter('b', 10);
    clock.advance(10);
    assert.deepEqual(await drainQueued(q), ['a', 'b'], 'and dedups against a queued key');
  });

  it('marks a processing key dirty when its deadline fires, delivering it after done()', async () => {
    const { clock, q } = setup();
    q.add('a');
    assert.equal(await q.get(), 'a');
    q.addAfter('a', 10);
    clock.advance(10);
    const next = track(q.get());
    await flush();
    assert.equal(next.settled, false);
    q.done('a');
    await flush();
    assert.equal(next.value, 'a');
  });

  it('wakes a waiting getter when a delayed key fires', async () => {
    const { clock, q } = setup();
    const g = track(q.get());
    q.addAfter('a', 5);
    await flush();
    assert.equal(g.settled, false);
    clock.advance(5);
    await flush();
    assert.equal(g.value, 'a');
  });

  it('keeps one clock timer for many waiting keys', () => {
    const { clock, q } = setup();
    for (let i = 0; i < 50; i++) q.addAfter(`k${i}`, 1000 - i);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(q.delayedLen(), 50);
    clock.advance(1000);
    assert.equal(q.len(), 50);
    assert.equal(clock.pendingTimers(), 0);
  });
});

describe('WorkQueue: addRateLimited / forget / numRequeues', () => {
  it('delays by the limiter, counts requeues, and forget resets the backoff', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ name: 'rl', clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000_000) });
    const fireTimes: number[] = [];
    const start = clock.now();
    for (let attempt = 0; attempt < 4; attempt++) {
      q.addRateLimited('k');
      while (q.len() === 0) clock.advance(1);
      fireTimes.push(clock.now() - start);
      assert.equal(await q.get(), 'k');
      q.done('k');
    }
    // Waits of 5, 10, 20, 40 ms, one after the other.
    assert.deepEqual(fireTimes, [5, 15, 35, 75]);
    assert.equal(q.numRequeues('k'), 4);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.addRateLimited('k');
    clock.advance(4);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
  });

  it('uses the default controller limiter when none is given (5 ms for a first failure)', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ name: 'default', clock });
    q.addRateLimited('k');
    clock.advance(4);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(q.numRequeues('k'), 1);
  });

  it('keeps a key the limiter says never to retry (Infinity) waiting without a timer', () => {
    const clock = new FakeClock();
    const never = { when: () => Infinity, forget: () => {}, numRequeues: () => 0 };
    const q = new WorkQueue({ name: 'never', clock, rateLimiter: never });
    q.addRateLimited('k');
    assert.equal(q.delayedLen(), 1);
    assert.equal(clock.pendingTimers(), 0);
    q.addAfter('k', 10); // an earlier deadline still wins
    clock.advance(10);
    assert.equal(q.len(), 1);
  });
});
