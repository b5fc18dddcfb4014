/** PodTopologySpread PreFilter/Filter with upstream's table cases (filtering_test.go TestPreFilterState,
 * TestSingleConstraint, TestMultipleConstraints, minDomains, node inclusion policies, AddPod/RemovePod). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME, newPodTopologySpread, PRE_FILTER_STATE_KEY, type PodTopologySpread } from '../../../../src/scheduler/plugins/pod-topology-spread';
import type { PreFilterState } from '../../../../src/scheduler/plugins/podtopologyspread/filtering';
import { podInfo, type Node, type NodeInfo, type Pod } from '../../../../src/scheduler/framework';
import { fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';

const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const bar = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
type Extra = { minDomains?: number; nodeAffinityPolicy?: string; nodeTaintsPolicy?: string; matchLabelKeys?: string[] };
const sc = (maxSkew: number, topologyKey: string, whenUnsatisfiable: string, labelSelector: unknown, extra: Extra = {}) => ({ maxSkew, topologyKey, whenUnsatisfiable, labelSelector, ...extra });
const dns = (maxSkew: number, key: string, sel: unknown, extra?: Extra) => sc(maxSkew, key, 'DoNotSchedule', sel, extra);

function pod(name: string, labels: Record<string, string>, constraints: unknown[], spec: Record<string, unknown> = {}, namespace?: string): Pod {
  return makePod(name, { labels, namespace, spec: { topologySpreadConstraints: constraints, ...spec } });
}
function on(name: string, node: string, labels: Record<string, string> = { foo: '' }, namespace?: string): Pod {
  return makePod(name, { node, labels, namespace });
}
const zn = (name: string, zone: string) => makeNode(name, { labels: { zone, node: name } });
/** node-a/node-b in zone1, node-x/node-y in zone2. */
const fourNodes = () => [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2'), zn('node-y', 'zone2')];

function cluster(nodes: Node[], pods: Pod[]): NodeInfo[] {
  return nodes.map((n) => nodeInfo(n, ...pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === n.metadata?.name)));
}

function run(p: Pod, nodes: Node[], existing: Pod[]) {
  const infos = cluster(nodes, existing);
  const pl = newPodTopologySpread(undefined, fakeHandle({ nodes: infos })) as PodTopologySpread;
  const state = newState();
  const pre = pl.preFilter(state, p, infos);
  return { pl, state, infos, pre: pre.status };
}

function codes(p: Pod, nodes: Node[], existing: Pod[]): Record<string, string> {
  const { pl, state, infos, pre } = run(p, nodes, existing);
  assert.equal(pre.code, 'Success', pre.message());
  return Object.fromEntries(infos.map((ni) => [ni.name, pl.filter(state, p, ni).code]));
}

function summary(s: PreFilterState) {
  return s.tpValueToMatchNum.map((m, i) => ({ counts: Object.fromEntries([...m].sort()), min: s.criticalPaths[i].num0, second: s.criticalPaths[i].num1 }));
}

