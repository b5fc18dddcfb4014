/**
 * Moving parked pods on cluster events: queueing hints (upstream Test_isPodWorthRequeuing,
 * TestPriorityQueue_MoveAllToActiveOrBackoffQueue), assigned pod events with affinity terms
 * (TestPriorityQueue_AssignedPodAdded_), the preCheck filter.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent, QueuedPodInfo } from '../../../../src/scheduler/framework';
import { podInfo } from '../../../../src/scheduler/framework';
import { ClusterEvents as E, podWorthRequeuing, queueingHintsFor, type QueueingStrategy } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { failAttempt, fakePlugin, newQueue } from './harness';

function qpiWith(unschedulable: string[], pending: string[] = []): QueuedPodInfo {
  return { podInfo: podInfo(makePod('target')), timestamp: 0, attempts: 1, unschedulablePlugins: new Set(unschedulable), pendingPlugins: new Set(pending), gated: false };
}

const nodeUpdateLabel: ClusterEvent = { resource: 'Node', actions: ['UpdateNodeLabel'] };

describe('podWorthRequeuing (upstream Test_isPodWorthRequeuing)', () => {
  const throwing = () => {
    throw new Error('hint failed');
  };
  const cases: { name: string; qpi: QueuedPodInfo; event: ClusterEvent; newObj?: unknown; plugins: ReturnType<typeof fakePlugin>[]; want: QueueingStrategy }[] = [
    {
      name: 'QueueSkip when no hint of a rejector is registered for the event',
      qpi: qpiWith(['fooPlugin1']),
      event: E.NodeAdd,
      plugins: [fakePlugin('fooPlugin1', [{ event: E.PvAdd, hint: 'Queue' }])],
      want: 'skip',
    },
    { name: 'a hint that throws counts as Queue', qpi: qpiWith(['fooPlugin1']), event: E.NodeAdd, plugins: [fakePlugin('fooPlugin1', [{ event: E.NodeAdd, hint: throwing }])], want: 'afterBackoff' },
    { name: 'a registration without hint function is Queue', qpi: qpiWith(['fooPlugin1']), event: E.NodeAdd, plugins: [fakePlugin('fooPlugin1', [{ event: E.NodeAdd }])], want: 'afterBackoff' },
    { name: 'the wildcard event requeues after backoff', qpi: qpiWith(['fooPlugin1']), event: E.WildCardEvent, plugins: [fakePlugin('fooPlugin1', [{ event: E.NodeAdd, hint: 'QueueSkip' }])], want: 'afterBackoff' },
    {
      name: 'a wildcard event carrying another pod skips this one',
      qpi: qpiWith(['fooPlugin1']),
      event: E.ForceActivate,
      newObj: makePod('other'),
      plugins: [],
      want: 'skip',
    },
    {
      name: 'Queue from a pending plugin is queueImmediately',
      qpi: qpiWith(['fooPlugin2'], ['fooPlugin1']),
      event: E.NodeAdd,
      plugins: [fakePlugin('fooPlugin1', [{ event: E.NodeAdd, hint: 'Queue' }]), fakePlugin('fooPlugin2', [{ event: E.NodeAdd, hint: 'Queue' }])],
      want: 'immediately',
    },
    {
      name: 'Queue from an unschedulable plugin (pending one skips) is queueAfterBackoff',
      qpi: qpiWith(['fooPlugin1'], ['fooPlugin2']),
      event: E.NodeAdd,
      plugins: [fakePlugin('fooPlugin1', [{ event: E.NodeAdd, hint: 'Queue' }]), fakePlugin('fooPlugin2', [{ event: E.NodeAdd, hint: 'QueueSkip' }])],
      want: 'afterBackoff',
    },
    {
      name: "a hint of a plugin that did not reject the pod is ignored",
      qpi: qpiWith(['fooPlugin1']),
      event: E.NodeAdd,
      plugins: [fakePlugin('fooPlugin1', [{ event: E.NodeAdd, hint: 'QueueSkip' }]), fakePlugin('fooPlugin2', [{ event: E.NodeAdd, hint: 'Queue' }])],
      want: 'skip',
    },
    {
      name: 'a specific Node update event also runs hints registered for Node/Update',
      qpi: qpiWith(['fooPlugin1']),
      event: nodeUpdateLabel,
      plugins: [fakePlugin('fooPlugin1', [{ event: { resource: 'Node', actions: ['UpdateNodeTaint'] }, hint: 'QueueSkip' }, { event: E.NodeUpdate, hint: 'Queue' }])],
      want: 'afterBackoff',
    },
    {
      name: 'hints registered with resource * run for a specific resource',
      qpi: qpiWith(['fooPlugin1']),
      event: E.NodeAdd,
      plugins: [fakePlugin('fooPlugin1', [{ event: { resource: '*', actions: ['Add'] }, hint: 'Queue' }])],
      want: 'afterBackoff',
    },
    { name: 'a pod without rejectors is always worth requeuing', qpi: qpiWith([]), event: E.PvAdd, plugins: [], want: 'afterBackoff' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { eventHint } = queueingHintsFor(c.plugins);
      assert.equal(podWorthRequeuing(c.qpi, c.event, undefined, c.newObj, eventHint), c.want);
    });
  }
});

describe('SchedulingQueue: moveAllToActiveOrBackoffQueue', () => {
  it('moves pods whose rejector says Queue: to backoffQ while backing off, to activeQ after (TestPriorityQueue_MoveAllToActiveOrBackoffQueue)', async () => {
    const plugins = [fakePlugin('fooPlugin', [{ event: E.NodeAdd, hint: 'Queue' }]), fakePlugin('barPlugin', [{ event: E.PvAdd, hint: 'Queue' }])];
    const { q, clock } = newQueue({ plugins });
    const [a, b, c] = ['a', 'b', 'c'].map((n) => makePod(n));
    for (const p of [a!, b!, c!]) q.add(p);
    await failAttempt(q, ['fooPlugin']);
    await failAttempt(q, ['barPlugin']);
    await failAttempt(q, ['fooPlugin']);
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd);
    assert.deepEqual(q.podsIn('backoff'), ['default/a', 'default/c']);
    assert.deepEqual(q.podsIn('unschedulable'), ['default/b'], 'barPlugin did not register NodeAdd');
    // Back in unschedulablePods, past the backoff: the next event sends it straight to activeQ.
    clock.advance(2000);
    q.moveAllToActiveOrBackoffQueue(E.PvAdd);
    assert.equal(q.queueOf(b!), 'active');
  });

  it('QueueSkip keeps the pod parked', async () => {
    const { q } = newQueue({ plugins: [fakePlugin('fooPlugin', [{ event: E.NodeAdd, hint: 'QueueSkip' }])] });
    const p = makePod('p');
    q.add(p);
    await failAttempt(q, ['fooPlugin']);
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd);
    assert.equal(q.queueOf(p), 'unschedulable');
  });

  it('hints see the event objects', async () => {
    const seen: unknown[] = [];
    const plugin = fakePlugin('fooPlugin', [
      {
        event: E.NodeAdd,
        hint: (_pod, o, n) => {
          seen.push(o, n);
          return (n as { metadata: { name: string } }).metadata.name === 'big' ? 'Queue' : 'QueueSkip';
        },
      },
    ]);
    const { q } = newQueue({ plugins: [plugin] });
    const p = makePod('p');
    q.add(p);
    await failAttempt(q, ['fooPlugin']);
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd, undefined, { metadata: { name: 'small' } });
    assert.equal(q.queueOf(p), 'unschedulable');
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd, undefined, { metadata: { name: 'big' } });
    assert.equal(q.queueOf(p), 'backoff');
    assert.equal(seen.length, 4);
  });

  it('Queue from a pending plugin skips the backoff', async () => {
    const { q } = newQueue({ plugins: [fakePlugin('VolumeBinding', [{ event: E.PvcAdd, hint: 'Queue' }])] });
    const p = makePod('p');
    q.add(p);
    const qpi = await q.pop();
    qpi!.pendingPlugins.add('VolumeBinding');
    q.addUnschedulableIfNotPresent(qpi!, q.schedulingCycle());
    assert.equal(q.queueOf(p), 'unschedulable');
    q.moveAllToActiveOrBackoffQueue(E.PvcAdd);
    assert.equal(q.queueOf(p), 'active');
  });

  it('preCheck filters the pods considered (TestMoveAllToActiveOrBackoffQueue_PreEnqueueChecks)', async () => {
    const { q } = newQueue({ plugins: [fakePlugin('fooPlugin', [{ event: E.NodeAdd }])] });
    const [a, b] = [makePod('a'), makePod('b')];
    q.add(a);
    q.add(b);
    await failAttempt(q, ['fooPlugin']);
    await failAttempt(q, ['fooPlugin']);
    q.moveAllToActiveOrBackoffQueue(E.NodeAdd, undefined, undefined, (pod) => pod.metadata?.name === 'b');
    assert.equal(q.queueOf(a), 'unschedulable');
    assert.equal(q.queueOf(b), 'backoff');
  });
});

describe('SchedulingQueue: assigned pod events', () => {
  const affinityPod = makePod('afp', {
    namespace: 'ns1',
    priority: 500,
    spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: 'service', operator: 'Exists' }] }, topologyKey: 'region' }] } } },
  });
  const other = makePod('up', { namespace: 'ns1' });
  const labelPod = makePod('lbp', { namespace: 'ns1', labels: { service: 'securityscan' }, node: 'node1' });
  const plugins = [fakePlugin('fakePlugin', [{ event: { resource: 'Pod', actions: ['All'] }, hint: 'Queue' }])];

  async function parked() {
    const s = newQueue({ plugins });
    s.q.add(affinityPod);
    s.q.add(other);
    await failAttempt(s.q, ['fakePlugin']);
    await failAttempt(s.q, ['fakePlugin']);
    s.clock.advance(2000);
    return s;
  }

  it('assignedPodAdded moves only pods with an affinity term matching the assigned pod (TestPriorityQueue_AssignedPodAdded_)', async () => {
    const { q } = await parked();
    q.assignedPodAdded(labelPod);
    assert.equal(q.queueOf(affinityPod), 'active');
    assert.equal(q.queueOf(other), 'unschedulable');
  });

  it('assignedPodUpdated (labels changed) moves pods whose terms now match', async () => {
    const { q } = await parked();
    const before = makePod('lbp', { namespace: 'ns1', node: 'node1' });
    q.assignedPodUpdated(before, labelPod);
    assert.equal(q.queueOf(affinityPod), 'active');
    assert.equal(q.queueOf(other), 'unschedulable');
  });

  it('a term in another namespace does not match; a namespaceSelector uses the namespace labels', async () => {
    const nsSel = makePod('nss', {
      namespace: 'ns2',
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { service: 'securityscan' } }, namespaceSelector: { matchLabels: { team: 'a' } }, topologyKey: 'region' }] } } },
    });
    const s = newQueue({ plugins, namespaceLabels: (ns): Record<string, string> => (ns === 'ns1' ? { team: 'a' } : {}) });
    s.q.add(affinityPod);
    s.q.add(nsSel);
    await failAttempt(s.q, ['fakePlugin']);
    await failAttempt(s.q, ['fakePlugin']);
    s.clock.advance(2000);
    s.q.assignedPodAdded(makePod('x', { namespace: 'ns3', labels: { service: 'y' }, node: 'n' }));
    assert.deepEqual(s.q.pendingPods(), { active: 0, backoff: 0, unschedulable: 2 });
    s.q.assignedPodAdded(labelPod);
    assert.equal(s.q.queueOf(nsSel), 'active');
  });

  it('assignedPodUpdated with a scale-down moves every pod whose rejector registered it', async () => {
    const fit = [fakePlugin('NodeResourcesFit', [{ event: { resource: 'Pod', actions: ['Delete', 'UpdatePodScaleDown'] } }])];
    const s = newQueue({ plugins: fit });
    s.q.add(affinityPod);
    s.q.add(other);
    await failAttempt(s.q, ['NodeResourcesFit']);
    await failAttempt(s.q, ['NodeResourcesFit']);
    s.clock.advance(2000);
    const big = makePod('big', { node: 'node1', requests: [{ cpu: '2' }] });
    const small = Object.freeze({ ...big, spec: { ...(big.spec as object), containers: [{ name: 'c0', image: 'nginx', resources: { requests: { cpu: '1' } } }] } });
    s.q.assignedPodUpdated(big, small);
    assert.deepEqual(s.q.pendingPods(), { active: 2, backoff: 0, unschedulable: 0 });
  });
});
