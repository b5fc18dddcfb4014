/** PodTopologySpread PreScore/Score/NormalizeScore with upstream's table cases (scoring_test.go
 * TestPodTopologySpreadScore), the system default constraints and the List defaulting, and the args. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { defaultPodTopologySpreadArgs, newPodTopologySpread, type PodTopologySpread } from '../../../../src/scheduler/plugins/pod-topology-spread';
import type { Node, NodeInfo, NodeScore, Pod } from '../../../../src/scheduler/framework';
import { scorePair, fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';

const HOST = 'kubernetes.io/hostname';
const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const bar = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
type Extra = { minDomains?: number; nodeAffinityPolicy?: string; nodeTaintsPolicy?: string; matchLabelKeys?: string[] };
const sa = (maxSkew: number, topologyKey: string, labelSelector: unknown, extra: Extra = {}) => ({ maxSkew, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector, ...extra });

function pod(labels: Record<string, string>, constraints: unknown[], spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Pod {
  const p = makePod('p', { labels, spec: constraints.length ? { topologySpreadConstraints: constraints, ...spec } : spec });
  return Object.keys(meta).length ? { ...p, metadata: { ...p.metadata, ...meta } } : p;
}
const on = (name: string, node: string, labels: Record<string, string> = { foo: '' }, namespace?: string) => makePod(name, { node, labels, namespace });
/** A node with exactly these labels (no automatic hostname label). */
function bare(name: string, labels: Record<string, string>, taints?: { key: string; value?: string; effect: string }[]): Node {
  const n = makeNode(name, { taints });
  return { ...n, metadata: { ...n.metadata, labels } };
}
const host = (name: string, extra: Record<string, string> = {}) => bare(name, { [HOST]: name, ...extra });
const zh = (name: string, zone: string) => host(name, { zone });
const terminating = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });

interface Case {
  name: string;
  pod: Pod;
  existing?: Pod[];
  nodes: Node[];
  failed?: Node[];
  listers?: Record<string, CachedObject[]>;
  args?: Record<string, unknown>;
  want: Record<string, number>;
}

function scores(c: Case): Record<string, number> | 'Skip' {
  const all = [...c.nodes, ...(c.failed ?? [])];
  const infos: NodeInfo[] = all.map((n) => nodeInfo(n, ...(c.existing ?? []).filter((p) => (p.spec as { nodeName?: string }).nodeName === n.metadata?.name)));
  const pl = newPodTopologySpread(c.args, fakeHandle({ nodes: infos, listers: c.listers })) as PodTopologySpread;
  const state = newState();
  const filtered = infos.slice(0, c.nodes.length);
  const st = pl.preScore(state, c.pod, filtered);
  if (st.code === 'Skip') return 'Skip';
  assert.equal(st.code, 'Success', st.message());
  const list: NodeScore[] = filtered.map((ni) => {
    const r = scorePair(pl.score(state, c.pod, ni));
    assert.equal(r.status.code, 'Success');
    return { name: ni.name, score: r.score };
  });
  assert.equal(pl.normalizeScore(state, c.pod, list).code, 'Success');
  return Object.fromEntries(list.map((s) => [s.name, s.score]));
}