describe('PodTopologySpread PreFilter state (TestPreFilterState)', () => {
  const existing5 = [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-y1', 'node-y'), on('p-y2', 'node-y')];
  const cases: { name: string; pod: Pod; nodes: Node[]; existing: Pod[]; want: ReturnType<typeof summary> }[] = [
    { name: 'clean cluster with one spreadConstraint', pod: pod('p', { foo: '' }, [dns(5, 'zone', { matchLabels: { foo: 'bar' } })]), nodes: fourNodes(), existing: [], want: [{ counts: { zone1: 0, zone2: 0 }, min: 0, second: 0 }] },
    { name: 'normal case with one spreadConstraint', pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]), nodes: fourNodes(), existing: existing5, want: [{ counts: { zone1: 3, zone2: 2 }, min: 2, second: 3 }] },
    { name: 'normal case with null label selector', pod: pod('p', { foo: '' }, [dns(1, 'zone', undefined)]), nodes: fourNodes(), existing: existing5, want: [{ counts: { zone1: 0, zone2: 0 }, min: 0, second: 0 }] },
    {
      name: 'normal case with one spreadConstraint, on a 3-zone cluster',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]),
      nodes: [...fourNodes(), zn('node-o', 'zone3'), zn('node-p', 'zone3')],
      existing: existing5,
      want: [{ counts: { zone1: 3, zone2: 2, zone3: 0 }, min: 0, second: 2 }],
    },
    {
      name: "namespace mismatch doesn't count",
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]),
      nodes: fourNodes(),
      existing: [on('p-a1', 'node-a'), on('p-a2', 'node-a', { foo: '' }, 'ns1'), on('p-b1', 'node-b'), on('p-y1', 'node-y', { foo: '' }, 'ns2'), on('p-y2', 'node-y')],
      want: [{ counts: { zone1: 2, zone2: 1 }, min: 1, second: 2 }],
    },
    {
      name: 'normal case with two spreadConstraints',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo), dns(1, 'node', foo)]),
      nodes: fourNodes(),
      existing: [...existing5, on('p-y3', 'node-y'), on('p-y4', 'node-y')],
      want: [
        { counts: { zone1: 3, zone2: 4 }, min: 3, second: 4 },
        { counts: { 'node-a': 2, 'node-b': 1, 'node-x': 0, 'node-y': 4 }, min: 0, second: 1 },
      ],
    },
    {
      name: 'soft spreadConstraints should be bypassed',
      pod: pod('p', { foo: '' }, [sc(1, 'zone', 'ScheduleAnyway', foo), dns(1, 'zone', foo), sc(1, 'node', 'ScheduleAnyway', foo), dns(1, 'node', foo)]),
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-y', 'zone2')],
      existing: [...existing5, on('p-y3', 'node-y'), on('p-y4', 'node-y')],
      want: [
        { counts: { zone1: 3, zone2: 4 }, min: 3, second: 4 },
        { counts: { 'node-a': 2, 'node-b': 1, 'node-y': 4 }, min: 1, second: 2 },
      ],
    },
    {
      name: 'different labelSelectors - simple version',
      pod: pod('p', { foo: '', bar: '' }, [dns(1, 'zone', foo), dns(1, 'node', bar)]),
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-y', 'zone2')],
      existing: [on('p-a', 'node-a', { foo: '' }), on('p-b', 'node-b', { bar: '' })],
      want: [
        { counts: { zone1: 1, zone2: 0 }, min: 0, second: 1 },
        { counts: { 'node-a': 0, 'node-b': 1, 'node-y': 0 }, min: 0, second: 0 },
      ],
    },
    {
      name: 'NodeAffinityPolicy honored with nodeAffinity: only node-a and node-b count',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)], { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['zone1'] }] }] } } } }),
      nodes: fourNodes(),
      existing: existing5,
      want: [{ counts: { zone1: 3 }, min: 3, second: 2147483647 }],
    },
    {
      name: 'NodeAffinityPolicy ignored with nodeSelector: every node counts',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo, { nodeAffinityPolicy: 'Ignore' })], { nodeSelector: { zone: 'zone1' } }),
      nodes: fourNodes(),
      existing: existing5,
      want: [{ counts: { zone1: 3, zone2: 2 }, min: 2, second: 3 }],
    },
    {
      name: 'NodeTaintsPolicy honored: the tainted node does not count',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo, { nodeTaintsPolicy: 'Honor' })]),
      nodes: [zn('node-a', 'zone1'), makeNode('node-b', { labels: { zone: 'zone1', node: 'node-b' }, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), zn('node-x', 'zone2'), zn('node-y', 'zone2')],
      existing: existing5,
      want: [{ counts: { zone1: 2, zone2: 2 }, min: 2, second: 2 }],
    },
    {
      name: 'NodeTaintsPolicy honored, taint tolerated: every node counts',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo, { nodeTaintsPolicy: 'Honor' })], { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
      nodes: [zn('node-a', 'zone1'), makeNode('node-b', { labels: { zone: 'zone1', node: 'node-b' }, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), zn('node-x', 'zone2'), zn('node-y', 'zone2')],
      existing: existing5,
      want: [{ counts: { zone1: 3, zone2: 2 }, min: 2, second: 3 }],
    },
    {
      name: 'matchLabelKeys are ANDed with the labelSelector',
      pod: pod('p', { foo: '', bar: 'a' }, [dns(1, 'zone', foo, { matchLabelKeys: ['bar'] })]),
      nodes: fourNodes(),
      existing: [on('p-a1', 'node-a', { foo: '', bar: 'a' }), on('p-a2', 'node-a', { foo: '' }), on('p-b1', 'node-b', { foo: '', bar: 'b' }), on('p-y1', 'node-y', { foo: '', bar: 'a' })],
      want: [{ counts: { zone1: 1, zone2: 1 }, min: 1, second: 1 }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { state, pre } = run(c.pod, c.nodes, c.existing);
      assert.equal(pre.code, 'Success');
      assert.deepEqual(summary(state.mustRead<PreFilterState>(PRE_FILTER_STATE_KEY)), c.want);
    });
  }

  it('Skip (no state) for a pod without hard constraints and no default hard constraints', () => {
    const { state, pre } = run(pod('p', { foo: '' }, [sc(1, 'zone', 'ScheduleAnyway', foo)]), fourNodes(), []);
    assert.equal(pre.code, 'Skip');
    assert.equal(state.read(PRE_FILTER_STATE_KEY), undefined);
  });

  it('an invalid selector is an Error', () => {
    const bad = { matchExpressions: [{ key: 'foo', operator: 'Bogus' }] };
    const { pre } = run(pod('p', { foo: '' }, [dns(1, 'zone', bad)]), fourNodes(), []);
    assert.equal(pre.code, 'Error');
  });
});

