/** The explanation: per-node Filter verdicts (grouped beyond 50 nodes), top-10 scores with raw/normalized/weighted, annotations. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../../../src/scheduler/framework';
import { DecisionStore, explain, explanationAnnotations, type FilterSummary, type FilterVerdicts } from '../../../../src/scheduler/runtime/explain';
import { Diagnosis } from '../../../../src/scheduler/runtime/fit-error';
import { makeNode, nodeInfo } from '../../../helpers/scheduler-fixtures';

const base = { pod: 'default/p', uid: 'u1', time: Date.UTC(2026, 0, 1), profile: 'default-scheduler', filterPlugins: ['A', 'B', 'C'], skippedFilters: new Set(['C']) };

describe('explain', () => {
  it('lists each Filter plugin verdict per node up to the rejecting one', () => {
    const d = new Diagnosis();
    d.nodeToStatus.set('n2', Status.unschedulable('Insufficient cpu').withPlugin('B'));
    const e = explain({ ...base, numAllNodes: 2, feasible: [nodeInfo(makeNode('n1'))], diagnosis: d });
    assert.deepEqual(e.filter as FilterVerdicts, { n1: { A: 'passed', B: 'passed' }, n2: { A: 'passed', B: 'Insufficient cpu' } });
    assert.equal(e.evaluatedNodes, 2);
    assert.equal(e.feasibleNodes, 1);
  });

  it('groups verdicts by plugin and reason above 50 evaluated nodes', () => {
    const d = new Diagnosis();
    for (let i = 0; i < 40; i++) d.nodeToStatus.set(`x${i}`, Status.unschedulable('Insufficient cpu').withPlugin('B'));
    const feasible = Array.from({ length: 11 }, (_, i) => nodeInfo(makeNode(`f${i}`)));
    const e = explain({ ...base, numAllNodes: 100, feasible, diagnosis: d });
    assert.deepEqual((e.filter as FilterSummary).grouped, { passed: 11, 'B: Insufficient cpu': 40 });
  });

  it('keeps the top 3 scored nodes, the chosen one first among ties, with raw/normalized/weighted scores', () => {
    const names = Array.from({ length: 12 }, (_, i) => `n${i}`);
    const totals = names.map((name, i) => ({ name, total: i === 3 || i === 7 ? 300 : i * 10 }));
    const detail = { plugins: ['S'], weights: [3], raw: [names.map((_, i) => i)], normalized: [names.map((_, i) => (i === 3 || i === 7 ? 100 : Math.floor(i * 10 / 3)))] };
    const e = explain({ ...base, numAllNodes: 12, feasible: [], diagnosis: new Diagnosis(), totals, detail, selectedNode: 'n7' });
    assert.equal(e.scores.length, 3);
    assert.deepEqual(e.scores.slice(0, 3).map((s) => [s.node, s.rank, s.total]), [['n7', 1, 300], ['n3', 2, 300], ['n11', 3, 110]]);
    assert.deepEqual(e.scores[0].plugins, { S: { raw: 7, normalized: 100, weighted: 300 } });
    const ann = explanationAnnotations(e);
    assert.deepEqual(JSON.parse(ann['scheduler.kubelab.dev/selected-node']), { node: 'n7', numAllNodes: 12, evaluatedNodes: 0, feasibleNodes: 0 });
    assert.deepEqual(JSON.parse(ann['scheduler.kubelab.dev/score-result']).weights, { S: 3 });
  });

  it('DecisionStore keeps the last decision per pod, bounded', () => {
    const s = new DecisionStore(2);
    const mk = (uid: string, node: string) => ({ ...explain({ ...base, uid, numAllNodes: 0, feasible: [], diagnosis: new Diagnosis() }), selectedNode: node });
    s.set(mk('a', '1'));
    s.set(mk('a', '2'));
    s.set(mk('b', '1'));
    s.set(mk('c', '1'));
    assert.equal(s.get('a'), undefined);
    assert.equal(s.get('b')?.selectedNode, '1');
    assert.equal(s.get('c')?.selectedNode, '1');
  });
});
