/**
 * DefaultPreemption: upstream's TestPostFilter, TestPodEligibleToPreemptOthers and TestPreempt cases (extender and
 * pod-group cases left out: KubeLab has neither), plus the args defaulting/validation and the API calls made for
 * the chosen candidate (DisruptionTarget patch, delete, Preempted event, clearing lower-priority nominations).
 * The dry-run / candidate-selection tables are in preemption/dry-run.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, Status } from '../../../../src/scheduler/framework';
import { defaultPreemptionArgs, NAME, newDefaultPreemption } from '../../../../src/scheduler/plugins/default-preemption';
import { newNodeResourcesFit } from '../../../../src/scheduler/plugins/node-resources-fit';
import { handleFor, high, largeRes, low, mediumRes, mid, node, pdb, plugin, pod, smallRes, veryHigh, veryLargeRes, type P } from './preemption/fixtures';

const onePod = { pods: '1' };
const nodeRes = { cpu: '200m', memory: '400' };
const U = () => Status.unschedulable();
const UAU = () => Status.unresolvable();

interface PostFilterCase {
  name: string;
  pod: P;
  pods: [string, P][];
  nodes: ReturnType<typeof node>[];
  statuses: Record<string, Status>;
  pdbs?: Record<string, unknown>[];
  want?: string;
  code: string;
  reason?: string;
}

const violating = { 'test.kubernetes.io/is-violating-pdb': 'violating' };
const nonViolating = { 'test.kubernetes.io/is-violating-pdb': 'non-violating' };

const postFilterCases: PostFilterCase[] = [
  { name: 'pod with higher priority can be made schedulable', pod: { priority: high }, pods: [['p1', { node: 'node1' }]], nodes: [node('node1', onePod)], statuses: { node1: U() }, want: 'node1', code: 'Success' },
  { name: 'pod with tied priority is still unschedulable', pod: {}, pods: [['p1', { node: 'node1' }]], nodes: [node('node1', onePod)], statuses: { node1: U() }, want: '', code: 'Unschedulable', reason: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
  { name: 'preemption should respect filteredNodesStatuses', pod: { priority: high }, pods: [['p1', { node: 'node1' }]], nodes: [node('node1', onePod)], statuses: { node1: UAU() }, want: '', code: 'Unschedulable', reason: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' },
  { name: 'preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable', pod: { priority: high }, pods: [['p1', { node: 'node1' }]], nodes: [node('node1', onePod)], statuses: {}, want: '', code: 'Unschedulable', reason: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' },
  { name: 'pod can be made schedulable on one node', pod: { priority: mid }, pods: [['p1', { node: 'node1', priority: high }], ['p2', { node: 'node2', priority: low }]], nodes: [node('node1', onePod), node('node2', onePod)], statuses: { node1: U(), node2: U() }, want: 'node2', code: 'Success' },
  {
    name: 'pod can be made schedulable on minHighestPriority node', pod: { priority: veryHigh },
    pods: [['p1', { node: 'node1', priority: high, labels: nonViolating }], ['p2', { node: 'node1', priority: low, labels: violating }], ['p3', { node: 'node2', priority: mid, labels: violating }]],
    pdbs: [pdb('violating-pdb', violating, 0), pdb('non-violating-pdb', nonViolating, 2147483647)],
    nodes: [node('node1', onePod), node('node2', onePod)], statuses: { node1: U(), node2: U() }, want: 'node2', code: 'Success',
  },
  { name: 'no candidate nodes found, no enough resource after removing low priority pods', pod: { priority: high, req: largeRes }, pods: [['p1', { node: 'node1' }], ['p2', { node: 'node2' }]], nodes: [node('node1', nodeRes), node('node2', nodeRes)], statuses: { node1: U(), node2: U() }, want: '', code: 'Unschedulable', reason: 'preemption: 0/2 nodes are available: 2 Insufficient cpu.' },
  {
    name: 'no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource', pod: { priority: high, req: largeRes },
    pods: [['p1', { node: 'node1', priority: high }], ['p2', { node: 'node2' }], ['p3', { node: 'node3', priority: high }]],
    nodes: [node('node1', onePod), node('node2', nodeRes), node('node3', onePod)], statuses: { node1: U(), node2: U(), node3: U() }, want: '', code: 'Unschedulable',
    reason: 'preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.',
  },
  {
    name: "no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource", pod: { priority: high, req: largeRes },
    pods: [['p1', { node: 'node1' }], ['p2', { node: 'node2' }]], nodes: ['node1', 'node2', 'node3', 'node4'].map((n) => node(n, nodeRes)), statuses: { node1: U(), node2: U(), node4: UAU() }, want: '', code: 'Unschedulable',
    reason: 'preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.',
  },
  {
    name: 'only one node but failed with TestPlugin', pod: { priority: high, req: largeRes }, pods: [['p1', { node: 'node1' }]], nodes: [node('node1', largeRes, { error: 'true' })], statuses: { node1: U() }, code: 'Error',
    reason: 'preemption: running RemovePod on PreFilter plugin "test-plugin": failed to remove pod: p',
  },
  {
    name: 'one failed with TestPlugin and the other pass', pod: { priority: high, req: largeRes }, pods: [['p1', { node: 'node1' }], ['p2', { node: 'node2', req: mediumRes }]],
    nodes: [node('node1', largeRes, { error: 'true' }), node('node2', largeRes)], statuses: { node1: U(), node2: U() }, want: 'node2', code: 'Success',
  },
];

for (const tc of postFilterCases) {
  test(`PostFilter: ${tc.name}`, async () => {
    const { handle } = handleFor({ nodes: tc.nodes, pods: tc.pods.map(([n, o]) => pod(n, o)), pdbs: tc.pdbs });
    const pl = plugin(handle);
    const { result, status } = await pl.postFilter(new CycleState(), pod('p', tc.pod), new Map(Object.entries(tc.statuses)));
    assert.equal(status.code, tc.code);
    assert.deepEqual(status.reasons, tc.reason ? [tc.reason] : []);
    assert.deepEqual(result, tc.want === undefined ? undefined : { nominatedNodeName: tc.want });
  });
}

test('PodEligibleToPreemptOthers (upstream cases)', () => {
  const terminating = { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } };
  const byPreemption = { ...terminating, status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] } };
  const nominated = { status: { nominatedNodeName: 'node1' } };
  const cases: [string, P, [string, P][], string[], Status | undefined, boolean][] = [
    ['Pod with nominated node', { priority: high, extra: nominated }, [['p1', { priority: low, node: 'node1', extra: terminating }]], ['node1'], Status.unresolvable('node(s) had untolerated taint {foo: bar}'), true],
    ['Pod without nominated node', { priority: high }, [], [], undefined, true],
    ["Pod with 'PreemptNever' preemption policy", { priority: high, extra: { spec: { preemptionPolicy: 'Never' } } }, [], [], undefined, false],
    ['preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition', { priority: high, extra: nominated }, [['p1', { priority: low, node: 'node1', extra: byPreemption }]], ['node1'], undefined, false],
    ['non-victim Pods terminating', { priority: high, extra: nominated }, [['p1', { priority: low, node: 'node1', extra: terminating }]], ['node1'], undefined, true],
  ];
  for (const [name, p, pods, nodes, st, want] of cases) {
    const { handle } = handleFor({ nodes: nodes.map((n) => node(n, {})), pods: pods.map(([n, o]) => pod(n, o)) });
    assert.equal(plugin(handle).podEligibleToPreemptOthers(pod('p', p), st).ok, want, name);
  }
  const { handle } = handleFor({ nodes: [], pods: [] });
  assert.deepEqual(plugin(handle).podEligibleToPreemptOthers(pod('p', { extra: { spec: { preemptionPolicy: 'Never' } } }), undefined), { ok: false, msg: 'not eligible due to preemptionPolicy=Never.' });
});

test('PostFilter: a PreemptNever pod is Unschedulable with upstream message and no result', async () => {
  const { handle, calls } = handleFor({ nodes: [node('node1', onePod)], pods: [pod('p1', { node: 'node1' })] });
  const { result, status } = await plugin(handle).postFilter(new CycleState(), pod('p', { priority: high, extra: { spec: { preemptionPolicy: 'Never' } } }), new Map([['node1', U()]]));
  assert.equal(result, undefined);
  assert.deepEqual([status.code, status.reasons], ['Unschedulable', ['preemption: not eligible due to preemptionPolicy=Never.']]);
  assert.equal(calls.filter, 0);
});

const basicPods: [string, P][] = [
  ['p1.1', { node: 'node1', priority: low, req: smallRes }],
  ['p1.2', { node: 'node1', priority: low, req: smallRes }],
  ['p2.1', { node: 'node2', priority: high, req: largeRes }],
  ['p3.1', { node: 'node3', priority: mid, req: mediumRes }],
];

for (const [name, policy, want, deleted] of [
  ['basic preemption logic', { preemptionPolicy: 'PreemptLowerPriority' }, 'node1', ['p1.1', 'p1.2']],
  ['no preempting in pod', { preemptionPolicy: 'Never' }, undefined, []],
  ['PreemptionPolicy is nil', {}, 'node1', ['p1.1', 'p1.2']],
] as const) {
  test(`Preempt: ${name}`, async () => {
    const lowNominated = pod('n-low', { priority: low, extra: { status: { nominatedNodeName: 'node1' } } });
    const highNominated = pod('n-high', { priority: veryHigh, extra: { status: { nominatedNodeName: 'node1' } } });
    const { handle, calls } = handleFor({ nodes: ['node1', 'node2', 'node3'].map((n) => node(n, veryLargeRes)), pods: basicPods.map(([n, o]) => pod(n, o)), nominated: { node1: [lowNominated, highNominated] } });
    const preemptor = pod('p', { priority: high, req: veryLargeRes, extra: { spec: policy } });
    const m = new Map(['node1', 'node2', 'node3'].map((n) => [n, U()]));
    const { result, status } = await plugin(handle).evaluator.preempt(new CycleState(), preemptor, m);
    assert.ok(status.isSuccess() || status.isRejected(), status.message());
    assert.deepEqual(result, want ? { nominatedNodeName: want } : undefined);
    assert.deepEqual([...calls.deleted].sort(), [...deleted]);
    const victimPatches = calls.patched.filter((p) => p.name.startsWith('p'));
    assert.deepEqual(victimPatches.map((p) => p.name).sort(), [...deleted]);
    if (want) {
      const cond = (victimPatches[0].body as { status: { conditions: Record<string, unknown>[] } }).status.conditions[0];
      assert.deepEqual([cond.type, cond.status, cond.reason, cond.message], ['DisruptionTarget', 'True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod']);
      assert.deepEqual(calls.events.map((e) => [e.name, e.reason, e.message]).sort(), deleted.map((d) => [d, 'Preempted', 'Preempted by pod p on node node1']));
      // Only the lower-priority nominated pod loses its nomination.
      assert.deepEqual(calls.patched.filter((p) => p.name.startsWith('n-')), [{ name: 'n-low', body: { status: { nominatedNodeName: null } } }]);
    } else {
      assert.deepEqual(calls.events, []);
    }
  });
}

test('Preempt: victims already terminating are not deleted again', async () => {
  const terminating = { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } };
  const { handle, calls } = handleFor({ nodes: [node('node1', veryLargeRes)], pods: [pod('v1', { node: 'node1', priority: low, req: largeRes, extra: terminating }), pod('v2', { node: 'node1', priority: low, req: largeRes })] });
  const { result } = await plugin(handle).evaluator.preempt(new CycleState(), pod('p', { priority: high, req: veryLargeRes }), new Map([['node1', U()]]));
  assert.deepEqual(result, { nominatedNodeName: 'node1' });
  assert.deepEqual(calls.deleted, ['v2']);
});

test('DefaultPreemptionArgs: defaults and upstream validation messages', () => {
  assert.deepEqual(defaultPreemptionArgs(undefined), { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
  assert.throws(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 101 }), { message: 'minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]' });
  assert.throws(() => defaultPreemptionArgs({ minCandidateNodesAbsolute: -1 }), { message: 'minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)' });
  assert.throws(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }), {
    message: '[minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute, minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage]',
  });
  const { handle } = handleFor({ nodes: [], pods: [] });
  const pl = newDefaultPreemption({ minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, handle) as ReturnType<typeof plugin>;
  assert.equal(pl.name, NAME);
  assert.deepEqual([5, 100, 1000].map((n) => pl.calculateNumCandidates(n)), [2, 40, 400]);
  const def = plugin(handle);
  assert.deepEqual([5, 100, 5000].map((n) => def.calculateNumCandidates(n)), [5, 100, 500]);
  const [offset] = def.getOffsetAndNumCandidates(7);
  assert.ok(offset >= 0 && offset < 7);
});

test('PostFilter with the real NodeResourcesFit plugin (PreFilter state cloned per node)', async () => {
  const { handle: h0, calls } = handleFor({ nodes: ['node1', 'node2', 'node3'].map((n) => node(n, veryLargeRes)), pods: basicPods.map(([n, o]) => pod(n, o)) });
  const fit = newNodeResourcesFit(undefined, h0) as unknown as { preFilter(s: CycleState, p: unknown): { status: Status }; filter(s: CycleState, p: unknown, ni: unknown): Status };
  const handle = { ...h0, runFilterPluginsWithNominatedPods: (s: CycleState, p: unknown, ni: unknown) => fit.filter(s, p, ni) };
  const preemptor = pod('p', { priority: high, req: veryLargeRes });
  const state = new CycleState();
  assert.ok(fit.preFilter(state, preemptor).status.isSuccess());
  const { result, status } = await plugin(handle as never).postFilter(state, preemptor, new Map(['node1', 'node2', 'node3'].map((n) => [n, U()])));
  assert.ok(status.isSuccess(), status.message());
  assert.deepEqual(result, { nominatedNodeName: 'node1' });
  assert.deepEqual([...calls.deleted].sort(), ['p1.1', 'p1.2']);
  const tooBig = pod('q', { priority: high, req: { cpu: '600m', memory: '100' } });
  const s2 = new CycleState();
  fit.preFilter(s2, tooBig);
  const r2 = await plugin(handle as never).postFilter(s2, tooBig, new Map(['node1', 'node2', 'node3'].map((n) => [n, U()])));
  assert.deepEqual(r2.status.reasons, ['preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Insufficient cpu.']);
});
