import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { podInfo, type QueuedPodInfo } from '../../../../src/scheduler/framework';
import { newPrioritySort, podPriority } from '../../../../src/scheduler/plugins/priority-sort';
import { fakeHandle, makePod } from '../../../helpers/scheduler-fixtures';

function qpi(name: string, priority: number | undefined, timestamp: number): QueuedPodInfo {
  return { podInfo: podInfo(makePod(name, { priority })), timestamp, attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false };
}

describe('PrioritySort Less (upstream TestLess)', () => {
  const low = 10;
  const high = 100;
  const t = Date.UTC(2026, 0, 1);
  const cases: [string, QueuedPodInfo, QueuedPodInfo, boolean][] = [
    ['p1.priority less than p2.priority', qpi('t1', low, t), qpi('t2', high, t), false],
    ['p1.priority greater than p2.priority', qpi('t1', high, t), qpi('t2', low, t), true],
    ['equal priority. p1 is added to schedulingQ earlier than p2', qpi('t1', high, t), qpi('t2', high, t + 1000), true],
    ['equal priority. p2 is added to schedulingQ earlier than p1', qpi('t1', high, t + 1000), qpi('t2', high, t), false],
    ['a pod without priority counts as 0', qpi('t1', undefined, t), qpi('t2', -1, t), true],
  ];
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(newPrioritySort(undefined, fakeHandle()).less(a, b), want));

  it('podPriority defaults to 0', () => assert.equal(podPriority(makePod('p')), 0));

  it('is a strict weak order (irreflexive, asymmetric, transitive)', () => {
    const ps = newPrioritySort(undefined, fakeHandle());
    let n = 0;
    const arb = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([p, ts]) => qpi(`p${++n}`, p, ts));
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        assert.equal(ps.less(a, a), false);
        if (ps.less(a, b)) assert.equal(ps.less(b, a), false);
        if (ps.less(a, b) && ps.less(b, c)) assert.equal(ps.less(a, c), true);
      }),
    );
  });
});
