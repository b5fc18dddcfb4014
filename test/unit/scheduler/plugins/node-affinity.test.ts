import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeAffinity as V1NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import { NodeInfo, type Node, type NodeScore, type Pod } from '../../../../src/scheduler/framework';
import { ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD, newNodeAffinity, type NodeAffinity } from '../../../../src/scheduler/plugins/node-affinity';
import { scorePair, fakeHandle, newState } from '../../../helpers/scheduler-fixtures';

let uid = 0;
function pod(spec: Record<string, unknown> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${++uid}`, namespace: 'default', uid: `u${uid}` }, spec } as Pod;
}
const node = (name: string, labels?: Record<string, string>): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, ...(labels ? { labels } : {}) } }) as Node;
const required = (...terms: NodeSelectorTerm[]) => pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const nameIn = (n: string) => expr('metadata.name', 'In', [n]);
const plugin = (addedAffinity?: V1NodeAffinity): NodeAffinity => newNodeAffinity(addedAffinity ? { addedAffinity } : undefined, fakeHandle());

interface FilterCase {
  name: string;
  pod: Pod;
  labels?: Record<string, string>;
  nodeName?: string;
  wantStatus?: string;
  wantPreFilter?: { code: string; reason?: string };
  wantNodeNames?: string[];
  args?: V1NodeAffinity;
  runPreFilter?: boolean;
}

const enforced = (key: string, values: string[]): V1NodeAffinity => ({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr(key, 'In', values)] }] } });
const enforcedName = (n: string): V1NodeAffinity => ({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn(n)] }] } });

describe('NodeAffinity PreFilter + Filter (upstream TestNodeAffinity)', () => {
  const cases: FilterCase[] = [
    { name: 'missing labels', pod: pod({ nodeSelector: { foo: 'bar' } }), wantStatus: ERR_REASON_POD },
    { name: 'same labels', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar' } },
    { name: 'node labels are superset', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar', baz: 'blah' } },
    { name: 'node labels are subset', pod: pod({ nodeSelector: { foo: 'bar', baz: 'blah' } }), labels: { foo: 'bar' }, wantStatus: ERR_REASON_POD },
    { name: 'Pod with matchExpressions using In operator that matches the existing node', pod: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }), labels: { foo: 'bar' } },
    { name: 'Pod with matchExpressions using Gt operator that matches the existing node', pod: required({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }), labels: { 'kernel-version': '0206' } },
    { name: 'Pod with matchExpressions using NotIn operator that matches the existing node', pod: required({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }), labels: { 'mem-type': 'DDR3' } },
    { name: 'Pod with matchExpressions using Exists operator that matches the existing node', pod: required({ matchExpressions: [expr('GPU', 'Exists')] }), labels: { GPU: 'NVIDIA-GRID-K1' } },
    { name: "Pod with affinity that don't match node's labels won't schedule onto the node", pod: required({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }), labels: { foo: 'bar' }, wantStatus: ERR_REASON_POD },
    { name: 'Pod with empty MatchExpressions is not a valid value will match no objects and won\'t schedule onto the node', pod: required({ matchExpressions: [] }), labels: { foo: 'bar' }, wantStatus: ERR_REASON_POD },
    { name: 'Pod with no Affinity will schedule onto a node', pod: pod(), labels: { foo: 'bar' }, wantPreFilter: { code: 'Skip' } },
    { name: 'Pod with Affinity but nil NodeSelector will schedule onto a node', pod: pod({ affinity: { nodeAffinity: {} } }), labels: { foo: 'bar' }, wantPreFilter: { code: 'Skip' } },
    { name: 'Pod with multiple matchExpressions ANDed that matches the existing node', pod: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }), labels: { GPU: 'NVIDIA-GRID-K1' } },
    { name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node", pod: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }), labels: { GPU: 'NVIDIA-GRID-K1' }, wantStatus: ERR_REASON_POD },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      pod: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }),
      labels: { foo: 'bar' },
    },
    {
      name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
      pod: pod({ nodeSelector: { foo: 'bar' }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Exists')] }] } } } }),
      labels: { foo: 'bar' },
    },
    {
      name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
      pod: pod({ nodeSelector: { foo: 'bar' }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Exists')] }] } } } }),
      labels: { foo: 'barrrrrr' },
      wantStatus: ERR_REASON_POD,
    },
    { name: "Pod with an invalid value in Affinity term won't be scheduled onto the node", pod: required({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }), labels: { foo: 'bar' }, wantStatus: ERR_REASON_POD },
    { name: 'Pod with matchFields using In operator that matches the existing node', pod: required({ matchFields: [nameIn('node1')] }), nodeName: 'node1', wantNodeNames: ['node1'] },
    { name: 'Pod with matchFields using In operator that does not match the existing node', pod: required({ matchFields: [nameIn('node1')] }), nodeName: 'node2', wantStatus: ERR_REASON_POD, wantNodeNames: ['node1'] },
    {
      name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
      pod: required({ matchFields: [nameIn('node1'), nameIn('node2')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
    },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      pod: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantNodeNames: ['node1'],
      wantStatus: ERR_REASON_POD,
    },
    {
      name: 'Pod with one term: both matchFields and matchExpressions match',
      pod: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node1',
      labels: { foo: 'bar' },
      wantNodeNames: ['node1'],
    },
    {
      name: 'Pod with two terms: both matchFields and matchExpressions do not match',
      pod: required({ matchFields: [nameIn('node1')] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantStatus: ERR_REASON_POD,
    },
    { name: 'Pod with two terms of node.Name affinity', pod: required({ matchFields: [nameIn('node1')] }, { matchFields: [nameIn('node2')] }), nodeName: 'node2', wantNodeNames: ['node1', 'node2'] },
    {
      name: 'Pod with two conflicting mach field requirements',
      pod: required({ matchFields: [nameIn('node1'), nameIn('node2')] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantPreFilter: { code: 'UnschedulableAndUnresolvable', reason: ERR_REASON_CONFLICT },
      wantStatus: ERR_REASON_POD,
    },
    { name: "Matches added affinity and Pod's node affinity", pod: required({ matchExpressions: [expr('zone', 'In', ['foo'])] }), nodeName: 'node2', labels: { zone: 'foo' }, args: enforcedName('node2') },
    { name: "Matches added affinity but not Pod's node affinity", pod: required({ matchExpressions: [expr('zone', 'In', ['bar'])] }), nodeName: 'node2', labels: { zone: 'foo' }, args: enforcedName('node2'), wantStatus: ERR_REASON_POD },
    { name: "Doesn't match added affinity", pod: pod(), nodeName: 'node2', labels: { zone: 'foo' }, args: enforced('zone', ['bar']), wantStatus: ERR_REASON_ENFORCED },
    { name: 'Matches node selector correctly even if PreFilter is not called', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar', baz: 'blah' }, runPreFilter: false },
    {
      name: 'Matches node affinity correctly even if PreFilter is not called',
      pod: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      runPreFilter: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plugin(c.args);
      const state = newState();
      const ni = new NodeInfo(node(c.nodeName ?? '', c.labels));
      if (c.runPreFilter !== false) {
        const { result, status } = p.preFilter(state, c.pod, [ni]);
        assert.equal(status.code, c.wantPreFilter?.code ?? 'Success');
        if (c.wantPreFilter?.reason) assert.deepEqual(status.reasons, [c.wantPreFilter.reason]);
        assert.deepEqual(result?.nodeNames ? [...result.nodeNames].sort() : undefined, c.wantNodeNames);
      }
      const st = p.filter(state, c.pod, ni);
      if (c.wantStatus === undefined) assert.ok(st.isSuccess(), st.message());
      else {
        assert.equal(st.code, 'UnschedulableAndUnresolvable');
        assert.deepEqual(st.reasons, [c.wantStatus]);
      }
    });
  }
});

describe('NodeAffinity Score (upstream TestNodeAffinityPriority)', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const pref1: PreferredSchedulingTerm[] = [{ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }];
  const pref2: PreferredSchedulingTerm[] = [
    { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
    { weight: 4, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
    { weight: 5, preference: { matchExpressions: [expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1'])] } },
  ];
  const withPref = (terms: PreferredSchedulingTerm[]) => pod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } });
  const cases: { name: string; pod: Pod; nodes: Node[]; want: NodeScore[]; args?: V1NodeAffinity; runPreScore?: boolean; wantSkip?: boolean }[] = [
    {
      name: 'all nodes are same priority as NodeAffinity is nil',
      pod: pod(),
      nodes: [node('node1', label1), node('node2', label2), node('node3', label3)],
      want: [
        { name: 'node1', score: 0 },
        { name: 'node2', score: 0 },
        { name: 'node3', score: 0 },
      ],
      wantSkip: true,
    },
    {
      name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
      pod: withPref(pref1),
      nodes: [node('node1', label4), node('node2', label2), node('node3', label3)],
      want: [
        { name: 'node1', score: 0 },
        { name: 'node2', score: 0 },
        { name: 'node3', score: 0 },
      ],
    },
    {
      name: 'only node1 matches the preferred scheduling requirements of pod',
      pod: withPref(pref1),
      nodes: [node('node1', label1), node('node2', label2), node('node3', label3)],
      want: [
        { name: 'node1', score: 100 },
        { name: 'node2', score: 0 },
        { name: 'node3', score: 0 },
      ],
    },
    {
      name: 'all nodes matches the preferred scheduling requirements of pod but with different priorities ',
      pod: withPref(pref2),
      nodes: [node('node1', label1), node('node5', label5), node('node2', label2)],
      want: [
        { name: 'node1', score: 18 },
        { name: 'node5', score: 100 },
        { name: 'node2', score: 36 },
      ],
    },
    {
      name: 'added affinity',
      pod: pod(),
      nodes: [node('node1', label1), node('node2', label2)],
      want: [
        { name: 'node1', score: 100 },
        { name: 'node2', score: 0 },
      ],
      args: { preferredDuringSchedulingIgnoredDuringExecution: pref1 },
    },
    {
      name: 'added affinity and pod has default affinity',
      pod: withPref(pref1),
      nodes: [node('node1', label1), node('node2', label2), node('node3', label5)],
      want: [
        { name: 'node1', score: 40 },
        { name: 'node2', score: 60 },
        { name: 'node3', score: 100 },
      ],
      args: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [expr('key', 'In', ['value'])] } }] },
    },
    {
      name: 'calculate the priorities correctly even if PreScore is not called',
      pod: withPref(pref2),
      nodes: [node('node1', label1), node('node5', label5), node('node2', label2)],
      want: [
        { name: 'node1', score: 18 },
        { name: 'node5', score: 100 },
        { name: 'node2', score: 36 },
      ],
      runPreScore: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plugin(c.args);
      const state = newState();
      const infos = c.nodes.map((n) => new NodeInfo(n));
      if (c.runPreScore !== false) assert.equal(p.preScore(state, c.pod, infos).code, c.wantSkip ? 'Skip' : 'Success');
      const got = infos.map((ni) => ({ name: ni.name, score: scorePair(p.score(state, c.pod, ni)).score }));
      assert.ok(p.normalizeScore(state, c.pod, got).isSuccess());
      assert.deepEqual(got, c.want);
    });
  }

  it('a preferred term that does not parse makes PreScore an Error', () => {
    const st = plugin().preScore(newState(), withPref([{ weight: 1, preference: { matchExpressions: [expr('foo', 'Bogus', ['x'])] } }]), []);
    assert.equal(st.code, 'Error');
    assert.match(st.message(), /\[0\]\.matchExpressions\[0\]\.operator: Unsupported value: "Bogus"/);
  });

  it('invalid addedAffinity fails the plugin construction, worded as upstream', () => {
    assert.throws(() => plugin({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'Exists')] }] } }), /^Error: parsing addedAffinity\.requiredDuringSchedulingIgnoredDuringExecution: nodeSelectorTerms\[0\]\.matchFields\[0\]\.operator: Unsupported value: "Exists": supported values: "In", "NotIn"$/);
  });
});

describe('NodeAffinity QueueingHint (upstream Test_isSchedulableAfterNodeChange)', () => {
  const target = () => required({ matchExpressions: [expr('foo', 'In', ['bar'])] });
  const cases: { name: string; args?: V1NodeAffinity; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { name: 'backoff-wrong-new-object', newObj: 'not-a-node', want: 'Queue' },
    { name: 'backoff-wrong-old-object', oldObj: 'not-a-node', newObj: node('n'), want: 'Queue' },
    { name: 'skip-queue-on-add', newObj: node('n'), want: 'QueueSkip' },
    { name: 'queue-on-add', newObj: node('n', { foo: 'bar' }), want: 'Queue' },
    { name: 'skip-unrelated-changes', oldObj: node('n'), newObj: { ...node('n'), status: { capacity: {} } }, want: 'QueueSkip' },
    { name: 'skip-unrelated-changes-on-labels', oldObj: node('n'), newObj: node('n', { k: 'v' }), want: 'QueueSkip' },
    { name: 'skip-labels-changes-on-suitable-node', oldObj: node('n', { foo: 'bar' }), newObj: node('n', { foo: 'bar', k: 'v' }), want: 'QueueSkip' },
    { name: 'skip-labels-changes-on-node-from-suitable-to-unsuitable', oldObj: node('n', { foo: 'bar' }), newObj: node('n', { k: 'v' }), want: 'QueueSkip' },
    { name: 'queue-on-labels-change-makes-pod-schedulable', oldObj: node('n'), newObj: node('n', { foo: 'bar' }), want: 'Queue' },
    { name: 'skip-queue-on-add-scheduler-enforced-node-affinity', args: enforced('foo', ['bar']), newObj: node('n'), want: 'QueueSkip' },
    { name: 'queue-on-add-scheduler-enforced-node-affinity', args: enforced('foo', ['bar']), newObj: node('n', { foo: 'bar' }), want: 'Queue' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(plugin(c.args).isSchedulableAfterNodeChange(target(), c.oldObj, c.newObj), c.want));
  }

  it('registers Node Add|UpdateNodeLabel with a hint', () => {
    const ev = plugin().eventsToRegister();
    assert.deepEqual(ev.map((e) => [e.event.resource, e.event.actions, typeof e.hint]), [['Node', ['Add', 'UpdateNodeLabel'], 'function']]);
  });
});
