/** InterPodAffinity PreScore/Score/NormalizeScore with upstream's table cases (scoring_test.go TestPreferredAffinity,
 * TestPreferredAffinityWithHardPodAffinitySymmetricWeight), the args, and the queueing hints of both plugins. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import type { Node, NodeInfo, NodeScore, Pod } from '../../../../src/scheduler/framework';
import { defaultInterPodAffinityArgs, newInterPodAffinity, type InterPodAffinity } from '../../../../src/scheduler/plugins/inter-pod-affinity';
import { newPodTopologySpread, type PodTopologySpread } from '../../../../src/scheduler/plugins/pod-topology-spread';
import { scorePair, fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';

const inSel = (key: string, values: string[], op = 'In') => ({ matchExpressions: [{ key, operator: op, values }] });
const weighted = (weight: number, labelSelector: unknown, topologyKey: string, extra: Record<string, unknown> = {}) => ({ weight, podAffinityTerm: { labelSelector, topologyKey, ...extra } });

const stayWithS1InRegion = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, inSel('security', ['S1']), 'region')] } };
const stayWithS2InRegion = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(6, inSel('security', ['S2']), 'region')] } };
const affinity3 = {
  podAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      weighted(8, { matchExpressions: [{ key: 'security', operator: 'NotIn', values: ['S1'] }, { key: 'security', operator: 'In', values: ['S2'] }] }, 'region'),
      weighted(2, { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, 'region'),
    ],
  },
};
const hardAffinity = {
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: inSel('security', ['S1', 'value2']), topologyKey: 'region' },
      { labelSelector: { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' },
    ],
  },
};
const awayFromS1InAz = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, inSel('security', ['S1']), 'az')] } };
const awayFromS2InAz = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, inSel('security', ['S2']), 'az')] } };
const stayWithS1InRegionAwayFromS2InAz = {
  podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, inSel('security', ['S1']), 'region')] },
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, inSel('security', ['S2']), 'az')] },
};
const teamSel = { matchExpressions: [{ key: 'team', operator: 'In', values: ['team1'] }] };
const affinityNamespaceSelector = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, inSel('security', ['S1']), 'region', { namespaces: ['subteam2.team2'], namespaceSelector: teamSel })] } };
const antiAffinityNamespaceSelector = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, inSel('security', ['S1']), 'region', { namespaces: ['subteam2.team2'], namespaceSelector: teamSel })] } };
const namespaces: CachedObject[] = [
  ['subteam1.team1', 'team1'],
  ['subteam2.team1', 'team1'],
  ['subteam1.team2', 'team2'],
  ['subteam2.team2', 'team2'],
].map(([name, team]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team } } }));

const S1 = { security: 'S1' };
const S2 = { security: 'S2' };
const rgChina = { region: 'China' };
const rgIndia = { region: 'India' };
const az1 = { az: 'az1' };
const az2 = { az: 'az2' };
const chinaAz1 = { region: 'China', az: 'az1' };

function bare(name: string, labels: Record<string, string>): Node {
  const n = makeNode(name);
  return { ...n, metadata: { ...n.metadata, labels } };
}
let seq = 0;
function pod(o: { labels?: Record<string, string>; node?: string; affinity?: unknown; namespace?: string }): Pod {
  return makePod(`p${++seq}`, { labels: o.labels, node: o.node, namespace: o.namespace, spec: o.affinity ? { affinity: o.affinity } : {} });
}
const ns = (labels: Record<string, string>[]) => labels.map((l, i) => bare(`node${i + 1}`, l));

function scores(p: Pod, nodes: Node[], existing: Pod[], args?: Record<string, unknown>): Record<string, number> | string {
  const infos: NodeInfo[] = nodes.map((n) => nodeInfo(n, ...existing.filter((e) => (e.spec as { nodeName?: string }).nodeName === n.metadata?.name)));
  const pl = newInterPodAffinity(args, fakeHandle({ nodes: infos, namespaces })) as InterPodAffinity;
  const state = newState();
  const st = pl.preScore(state, p, infos);
  if (!st.isSuccess()) return st.code;
  const list: NodeScore[] = infos.map((ni) => ({ name: ni.name, score: scorePair(pl.score(state, p, ni)).score }));
  assert.equal(pl.normalizeScore(state, p, list).code, 'Success');
  return Object.fromEntries(list.map((s) => [s.name, s.score]));
}

describe('InterPodAffinity Score (TestPreferredAffinity)', () => {
  const cases: { name: string; pod: Pod; existing: Pod[]; nodes: Node[]; want: Record<string, number> | string; args?: Record<string, unknown> }[] = [
    { name: 'all nodes are same priority as Affinity is nil', pod: pod({ labels: S1 }), existing: [], nodes: ns([rgChina, rgIndia, az1]), want: 'Skip' },
    {
      name: 'Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn\'t match either pods in nodes or in topology key',
      pod: pod({ labels: S1, affinity: stayWithS1InRegion }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 }), pod({ node: 'node3', labels: S1 })],
      nodes: ns([rgChina, rgIndia, az1]),
      want: { node1: 100, node2: 0, node3: 0 },
    },
    {
      name: 'All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score',
      pod: pod({ affinity: stayWithS1InRegion }),
      existing: [pod({ node: 'node1', labels: S1 })],
      nodes: ns([rgChina, chinaAz1, rgIndia]),
      want: { node1: 100, node2: 100, node3: 0 },
    },
    {
      name: 'Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score',
      pod: pod({ labels: S1, affinity: stayWithS2InRegion }),
      existing: ['node1', 'node1', 'node2', 'node3', 'node4', 'node5'].map((n) => pod({ node: n, labels: S2 })),
      nodes: ns([rgChina, rgIndia, rgChina, rgChina, rgIndia]),
      want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
    },
    {
      name: 'Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures',
      pod: pod({ labels: S1, affinity: affinity3 }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 }), pod({ node: 'node3', labels: S1 })],
      nodes: ns([rgChina, rgIndia, az1]),
      want: { node1: 20, node2: 100, node3: 0 },
    },
    {
      name: 'Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pod({ labels: S2 }),
      existing: [pod({ node: 'node1', labels: S1, affinity: stayWithS1InRegion }), pod({ node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: ns([rgChina, rgIndia, az1]),
      want: { node1: 0, node2: 100, node3: 0 },
    },
    {
      name: 'Affinity symmetry with namespace selector',
      pod: pod({ labels: S1, namespace: 'subteam1.team1' }),
      existing: [pod({ node: 'node1', labels: S1, affinity: affinityNamespaceSelector }), pod({ node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: ns([rgChina, rgIndia, az1]),
      want: { node1: 100, node2: 0, node3: 0 },
    },
    {
      name: 'AntiAffinity symmetry with namespace selector',
      pod: pod({ labels: S1, namespace: 'subteam1.team1' }),
      existing: [pod({ node: 'node1', labels: S1, affinity: antiAffinityNamespaceSelector }), pod({ node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: ns([rgChina, rgIndia, az1]),
      want: { node1: 0, node2: 100, node3: 100 },
    },
    {
      name: 'Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pod({ labels: S1 }),
      existing: [pod({ node: 'node1', labels: S1, affinity: hardAffinity }), pod({ node: 'node2', labels: S2, affinity: hardAffinity })],
      nodes: ns([rgChina, rgIndia, az1]),
      want: { node1: 100, node2: 100, node3: 0 },
    },
    {
      name: 'Anti Affinity: pod that does not match existing pods in node will get high score',
      pod: pod({ labels: S1, affinity: awayFromS1InAz }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 })],
      nodes: ns([az1, rgChina]),
      want: { node1: 0, node2: 100 },
    },
    {
      name: 'Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score',
      pod: pod({ labels: S1, affinity: awayFromS1InAz }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 })],
      nodes: ns([az1, rgIndia]),
      want: { node1: 0, node2: 100 },
    },
    {
      name: 'Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
      pod: pod({ labels: S2 }),
      existing: [pod({ node: 'node1', labels: S1, affinity: awayFromS2InAz }), pod({ node: 'node2', labels: S2, affinity: awayFromS1InAz })],
      nodes: ns([az1, az2]),
      want: { node1: 0, node2: 100 },
    },
    {
      name: 'Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity',
      pod: pod({ labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S1 })],
      nodes: ns([rgChina, az1]),
      want: { node1: 100, node2: 0 },
    },
    {
      name: 'Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
      pod: pod({ labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      existing: ['node1', 'node1', 'node2', 'node3', 'node3', 'node4', 'node5'].map((n) => pod({ node: n, labels: S1 })),
      nodes: ns([chinaAz1, rgIndia, rgChina, rgChina, rgIndia]),
      want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
    },
    {
      name: 'Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry',
      pod: pod({ labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 }), pod({ node: 'node3', affinity: stayWithS1InRegionAwayFromS2InAz }), pod({ node: 'node4', affinity: awayFromS1InAz })],
      nodes: ns([rgChina, az1, rgIndia, az2]),
      want: { node1: 100, node2: 0, node3: 100, node4: 0 },
    },
    {
      name: "Avoid panic when partial nodes in a topology don't have pods with affinity",
      pod: pod({ labels: S1 }),
      existing: [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', affinity: stayWithS1InRegionAwayFromS2InAz })],
      nodes: ns([rgChina, rgChina]),
      want: { node1: 0, node2: 0 },
    },
    {
      name: 'invalid Affinity fails PreScore',
      pod: pod({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, inSel('security', ['{{.bad-value.}}']), 'region')] } } }),
      existing: [],
      nodes: ns([rgChina, rgChina]),
      want: 'Error',
    },
    {
      name: 'Affinity with pods matching NamespaceSelector',
      pod: pod({ labels: S1, namespace: 'subteam1.team1', affinity: affinityNamespaceSelector }),
      existing: [
        pod({ node: 'node1', labels: S1, namespace: 'subteam1.team1' }),
        pod({ node: 'node1', labels: S1, namespace: 'subteam1.team1' }),
        pod({ node: 'node1', labels: S1, namespace: 'subteam1.team2' }),
        pod({ node: 'node2', labels: S1, namespace: 'subteam2.team1' }),
      ],
      nodes: ns([rgChina, rgIndia]),
      want: { node1: 100, node2: 0 },
    },
    {
      name: 'ignorePreferredTermsOfExistingPods: Skip for a pod without preferred terms',
      pod: pod({ labels: S2 }),
      existing: [pod({ node: 'node1', labels: S1, affinity: stayWithS1InRegion }), pod({ node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: ns([rgChina, rgIndia, az1]),
      args: { ignorePreferredTermsOfExistingPods: true },
      want: 'Skip',
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(scores(c.pod, c.nodes, c.existing, c.args), c.want));
});

describe('InterPodAffinity hardPodAffinityWeight (TestPreferredAffinityWithHardPodAffinitySymmetricWeight)', () => {
  const existing = () => [pod({ node: 'node1', labels: S1, affinity: hardAffinity }), pod({ node: 'node2', labels: S1, affinity: hardAffinity })];
  it('existing pods with required affinity matching the pod raise their region (weight 1)', () => {
    assert.deepEqual(scores(pod({ labels: S1 }), ns([rgChina, rgIndia, az1]), existing()), { node1: 100, node2: 100, node3: 0 });
  });
  it('hardPodAffinityWeight 0 ignores them (Skip: nothing contributes)', () => {
    assert.equal(scores(pod({ labels: S1 }), ns([rgChina, rgIndia, az1]), existing(), { hardPodAffinityWeight: 0 }), 'Skip');
  });
  it('args are defaulted and validated', () => {
    assert.deepEqual(defaultInterPodAffinityArgs(undefined), { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
    assert.throws(() => defaultInterPodAffinityArgs({ hardPodAffinityWeight: 101 }), /hardPodAffinityWeight: Invalid value: 101: not in valid range \[0-100\]/);
  });
  it('repeated cycles on unchanged nodes reuse the per-node work and give the same scores', () => {
    const nodes = ns([rgChina, rgIndia, az1]);
    const ex = existing();
    const infos = nodes.map((n) => nodeInfo(n, ...ex.filter((e) => (e.spec as { nodeName?: string }).nodeName === n.metadata?.name)));
    const pl = newInterPodAffinity(undefined, fakeHandle({ nodes: infos })) as InterPodAffinity;
    const run = () => {
      const st = newState();
      pl.preScore(st, pod({ labels: S1 }), infos);
      return infos.map((ni) => scorePair(pl.score(st, pod({ labels: S1 }), ni)).score);
    };
    // hardAffinity has two required terms on region, both selecting the pod: +1 each per existing pod.
    assert.deepEqual(run(), [2, 2, 0]);
    assert.deepEqual(run(), [2, 2, 0]);
    infos[0].addPod(pod({ node: 'node1', labels: S1, affinity: hardAffinity }));
    assert.deepEqual(run(), [4, 2, 0]);
  });
});

describe('queueing hints', () => {
  const ipa = newInterPodAffinity(undefined, fakeHandle()) as InterPodAffinity;
  const [podEv, nodeEv] = ipa.eventsToRegister();
  const target = pod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: inSel('app', ['db']), topologyKey: 'zone' }] } } });

  it('InterPodAffinity: registers Pod Add/UpdatePodLabel/Delete and Node Add/UpdateNodeLabel/UpdateNodeTaint', () => {
    assert.deepEqual(podEv.event, { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'Delete'] });
    assert.deepEqual(nodeEv.event, { resource: 'Node', actions: ['Add', 'UpdateNodeLabel', 'UpdateNodeTaint'] });
  });
  it('InterPodAffinity pod hint: an assigned matching pod added → Queue; unassigned or unrelated → QueueSkip', () => {
    assert.equal(podEv.hint!(target, undefined, pod({ node: 'n', labels: { app: 'db' } })), 'Queue');
    assert.equal(podEv.hint!(target, undefined, pod({ labels: { app: 'db' } })), 'QueueSkip');
    assert.equal(podEv.hint!(target, undefined, pod({ node: 'n', labels: { app: 'web' } })), 'QueueSkip');
    assert.equal(podEv.hint!(target, pod({ node: 'n', labels: { app: 'web' } }), pod({ node: 'n', labels: { app: 'db' } })), 'Queue');
  });
  it('InterPodAffinity node hint: a node with a topology key → Queue', () => {
    assert.equal(nodeEv.hint!(target, undefined, bare('n', { zone: 'z' })), 'Queue');
    assert.equal(nodeEv.hint!(target, undefined, bare('n', { region: 'r' })), 'QueueSkip');
  });

  const pts = newPodTopologySpread(undefined, fakeHandle()) as PodTopologySpread;
  const [ptsPod, ptsNode] = pts.eventsToRegister();
  const spreadPod = makePod('s', { labels: { foo: '' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { foo: '' } } }] } });
  it('PodTopologySpread pod hint', () => {
    assert.deepEqual(ptsPod.event.actions, ['Add', 'UpdatePodLabel', 'UpdatePodTolerations', 'Delete']);
    assert.equal(ptsPod.hint!(spreadPod, undefined, makePod('a', { node: 'n', labels: { foo: '' } })), 'Queue');
    assert.equal(ptsPod.hint!(spreadPod, undefined, makePod('a', { node: 'n', labels: { bar: '' } })), 'QueueSkip');
    assert.equal(ptsPod.hint!(spreadPod, undefined, makePod('a', { node: 'n', labels: { foo: '' }, namespace: 'other' })), 'QueueSkip');
    assert.equal(ptsPod.hint!(spreadPod, makePod('a', { node: 'n', labels: { foo: '' } }), undefined), 'Queue');
    const before = makePod('a', { node: 'n', labels: { foo: '', x: '1' } });
    assert.equal(ptsPod.hint!(spreadPod, before, { ...before, metadata: { ...before.metadata, labels: { foo: '', x: '2' } } }), 'QueueSkip');
  });
  it('PodTopologySpread node hint', () => {
    assert.deepEqual(ptsNode.event.actions, ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint']);
    assert.equal(ptsNode.hint!(spreadPod, undefined, bare('n', { zone: 'z' })), 'Queue');
    assert.equal(ptsNode.hint!(spreadPod, undefined, bare('n', { region: 'r' })), 'QueueSkip');
    assert.equal(ptsNode.hint!(spreadPod, bare('n', { zone: 'a' }), bare('n', { zone: 'b' })), 'Queue');
    assert.equal(ptsNode.hint!(spreadPod, bare('n', { zone: 'a' }), bare('n', { zone: 'a', x: 'y' })), 'QueueSkip');
  });
});
