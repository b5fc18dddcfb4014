import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, QueueingHint } from '../../../../../src/scheduler/framework';
import { NodeResourcesFit, nodeResourcesFitFactory } from '../../../../../src/scheduler/plugins/node-resources-fit';
import { haveAnyRequestedResourcesIncreased, isFit, isSchedulableAfterNodeChange, isSchedulableAfterPodEvent } from '../../../../../src/scheduler/plugins/noderesources/fit-hints';
import { capNode, pod, res } from './fixtures';

const A = 'example.com/aaa';
const B = 'example.com/bbb';

function hints(ippvs: boolean) {
  const plugin = nodeResourcesFitFactory({ enableInPlacePodVerticalScaling: ippvs, enableSchedulingQueueHint: true })(undefined, undefined as never) as NodeResourcesFit;
  const [podEvent, nodeEvent] = plugin.eventsToRegister();
  return { pod: podEvent.hint!, node: nodeEvent.hint! };
}

// Upstream fit_test.go Test_isSchedulableAfterPodChange.
describe('NodeResourcesFit hint on Pod events', () => {
  const cases: [string, Pod, unknown, unknown, boolean, QueueingHint][] = [
    ['backoff-wrong-old-object', pod(), 'not-a-pod', undefined, true, 'Queue'],
    ['backoff-wrong-new-object', pod(), undefined, 'not-a-pod', true, 'Queue'],
    ['queue-on-other-pod-deleted', pod({ name: 'pod1', containers: [{ cpu: '1' }] }), pod({ name: 'pod2', containers: [{ cpu: '1' }], node: 'fake' }), undefined, true, 'Queue'],
    ['skip-queue-on-unscheduled-pod-deleted', pod(), pod(), undefined, true, 'QueueSkip'],
    [
      'skip-queue-on-disable-inplace-pod-vertical-scaling',
      pod({ name: 'pod1', containers: [{ cpu: '1' }] }),
      pod({ name: 'pod2', containers: [{ cpu: '2' }], node: 'fake' }),
      pod({ name: 'pod2', containers: [{ cpu: '1' }], node: 'fake' }),
      false,
      'QueueSkip',
    ],
    [
      'skip-queue-on-other-unscheduled-pod',
      pod({ name: 'pod1', uid: 'uid0', containers: [{ cpu: '1' }] }),
      pod({ name: 'pod2', uid: 'uid1', containers: [{ cpu: '2' }] }),
      pod({ name: 'pod2', uid: 'uid1', containers: [{ cpu: '1' }] }),
      true,
      'QueueSkip',
    ],
    [
      'skip-queue-on-other-pod-unrelated-resource-scaled-down',
      pod({ name: 'pod1', uid: 'pod1', containers: [{ cpu: '1' }] }),
      pod({ name: 'pod2', uid: 'pod2', containers: [{ memory: '2' }], node: 'fake' }),
      pod({ name: 'pod2', uid: 'pod2', containers: [{ memory: '1' }], node: 'fake' }),
      true,
      'QueueSkip',
    ],
    [
      'queue-on-other-pod-some-resource-scale-down',
      pod({ name: 'pod1', uid: 'pod1', containers: [{ cpu: '1' }] }),
      pod({ name: 'pod2', uid: 'pod2', containers: [{ cpu: '2' }], node: 'fake' }),
      pod({ name: 'pod2', uid: 'pod2', containers: [{ cpu: '1' }], node: 'fake' }),
      true,
      'Queue',
    ],
    [
      'queue-on-target-pod-some-resource-scale-down',
      pod({ name: 'pod1', uid: 'pod1', containers: [{ cpu: '1' }] }),
      pod({ name: 'pod1', uid: 'pod1', containers: [{ cpu: '2' }] }),
      pod({ name: 'pod1', uid: 'pod1', containers: [{ cpu: '1' }] }),
      true,
      'Queue',
    ],
  ];
  for (const [name, target, oldObj, newObj, ippvs, want] of cases) {
    it(name, () => {
      assert.equal(hints(ippvs).pod(target, oldObj, newObj), want);
      assert.equal(isSchedulableAfterPodEvent({ enableInPlacePodVerticalScaling: ippvs, enableSchedulingQueueHint: true }, target, oldObj, newObj), want);
    });
  }
});

