/** Cluster event matching, pod change events and isPodUpdated (upstream types_test.go, events_test.go, isPodUpdated). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent } from '../../../../src/scheduler/framework';
import { ClusterEvents as E, eventMatches, isPodUpdated, podSchedulingPropertiesChange, queueingHintsFor } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { fakePlugin, withLabels, withSpec, withStatus } from './harness';

const ce = (resource: ClusterEvent['resource'], ...actions: ClusterEvent['actions'][number][]): ClusterEvent => ({ resource, actions });

describe('eventMatches (upstream ClusterEvent.Match)', () => {
  const cases: [string, ClusterEvent, ClusterEvent, boolean][] = [
    ['wildcard registration matches anything', E.WildCardEvent, E.PvAdd, true],
    ['same resource and action', ce('Node', 'Add'), E.NodeAdd, true],
    ['different action', ce('Node', 'Delete'), E.NodeAdd, false],
    ['different resource', ce('Pod', 'Add'), E.NodeAdd, false],
    ['registered Update covers a specific node update', ce('Node', 'Update'), E.NodeLabelChange, true],
    ['a specific node update registration matches the general Update', ce('Node', 'UpdateNodeLabel'), E.NodeUpdate, true],
    ['different specific updates do not match', ce('Node', 'UpdateNodeTaint'), E.NodeLabelChange, false],
    ['All covers Add', ce('PersistentVolumeClaim', 'All'), E.PvcAdd, true],
    ['one of several actions', ce('Node', 'Add', 'UpdateNodeTaint'), E.NodeTaintChange, true],
    ['Pod covers AssignedPod', ce('Pod', 'Delete'), E.AssignedPodDelete, true],
    ['Pod covers UnscheduledPod', ce('Pod', 'UpdatePodLabel'), ce('UnscheduledPod', 'UpdatePodLabel'), true],
    ['AssignedPod does not cover Pod', ce('AssignedPod', 'Add'), ce('Pod', 'Add'), false],
    ['resource * with a specific action', ce('*', 'Add'), E.NodeAdd, true],
    ['resource * with another action', ce('*', 'Delete'), E.NodeAdd, false],
  ];
  for (const [name, registered, incoming, want] of cases) it(name, () => assert.equal(eventMatches(registered, incoming), want));
});

describe('podSchedulingPropertiesChange', () => {
  const base = makePod('p', { labels: { a: '1' }, requests: [{ cpu: '2', memory: '1Gi' }] });
  const actions = (n: ReturnType<typeof makePod>, o: ReturnType<typeof makePod>) => podSchedulingPropertiesChange(n, o).map((e) => `${e.resource}/${e.actions.join()}`);
  const withRequests = (r: Record<string, string>) => withSpec(base, { containers: [{ name: 'c0', image: 'nginx', resources: { requests: r } }] });

  it('label change', () => assert.deepEqual(actions(withLabels(base, { a: '2' }), base), ['UnscheduledPod/UpdatePodLabel']));
  it('scale down (lower or removed request)', () => {
    assert.deepEqual(actions(withRequests({ cpu: '1', memory: '1Gi' }), base), ['UnscheduledPod/UpdatePodScaleDown']);
    assert.deepEqual(actions(withRequests({ cpu: '2' }), base), ['UnscheduledPod/UpdatePodScaleDown']);
    assert.deepEqual(actions(withRequests({ cpu: '3', memory: '1Gi' }), base), ['UnscheduledPod/Update'], 'scale up is a plain update');
  });
  it('scheduling gates removed', () => {
    const gated = withSpec(base, { schedulingGates: [{ name: 'g' }] });
    assert.deepEqual(actions(withSpec(gated, { schedulingGates: [] }), gated), ['UnscheduledPod/UpdatePodSchedulingGatesEliminated']);
  });
  it('toleration added', () => assert.deepEqual(actions(withSpec(base, { tolerations: [{ key: 'k' }] }), base), ['UnscheduledPod/UpdatePodTolerations']));
  it('assigned pods use AssignedPod; several changes give several events', () => {
    const bound = withSpec(base, { nodeName: 'n1' });
    assert.deepEqual(actions(withSpec(withLabels(bound, {}), { tolerations: [{ key: 'k' }] }), bound), ['AssignedPod/UpdatePodLabel', 'AssignedPod/UpdatePodTolerations']);
  });
});

describe('isPodUpdated', () => {
  const pod = makePod('p');
  it('ignores status, resourceVersion, generation, managedFields and finalizers', () => {
    assert.equal(isPodUpdated(pod, withStatus(pod, { phase: 'Failed', conditions: [{ type: 'PodScheduled' }] })), false);
    const meta = Object.freeze({ ...pod, metadata: { ...pod.metadata, resourceVersion: '9', generation: 3, finalizers: ['x'], managedFields: [{}] } });
    assert.equal(isPodUpdated(pod, meta), false);
  });
  it('sees spec, label and annotation changes and resourceClaimStatuses', () => {
    assert.equal(isPodUpdated(pod, withLabels(pod, { a: 'b' })), true);
    assert.equal(isPodUpdated(pod, withSpec(pod, { priority: 3 })), true);
    assert.equal(isPodUpdated(pod, withStatus(pod, { resourceClaimStatuses: [{ name: 'c' }] })), true);
  });
});

describe('queueingHintsFor', () => {
  it('isEventOfInterest: the wildcard, a registered event, or any event when a plugin has no EnqueueExtensions', () => {
    const h = queueingHintsFor([fakePlugin('a', [{ event: E.NodeAdd }])]);
    assert.equal(h.isEventOfInterest(E.NodeAdd), true);
    assert.equal(h.isEventOfInterest(E.PvAdd), false);
    assert.equal(h.isEventOfInterest(E.UnschedulableTimeout), true);
    const all = queueingHintsFor([{ name: 'legacy' }]);
    assert.equal(all.isEventOfInterest(E.PvAdd), true);
    assert.equal(all.eventHint('legacy', E.PvAdd, makePod('x'), undefined, undefined), 'Queue');
  });
  it('eventHint: undefined when the plugin did not register the event; an unknown plugin gets Queue', () => {
    const h = queueingHintsFor([fakePlugin('a', [{ event: E.NodeAdd, hint: 'QueueSkip' }])]);
    assert.equal(h.eventHint('a', E.PvAdd, makePod('x'), undefined, undefined), undefined);
    assert.equal(h.eventHint('a', E.NodeAdd, makePod('x'), undefined, undefined), 'QueueSkip');
    assert.equal(h.eventHint('nobody', E.NodeAdd, makePod('x'), undefined, undefined), 'Queue');
  });
});