const spread2103 = () => [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-d1', 'node-d'), on('p-d2', 'node-d'), on('p-d3', 'node-d')];
const spread4321 = () => [
  ...['p-a1', 'p-a2', 'p-a3', 'p-a4'].map((n) => on(n, 'node-a')),
  ...['p-b1', 'p-b2', 'p-b3'].map((n) => on(n, 'node-b')),
  ...['p-c1', 'p-c2'].map((n) => on(n, 'node-c')),
  on('p-d1', 'node-d'),
];
const abcd = () => ['node-a', 'node-b', 'node-c', 'node-d'].map((n) => host(n));
const spread4213 = () => [
  ...['p-a1', 'p-a2', 'p-a3', 'p-a4'].map((n) => on(n, 'node-a')),
  on('p-b1', 'node-b'),
  on('p-b2', 'node-b'),
  on('p-x1', 'node-x'),
  ...['p-y1', 'p-y2', 'p-y3'].map((n) => on(n, 'node-y')),
];
const mixed = () => [on('p-a1', 'node-a', { foo: '' }), on('p-b1', 'node-b', { foo: '', bar: '' }), on('p-y1', 'node-y', { foo: '' }), on('p-y2', 'node-y', { bar: '' })];
const nodeABC = (extraA: Record<string, string> = {}, taintC = false) => [
  bare('node-a', { node: 'node-a', ...extraA }),
  bare('node-b', { node: 'node-b', ...extraA }),
  bare('node-c', { node: 'node-c' }, taintC ? [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }] : undefined),
];
const abc211 = () => [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-c1', 'node-c')];

const cases: Case[] = [
  { name: 'one constraint on node, no existing pods', pod: pod({ foo: '' }, [sa(1, HOST, foo)]), nodes: [host('node-a'), host('node-b')], want: { 'node-a': 100, 'node-b': 100 } },
  {
    name: 'one constraint on node, only one node is candidate',
    pod: pod({ foo: '' }, [sa(1, HOST, foo)]),
    existing: [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b')],
    nodes: [host('node-a')],
    failed: [host('node-b')],
    want: { 'node-a': 100 },
  },
  { name: 'one constraint on node, all nodes have the same number of matching pods', pod: pod({ foo: '' }, [sa(1, HOST, foo)]), existing: [on('p-a1', 'node-a'), on('p-b1', 'node-b')], nodes: [host('node-a'), host('node-b')], want: { 'node-a': 100, 'node-b': 100 } },
  { name: 'one constraint on node, all 4 nodes are candidates', pod: pod({ foo: '' }, [sa(1, HOST, foo)]), existing: spread2103(), nodes: abcd(), want: { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 } },
  { name: 'one constraint on node, null selector', pod: pod({ foo: '' }, [sa(1, HOST, undefined)]), existing: spread2103(), nodes: abcd(), want: { 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 } },
  { name: 'one constraint on node, all 4 nodes are candidates, maxSkew=2', pod: pod({ foo: '' }, [sa(2, HOST, foo)]), existing: spread2103(), nodes: abcd(), want: { 'node-a': 33, 'node-b': 66, 'node-c': 100, 'node-d': 16 } },
  { name: 'one constraint on node, all 4 nodes are candidates, maxSkew=3', pod: pod({ foo: '' }, [sa(3, HOST, foo)]), existing: spread4321(), nodes: abcd(), want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 } },
  {
    name: "system defaulting, nodes don't have zone, pods match service",
    pod: pod({ foo: '' }, []),
    existing: spread4321(),
    nodes: abcd(),
    listers: { services: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { selector: { foo: '' } } }] },
    want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 },
  },
  {
    name: 'one constraint on node, 3 out of 4 nodes are candidates',
    pod: pod({ foo: '' }, [sa(1, HOST, foo)]),
    existing: spread4213(),
    nodes: [host('node-a'), host('node-b'), host('node-x')],
    failed: [host('node-y')],
    want: { 'node-a': 33, 'node-b': 83, 'node-x': 100 },
  },
  {
    name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
    pod: pod({ foo: '' }, [sa(1, HOST, foo)]),
    existing: spread4213(),
    nodes: [host('node-a'), bare('node-b', { n: 'node-b' }), host('node-x')],
    failed: [host('node-y')],
    want: { 'node-a': 16, 'node-b': 0, 'node-x': 100 },
  },
  {
    name: 'one constraint on zone, 3 out of 4 nodes are candidates',
    pod: pod({ foo: '' }, [sa(1, 'zone', foo)]),
    existing: spread4213(),
    nodes: [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2')],
    failed: [zh('node-y', 'zone2')],
    want: { 'node-a': 75, 'node-b': 75, 'node-x': 100 },
  },
  {
    name: 'two Constraints on zone and node, with different labelSelectors',
    pod: pod({ foo: '', bar: '' }, [sa(1, 'zone', foo), sa(1, HOST, bar)]),
    existing: mixed(),
    nodes: [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2'), zh('node-y', 'zone2')],
    want: { 'node-a': 60, 'node-b': 20, 'node-x': 100, 'node-y': 60 },
  },
  {
    name: 'two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods',
    pod: pod({ foo: '', bar: '' }, [sa(1, 'zone', foo), sa(1, HOST, bar)]),
    existing: [on('p-b1', 'node-b', { bar: '' }), on('p-x1', 'node-x', { foo: '' }), on('p-y1', 'node-y', { foo: '', bar: '' })],
    nodes: [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2'), zh('node-y', 'zone2')],
    want: { 'node-a': 100, 'node-b': 60, 'node-x': 40, 'node-y': 0 },
  },
  {
    name: 'two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates',
    pod: pod({ foo: '', bar: '' }, [sa(1, 'zone', foo), sa(1, HOST, bar)]),
    existing: mixed(),
    nodes: [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2')],
    failed: [zh('node-y', 'zone2')],
    want: { 'node-a': 50, 'node-b': 25, 'node-x': 100 },
  },
  {
    name: 'existing pods in a different namespace do not count',
    pod: pod({ foo: '' }, [sa(1, HOST, foo)]),
    existing: [on('p-a1', 'node-a', { foo: '' }, 'ns1'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-b2', 'node-b')],
    nodes: [host('node-a'), host('node-b')],
    want: { 'node-a': 100, 'node-b': 33 },
  },
  { name: 'terminating Pods should be excluded', pod: pod({ foo: '' }, [sa(1, HOST, foo)]), existing: [terminating(on('p-a', 'node-a')), on('p-b', 'node-b')], nodes: [host('node-a'), host('node-b')], want: { 'node-a': 100, 'node-b': 0 } },
  {
    name: 'minDomains has no effect when ScheduleAnyway',
    pod: pod({ foo: '' }, [sa(2, 'node', foo, { minDomains: 10 })]),
    existing: [on('p-a1', 'node-a'), on('p-a2', 'node-a'), on('p-b1', 'node-b'), on('p-b2', 'node-b'), on('p-c1', 'node-c')],
    nodes: nodeABC(),
    want: { 'node-a': 75, 'node-b': 75, 'node-c': 100 },
  },
  { name: 'NodeAffinityPolicy honored with labelSelectors', pod: pod({ foo: '' }, [sa(1, 'node', foo)], { nodeSelector: { foo: '' } }), existing: abc211(), nodes: nodeABC({ foo: '' }), want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 } },
  { name: 'NodeAffinityPolicy ignored with labelSelectors', pod: pod({ foo: '' }, [sa(1, 'node', foo, { nodeAffinityPolicy: 'Ignore' })], { nodeSelector: { foo: '' } }), existing: abc211(), nodes: nodeABC({ foo: '' }), want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 } },
  {
    name: 'NodeAffinityPolicy honored with nodeAffinity',
    pod: pod({ foo: '' }, [sa(1, 'node', foo)], { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'In', values: [''] }] }] } } } }),
    existing: abc211(),
    nodes: nodeABC({ foo: '' }),
    want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
  },
  { name: 'NodeTaintsPolicy honored', pod: pod({ foo: '' }, [sa(1, 'node', foo, { nodeTaintsPolicy: 'Honor' })]), existing: abc211(), nodes: nodeABC({}, true), want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 } },
  { name: 'NodeTaintsPolicy ignored', pod: pod({ foo: '' }, [sa(1, 'node', foo)]), existing: abc211(), nodes: nodeABC({}, true), want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 } },
  {
    name: 'matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
    pod: pod({ foo: '', bar: '' }, [sa(1, 'zone', {}, { matchLabelKeys: ['foo'] }), sa(1, HOST, {}, { matchLabelKeys: ['bar'] })]),
    existing: [on('p-a1', 'node-a', { foo: '' }), on('p-b1', 'node-b', { foo: '', bar: '' }), on('p-y1', 'node-c', { foo: '' }), on('p-y2', 'node-c', { bar: '' })],
    nodes: [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-c', 'zone2'), zh('node-d', 'zone2')],
    want: { 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 },
  },
];

