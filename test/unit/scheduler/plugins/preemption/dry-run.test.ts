/**
 * DefaultPreemption's dry run, candidate selection and custom policies, with upstream's table cases
 * (TestDryRunPreemption, TestSelectBestCandidate, TestCustomSelection, TestCustomOrdering). Go's seeded random
 * offsets are replaced by the offsets upstream's comments state (cycle 0 → 4, 1 → 1, 2 → 3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, Status, type Code, type NodeInfo, type Pod } from '../../../../../src/scheduler/framework';
import { pickOneNodeForPreemption } from '../../../../../src/scheduler/plugins/preemption/candidates';
import { parsePDBs } from '../../../../../src/scheduler/plugins/preemption/pdb';
import { handleFor, high, largeRes, low, mediumRes, mid, neg, node, pdb, plugin, pod, smallRes, veryHigh, veryLargeRes, type P } from './fixtures';

type Pods = [string, P][];
const mk = (ps: Pods) => ps.map(([n, o]) => pod(n, o));

interface DryRunCase {
  name: string;
  args?: Record<string, unknown>;
  nodes: string[];
  testPods: Pods;
  initPods: Pods;
  filters?: ((p: Pod, ni: NodeInfo) => Status)[];
  pdbs?: Record<string, unknown>[];
  fakeFilterRC?: Code;
  offsets?: number[];
  expected: [string, string[], number?][][];
  filterCalls: number[];
}

const falseFilter = () => Status.unschedulable('Nodes failed the predicate');
const trueFilter = () => Status.success();
const matchFilter = (p: Pod, ni: NodeInfo) => (p.metadata?.name === ni.name ? Status.success() : Status.unschedulable('Node name does not match'));
const n2 = ['node1', 'node2'];
const n5 = ['node1', 'node2', 'node3', 'node4', 'node5'];
const foo = { app: 'foo' };

const dryRunCases: DryRunCase[] = [
  { name: 'a pod that does not fit on any node', filters: [falseFilter], nodes: n2, testPods: [['p', { priority: high }]], initPods: [['p1', { node: 'node1', priority: mid }], ['p2', { node: 'node2', priority: mid }]], expected: [[]], filterCalls: [2] },
  { name: 'a pod that fits with no preemption', filters: [trueFilter], fakeFilterRC: 'Unschedulable', nodes: n2, testPods: [['p', { priority: high }]], initPods: [['p1', { node: 'node1', priority: mid }], ['p2', { node: 'node2', priority: mid }]], expected: [[]], filterCalls: [2] },
  { name: 'a pod that fits on one node with no preemption', filters: [matchFilter], fakeFilterRC: 'Unschedulable', nodes: n2, testPods: [['node1', { priority: high }]], initPods: [['p1', { node: 'node1', priority: mid }], ['p2', { node: 'node2', priority: mid }]], expected: [[]], filterCalls: [2] },
  {
    name: 'a pod that fits on both nodes when lower priority pods are preempted', nodes: n2, testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [['p1', { node: 'node1', priority: mid, req: largeRes }], ['p2', { node: 'node2', priority: mid, req: largeRes }]],
    expected: [[['node1', ['p1']], ['node2', ['p2']]]], filterCalls: [4],
  },
  {
    name: 'a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen', nodes: n2, testPods: [['p', { priority: low, req: largeRes }]],
    initPods: [['p1', { node: 'node1', priority: mid, req: largeRes }], ['p2', { node: 'node2', priority: mid, req: largeRes }]], expected: [[]], filterCalls: [0],
  },
  {
    name: 'medium priority pod is preempted, but lower priority one stays as it is small', nodes: n2, testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [['p1.1', { node: 'node1', priority: low, req: smallRes }], ['p1.2', { node: 'node1', priority: mid, req: largeRes }], ['p2', { node: 'node2', priority: mid, req: largeRes }]],
    expected: [[['node1', ['p1.2']], ['node2', ['p2']]]], filterCalls: [5],
  },
  {
    name: 'mixed priority pods are preempted', nodes: n2, testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [['p1.1', { node: 'node1', priority: mid, req: smallRes }], ['p1.2', { node: 'node1', priority: low, req: smallRes }], ['p1.3', { node: 'node1', priority: mid, req: mediumRes }], ['p1.4', { node: 'node1', priority: high, req: smallRes }], ['p2', { node: 'node2', priority: high, req: largeRes }]],
    expected: [[['node1', ['p1.2', 'p1.3']]]], filterCalls: [4],
  },
  {
    name: 'mixed priority pods are preempted, pick later StartTime one when priorities are equal', nodes: n2, testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [['p1.1', { node: 'node1', priority: low, req: smallRes, start: 5 }], ['p1.2', { node: 'node1', priority: low, req: smallRes, start: 4 }], ['p1.3', { node: 'node1', priority: mid, req: mediumRes, start: 3 }], ['p1.4', { node: 'node1', priority: high, req: smallRes, start: 2 }], ['p2', { node: 'node2', priority: high, req: largeRes, start: 1 }]],
    expected: [[['node1', ['p1.1', 'p1.3']]]], filterCalls: [4],
  },
  {
    name: 'get Unschedulable in the preemption phase when the filter plugins filtering the nodes', fakeFilterRC: 'Unschedulable', nodes: n2, testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [['p1', { node: 'node1', priority: mid, req: largeRes }], ['p2', { node: 'node2', priority: mid, req: largeRes }]], expected: [[]], filterCalls: [2],
  },
  {
    name: 'preemption with violation of same pdb', nodes: ['node1'], testPods: [['p', { priority: high, req: veryLargeRes }]],
    initPods: [['p1.1', { node: 'node1', labels: foo, priority: mid, req: mediumRes }], ['p1.2', { node: 'node1', labels: foo, priority: mid, req: mediumRes }]],
    pdbs: [pdb('pdb', foo, 1)], expected: [[['node1', ['p1.1', 'p1.2'], 1]]], filterCalls: [3],
  },
  {
    name: "preemption with violation of the pdb with pod whose eviction was processed, the victim doesn't belong to DisruptedPods", nodes: ['node1'], testPods: [['p', { priority: high, req: veryLargeRes }]],
    initPods: [['p1.1', { node: 'node1', labels: foo, priority: mid, req: mediumRes }], ['p1.2', { node: 'node1', labels: foo, priority: mid, req: mediumRes }]],
    pdbs: [pdb('pdb', foo, 1, ['p2'])], expected: [[['node1', ['p1.1', 'p1.2'], 1]]], filterCalls: [3],
  },
  {
    name: 'preemption with violation of the pdb with pod whose eviction was processed, the victim belongs to DisruptedPods', nodes: ['node1'], testPods: [['p', { priority: high, req: veryLargeRes }]],
    initPods: [['p1.1', { node: 'node1', labels: foo, priority: mid, req: mediumRes }], ['p1.2', { node: 'node1', labels: foo, priority: mid, req: mediumRes }]],
    pdbs: [pdb('pdb', foo, 1, ['p1.2'])], expected: [[['node1', ['p1.1', 'p1.2'], 0]]], filterCalls: [3],
  },
  {
    name: "preemption with violation of the pdb with pod whose eviction was processed, the victim which belongs to DisruptedPods is treated as 'nonViolating'", nodes: ['node1'], testPods: [['p', { priority: high, req: veryLargeRes }]],
    initPods: [['p1.1', { node: 'node1', labels: foo, priority: mid, req: mediumRes }], ['p1.2', { node: 'node1', labels: foo, priority: mid, req: mediumRes }], ['p1.3', { node: 'node1', labels: foo, priority: mid, req: mediumRes }]],
    pdbs: [pdb('pdb', foo, 1, ['p1.3'])], expected: [[['node1', ['p1.1', 'p1.2', 'p1.3'], 1]]], filterCalls: [4],
  },
  {
    name: 'all nodes are possible candidates, but DefaultPreemptionArgs limits to 2', args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, nodes: n5, offsets: [4], testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [1, 2, 3, 4, 5].map((i) => [`p${i}`, { node: `node${i}`, priority: mid, req: largeRes }]), expected: [[['node1', ['p1']], ['node5', ['p5']]]], filterCalls: [4],
  },
  {
    name: 'some nodes are not possible candidates, DefaultPreemptionArgs limits to 2', args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, nodes: n5, offsets: [4], testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [1, 2, 3, 4, 5].map((i) => [`p${i}`, { node: `node${i}`, priority: i === 2 || i === 5 ? veryHigh : mid, req: largeRes }]), expected: [[['node1', ['p1']], ['node3', ['p3']]]], filterCalls: [4],
  },
  {
    name: 'preemption offset across multiple scheduling cycles and wrap around', args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, nodes: n5, offsets: [4, 1, 3],
    testPods: [['tp1', { priority: high, req: largeRes }], ['tp2', { priority: high, req: largeRes }], ['tp3', { priority: high, req: largeRes }]],
    initPods: [1, 2, 3, 4, 5].map((i) => [`p${i}`, { node: `node${i}`, priority: mid, req: largeRes }]),
    expected: [[['node1', ['p1']], ['node5', ['p5']]], [['node2', ['p2']], ['node3', ['p3']]], [['node4', ['p4']], ['node5', ['p5']]]], filterCalls: [4, 4, 4],
  },
  {
    name: 'preemption looks past numCandidates until a non-PDB violating node is found', args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 2 }, nodes: n5, offsets: [4], testPods: [['p', { priority: high, req: largeRes }]],
    initPods: [1, 2, 3, 4, 5].map((i) => [`p${i}`, { node: `node${i}`, priority: mid, req: largeRes, labels: i === 3 || i === 4 ? {} : foo }]),
    pdbs: [pdb('pdb', foo, 0)], expected: [[['node1', ['p1'], 1], ['node3', ['p3']], ['node5', ['p5'], 1]]], filterCalls: [8],
  },
];

for (const tc of dryRunCases) {
  test(`DryRunPreemption: ${tc.name}`, () => {
    const { handle, calls, nodeInfos } = handleFor({ nodes: tc.nodes.map((n) => node(n, veryLargeRes)), pods: mk(tc.initPods), filters: tc.filters, fakeFilterRC: tc.fakeFilterRC, pdbs: tc.pdbs });
    const pl = plugin(handle, tc.args, tc.offsets);
    let prev = 0;
    mk(tc.testPods).forEach((p, cycle) => {
      const [offset, num] = pl.getOffsetAndNumCandidates(nodeInfos.length);
      const got = pl.evaluator.dryRunPreemption(new CycleState(), p, nodeInfos, parsePDBs((tc.pdbs ?? []) as never), offset, num).candidates;
      const view = got
        .map((c) => [c.name, c.victims.map((v) => String(v.metadata?.name)).sort(), c.numPDBViolations])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(view, tc.expected[cycle].map(([n, v, k]) => [n, v, k ?? 0]), `cycle ${cycle}`);
      assert.equal(calls.filter - prev, tc.filterCalls[cycle], `cycle ${cycle}: filter calls`);
      prev = calls.filter;
    });
  });
}

interface BestCase {
  name: string;
  nodes: string[];
  pod: [string, P];
  pods: Pods;
  expected: string[];
}

const n3 = ['node1', 'node2', 'node3'];
const best: BestCase[] = [
  { name: 'a pod that fits on both nodes when lower priority pods are preempted', nodes: n2, pod: ['p', { priority: high, req: largeRes }], pods: [['p1', { node: 'node1', priority: mid, req: largeRes, start: 0 }], ['p2', { node: 'node2', priority: mid, req: largeRes, start: 0 }]], expected: ['node1', 'node2'] },
  {
    name: 'node with min highest priority pod is picked', nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: mediumRes }], ['p1.2', { node: 'node1', priority: mid, req: largeRes }], ['p2.1', { node: 'node2', priority: mid, req: mediumRes }], ['p2.2', { node: 'node2', priority: low, req: mediumRes }], ['p3.1', { node: 'node3', priority: low, req: mediumRes }], ['p3.2', { node: 'node3', priority: low, req: mediumRes }]],
    expected: ['node3'],
  },
  {
    name: 'when highest priorities are the same, minimum sum of priorities is picked', nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: mediumRes }], ['p1.2', { node: 'node1', priority: mid, req: largeRes }], ['p2.1', { node: 'node2', priority: mid, req: largeRes }], ['p2.2', { node: 'node2', priority: low, req: mediumRes }], ['p3.1', { node: 'node3', priority: mid, req: mediumRes }], ['p3.2', { node: 'node3', priority: mid, req: mediumRes }]],
    expected: ['node2'],
  },
  {
    name: 'when highest priority and sum are the same, minimum number of pods is picked', nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: smallRes }], ['p1.2', { node: 'node1', priority: neg, req: smallRes }], ['p1.3', { node: 'node1', priority: mid, req: smallRes }], ['p1.4', { node: 'node1', priority: neg, req: smallRes }], ['p2.1', { node: 'node2', priority: mid, req: largeRes }], ['p2.2', { node: 'node2', priority: neg, req: mediumRes }], ['p3.1', { node: 'node3', priority: mid, req: mediumRes }], ['p3.2', { node: 'node3', priority: neg, req: smallRes }], ['p3.3', { node: 'node3', priority: low, req: smallRes }]],
    expected: ['node2'],
  },
  {
    name: 'sum of adjusted priorities is considered', nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: smallRes }], ['p1.2', { node: 'node1', priority: neg, req: smallRes }], ['p1.3', { node: 'node1', priority: neg, req: smallRes }], ['p2.1', { node: 'node2', priority: mid, req: largeRes }], ['p2.2', { node: 'node2', priority: neg, req: mediumRes }], ['p3.1', { node: 'node3', priority: mid, req: mediumRes }], ['p3.2', { node: 'node3', priority: neg, req: smallRes }], ['p3.3', { node: 'node3', priority: low, req: smallRes }]],
    expected: ['node2'],
  },
  {
    name: 'non-overlapping lowest high priority, sum priorities, and number of pods', nodes: ['node1', 'node2', 'node3', 'node4'], pod: ['p', { priority: veryHigh, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: smallRes }], ['p1.2', { node: 'node1', priority: low, req: smallRes }], ['p1.3', { node: 'node1', priority: low, req: smallRes }], ['p2.1', { node: 'node2', priority: high, req: largeRes }], ['p3.1', { node: 'node3', priority: mid, req: mediumRes }], ['p3.2', { node: 'node3', priority: low, req: smallRes }], ['p3.3', { node: 'node3', priority: low, req: smallRes }], ['p3.4', { node: 'node3', priority: low, req: mediumRes }], ['p4.1', { node: 'node4', priority: mid, req: mediumRes }], ['p4.2', { node: 'node4', priority: mid, req: smallRes }], ['p4.3', { node: 'node4', priority: mid, req: smallRes }], ['p4.4', { node: 'node4', priority: neg, req: smallRes }]],
    expected: ['node1'],
  },
  {
    name: "same priority, same number of victims, different start time for each node's pod", nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: mediumRes, start: 2 }], ['p1.2', { node: 'node1', priority: mid, req: mediumRes, start: 2 }], ['p2.1', { node: 'node2', priority: mid, req: mediumRes, start: 3 }], ['p2.2', { node: 'node2', priority: mid, req: mediumRes, start: 3 }], ['p3.1', { node: 'node3', priority: mid, req: mediumRes, start: 1 }], ['p3.2', { node: 'node3', priority: mid, req: mediumRes, start: 1 }]],
    expected: ['node2'],
  },
  {
    name: 'same priority, same number of victims, different start time for all pods', nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: mid, req: mediumRes, start: 4 }], ['p1.2', { node: 'node1', priority: mid, req: mediumRes, start: 2 }], ['p2.1', { node: 'node2', priority: mid, req: mediumRes, start: 5 }], ['p2.2', { node: 'node2', priority: mid, req: mediumRes, start: 1 }], ['p3.1', { node: 'node3', priority: mid, req: mediumRes, start: 3 }], ['p3.2', { node: 'node3', priority: mid, req: mediumRes, start: 6 }]],
    expected: ['node3'],
  },
  {
    name: 'different priority, same number of victims, different start time for all pods', nodes: n3, pod: ['p', { priority: high, req: veryLargeRes }],
    pods: [['p1.1', { node: 'node1', priority: low, req: mediumRes, start: 4 }], ['p1.2', { node: 'node1', priority: mid, req: mediumRes, start: 2 }], ['p2.1', { node: 'node2', priority: mid, req: mediumRes, start: 6 }], ['p2.2', { node: 'node2', priority: low, req: mediumRes, start: 1 }], ['p3.1', { node: 'node3', priority: low, req: mediumRes, start: 3 }], ['p3.2', { node: 'node3', priority: mid, req: mediumRes, start: 5 }]],
    expected: ['node2'],
  },
];

for (const tc of best) {
  test(`SelectBestCandidate: ${tc.name}`, () => {
    const { handle, nodeInfos } = handleFor({ nodes: tc.nodes.map((n) => node(n, veryLargeRes)), pods: mk(tc.pods.map(([n, o]) => [n, { start: 0, ...o }])) });
    const pl = plugin(handle);
    const [offset, num] = pl.getOffsetAndNumCandidates(nodeInfos.length);
    const { candidates } = pl.evaluator.dryRunPreemption(new CycleState(), pod(...tc.pod), nodeInfos, [], offset, num);
    const s = pl.evaluator.selectCandidate(candidates);
    assert.ok(s && tc.expected.includes(s.name), `got ${s?.name}, want one of ${tc.expected.join(', ')}`);
  });
}

test('CustomSelection: IsEligiblePod filters victims (label, node name, priority thresholds)', () => {
  const nodes4 = ['node1', 'node2', 'node3', 'node4'];
  const pods: Pods = [['v1', { labels: { preemptible: 'no' }, node: 'node1', priority: mid, req: largeRes, start: 0 }], ['v2', { labels: { preemptible: 'yes' }, node: 'node2', priority: mid, req: largeRes, start: 0 }], ['v3', { labels: { preemptible: 'yes' }, node: 'node3', priority: low, req: largeRes, start: 0 }], ['v4', { node: 'node4', priority: low, req: largeRes, start: 0 }]];
  const run = (priority: number, eligible: (v: Pod, n: NodeInfo, p: Pod) => boolean, ps: Pods, nodes: string[]) => {
    const { handle, nodeInfos } = handleFor({ nodes: nodes.map((n) => node(n, veryLargeRes)), pods: mk(ps) });
    const pl = plugin(handle);
    pl.isEligiblePod = (ni, v, p) => eligible(v.pod, ni, p);
    let { candidates } = pl.evaluator.dryRunPreemption(new CycleState(), pod('p', { priority, req: largeRes }), nodeInfos, [], 0, nodeInfos.length);
    const out: Record<string, string[]> = {};
    while (candidates.length) {
      const s = pl.evaluator.selectCandidate(candidates)!;
      out[s.name] = s.victims.map((v) => String(v.metadata?.name));
      candidates = candidates.filter((c) => c.name !== s.name);
    }
    return out;
  };
  const labelYes = (v: Pod) => (v.metadata?.labels as Record<string, string>).preemptible === 'yes';
  assert.deepEqual(run(high, labelYes, pods, nodes4), { node2: ['v2'], node3: ['v3'] });
  assert.deepEqual(run(mid, labelYes, pods, nodes4), { node3: ['v3'] });
  assert.deepEqual(run(low, labelYes, pods, nodes4), {});
  const onNode1 = (_v: Pod, n: NodeInfo) => n.name === 'node1';
  const byNode: Pods = [['v1', { node: 'node1', priority: high, req: mediumRes, start: 0 }], ['v2', { node: 'node1', priority: mid, req: smallRes, start: 0 }], ['v3', { node: 'node1', priority: low, req: smallRes, start: 0 }], ['v4', { node: 'node2', priority: mid, req: largeRes, start: 0 }], ['v5', { node: 'node3', priority: low, req: largeRes, start: 0 }]];
  assert.deepEqual(run(high, onNode1, byNode, n3), { node1: ['v2', 'v3'] });
  const three: Pods = [['v1', { node: 'node1', priority: high, req: largeRes, start: 0 }], ['v2', { node: 'node2', priority: mid, req: largeRes, start: 0 }], ['v3', { node: 'node3', priority: low, req: largeRes, start: 0 }]];
  const atLeastHigh = (_v: Pod, _n: NodeInfo, p: Pod) => ((p.spec as { priority?: number }).priority ?? 0) >= high;
  assert.deepEqual(run(high, atLeastHigh, three, n3), { node2: ['v2'], node3: ['v3'] });
  assert.deepEqual(run(mid, atLeastHigh, three, n3), {});
  const atMostMid = (v: Pod) => ((v.spec as { priority?: number }).priority ?? 0) <= mid;
  assert.deepEqual(run(high, atMostMid, three, n3), { node2: ['v2'], node3: ['v3'] });
});

test('CustomOrdering: MoreImportantPod decides which victims are reprieved', () => {
  const run = (order: (a: Pod, b: Pod) => boolean, ps: Pods) => {
    const { handle, nodeInfos } = handleFor({ nodes: [node('node1', veryLargeRes)], pods: mk(ps) });
    const pl = plugin(handle);
    pl.moreImportantPod = order;
    const { candidates } = pl.evaluator.dryRunPreemption(new CycleState(), pod('p2', { priority: high, req: largeRes }), nodeInfos, [], 0, 1);
    assert.equal(candidates.length, 1);
    return candidates[0].victims.map((v) => String(v.metadata?.name));
  };
  const start = (p: Pod) => Date.parse(String((p.status as { startTime?: string }).startTime));
  assert.deepEqual(run((a, b) => start(a) < start(b), [['v1', { node: 'node1', priority: low, req: mediumRes, start: 2 }], ['v2', { node: 'node1', priority: low, req: mediumRes, start: 0 }], ['v3', { node: 'node1', priority: mid, req: mediumRes, start: 1 }]]), ['v3', 'v1']);
  const nm = (p: Pod) => String(p.metadata?.name);
  assert.deepEqual(run((a, b) => nm(a) < nm(b), [['foo', { node: 'node1', priority: low, req: mediumRes, start: 0 }], ['bar', { node: 'node1', priority: low, req: mediumRes, start: 0 }], ['baz', { node: 'node1', priority: mid, req: mediumRes, start: 0 }]]), ['baz', 'foo']);
});

test('pickOneNodeForPreemption: fewer PDB violations win before any priority criterion', () => {
  const v = (n: string, priority: number, start = 0) => pod(n, { priority, start });
  assert.equal(pickOneNodeForPreemption([{ name: 'a', victims: [v('a1', low)], numPDBViolations: 1 }, { name: 'b', victims: [v('b1', high)], numPDBViolations: 0 }], 0), 'b');
  assert.equal(pickOneNodeForPreemption([{ name: 'a', victims: [v('a1', mid, 5)], numPDBViolations: 0 }, { name: 'b', victims: [v('b1', mid, 9)], numPDBViolations: 0 }], 0), 'b');
  assert.equal(pickOneNodeForPreemption([{ name: 'a', victims: [v('a1', mid)], numPDBViolations: 0 }, { name: 'b', victims: [v('b1', mid)], numPDBViolations: 0 }], 0), 'a');
  assert.equal(pickOneNodeForPreemption([], 0), '');
});