// Upstream fit_test.go Test_isSchedulableAfterNodeChange.
describe('NodeResourcesFit hint on Node events', () => {
  const wants = pod({ containers: [res({ memory: 2, scalar: { [A]: 1 } })] });
  const cases: [string, Pod, unknown, unknown, QueueingHint][] = [
    ['backoff-wrong-new-object', pod(), undefined, 'not-a-node', 'Queue'],
    ['backoff-wrong-old-object', pod(), 'not-a-node', capNode('n'), 'Queue'],
    ['skip-queue-on-node-add-without-sufficient-resources', pod({ containers: [res({ memory: 2 })] }), undefined, capNode('n', { memory: '1' }), 'QueueSkip'],
    ['skip-queue-on-node-add-without-required-resource-type', pod({ containers: [res({ scalar: { [A]: 1 } })] }), undefined, capNode('n', { [B]: '1' }), 'QueueSkip'],
    ['queue-on-node-add-with-sufficient-resources', wants, undefined, capNode('n', { memory: '4', [A]: '2' }), 'Queue'],
    ['skip-queue-on-node-unrelated-changes', wants, capNode('n', { memory: '2', [A]: '2' }), capNode('n', { memory: '2', [A]: '1', [B]: '2' }), 'QueueSkip'],
    ['queue-on-pod-requested-resources-increase', wants, capNode('n', { memory: '2', [A]: '1' }), capNode('n', { memory: '2', [A]: '2' }), 'Queue'],
    ['skip-queue-on-node-changes-from-suitable-to-unsuitable', wants, capNode('n', { memory: '4', [A]: '2' }), capNode('n', { memory: '1', [A]: '2' }), 'QueueSkip'],
    ['queue-on-node-changes-from-unsuitable-to-suitable', wants, capNode('n', { memory: '1', [A]: '2' }), capNode('n', { memory: '4', [A]: '2' }), 'Queue'],
    // Our own: more allocatable pods always queues (the pod may have failed on "Too many pods").
    ['queue-on-allowed-pod-number-increase', pod(), capNode('n', { pods: '1' }), capNode('n', { pods: '2' }), 'Queue'],
    ['skip-queue-on-unrequested-resource-increase', pod({ containers: [{ memory: '1' }] }), capNode('n', { memory: '2', cpu: '1' }), capNode('n', { memory: '2', cpu: '8' }), 'QueueSkip'],
  ];
  for (const [name, target, oldObj, newObj, want] of cases) {
    it(name, () => {
      assert.equal(hints(false).node(target, oldObj, newObj), want);
      assert.equal(isSchedulableAfterNodeChange(target, oldObj, newObj), want);
    });
  }

  it('isFit: no node never fits; an empty node fits by allocatable', () => {
    assert.equal(isFit(pod(), undefined), false);
    assert.equal(isFit(pod({ containers: [{ cpu: '2' }] }), capNode('n', { cpu: '1' })), false);
    assert.equal(isFit(pod({ containers: [{ cpu: '1' }] }), capNode('n', { cpu: '1' })), true);
  });

  it('haveAnyRequestedResourcesIncreased ignores resources the pod does not request', () => {
    const p = pod({ containers: [{ cpu: '1' }] });
    assert.equal(haveAnyRequestedResourcesIncreased(p, capNode('n', { cpu: '1', memory: '1' }), capNode('n', { cpu: '1', memory: '9' })), false);
    assert.equal(haveAnyRequestedResourcesIncreased(p, capNode('n', { cpu: '1' }), capNode('n', { cpu: '2' })), true);
  });
});
