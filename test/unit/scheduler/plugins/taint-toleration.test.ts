import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Taint, Toleration } from '../../../../src/api/tolerations';
import { NodeInfo, type NodeScore } from '../../../../src/scheduler/framework';
import { NAME, newTaintToleration } from '../../../../src/scheduler/plugins/taint-toleration';
import { scorePair, fakeHandle, makeNode, makePod, newState } from '../../../helpers/scheduler-fixtures';

const nodeWithTaints = (name: string, taints: Taint[]) => makeNode(name, { taints });
const podWithTolerations = (name: string, tolerations: Toleration[]) => makePod(name, { spec: { tolerations } });
const plugin = () => newTaintToleration(undefined, fakeHandle());

describe('TaintToleration Score (upstream TestTaintTolerationScore)', () => {
  const cases: { name: string; pod: ReturnType<typeof makePod>; nodes: ReturnType<typeof makeNode>[]; want: NodeScore[] }[] = [
    {
      name: 'node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      nodes: [nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }]), nodeWithTaints('nodeB', [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }])],
      want: [
        { name: 'nodeA', score: 100 },
        { name: 'nodeB', score: 0 },
      ],
    },
    {
      name: 'the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      pod: podWithTolerations('pod1', [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeC', [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: [
        { name: 'nodeA', score: 100 },
        { name: 'nodeB', score: 100 },
        { name: 'nodeC', score: 100 },
      ],
    },
    {
      name: 'the more intolerable taints a node has, the lower score it gets.',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeC', [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: [
        { name: 'nodeA', score: 100 },
        { name: 'nodeB', score: 50 },
        { name: 'nodeC', score: 0 },
      ],
    },
    {
      name: 'only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
      pod: podWithTolerations('pod1', [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }]),
        nodeWithTaints('nodeC', [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: [
        { name: 'nodeA', score: 100 },
        { name: 'nodeB', score: 100 },
        { name: 'nodeC', score: 0 },
      ],
    },
    {
      name: 'Default behaviour No taints and tolerations, lands on node with no taints',
      pod: podWithTolerations('pod1', []),
      nodes: [nodeWithTaints('nodeA', []), nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }])],
      want: [
        { name: 'nodeA', score: 100 },
        { name: 'nodeB', score: 0 },
      ],
    },
    {
      name: 'a toleration without effect counts for PreferNoSchedule taints',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Exists' }]),
      nodes: [nodeWithTaints('nodeA', [{ key: 'foo', value: 'x', effect: 'PreferNoSchedule' }]), nodeWithTaints('nodeB', [{ key: 'bar', value: 'x', effect: 'PreferNoSchedule' }])],
      want: [
        { name: 'nodeA', score: 100 },
        { name: 'nodeB', score: 0 },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plugin();
      const state = newState();
      const infos = c.nodes.map((n) => new NodeInfo(n));
      assert.ok(p.preScore(state, c.pod, infos).isSuccess());
      const got: NodeScore[] = infos.map((ni) => {
        const r = scorePair(p.score(state, c.pod, ni));
        assert.ok(r.status.isSuccess());
        return { name: ni.name, score: r.score };
      });
      assert.ok(p.normalizeScore(state, c.pod, got).isSuccess());
      assert.deepEqual(got, c.want);
    });
  }

  it('Score without PreScore is an Error status', () => {
    const r = scorePair(plugin().score(newState(), podWithTolerations('p', []), new NodeInfo(nodeWithTaints('n', []))));
    assert.equal(r.status.code, 'Error');
  });
});

describe('TaintToleration Filter (upstream TestTaintTolerationFilter)', () => {
  const cases: { name: string; pod: ReturnType<typeof makePod>; node: ReturnType<typeof makeNode>; want?: string }[] = [
    {
      name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
      pod: podWithTolerations('pod1', []),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      want: 'node(s) had untolerated taint {dedicated: user1}',
    },
    {
      name: 'A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      pod: podWithTolerations('pod1', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
    },
    {
      name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      want: 'node(s) had untolerated taint {dedicated: user1}',
    },
    {
      name: 'A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
    },
    {
      name: 'A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', [
        { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      ]),
      node: nodeWithTaints('nodeA', [
        { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      ]),
    },
    {
      name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
      want: 'node(s) had untolerated taint {foo: bar}',
    },
    {
      name: 'The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar' }]),
      node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
    },
    {
      name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }]),
    },
    {
      name: 'The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', []),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }]),
    },
    {
      name: 'a NoExecute taint is checked too; a taint without value prints an empty value',
      pod: podWithTolerations('pod1', []),
      node: nodeWithTaints('nodeA', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]),
      want: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const st = plugin().filter(newState(), c.pod, new NodeInfo(c.node));
      if (c.want === undefined) assert.ok(st.isSuccess(), st.message());
      else {
        assert.equal(st.code, 'UnschedulableAndUnresolvable');
        assert.deepEqual(st.reasons, [c.want]);
      }
    });
  }
});

describe('TaintToleration QueueingHints (upstream TestIsSchedulableAfterNodeChange, Test_isSchedulableAfterPodTolerationChange)', () => {
  const pod = podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]);
  const cases: { name: string; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { name: 'backoff-wrong-new-object', newObj: 'not-a-node', want: 'Queue' },
    { name: 'backoff-wrong-old-object', oldObj: 'not-a-node', newObj: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]), want: 'Queue' },
    { name: 'skip-queue-on-untoleratedtaint-node-added', newObj: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]), want: 'QueueSkip' },
    { name: 'queue-on-toleratedtaint-node-added', newObj: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user2', effect: 'NoSchedule' }]), want: 'Queue' },
    {
      name: 'skip-unrelated-change',
      oldObj: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      newObj: nodeWithTaints('nodeA', [
        { key: 'dedicated', value: 'user1', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'user3', effect: 'NoSchedule' },
      ]),
      want: 'QueueSkip',
    },
    {
      name: 'queue-on-taint-change',
      oldObj: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      newObj: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user2', effect: 'NoSchedule' }]),
      want: 'Queue',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(plugin().isSchedulableAfterNodeChange(pod, c.oldObj, c.newObj), c.want));
  }

  it('queue-on-toleration-added for the pod itself, skip for another pod', () => {
    const p = plugin();
    const updated = { ...pod, spec: { ...(pod.spec as object), tolerations: [{ key: 'foo', effect: 'NoSchedule' }] } };
    assert.equal(p.isSchedulableAfterPodTolerationChange(pod, pod, updated), 'Queue');
    assert.equal(p.isSchedulableAfterPodTolerationChange(pod, undefined, podWithTolerations('other', [])), 'QueueSkip');
  });

  it('registers Node Add|UpdateNodeTaint and Pod UpdatePodTolerations with hints', () => {
    const ev = plugin().eventsToRegister();
    assert.deepEqual(
      ev.map((e) => [e.event.resource, e.event.actions, typeof e.hint]),
      [
        ['Node', ['Add', 'UpdateNodeTaint'], 'function'],
        ['Pod', ['UpdatePodTolerations'], 'function'],
      ],
    );
    assert.equal(plugin().name, NAME);
  });
});
