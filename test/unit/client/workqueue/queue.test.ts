/** The work queue's core semantics (client-go queue.go): dedup, FIFO, processing exclusivity, shutdown, drain, idle. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { WorkQueue } from '../../../../src/client/workqueue';
import { flush, track } from './harness';

const newQueue = (): WorkQueue => new WorkQueue({ name: 'test', clock: new FakeClock() });

/** Takes every queued key (there must be no waiting getters). */
async function drainQueued(q: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.len() > 0) out.push((await q.get())!);
  return out;
}

describe('WorkQueue: add / get / done', () => {
  it('hands keys out in FIFO order and keeps its name', async () => {
    const q = newQueue();
    assert.equal(q.name, 'test');
    for (const k of ['c', 'a', 'b', 'd']) q.add(k);
    assert.equal(q.len(), 4);
    assert.deepEqual(await drainQueued(q), ['c', 'a', 'b', 'd']);
    assert.equal(q.len(), 0);
  });

  it('ignores add() of a key that is already queued (dedup keeps the first position)', async () => {
    const q = newQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('b');
    q.add('c');
    q.add('a');
    assert.equal(q.len(), 3);
    assert.deepEqual(await drainQueued(q), ['a', 'b', 'c']);
  });

  it('re-queues a key added during processing only at done(), at the tail, once', async () => {
    const q = newQueue();
    q.add('a');
    assert.equal(await q.get(), 'a');
    q.add('a');
    q.add('a');
    q.add('b');
    assert.equal(q.len(), 1, 'a is dirty but not queued while it is processed');
    assert.equal(await q.get(), 'b');
    const waiting = track(q.get());
    await flush();
    assert.equal(waiting.settled, false, 'a must not be handed out while it is processing');
    q.done('a');
    await flush();
    assert.equal(waiting.value, 'a');
    q.done('a');
    q.done('b');
    assert.equal(q.len(), 0);
  });

  it('does not re-queue a key at done() if nobody added it again', async () => {
    const q = newQueue();
    q.add('a');
    await q.get();
    q.done('a');
    assert.equal(q.len(), 0);
    q.add('a');
    assert.equal(q.len(), 1, 'after done() the key is new again');
  });

  it('ignores done() of a key that is not being processed', async () => {
    const q = newQueue();
    q.add('a');
    q.done('a');
    assert.equal(q.len(), 1, 'a queued key is not duplicated');
    q.done('never-seen');
    assert.deepEqual(await drainQueued(q), ['a']);
  });

  it('wakes waiting getters in the order they started waiting', async () => {
    const q = newQueue();
    const g1 = track(q.get());
    const g2 = track(q.get());
    const g3 = track(q.get());
    await flush();
    assert.equal(g1.settled || g2.settled || g3.settled, false);
    q.add('x');
    q.add('y');
    await flush();
    assert.deepEqual([g1.value, g2.value, g3.settled], ['x', 'y', false]);
    assert.equal(q.len(), 0);
    q.add('z');
    await flush();
    assert.equal(g3.value, 'z');
  });
});

describe('WorkQueue: shutdown', () => {
  it('wakes every waiting getter with undefined and ignores later adds', async () => {
    const q = newQueue();
    const getters = [track(q.get()), track(q.get())];
    await flush();
    assert.equal(q.shuttingDown(), false);
    q.shutDown();
    assert.equal(q.shuttingDown(), true);
    await flush();
    assert.deepEqual(getters.map((g) => [g.settled, g.value]), [[true, undefined], [true, undefined]]);
    q.add('late');
    q.addAfter('late', 0);
    q.addAfter('later', 10);
    assert.equal(q.len(), 0);
    assert.equal(q.delayedLen(), 0);
    assert.equal(await q.get(), undefined);
    q.shutDown(); // idempotent
  });

  it('still hands out what was queued before the shutdown, then undefined', async () => {
    const q = newQueue();
    q.add('a');
    q.add('b');
    q.shutDown();
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), undefined);
  });

  it('drops keys waiting on the clock', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ name: 't', clock });
    q.addAfter('a', 100);
    assert.equal(clock.pendingTimers(), 1);
    q.shutDown();
    assert.equal(clock.pendingTimers(), 0);
    clock.advance(1000);
    assert.equal(q.len(), 0);
  });

  it('shutDownWithDrain() waits until every key being processed is done', async () => {
    const q = newQueue();
    q.add('a');
    q.add('b');
    await q.get();
    await q.get();
    const drained = track(q.shutDownWithDrain());
    assert.equal(q.shuttingDown(), true);
    assert.equal(await q.get(), undefined, 'nothing is queued any more');
    await flush();
    assert.equal(drained.settled, false);
    q.done('a');
    await flush();
    assert.equal(drained.settled, false, 'b is still processing');
    q.done('b');
    await flush();
    assert.equal(drained.settled, true);
  });

  it('shutDownWithDrain() resolves at once with nothing processing; shutDown() forces a pending one', async () => {
    const idle = newQueue();
    await idle.shutDownWithDrain();

    const q = newQueue();
    q.add('a');
    await q.get();
    const drained = track(q.shutDownWithDrain());
    await flush();
    assert.equal(drained.settled, false);
    q.shutDown();
    await flush();
    assert.equal(drained.settled, true);
  });
});

describe('WorkQueue: idle()', () => {
  it('resolves only when nothing is queued or processing', async () => {
    const q = newQueue();
    await q.idle();
    q.add('a');
    const idle = track(q.idle());
    await flush();
    assert.equal(idle.settled, false, 'a is queued');
    await q.get();
    q.add('a'); // dirty while processing
    await flush();
    assert.equal(idle.settled, false, 'a is processing');
    q.done('a'); // re-queued
    await flush();
    assert.equal(idle.settled, false, 'a is queued again');
    await q.get();
    q.done('a');
    await flush();
    assert.equal(idle.settled, true);
  });

  it('does not count keys waiting on the clock', async () => {
    const q = newQueue();
    q.addAfter('later', 1000);
    assert.equal(q.delayedLen(), 1);
    await q.idle();
  });
});
