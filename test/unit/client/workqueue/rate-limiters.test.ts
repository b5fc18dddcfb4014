/** The rate limiters against upstream's default_rate_limiters_test.go cases and x/time/rate token-bucket behaviour. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from '../../../../src/client/workqueue';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Calls `when` n times; returns the answers. */
const whens = (l: RateLimiter, item: string, n: number): number[] => Array.from({ length: n }, () => l.when(item));

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per failure per item, counts requeues, and forget resets (upstream test, 1 ms .. 1 s)', () => {
    const l = new ItemExponentialFailureRateLimiter(1, SECOND);
    assert.deepEqual(whens(l, 'one', 5), [1, 2, 4, 8, 16]);
    assert.equal(l.numRequeues('one'), 5);
    assert.deepEqual(whens(l, 'two', 2), [1, 2]);
    assert.equal(l.numRequeues('two'), 2);
    l.forget('one');
    assert.equal(l.numRequeues('one'), 0);
    assert.equal(l.when('one'), 1);
    assert.equal(l.numRequeues('two'), 2, 'forget touches only its item');
  });

  it('gives the controller default sequence 5, 10, 20, … capped at 1000 s', () => {
    const l = new ItemExponentialFailureRateLimiter(5, 1000 * SECOND);
    const seq = whens(l, 'k', 22);
    assert.deepEqual(seq.slice(0, 6), [5, 10, 20, 40, 80, 160]);
    assert.equal(seq[17], 5 * 2 ** 17); // 655.36 s, still under the cap
    assert.equal(seq[18], 1000 * SECOND); // 1310.72 s would exceed it
    assert.deepEqual(seq.slice(18), [1000 * SECOND, 1000 * SECOND, 1000 * SECOND, 1000 * SECOND]);
  });

  it('never overflows (upstream overflow test)', () => {
    const ms = new ItemExponentialFailureRateLimiter(1, 1000 * SECOND);
    whens(ms, 'one', 5);
    assert.equal(ms.when('one'), 32);
    whens(ms, 'overflow1', 1000);
    assert.equal(ms.when('overflow1'), 1000 * SECOND);
    whens(ms, 'overflow1', 2000); // 2 ** 2000 is Infinity in floating point
    assert.equal(ms.when('overflow1'), 1000 * SECOND);

    const min = new ItemExponentialFailureRateLimiter(MINUTE, 1000 * HOUR);
    whens(min, 'two', 2);
    assert.equal(min.when('two'), 4 * MINUTE);
    whens(min, 'overflow2', 1000);
    assert.equal(min.when('overflow2'), 1000 * HOUR);
  });
});

describe('ItemFastSlowRateLimiter', () => {
  it('is fast for maxFastAttempts, then slow; per item; forget resets (upstream test)', () => {
    const l = new ItemFastSlowRateLimiter(5, 10 * SECOND, 3);
    assert.deepEqual(whens(l, 'one', 5), [5, 5, 5, 10 * SECOND, 10 * SECOND]);
    assert.equal(l.numRequeues('one'), 5);
    assert.deepEqual(whens(l, 'two', 2), [5, 5]);
    assert.equal(l.numRequeues('two'), 2);
    l.forget('one');
    assert.equal(l.numRequeues('one'), 0);
    assert.equal(l.when('one'), 5);
  });
});

describe('MaxOfRateLimiter', () => {
  it('answers the worst case, the largest requeue count, and forgets everywhere (upstream test)', () => {
    const l = new MaxOfRateLimiter(
      new ItemFastSlowRateLimiter(5, 3 * SECOND, 3),
      new ItemExponentialFailureRateLimiter(1, SECOND),
    );
    assert.deepEqual(whens(l, 'one', 5), [5, 5, 5, 3 * SECOND, 3 * SECOND]);
    assert.equal(l.numRequeues('one'), 5);
    assert.deepEqual(whens(l, 'two', 2), [5, 5]);
    assert.equal(l.numRequeues('two'), 2);
    l.forget('one');
    assert.equal(l.numRequeues('one'), 0);
    assert.equal(l.when('one'), 5);
  });

  it('with no limiters never delays', () => {
    const l = new MaxOfRateLimiter();
    assert.equal(l.when('x'), 0);
    assert.equal(l.numRequeues('x'), 0);
  });
});

describe('BucketRateLimiter', () => {
  it('at 10 qps / burst 100: 100 immediate, then each reservation 100 ms after the previous one', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter(10, 100, clock);
    assert.deepEqual(whens(l, 'x', 100), Array(100).fill(0));
    assert.deepEqual(whens(l, 'x', 5), [100, 200, 300, 400, 500]);
    assert.equal(l.numRequeues('x'), 0, 'the bucket does not count per item');
  });

  it('refills at qps while time passes, never above burst', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter(10, 100, clock);
    whens(l, 'x', 100);
    clock.advance(100); // one token back
    assert.equal(l.when('x'), 0);
    assert.equal(l.when('x'), 100);
    clock.advance(250); // the debt of one token is repaid and 1.5 tokens refilled
    assert.equal(l.when('x'), 0);
    assert.equal(l.when('x'), 50);
    clock.advance(HOUR); // refills to the burst, not beyond
    assert.deepEqual(whens(l, 'y', 100), Array(100).fill(0));
    assert.equal(l.when('y'), 100);
  });

  it('keeps a 100 ms spacing when callers come every 100 ms after the burst', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter(10, 100, clock);
    whens(l, 'x', 100);
    for (let i = 0; i < 10; i++) {
      assert.equal(l.when('x'), 100, `call ${i}`);
      clock.advance(100);
    }
  });

  it('does not refill (or penalise) when the clock goes backwards', () => {
    let now = 1_000_000;
    const clock = { now: () => now, setTimeout: () => ({ __timer: true as const }), clearTimeout: () => {} };
    const l = new BucketRateLimiter(1, 1, clock);
    assert.equal(l.when('x'), 0);
    now -= 10 * SECOND;
    assert.equal(l.when('x'), 1000);
  });

  it('handles the special rates: Inf never delays, 0 allows the burst then never, burst 0 never', () => {
    const clock = new FakeClock();
    assert.deepEqual(whens(new BucketRateLimiter(Infinity, 0, clock), 'x', 3), [0, 0, 0]);
    assert.deepEqual(whens(new BucketRateLimiter(0, 2, clock), 'x', 3), [0, 0, Infinity]);
    assert.equal(new BucketRateLimiter(10, 0, clock).when('x'), Infinity);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('is the max of exponential(5 ms, 1000 s) and bucket(10 qps, burst 100)', () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter(clock);
    assert.deepEqual(whens(l, 'a', 4), [5, 10, 20, 40]);
    assert.equal(l.numRequeues('a'), 4);
    // 96 more distinct items empty the bucket (100 tokens); the next reservation waits 100 ms, not 5 ms.
    for (let i = 0; i < 96; i++) assert.equal(l.when(`item-${i}`), 5);
    assert.equal(l.when('fresh'), 100);
    l.forget('a');
    assert.equal(l.numRequeues('a'), 0);
    clock.advance(HOUR);
    assert.equal(l.when('a'), 5);
  });
});