describe('PodTopologySpread Score (TestPodTopologySpreadScore)', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(scores(c), c.want));

  it('Skip without soft constraints (and no Service/owner for the defaults)', () => {
    assert.equal(scores({ name: '', pod: pod({ foo: '' }, []), nodes: abcd(), want: {} }), 'Skip');
    assert.equal(scores({ name: '', pod: pod({ foo: '' }, [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: foo }]), nodes: abcd(), want: {} }), 'Skip');
  });
});

describe('PodTopologySpread default constraints', () => {
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { foo: '' } } } };
  const owned = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] };

  it('system defaulting uses the owning ReplicaSet selector; zone-less nodes still get hostname spreading', () => {
    const got = scores({ name: '', pod: pod({ foo: '' }, [], {}, owned), existing: spread4321(), nodes: abcd(), listers: { replicasets: [rs] }, want: {} });
    assert.deepEqual(got, { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 });
  });

  it('a Service without selector selects nothing; an unowned pod without Services gets no defaults', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: {} };
    assert.equal(scores({ name: '', pod: pod({ foo: '' }, []), existing: spread4321(), nodes: abcd(), listers: { services: [svc] }, want: {} }), 'Skip');
  });

  it('List defaulting: hard default constraints filter, and nodes must carry every key', () => {
    const args = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] };
    const nodes = [zh('node-a', 'zone1'), zh('node-x', 'zone2')];
    const infos = nodes.map((n, i) => nodeInfo(n, ...(i === 0 ? [on('p-a1', 'node-a'), on('p-a2', 'node-a')] : [])));
    const pl = newPodTopologySpread(args, fakeHandle({ nodes: infos, listers: { replicasets: [rs] } })) as PodTopologySpread;
    const p = pod({ foo: '' }, [], {}, owned);
    const state = newState();
    assert.equal(pl.preFilter(state, p, infos).status.code, 'Success');
    assert.deepEqual(
      infos.map((ni) => pl.filter(state, p, ni).code),
      ['Unschedulable', 'Success'],
    );
  });

  it('args are defaulted and validated as upstream', () => {
    assert.deepEqual(defaultPodTopologySpreadArgs(undefined), { defaultConstraints: [], defaultingType: 'System' });
    assert.throws(() => defaultPodTopologySpreadArgs({ defaultingType: 'System', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }), /when .defaultConstraints are not empty/);
    assert.throws(() => defaultPodTopologySpreadArgs({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }] }), /must not define a selector/);
    assert.throws(() => defaultPodTopologySpreadArgs({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }), /maxSkew/);
  });
});
