/**
 * Backoff and the periodic flushes on a FakeClock (upstream TestBackOffFlow, TestHighPriorityFlushUnschedulablePodsLeftover,
 * TestPriorityQueue_initPodMaxInUnschedulablePodsDuration, TestPodFailedSchedulingMultipleTimesDoesNotBlockNewerPod).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterEvents as E } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { failAttempt, nameOf, newQueue, popNow, withStatus } from './harness';

const high = makePod('hpp', { namespace: 'ns1', priority: 1000 });
const low = withStatus(makePod('up', { namespace: 'ns1', priority: 0 }), { nominatedNodeName: 'node1' });

describe('SchedulingQueue: backoff on the clock', () => {
  it('backs off 1s, 2s, 4s, 8s, then 10s; the 1 s flush moves the pod when it expires (TestBackOffFlow)', async () => {
    const { q, clock } = newQueue();
    const pod = makePod('test-pod', { namespace: 'test-ns' });
    q.add(pod);
    const wants = [1000, 2000, 4000, 8000, 10000, 10000, 10000];
    for (const [i, want] of wants.entries()) {
      const qpi = await popNow(q);
      assert.equal(qpi.attempts, i + 1);
      qpi.unschedulablePlugins.add('fooPlugin');
      q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
      q.moveAllToActiveOrBackoffQueue(E.UnschedulableTimeout);
      assert.equal(q.queueOf(pod), 'backoff', `step ${i}`);
      const start = clock.now();
      // The 1 s flush ticks on the clock; just before expiry the pod is still backing off.
      while (clock.now() + 1000 < start + want) clock.advance(1000);
      q.flushBackoffQCompleted();
      assert.equal(q.queueOf(pod), 'backoff', `step ${i}: still backing off before ${want} ms`);
      clock.advance(start + want - clock.now());
      q.flushBackoffQCompleted();
      assert.equal(q.queueOf(pod), 'active', `step ${i}: done after ${want} ms`);
    }
  });

  it('the periodic flush alone moves backed-off pods to activeQ', async () => {
    const { q, clock } = newQueue({ podInitialBackoffMs: 2000 });
    q.add(high);
    await failAttempt(q, []);
    clock.advance(1999);
    assert.equal(q.queueOf(high), 'backoff');
    clock.advance(1001);
    assert.equal(q.queueOf(high), 'active');
  });

  it('pods parked longer than podMaxInUnschedulablePodsDuration are flushed every 30 s (TestPriorityQueue_initPodMaxInUnschedulablePodsDuration)', async () => {
    for (const [max, stillAt, movedAt] of [[300_000, 300_000, 330_000], [60_000, 60_000, 90_000]]) {
      const { q, clock } = newQueue({ podMaxInUnschedulablePodsDurationMs: max });
      q.add(high);
      await failAttempt(q);
      clock.advance(stillAt);
      assert.equal(q.queueOf(high), 'unschedulable', `max ${max}: not longer than max yet`);
      clock.advance(movedAt - stillAt);
      assert.equal(q.queueOf(high), 'active', `max ${max}`);
    }
  });

  it('after a leftover flush the higher priority pod pops first (TestHighPriorityFlushUnschedulablePodsLeftover)', async () => {
    const { q, clock } = newQueue();
    q.add(low);
    q.add(high);
    await failAttempt(q);
    await failAttempt(q);
    clock.advance(330_000);
    assert.equal(nameOf(await popNow(q)), 'hpp');
    assert.equal(nameOf(await popNow(q)), 'up');
  });

  it('a pod that failed many times does not block a newer pod of the same priority (TestPodFailedSchedulingMultipleTimesDoesNotBlockNewerPod)', async () => {
    const { q, clock } = newQueue();
    const old = makePod('old');
    q.add(old);
    await failAttempt(q);
    clock.advance(2000);
    q.moveAllToActiveOrBackoffQueue(E.UnschedulableTimeout);
    const again = await popNow(q);
    assert.equal(nameOf(again), 'old');
    // A newer pod arrives while the old one is being tried; the old one fails again.
    const newer = makePod('newer');
    q.add(newer);
    clock.advance(1);
    again.unschedulablePlugins.add('fooPlugin');
    q.addUnschedulableIfNotPresent(again, q.schedulingCycle());
    clock.advance(10_000);
    q.moveAllToActiveOrBackoffQueue(E.UnschedulableTimeout);
    assert.equal(q.queueOf(old), 'active');
    assert.equal(nameOf(await popNow(q)), 'newer', 'the old pod was re-queued with a later timestamp');
  });
});
