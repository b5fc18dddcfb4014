import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeShouldRunDaemonPod } from '../../../../src/controllers/daemonset/node-should-run';
import { computeCounts, statusUpToDate } from '../../../../src/controllers/daemonset/status';
import { ds, node, pod } from './fixtures';

const NOW = Date.parse('2026-01-01T01:00:00Z');

describe('DaemonSet status counts', () => {
  it('counts desired, current, misscheduled, ready, available, updated, unavailable as upstream', () => {
    const set = ds({ nodeSelector: { run: 'yes' } }, { minReadySeconds: 60 });
    const nodes = [node('a', { run: 'yes' }), node('b', { run: 'yes' }), node('c', { run: 'yes' }), node('d', { run: 'no' }), node('e', { run: 'yes' })];
    const byNode = new Map([
      ['a', [pod('a1', { node: 'a', hash: 'h', ready: true, readySince: '2026-01-01T00:00:00Z' })]],
      ['b', [pod('b1', { node: 'b', hash: 'old', ready: true, readySince: '2026-01-01T00:59:30Z' })]],
      // The oldest pod decides: the older not-ready one, not the newer ready one.
      ['c', [pod('c2', { node: 'c', hash: 'h', ready: true, created: '2026-01-01T00:00:05Z' }), pod('c1', { node: 'c', hash: 'old', created: '2026-01-01T00:00:01Z' })]],
      ['d', [pod('d1', { node: 'd', hash: 'h' })]],
    ]);
    const c = computeCounts(set, nodes, byNode, 'h', NOW, (n) => nodeShouldRunDaemonPod(n, set));
    assert.deepEqual(c, { desiredNumberScheduled: 4, currentNumberScheduled: 3, numberMisscheduled: 1, numberReady: 2, numberAvailable: 1, updatedNumberScheduled: 1, numberUnavailable: 3 });
  });
  it('is up to date only when every count matches and observedGeneration caught up', () => {
    const set = ds();
    const counts = { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 1, numberUnavailable: 1 };
    (set as { status: unknown }).status = { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 1, numberUnavailable: 1, observedGeneration: 1 };
    assert.equal(statusUpToDate(set, counts), true, 'omitted zero counts are zero');
    assert.equal(statusUpToDate(set, { ...counts, numberReady: 1 }), false);
    (set.metadata as { generation: number }).generation = 2;
    assert.equal(statusUpToDate(set, counts), false);
  });
});
