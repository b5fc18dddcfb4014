/**
 * Pods gated by PreEnqueue plugins (upstream Test_queuedPodInfo_gatedSetUponCreationAndUnsetUponUpdate,
 * TestPriorityQueue_moveToActiveQ, the #124384 hotfix for scheduling-gated pods).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status, type Pod } from '../../../../src/scheduler/framework';
import { ClusterEvents as E } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { fakePlugin, newQueue, schedulingGatesPreEnqueue, withLabels, withSpec } from './harness';

const gatesPlugin = fakePlugin('SchedulingGates', [
  { event: { resource: 'Pod', actions: ['UpdatePodSchedulingGatesEliminated'] }, hint: 'Queue' },
]);
const gatedPod = makePod('gated', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } });

describe('SchedulingQueue: gated pods', () => {
  it('a pod with scheduling gates is parked gated; removing the gates moves it to activeQ', async () => {
    const { q } = newQueue({ plugins: [gatesPlugin], preEnqueue: schedulingGatesPreEnqueue });
    q.add(gatedPod);
    const qpi = q.getPod(gatedPod)!;
    assert.equal(qpi.gated, true);
    assert.deepEqual([...qpi.unschedulablePlugins], ['SchedulingGates']);
    assert.deepEqual(q.pendingPods(), { active: 0, backoff: 0, unschedulable: 1 });

    const relabeled = withLabels(gatedPod, { a: 'b' });
    q.update(gatedPod, relabeled);
    assert.equal(q.queueOf(gatedPod), 'unschedulable', 'still gated');
    assert.equal(q.getPod(gatedPod)?.gated, true);

    const ungated = withSpec(relabeled, { schedulingGates: [] });
    q.update(relabeled, ungated);
    assert.equal(q.queueOf(gatedPod), 'active', 'no backoff for a pod never attempted');
    const popped = await q.pop();
    assert.equal(popped?.podInfo.pod, ungated);
    assert.equal(popped?.gated, false);
    assert.equal(popped?.attempts, 1);
  });

  it('scheduling-gated pods ignore cluster events and the leftover flush', () => {
    const { q, clock } = newQueue({ plugins: [gatesPlugin, fakePlugin('other', [{ event: E.NodeAdd }])], preEnqueue: schedulingGatesPreEnqueue });
    q.add(gatedPod);
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd);
    q.moveAllToActiveOrBackoffQueue(E.WildCardEvent);
    clock.advance(600_000);
    assert.equal(q.queueOf(gatedPod), 'unschedulable');
    assert.equal(q.getPod(gatedPod)?.gated, true);
  });

  it('a pod gated by another PreEnqueue plugin is re-checked on its events and moves once PreEnqueue passes', () => {
    let ready = false;
    const preEnqueue = (_pod: Pod) => (ready ? Status.success() : Status.unschedulable('not ready').withPlugin('ReadyGate'));
    const { q } = newQueue({ plugins: [fakePlugin('ReadyGate', [{ event: E.NodeAdd }])], preEnqueue });
    const p = makePod('p');
    q.add(p);
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd);
    assert.equal(q.queueOf(p), 'unschedulable');
    assert.equal(q.getPod(p)?.gated, true);
    ready = true;
    q.moveAllToActiveOrBackoffQueue(E.PvAdd);
    assert.equal(q.queueOf(p), 'unschedulable', 'ReadyGate did not register PvAdd');
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd);
    assert.equal(q.queueOf(p), 'active');
  });

  it('activate() re-runs PreEnqueue: a still-gated pod stays parked', () => {
    const { q } = newQueue({ plugins: [gatesPlugin], preEnqueue: schedulingGatesPreEnqueue });
    q.add(gatedPod);
    q.activate([gatedPod]);
    assert.equal(q.queueOf(gatedPod), 'unschedulable');
  });

  it('a PreEnqueue that throws gates the pod instead of failing', () => {
    const { q } = newQueue({
      preEnqueue: () => {
        throw new Error('boom');
      },
    });
    const p = makePod('p');
    q.add(p);
    assert.equal(q.getPod(p)?.gated, true);
  });
});
