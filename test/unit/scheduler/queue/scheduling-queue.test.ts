/**
 * SchedulingQueue: upstream scheduling_queue_test.go cases — priority order, pop waiting, moveRequestCycle,
 * backoff flow and flushes on a FakeClock, activate, delete, update, close.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../../../src/scheduler/framework';
import { ClusterEvents as E, queueingHintsFor } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { failAttempt, fakePlugin, nameOf, newQueue, popNow, withLabels, withSpec, withStatus } from './harness';

const high = makePod('hpp', { namespace: 'ns1', priority: 1000 });
const med = withStatus(makePod('mpp', { namespace: 'ns2', priority: 500 }), { nominatedNodeName: 'node1' });
const low = withStatus(makePod('up', { namespace: 'ns1', priority: 0 }), { nominatedNodeName: 'node1' });

describe('SchedulingQueue: activeQ order and pop', () => {
  it('pops by priority and records nominations of added pods (TestPriorityQueue_Add)', async () => {
    const { q } = newQueue();
    q.add(med);
    q.add(low);
    q.add(high);
    assert.deepEqual(q.nominatedPodsForNode('node1').map((p) => p.pod.metadata?.name), ['mpp', 'up']);
    assert.equal(nameOf(await q.pop()), 'hpp');
    assert.equal(nameOf(await q.pop()), 'mpp');
    assert.equal(nameOf(await q.pop()), 'up');
    assert.equal(q.nominatedPodsForNode('node1').length, 2, 'popping does not forget nominations');
  });

  it('pops pods of equal priority in the order they were queued', async () => {
    const { q, clock } = newQueue();
    for (const n of ['a', 'b', 'c']) {
      q.add(makePod(n));
      clock.advance(1);
    }
    q.add(makePod('d', { priority: 1 }));
    const got = [];
    for (let i = 0; i < 4; i++) got.push(nameOf(await q.pop()));
    assert.deepEqual(got, ['d', 'a', 'b', 'c']);
  });

  it('a waiting pop resolves when a pod arrives; each pop bumps the cycle and the attempts (TestPriorityQueue_Pop)', async () => {
    const { q } = newQueue();
    const waiting = q.pop();
    assert.equal(q.schedulingCycle(), 0);
    q.add(high);
    const qpi = await waiting;
    assert.equal(nameOf(qpi), 'hpp');
    assert.equal(qpi?.attempts, 1);
    assert.equal(q.schedulingCycle(), 1);
    assert.equal(qpi?.initialAttemptTimestamp, qpi?.timestamp);
  });

  it('several waiting pops are served in call order as pods arrive', async () => {
    const { q } = newQueue();
    const p1 = q.pop();
    const p2 = q.pop();
    q.add(low);
    q.add(high);
    assert.deepEqual([nameOf(await p1), nameOf(await p2)], ['up', 'hpp']);
  });

  it('pop clears the plugins that rejected the previous attempt', async () => {
    const { q, clock } = newQueue();
    q.add(high);
    await failAttempt(q, ['NodeAffinity']);
    clock.advance(400_000);
    const again = await popNow(q);
    assert.equal(again.attempts, 2);
    assert.equal(again.unschedulablePlugins.size, 0);
  });

  it('close() resolves waiting pops and later pops with undefined, and stops the timers (TestSchedulingQueue_Close)', async () => {
    const { q, clock } = newQueue();
    const waiting = q.pop();
    q.close();
    assert.equal(await waiting, undefined);
    q.add(high);
    assert.equal(await q.pop(), undefined);
    assert.equal(clock.pendingTimers(), 0);
  });
});

describe('SchedulingQueue: addUnschedulableIfNotPresent and moveRequestCycle', () => {
  it('parks a rejected pod, refuses a pod already queued (TestPriorityQueue_AddUnschedulableIfNotPresent)', async () => {
    const { q } = newQueue();
    q.add(high);
    q.add(low);
    const popped = await popNow(q);
    const dup = { ...popped, podInfo: popped.podInfo, unschedulablePlugins: new Set(['plugin']) };
    assert.equal(q.addUnschedulableIfNotPresent(dup, q.schedulingCycle()), undefined);
    assert.equal(q.queueOf(high), 'unschedulable');
    const lowAgain = { ...dup, podInfo: { ...popped.podInfo, pod: low } };
    assert.equal(q.addUnschedulableIfNotPresent(lowAgain, 1)?.message, 'Pod ns1/up is already present in the active queue');
    assert.equal(q.addUnschedulableIfNotPresent(dup, 1)?.message, 'Pod ns1/hpp is already present in unschedulable queue');
    assert.deepEqual(q.pendingPods(), { active: 1, backoff: 0, unschedulable: 1 });
  });

  it('a pod no plugin rejected goes to backoffQ (a transient error)', async () => {
    const { q } = newQueue();
    q.add(high);
    await failAttempt(q, []);
    assert.equal(q.queueOf(high), 'backoff');
  });

  it('pods tried in or before the cycle of a move request go to backoffQ, later ones to unschedulablePods (TestPriorityQueue_AddUnschedulableIfNotPresent_Backoff)', async () => {
    const { q } = newQueue({ plugins: [fakePlugin('fooPlugin', [{ event: E.NodeAdd }])] });
    const pods = ['p1', 'p2', 'p3'].map((n) => makePod(n));
    for (const p of pods) q.add(p);
    const a = await popNow(q);
    const cycleA = q.schedulingCycle();
    const b = await popNow(q);
    const cycleB = q.schedulingCycle();
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd);
    const c = await popNow(q);
    const cycleC = q.schedulingCycle();
    for (const [qpi, cycle] of [[a, cycleA], [b, cycleB], [c, cycleC]] as const) {
      qpi.unschedulablePlugins.add('fooPlugin');
      assert.equal(q.addUnschedulableIfNotPresent(qpi, cycle), undefined);
    }
    assert.deepEqual(q.podsIn('backoff'), ['default/p1', 'default/p2']);
    assert.deepEqual(q.podsIn('unschedulable'), ['default/p3']);
  });

  it('an event no plugin registered is not a move request', async () => {
    const plugins = [fakePlugin('fooPlugin', [{ event: E.NodeAdd }])];
    const { q } = newQueue({ plugins, isEventOfInterest: queueingHintsFor(plugins).isEventOfInterest });
    q.add(high);
    const qpi = await popNow(q);
    const cycle = q.schedulingCycle();
    q.moveAllToActiveOrBackoffQueue(E.PvAdd);
    qpi.unschedulablePlugins.add('fooPlugin');
    q.addUnschedulableIfNotPresent(qpi, cycle);
    assert.equal(q.queueOf(high), 'unschedulable');
  });

  it('activate() of a pod in flight is a move request', async () => {
    const { q } = newQueue();
    q.add(high);
    const qpi = await popNow(q);
    q.activate([high]);
    qpi.unschedulablePlugins.add('fooPlugin');
    q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
    assert.equal(q.queueOf(high), 'backoff');
  });
});

describe('SchedulingQueue: activate, delete, update', () => {
  it('activate() moves pods from unschedulablePods and backoffQ, ignores others (TestPriorityQueue_Activate)', async () => {
    const { q } = newQueue();
    q.add(high);
    q.add(low);
    await failAttempt(q);
    await failAttempt(q, []);
    assert.deepEqual(q.pendingPods(), { active: 0, backoff: 1, unschedulable: 1 });
    q.activate([high, low, makePod('unknown')]);
    assert.deepEqual(q.pendingPods(), { active: 2, backoff: 0, unschedulable: 0 });
  });

  it('delete() removes a pod from whichever queue holds it and forgets its nomination', async () => {
    const { q } = newQueue();
    q.add(med);
    q.add(high);
    await failAttempt(q);
    q.delete(high);
    q.delete(med);
    assert.deepEqual(q.pendingPods(), { active: 0, backoff: 0, unschedulable: 0 });
    assert.equal(q.nominatedPodsForNode('node1').length, 0);
  });

  it('a pod deleted while in flight is dropped when its failed attempt comes back', async () => {
    const { q } = newQueue();
    q.add(high);
    const qpi = await popNow(q);
    q.delete(high);
    qpi.unschedulablePlugins.add('fooPlugin');
    assert.equal(q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle()), undefined);
    assert.equal(q.queueOf(high), undefined);
  });

  it('update() of a pod in activeQ replaces it in place and re-sorts; of an unknown pod adds it (TestPriorityQueue_Update)', async () => {
    const { q } = newQueue();
    q.add(high);
    q.add(low);
    const lowUp = withSpec(low, { priority: 2000 });
    q.update(low, lowUp);
    assert.equal(q.pendingPods().active, 2);
    const first = await popNow(q);
    assert.equal(first.podInfo.pod, lowUp);
    const fresh = makePod('fresh');
    q.update(undefined, fresh);
    assert.equal(q.queueOf(fresh), 'active');
  });

  it('update() of a pod in backoffQ keeps it there with the new object', async () => {
    const { q } = newQueue();
    q.add(high);
    await failAttempt(q, []);
    const up = withLabels(high, { a: 'b' });
    q.update(high, up);
    assert.equal(q.queueOf(high), 'backoff');
    assert.equal(q.getPod(high)?.podInfo.pod, up);
  });

  it('update() of a parked pod moves it when a rejector says the change may help, after backoff (upstream Update with hints)', async () => {
    const plugins = [
      fakePlugin('LabelPlugin', [{ event: { resource: 'Pod', actions: ['UpdatePodLabel'] }, hint: 'Queue' }]),
      fakePlugin('SkipPlugin', [{ event: { resource: 'Pod', actions: ['Update'] }, hint: 'QueueSkip' }]),
    ];
    const { q, clock } = newQueue({ plugins });
    const a = makePod('a');
    const b = makePod('b');
    q.add(a);
    q.add(b);
    await failAttempt(q, ['LabelPlugin']);
    await failAttempt(q, ['SkipPlugin']);
    const aUp = withLabels(a, { x: 'y' });
    q.update(a, aUp);
    assert.equal(q.queueOf(a), 'backoff', 'still backing off: 1 s after its first attempt');
    q.update(b, withLabels(b, { x: 'y' }));
    assert.equal(q.queueOf(b), 'unschedulable', 'QueueSkip keeps it parked');
    clock.advance(1000);
    assert.equal(q.queueOf(a), 'active', 'the 1 s flush moves it once its backoff ends');
    assert.equal(q.getPod(a)?.podInfo.pod, aUp);
  });

  it('update() of a parked pod that no longer backs off goes straight to activeQ; a status-only change keeps it parked', async () => {
    const plugins = [fakePlugin('fooPlugin', [{ event: { resource: 'Pod', actions: ['Update'] } }])];
    const { q, clock } = newQueue({ plugins });
    q.add(high);
    await failAttempt(q);
    clock.advance(1500);
    q.update(high, withStatus(high, { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }));
    assert.equal(q.queueOf(high), 'unschedulable');
    q.update(high, withSpec(high, { tolerations: [{ key: 'k', operator: 'Exists' }] }));
    assert.equal(q.queueOf(high), 'active');
  });

  it('a pod updated while in flight is not queued twice, and the update counts when the attempt fails', async () => {
    const plugins = [fakePlugin('TaintToleration', [{ event: { resource: 'Pod', actions: ['UpdatePodTolerations'] }, hint: 'Queue' }])];
    const { q } = newQueue({ plugins });
    q.add(high);
    const qpi = await popNow(q);
    const up = withSpec(high, { tolerations: [{ key: 'k', operator: 'Exists' }] });
    q.update(high, up);
    assert.deepEqual(q.pendingPods(), { active: 0, backoff: 0, unschedulable: 0 });
    qpi.unschedulablePlugins.add('TaintToleration');
    q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
    assert.equal(q.queueOf(high), 'backoff');
    assert.equal(q.getPod(high)?.podInfo.pod, up, 'the latest object is queued');
  });

  it('PreEnqueue failures other than gates record the plugin and gate the pod', () => {
    const { q } = newQueue({ preEnqueue: () => Status.unschedulable('not yet').withPlugin('MyGate') });
    q.add(high);
    const qpi = q.getPod(high);
    assert.equal(qpi?.gated, true);
    assert.deepEqual([...(qpi?.unschedulablePlugins ?? [])], ['MyGate']);
    assert.equal(q.queueOf(high), 'unschedulable');
  });
});
