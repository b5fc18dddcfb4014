/** The nominator through the queue (upstream TestPriorityQueue_NominatedPodsForNode, _UpdateNominatedPodForNode). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podInfo, type Pod } from '../../../../src/scheduler/framework';
import { Nominator } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { newQueue, withLabels, withStatus } from './harness';

const names = (pis: readonly { pod: Pod }[]) => pis.map((p) => p.pod.metadata?.name);

describe('Nominator', () => {
  it('nominates by explicit node or by status.nominatedNodeName, once per pod', () => {
    const n = new Nominator();
    const a = makePod('a');
    const b = withStatus(makePod('b'), { nominatedNodeName: 'node2' });
    n.add(podInfo(a), 'node1');
    n.add(podInfo(a), 'node1');
    n.add(podInfo(b));
    assert.deepEqual(names(n.forNode('node1')), ['a']);
    assert.deepEqual(names(n.forNode('node2')), ['b']);
    n.add(podInfo(a), 'node2');
    assert.deepEqual(names(n.forNode('node1')), []);
    assert.deepEqual(names(n.forNode('node2')), ['b', 'a']);
    n.add(podInfo(a), '');
    assert.deepEqual(names(n.forNode('node2')), ['b'], 'an empty node name clears');
    n.add(podInfo(makePod('c')));
    assert.equal(n.nodeFor(String(makePod('c').metadata?.uid)), undefined);
  });

  it('update keeps an in-memory nomination when neither pod object carries one (upstream UpdateNominatedPod)', () => {
    const n = new Nominator();
    const a = makePod('a');
    n.add(podInfo(a), 'node1');
    const a2 = withLabels(a, { x: 'y' });
    n.update(a, podInfo(a2));
    assert.deepEqual(n.forNode('node1').map((p) => p.pod), [a2]);
    const a3 = withStatus(a2, { nominatedNodeName: 'node3' });
    n.update(a2, podInfo(a3));
    assert.deepEqual(names(n.forNode('node1')), []);
    assert.deepEqual(names(n.forNode('node3')), ['a']);
    const a4 = withStatus(a3, { nominatedNodeName: '' });
    n.update(a3, podInfo(a4));
    assert.deepEqual(names(n.forNode('node3')), [], 'nomination removed by the update');
  });

  it('does not nominate a pod that is gone or already bound (upstream podLister check)', () => {
    const bound = makePod('bound', { node: 'node9' });
    const live = makePod('live');
    const pods = new Map([bound, live].map((p) => [p.metadata?.name, p]));
    const n = new Nominator((_ns, name) => pods.get(name));
    n.add(podInfo(makePod('gone')), 'node1');
    n.add(podInfo(makePod('bound')), 'node1');
    n.add(podInfo(live), 'node1');
    assert.deepEqual(names(n.forNode('node1')), ['live']);
  });

  it('delete forgets the pod', () => {
    const n = new Nominator();
    const a = makePod('a');
    n.add(podInfo(a), 'node1');
    n.delete(a);
    assert.deepEqual(n.forNode('node1'), []);
  });
});

describe('SchedulingQueue as PodNominator', () => {
  it('returns nominated pods as the queue now holds them, and updates the nomination on update()', async () => {
    const { q } = newQueue();
    const a = withStatus(makePod('a', { namespace: 'ns1', priority: 10 }), { nominatedNodeName: 'node1' });
    q.add(a);
    const qpi = await q.pop();
    q.addNominatedPod(qpi!.podInfo, 'node1');
    qpi!.unschedulablePlugins.add('p');
    q.addUnschedulableIfNotPresent(qpi!, q.schedulingCycle());
    const a2 = withLabels(a, { new: 'label' });
    q.update(a, a2);
    assert.deepEqual(q.nominatedPodsForNode('node1').map((p) => p.pod), [a2]);
    q.deleteNominatedPodIfExists(a2);
    assert.deepEqual(q.nominatedPodsForNode('node1'), []);
  });
});
