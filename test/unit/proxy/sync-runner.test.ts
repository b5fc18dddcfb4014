import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/base/clock';
import { SyncRunner } from '../../../src/proxy/sync-runner';

const flush = () => new Promise((r) => setImmediate(r));

describe('SyncRunner (BoundedFrequencyRunner)', () => {
  it('runs a request at once, folds requests within minInterval into one, and runs periodically', async () => {
    const clock = new FakeClock();
    const runs: [number, boolean][] = [];
    const r = new SyncRunner(clock, async (periodic) => void runs.push([clock.now() - t0, periodic]), 1000, 30_000, (e) => assert.fail(String(e)));
    const t0 = clock.now();
    r.start();
    r.request();
    clock.advance(0);
    await flush();
    assert.deepEqual(runs, [[0, false]]);
    r.request();
    r.request();
    clock.advance(500);
    await flush();
    assert.equal(runs.length, 1, 'not before minInterval');
    clock.advance(500);
    await flush();
    assert.deepEqual(runs[1], [1000, false]);
    clock.advance(30_000);
    await flush();
    assert.deepEqual(runs[2], [31_000, true]);
    await r.stop();
    r.request();
    clock.advance(60_000);
    await flush();
    assert.equal(runs.length, 3, 'nothing after stop');
  });

  it('reports errors and keeps running', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let n = 0;
    const r = new SyncRunner(clock, async () => {
      n++;
      if (n === 1) throw new Error('boom');
    }, 0, 10_000, (e) => errors.push(e));
    r.start();
    r.request();
    clock.advance(0);
    await flush();
    r.request();
    clock.advance(0);
    await flush();
    await r.idle();
    assert.equal(n, 2);
    assert.equal(errors.length, 1);
    await r.stop();
  });

  it('counts the period from a run the caller made itself (start(true)); retryAfter runs once, not before minInterval', async () => {
    const clock = new FakeClock();
    const runs: [number, boolean][] = [];
    const t0 = clock.now();
    const r = new SyncRunner(clock, async (periodic) => void runs.push([clock.now() - t0, periodic]), 1000, 60_000, (e) => assert.fail(String(e)));
    r.start(true);
    clock.advance(30_000);
    await flush();
    assert.deepEqual(runs, [], 'no run right after start(true)');
    r.retryAfter(5000);
    r.retryAfter(20_000);
    clock.advance(4999);
    await flush();
    assert.deepEqual(runs, []);
    clock.advance(1);
    await flush();
    assert.deepEqual(runs, [[35_000, false]], 'the earliest retry asked for, not periodic');
    clock.advance(59_999);
    await flush();
    assert.equal(runs.length, 1, 'the later retry was folded into the first');
    clock.advance(1);
    await flush();
    assert.deepEqual(runs[1], [95_000, true], 'then the period again');
    r.request();
    r.retryAfter(0);
    clock.advance(999);
    await flush();
    assert.equal(runs.length, 2, 'a retry keeps minInterval too');
    clock.advance(1);
    await flush();
    assert.deepEqual(runs[2], [96_000, false]);
    r.retryAfter(10);
    await r.stop();
    clock.advance(100_000);
    await flush();
    assert.equal(runs.length, 3, 'stop drops a pending retry');
  });
});
