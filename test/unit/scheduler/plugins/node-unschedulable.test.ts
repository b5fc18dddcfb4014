import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../../../src/scheduler/framework';
import { NodeInfo } from '../../../../src/scheduler/framework';
import { ERR_REASON_UNSCHEDULABLE, newNodeUnschedulable, TAINT_NODE_UNSCHEDULABLE } from '../../../../src/scheduler/plugins/node-unschedulable';
import { fakeHandle, makeNode, makePod, newState } from '../../../helpers/scheduler-fixtures';

const plugin = () => newNodeUnschedulable(undefined, fakeHandle());
const spec = (s: Record<string, unknown>): Node => ({ metadata: { name: 'n' }, spec: s }) as Node;

describe('NodeUnschedulable Filter (upstream TestNodeUnschedulable)', () => {
  it('Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', () => {
    const st = plugin().filter(newState(), makePod('p'), new NodeInfo(makeNode('n', { unschedulable: true })));
    assert.equal(st.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(st.reasons, [ERR_REASON_UNSCHEDULABLE]);
    assert.equal(ERR_REASON_UNSCHEDULABLE, 'node(s) were unschedulable');
  });
  it('Schedule pod to normal node', () => {
    assert.ok(plugin().filter(newState(), makePod('p'), new NodeInfo(makeNode('n'))).isSuccess());
  });
  it('Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }] } });
    assert.ok(plugin().filter(newState(), pod, new NodeInfo(makeNode('n', { unschedulable: true }))).isSuccess());
  });
  it('a toleration of another effect does not help', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoExecute' }] } });
    assert.equal(plugin().filter(newState(), pod, new NodeInfo(makeNode('n', { unschedulable: true }))).code, 'UnschedulableAndUnresolvable');
  });
  it('an Exists toleration without key tolerates it', () => {
    const pod = makePod('p', { spec: { tolerations: [{ operator: 'Exists' }] } });
    assert.ok(plugin().filter(newState(), pod, new NodeInfo(makeNode('n', { unschedulable: true }))).isSuccess());
  });
});

describe('NodeUnschedulable QueueingHints (upstream TestIsSchedulableAfterNodeChange)', () => {
  const cases: [string, unknown, unknown, string][] = [
    ['backoff-wrong-new-object', undefined, 'not-a-node', 'Queue'],
    ['backoff-wrong-old-object', 'not-a-node', spec({ unschedulable: true }), 'Queue'],
    ['skip-queue-on-unschedulable-node-added', undefined, spec({ unschedulable: true }), 'QueueSkip'],
    ['queue-on-schedulable-node-added', undefined, spec({ unschedulable: false }), 'Queue'],
    ['skip-unrelated-change', spec({ unschedulable: true }), spec({ unschedulable: true, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), 'QueueSkip'],
    ['queue-on-unschedulable-field-change', spec({ unschedulable: true }), spec({ unschedulable: false }), 'Queue'],
  ];
  for (const [name, oldObj, newObj, want] of cases) it(name, () => assert.equal(plugin().isSchedulableAfterNodeChange(makePod('p'), oldObj, newObj), want));

  it('queues the pod when it now tolerates the taint', () => {
    const pod = makePod('p');
    const updated = { ...pod, spec: { ...(pod.spec as object), tolerations: [{ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }] } };
    assert.equal(plugin().isSchedulableAfterPodTolerationChange(pod, pod, updated), 'Queue');
    assert.equal(plugin().isSchedulableAfterPodTolerationChange(pod, pod, pod), 'QueueSkip');
    assert.equal(plugin().isSchedulableAfterPodTolerationChange(pod, updated, updated), 'QueueSkip', 'already tolerated before');
    assert.equal(plugin().isSchedulableAfterPodTolerationChange(pod, undefined, { ...updated, metadata: { uid: 'other' } }), 'QueueSkip');
  });

  it('registers Node Add|UpdateNodeTaint and Pod UpdatePodTolerations', () => {
    assert.deepEqual(
      plugin()
        .eventsToRegister()
        .map((e) => [e.event.resource, e.event.actions]),
      [
        ['Node', ['Add', 'UpdateNodeTaint']],
        ['Pod', ['UpdatePodTolerations']],
      ],
    );
  });
});
