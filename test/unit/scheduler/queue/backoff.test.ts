/** Per-pod backoff (upstream TestPriorityQueue_calculateBackoffDuration) and the backoff queue order. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { podInfo, type QueuedPodInfo } from '../../../../src/scheduler/framework';
import { Backoff, backoffDurationMs, BackoffQueue } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';

describe('backoffDurationMs', () => {
  const cases: [string, number, number, number, number][] = [
    ['no attempt, no backoff', 1, 32, 0, 0],
    ['normal', 1, 32, 1, 1],
    ['doubling', 1, 32, 3, 4],
    ['reaches max exactly', 1, 32, 6, 32],
    ['capped at max', 1, 32, 7, 32],
    ['max not a power of two', 1000, 10000, 5, 10000],
    ['no overflow with a huge max', 1, Number.MAX_SAFE_INTEGER, 200, Number.MAX_SAFE_INTEGER],
    ['defaults: 8th attempt', 1000, 10000, 8, 10000],
  ];
  for (const [name, initial, max, attempts, want] of cases) it(name, () => assert.equal(backoffDurationMs(attempts, initial, max), want));

  it('is initial × 2^(attempts-1) capped at max (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), (initial, max, attempts) => {
        assert.equal(backoffDurationMs(attempts, initial, max), Math.min(initial * 2 ** (attempts - 1), max));
      }),
    );
  });
});

function qpi(name: string, timestamp: number, attempts: number, gated = false): QueuedPodInfo {
  return { podInfo: podInfo(makePod(name)), timestamp, attempts, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated };
}

describe('BackoffQueue', () => {
  it('pops completed pods in expiry order and stops at the first still backing off', () => {
    const q = new BackoffQueue(new Backoff(1000, 10000));
    q.addOrUpdate(qpi('late', 0, 4)); // expires 8000
    q.addOrUpdate(qpi('early', 500, 1)); // 1500
    q.addOrUpdate(qpi('mid', 0, 2)); // 2000
    assert.deepEqual(q.popCompleted(1499).map((p) => p.podInfo.pod.metadata?.name), []);
    assert.deepEqual(q.popCompleted(2000).map((p) => p.podInfo.pod.metadata?.name), ['early', 'mid']);
    assert.equal(q.size, 1);
  });

  it('a gated pod never backs off', () => {
    const b = new Backoff(1000, 10000);
    assert.equal(b.isBackingOff(qpi('g', 0, 3, true), 0), false);
    assert.equal(b.isBackingOff(qpi('g', 0, 3), 3999), true);
    assert.equal(b.isBackingOff(qpi('g', 0, 3), 4000), false);
  });
});