describe('PodTopologySpread Filter, single constraint (TestSingleConstraint)', () => {
  const S = 'Success';
  const U = 'Unschedulable';
  const UU = 'UnschedulableAndUnresolvable';
  const six = () => [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-y1', 'node-y'), on('p-y2', 'node-y'), on('p-y3', 'node-y')];
  const cases: { name: string; pod: Pod; nodes: Node[]; existing: Pod[]; want: Record<string, string> }[] = [
    { name: 'no existing pods', pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]), nodes: fourNodes(), existing: [], want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S } },
    { name: "no existing pods, incoming pod doesn't match itself", pod: pod('p', { foo: '' }, [dns(1, 'zone', bar)]), nodes: fourNodes(), existing: [], want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S } },
    {
      name: 'existing pods in a different namespace do not count',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]),
      nodes: fourNodes(),
      existing: [on('p-a1', 'node-a', { foo: '' }, 'ns1'), on('p-b1', 'node-a', { foo: '' }, 'ns2'), on('p-x1', 'node-x'), on('p-y1', 'node-y')],
      want: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
    },
    { name: 'pods spread across zones as 3/3, all nodes fit', pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]), nodes: fourNodes(), existing: six(), want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S } },
    {
      name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo)]),
      nodes: [zn('node-a', 'zone1'), makeNode('node-b', { labels: { zon: 'zone1', node: 'node-b' } }), zn('node-x', 'zone2'), zn('node-y', 'zone2')],
      existing: [on('p-a1', 'node-a'), on('p-b1', 'node-b'), on('p-x1', 'node-x'), on('p-y1', 'node-y')],
      want: { 'node-a': S, 'node-b': UU, 'node-x': U, 'node-y': U },
    },
    { name: "pod cannot be scheduled as all nodes don't have label 'rack'", pod: pod('p', { foo: '' }, [dns(1, 'rack', foo)]), nodes: [zn('node-a', 'zone1'), zn('node-x', 'zone2')], existing: [], want: { 'node-a': UU, 'node-x': UU } },
    { name: 'pods spread across nodes as 2/1/0/3, only node-x fits', pod: pod('p', { foo: '' }, [dns(1, 'node', foo)]), nodes: fourNodes(), existing: six(), want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U } },
    { name: 'pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit', pod: pod('p', { foo: '' }, [dns(2, 'node', foo)]), nodes: fourNodes(), existing: six(), want: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U } },
    { name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself", pod: pod('p', { bar: '' }, [dns(1, 'node', foo)]), nodes: fourNodes(), existing: six(), want: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U } },
    {
      name: 'incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits',
      pod: pod('p', { foo: '' }, [dns(1, 'node', foo)], { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: ['node-a', 'node-y'] }] }] } } } }),
      nodes: fourNodes(),
      existing: six(),
      want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': U },
    },
    {
      name: 'terminating Pods should be excluded',
      pod: pod('p', { foo: '' }, [dns(1, 'node', foo)]),
      nodes: [makeNode('node-a', { labels: { node: 'node-a' } }), makeNode('node-b', { labels: { node: 'node-b' } })],
      existing: [terminating(on('p-a', 'node-a')), on('p-b', 'node-b')],
      want: { 'node-a': S, 'node-b': U },
    },
    {
      name: 'pods spread across zone as 2/1, minDomains 3 (only 2 domains): global minimum is 0, no zone fits',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo, { minDomains: 3 })]),
      nodes: fourNodes(),
      existing: [on('p-a1', 'node-a'), on('p-a2', 'node-b'), on('p-x1', 'node-x')],
      want: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
    },
    {
      name: 'pods spread across zone as 2/0, minDomains 3, maxSkew 2: global minimum 0, only zone2 fits',
      pod: pod('p', { foo: '' }, [dns(2, 'zone', foo, { minDomains: 3 })]),
      nodes: fourNodes(),
      existing: [on('p-a1', 'node-a'), on('p-a2', 'node-b')],
      want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
    },
    {
      name: 'minDomains satisfied (2 domains >= 2): the real minimum is used',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo, { minDomains: 2 })]),
      nodes: fourNodes(),
      existing: [on('p-a1', 'node-a'), on('p-x1', 'node-x')],
      want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
    },
    {
      name: 'NodeTaintsPolicy Honor: the tainted node-x does not count, zone2 has 0 and only zone2 fits',
      pod: pod('p', { foo: '' }, [dns(1, 'zone', foo, { nodeTaintsPolicy: 'Honor' })]),
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1'), makeNode('node-x', { labels: { zone: 'zone2', node: 'node-x' }, taints: [{ key: 'k', effect: 'NoSchedule' }] }), zn('node-y', 'zone2')],
      existing: [on('p-a1', 'node-a'), on('p-x1', 'node-x'), on('p-x2', 'node-x')],
      want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(codes(c.pod, c.nodes, c.existing), c.want));

  it('reasons are upstream words', () => {
    const nodes = [zn('node-a', 'zone1'), makeNode('node-b', { labels: { node: 'node-b' } })];
    const p = pod('p', { foo: '' }, [dns(1, 'zone', foo)]);
    const { pl, state, infos } = run(p, nodes, [on('p-a1', 'node-a'), on('p-a2', 'node-a')]);
    // zone1 is the only domain: 2 + 1 - 2 = 1 <= 1 fits; node-b misses the label.
    assert.equal(pl.filter(state, p, infos[0]).code, 'Success');
    assert.deepEqual(pl.filter(state, p, infos[1]).reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"]);
    const { pl: pl2, state: s2, infos: i2 } = run(p, fourNodes(), [on('p-a1', 'node-a'), on('p-a2', 'node-a')]);
    assert.deepEqual(pl2.filter(s2, p, i2[0]).reasons, ["node(s) didn't match pod topology spread constraints"]);
  });

  it('Filter without PreFilter state is an Error', () => {
    const infos = cluster(fourNodes(), []);
    const pl = newPodTopologySpread(undefined, fakeHandle({ nodes: infos })) as PodTopologySpread;
    assert.equal(pl.filter(newState(), pod('p', {}, [dns(1, 'zone', foo)]), infos[0]).code, 'Error');
  });
});

