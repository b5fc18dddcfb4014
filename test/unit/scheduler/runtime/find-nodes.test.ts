/** findNodesThatFitPod: percentageOfNodesToScore counts, the round-robin start, PreFilter narrowing, the Diagnosis. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState, snapshotOf, Status } from '../../../../src/scheduler/framework';
import { fitErrorMessage } from '../../../../src/scheduler/runtime/fit-error';
import { NodeSearch, numFeasibleNodesToFind } from '../../../../src/scheduler/runtime/find-nodes';
import { makeNode, makePod, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { buildFramework, fakePlugin, type Log } from './fake-plugins';

const manyNodes = (n: number) => Array.from({ length: n }, (_, i) => nodeInfo(makeNode(`n${i}`)));

describe('numFeasibleNodesToFind (upstream table)', () => {
  const cases: [number | undefined, number, number][] = [
    [undefined, 10, 10],
    [undefined, 99, 99],
    [undefined, 100, 100],
    [undefined, 1000, 420],
    [undefined, 5000, 500],
    [undefined, 6000, 300],
    [undefined, 10000, 500],
    [0, 1000, 420],
    [40, 10, 10],
    [40, 1000, 400],
    [10, 500, 100],
    [100, 1000, 1000],
    [5, 6000, 300],
    [1, 20000, 200],
  ];
  for (const [pct, all, want] of cases) {
    it(`percentage ${pct ?? 'unset'} of ${all} nodes → ${want}`, () => assert.equal(numFeasibleNodesToFind(pct, all), want));
  }
});

describe('NodeSearch.findNodesThatFitPod', () => {
  it('filters only as many nodes as needed, and the next pod starts where this one stopped', () => {
    const log: Log = [];
    const nodes = manyNodes(1000);
    const fw = buildFramework([fakePlugin('F', { filter: () => Status.success() }, log), fakePlugin('S', { score: () => 0 }, log)]);
    const search = new NodeSearch();
    const r = search.findNodesThatFitPod(fw, snapshotOf(nodes), new CycleState(), makePod('p'));
    assert.equal(r.feasible.length, 420);
    assert.equal(log.length, 420);
    assert.equal(r.feasible[0].name, 'n0');
    assert.equal(search.nextStartNodeIndex, 420);
    const r2 = search.findNodesThatFitPod(fw, snapshotOf(nodes), new CycleState(), makePod('q'));
    assert.equal(r2.feasible[0].name, 'n420');
    assert.equal(search.nextStartNodeIndex, 840);
    const r3 = search.findNodesThatFitPod(fw, snapshotOf(nodes), new CycleState(), makePod('q'));
    assert.equal(r3.feasible[0].name, 'n840');
    assert.equal(r3.feasible[r3.feasible.length - 1].name, 'n259', 'wraps around');
    assert.equal(search.nextStartNodeIndex, 260);
  });

  it('rejected nodes count as processed; a profile percentage wins over the global one', () => {
    const nodes = manyNodes(200);
    const fw = buildFramework([fakePlugin('F', { filter: (n) => (Number(n.slice(1)) % 2 ? Status.success() : Status.unschedulable('even')) }, []), fakePlugin('S', { score: () => 0 }, [])], { percentageOfNodesToScore: 50 });
    const search = new NodeSearch(10);
    const r = search.findNodesThatFitPod(fw, snapshotOf(nodes), new CycleState(), makePod('p'));
    assert.equal(r.feasible.length, 100);
    assert.equal(r.diagnosis.nodeToStatus.size, 100);
    assert.equal(search.nextStartNodeIndex, 0, '200 processed of 200');
    assert.deepEqual([...r.diagnosis.unschedulablePlugins], ['F']);
  });

  it('without Score plugins one feasible node is enough', () => {
    const log: Log = [];
    const fw = buildFramework([fakePlugin('F', { filter: () => Status.success() }, log)]);
    const r = new NodeSearch().findNodesThatFitPod(fw, snapshotOf(manyNodes(50)), new CycleState(), makePod('p'));
    assert.equal(r.feasible.length, 1);
    assert.equal(log.length, 1);
  });

  it('PreFilter narrowing: only those nodes are filtered, the others count as not satisfying the plugin', () => {
    const log: Log = [];
    const nodes = manyNodes(3);
    const pf = fakePlugin('NodeName', { preFilter: () => ({ result: { nodeNames: new Set(['n1', 'gone']) }, status: Status.success() }) }, log);
    const f = fakePlugin('Fit', { filter: () => Status.unschedulable('Insufficient cpu') }, log);
    const r = new NodeSearch().findNodesThatFitPod(buildFramework([pf, f]), snapshotOf(nodes), new CycleState(), makePod('p'));
    assert.deepEqual(log, ['NodeName.preFilter', 'Fit.filter(n1)']);
    assert.equal(fitErrorMessage(3, r.diagnosis), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeName].");
  });

  it('a PreFilter rejection decides for every node', () => {
    const pf = fakePlugin('P', { preFilter: () => ({ status: Status.unresolvable('pod has unbound immediate PersistentVolumeClaims') }) }, []);
    const r = new NodeSearch().findNodesThatFitPod(buildFramework([pf]), snapshotOf(manyNodes(3)), new CycleState(), makePod('p'));
    assert.equal(r.feasible.length, 0);
    assert.equal(fitErrorMessage(3, r.diagnosis), '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
    assert.deepEqual([...r.diagnosis.unschedulablePlugins], ['P']);
  });

  it('a Filter Error fails the search', () => {
    const f = fakePlugin('F', { filter: () => Status.error('broken') }, []);
    const r = new NodeSearch().findNodesThatFitPod(buildFramework([f]), snapshotOf(manyNodes(3)), new CycleState(), makePod('p'));
    assert.equal(r.error?.code, 'Error');
    assert.equal(r.error?.message(), 'running "F" filter plugin: broken');
  });

  it('tries the nominated node first', () => {
    const log: Log = [];
    const f = fakePlugin('F', { filter: () => Status.success() }, log);
    const pod = { ...makePod('p'), status: { phase: 'Pending', nominatedNodeName: 'n7' } };
    const r = new NodeSearch().findNodesThatFitPod(buildFramework([f, fakePlugin('S', { score: () => 0 }, [])]), snapshotOf(manyNodes(10)), new CycleState(), pod);
    assert.deepEqual(r.feasible.map((n) => n.name), ['n7']);
    assert.deepEqual(log, ['F.filter(n7)']);
  });
});
