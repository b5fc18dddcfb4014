/** prioritizeNodes (Score × weight after NormalizeScore, PreScore Skip) and selectHost (ties by reservoir sampling). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CycleState, Status, type Plugin, type ScoreOutcome } from '../../../../src/scheduler/framework';
import { prioritizeNodes, selectHost } from '../../../../src/scheduler/runtime/score';
import { makeNode, makePod, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { buildFramework, fakePlugin, type Log } from './fake-plugins';

const nodes = ['n1', 'n2', 'n3'].map((n) => nodeInfo(makeNode(n)));
const raw: Record<string, number> = { n1: 10, n2: 20, n3: 40 };

describe('prioritizeNodes', () => {
  it('normalizes, multiplies by the weight and sums; keeps raw and normalized for the explanation', () => {
    const log: Log = [];
    const a = fakePlugin('A', { score: (n) => raw[n], normalize: (s) => s.forEach((x) => (x.score = (x.score * 100) / 40)) }, log);
    const b = fakePlugin('B', { score: (n) => (n === 'n1' ? 100 : 0) }, log);
    const fw = buildFramework([a, b], { weights: { A: 2, B: 3 } });
    const r = prioritizeNodes(fw, new CycleState(), makePod('p'), nodes, true);
    assert.deepEqual(r.totals, [{ name: 'n1', total: 2 * 25 + 300 }, { name: 'n2', total: 2 * 50 }, { name: 'n3', total: 200 }]);
    assert.deepEqual(r.detail, { plugins: ['A', 'B'], weights: [2, 3], raw: [[10, 20, 40], [100, 0, 0]], normalized: [[25, 50, 100], [100, 0, 0]] });
  });

  it('default weight is 1; PreScore Skip skips that plugin\'s Score', () => {
    const log: Log = [];
    const a = fakePlugin('A', { preScore: () => Status.skip(), score: () => 50 }, log);
    const b = fakePlugin('B', { preScore: () => Status.success(), score: () => 7 }, log);
    const r = prioritizeNodes(buildFramework([a, b]), new CycleState(), makePod('p'), nodes, false);
    assert.deepEqual(r.totals.map((t) => t.total), [7, 7, 7]);
    assert.ok(!log.some((l) => l.startsWith('A.score')));
  });

  it('a score out of [0, 100] after normalizing is an error', () => {
    const r = prioritizeNodes(buildFramework([fakePlugin('A', { score: () => 101 }, [])]), new CycleState(), makePod('p'), nodes, false);
    assert.equal(r.error?.message(), 'plugin "A" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
  });

  it('a plugin that returns an error Status or throws fails the cycle, naming the plugin', () => {
    const failing = (name: string, score: () => ScoreOutcome) => ({ name, score }) as Plugin;
    const bad = prioritizeNodes(buildFramework([failing('A', () => Status.error('boom'))]), new CycleState(), makePod('p'), nodes, false);
    assert.equal(bad.error?.message(), 'plugin "A" failed with: boom');
    assert.equal(bad.error?.plugin, 'A');
    const thrown = prioritizeNodes(buildFramework([failing('T', () => { throw new Error('kaput'); })]), new CycleState(), makePod('p'), nodes, false);
    assert.equal(thrown.error?.message(), 'plugin "T" failed with: kaput');
    const ok = prioritizeNodes(buildFramework([failing('S', () => Status.success())]), new CycleState(), makePod('p'), nodes, false);
    assert.equal(ok.error?.message(), 'plugin "S" failed with: plugin "S" returned a success Status instead of a score');
  });

  it('without Score plugins every node scores 1', () => {
    const r = prioritizeNodes(buildFramework([]), new CycleState(), makePod('p'), nodes, false);
    assert.deepEqual(r.totals.map((t) => t.total), [1, 1, 1]);
  });
});

describe('selectHost', () => {
  it('picks the highest total', () => {
    assert.equal(selectHost([{ name: 'a', total: 1 }, { name: 'b', total: 9 }, { name: 'c', total: 3 }]), 'b');
  });

  it('breaks ties by reservoir sampling (each tied node 1/k)', () => {
    const ties = [{ name: 'a', total: 5 }, { name: 'x', total: 1 }, { name: 'b', total: 5 }, { name: 'c', total: 5 }];
    // rand(k) === 0 replaces the candidate: always 0 → the last tie; never 0 → the first.
    assert.equal(selectHost(ties, () => 0), 'c');
    assert.equal(selectHost(ties, (k) => k - 1), 'a');
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 3000; i++) counts[selectHost(ties)]++;
    for (const k of ['a', 'b', 'c']) assert.ok(counts[k] > 800 && counts[k] < 1200, `${k}: ${counts[k]}`);
  });

  it('always returns a node with the maximal total (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 30 }), (totals) => {
        const list = totals.map((t, i) => ({ name: `n${i}`, total: t }));
        const host = selectHost(list);
        return list.find((l) => l.name === host)!.total === Math.max(...totals);
      }),
    );
  });
});