function terminating(p: Pod): Pod {
  return { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
}

describe('PodTopologySpread Filter, multiple constraints (TestMultipleConstraints)', () => {
  const S = 'Success';
  const U = 'Unschedulable';
  it('two Constraints on zone and node, spreads = [3/3, 2/1/0/3]: only node-x', () => {
    const p = pod('p', { foo: '' }, [dns(1, 'zone', foo), dns(1, 'node', foo)]);
    const ex = [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-y1', 'node-y'), on('p-y2', 'node-y'), on('p-y3', 'node-y')];
    assert.deepEqual(codes(p, fourNodes(), ex), { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U });
  });
  it('two Constraints on zone and node, spreads = [3/4, 2/1/0/4]: no node fits', () => {
    const p = pod('p', { foo: '' }, [dns(1, 'zone', foo), dns(1, 'node', foo)]);
    const ex = [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-y1', 'node-y'), on('p-y2', 'node-y'), on('p-y3', 'node-y'), on('p-y4', 'node-y')];
    assert.deepEqual(codes(p, fourNodes(), ex), { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U });
  });
  it('constraints hold different labelSelectors, spreads = [1/0, 0/0/1/0]', () => {
    // zone: foo → zone1 1, zone2 0: zone2 fits. node: bar → only node-x has one (not self-matching) → all except... bar min 0.
    const p = pod('p', { foo: '', bar: '' }, [dns(1, 'zone', foo), dns(1, 'node', bar)]);
    const ex = [on('p-a1', 'node-a', { foo: '' }), on('p-x1', 'node-x', { bar: '' })];
    assert.deepEqual(codes(p, fourNodes(), ex), { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': S });
  });
});

describe('PodTopologySpread AddPod/RemovePod (preemption)', () => {
  it('removing a matching pod lowers its domain; adding raises it; the clone is independent', () => {
    const p = pod('p', { foo: '' }, [dns(1, 'node', foo)]);
    const victim = on('p-a1', 'node-a');
    const { pl, state, infos } = run(p, fourNodes(), [victim, on('p-b1', 'node-b'), on('p-x1', 'node-x'), on('p-y1', 'node-y')]);
    assert.equal(pl.filter(state, p, infos[0]).code, 'Success');
    const clone = state.clone();
    assert.equal(pl.removePod(clone, p, podInfo(victim), infos[0]).code, 'Success');
    // node-a now 0, others 1: node-a is the only one fitting in the clone.
    assert.deepEqual(
      infos.map((ni) => pl.filter(clone, p, ni).code),
      ['Success', 'Unschedulable', 'Unschedulable', 'Unschedulable'],
    );
    assert.deepEqual(
      infos.map((ni) => pl.filter(state, p, ni).code),
      ['Success', 'Success', 'Success', 'Success'],
    );
    assert.equal(pl.addPod(clone, p, podInfo(on('extra', 'node-a')), infos[0]).code, 'Success');
    assert.equal(pl.addPod(clone, p, podInfo(on('extra2', 'node-a')), infos[0]).code, 'Success');
    assert.equal(pl.filter(clone, p, infos[0]).code, 'Unschedulable');
  });

  it('pods of another namespace or not selected are ignored', () => {
    const p = pod('p', { foo: '' }, [dns(1, 'node', foo)]);
    const { pl, state, infos } = run(p, fourNodes(), []);
    pl.addPod(state, p, podInfo(on('o', 'node-a', { foo: '' }, 'other')), infos[0]);
    pl.addPod(state, p, podInfo(on('n', 'node-a', { bar: '' })), infos[0]);
    assert.equal(state.mustRead<PreFilterState>(PRE_FILTER_STATE_KEY).tpValueToMatchNum[0].get('node-a'), 0);
  });

  it('AddPod after a Skip is a no-op success', () => {
    const p = pod('p', {}, []);
    const { pl, state, infos, pre } = run(p, fourNodes(), []);
    assert.equal(pre.code, 'Skip');
    state.skipFilterPlugins.add(NAME);
    assert.equal(pl.addPod(state, p, podInfo(on('x', 'node-a')), infos[0]).code, 'Success');
  });
});
