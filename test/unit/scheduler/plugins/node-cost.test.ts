import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeInfo, type NodeScore } from '../../../../src/scheduler/framework';
import { DEFAULT_COST_LABEL, newNodeCost, parseCost } from '../../../../src/scheduler/plugins/node-cost';
import { scorePair, fakeHandle, makeNode, makePod, newState } from '../../../helpers/scheduler-fixtures';

const costed = (name: string, cost?: string, label = DEFAULT_COST_LABEL) => new NodeInfo(makeNode(name, cost === undefined ? {} : { labels: { [label]: cost } }));

function run(infos: NodeInfo[], args?: Record<string, unknown>): { pre: string; scores: NodeScore[] } {
  const p = newNodeCost(args, fakeHandle());
  const state = newState();
  const pre = p.preScore(state, makePod('p'), infos).code;
  if (pre !== 'Success') return { pre, scores: [] };
  return { pre, scores: infos.map((ni) => ({ name: ni.name, score: scorePair(p.score(state, makePod('p'), ni)).score })) };
}

describe('NodeCost (KubeLab)', () => {
  it('the cheapest node scores 100, the most expensive 0, linear in between; no label scores 0', () => {
    const { scores } = run([costed('a', '0.10'), costed('b', '0.20'), costed('c', '0.30'), costed('d'), costed('e', '0.175')]);
    assert.deepEqual(scores, [
      { name: 'a', score: 100 },
      { name: 'b', score: 50 },
      { name: 'c', score: 0 },
      { name: 'd', score: 0 },
      { name: 'e', score: 63 },
    ]);
  });
  it('equal costs all score 100', () => {
    assert.deepEqual(run([costed('a', '1'), costed('b', '1')]).scores.map((s) => s.score), [100, 100]);
  });
  it('PreScore skips when no candidate has a cost; invalid values count as none', () => {
    assert.equal(run([costed('a'), costed('b', 'cheap')]).pre, 'Skip');
  });
  it('reads the label named in args', () => {
    const { scores } = run([costed('a', '3', 'example.com/price'), costed('b', '1', 'example.com/price'), costed('c', '1')], { label: 'example.com/price' });
    assert.deepEqual(scores.map((s) => s.score), [0, 100, 0]);
  });
  it('rejects a label arg that is not a string', () => {
    assert.throws(() => newNodeCost({ label: 3 }, fakeHandle()), /label must be a non-empty string/);
  });
  it('parses plain non-negative decimals only', () => {
    assert.equal(parseCost('0.096'), 0.096);
    assert.equal(parseCost('12'), 12);
    for (const bad of ['', '-1', '1e3', '1.', '.5', 'x', undefined]) assert.equal(parseCost(bad), undefined, String(bad));
  });
  it('Score without PreScore is an Error status', () => {
    assert.equal(scorePair(newNodeCost(undefined, fakeHandle()).score(newState(), makePod('p'), costed('a', '1'))).status.code, 'Error');
  });
});
