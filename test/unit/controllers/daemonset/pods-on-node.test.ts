import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { FailedPodsBackoff } from '../../../../src/controllers/daemonset/failed-pods-backoff';
import { podsShouldBeOnNode, type NodeInputs } from '../../../../src/controllers/daemonset/pods-on-node';
import type { Pod } from '../../../../src/controllers/daemonset/types';
import { ds, pod } from './fixtures';

const NOW = Date.parse('2026-01-01T01:00:00Z');
function inputs(pods: Pod[] | undefined, o: Partial<NodeInputs> = {}): NodeInputs {
  return { ds: ds(), nodeName: 'n1', verdict: { shouldRun: true, shouldContinueRunning: true }, pods, hash: 'new', surge: false, backoff: new FailedPodsBackoff(new FakeClock(NOW)), now: NOW, ...o };
}

describe('podsShouldBeOnNode', () => {
  it('asks for a pod on a node that should run the set and has none', () => {
    assert.deepEqual(podsShouldBeOnNode(inputs(undefined)), { create: true, deletes: [], events: [] });
    assert.deepEqual(podsShouldBeOnNode(inputs(undefined, { verdict: { shouldRun: false, shouldContinueRunning: true } })).create, false);
  });

  it('deletes a failed pod with a FailedDaemonPod warning, then backs off', () => {
    const backoff = new FailedPodsBackoff(new FakeClock(NOW));
    const failed = pod('p1', { node: 'n1', phase: 'Failed' });
    const plan = podsShouldBeOnNode(inputs([failed], { backoff }));
    assert.deepEqual(plan.deletes, ['p1']);
    assert.deepEqual(plan.events, [{ type: 'Warning', reason: 'FailedDaemonPod', message: 'Found failed daemon pod default/p1 on node n1, will try to kill it' }]);
    const again = podsShouldBeOnNode(inputs([pod('p2', { node: 'n1', phase: 'Failed' })], { backoff, now: NOW + 500 }));
    assert.deepEqual(again.deletes, []);
    assert.equal(again.requeueAfterMs, 1000);
    assert.equal(again.create, false);
  });

  it('deletes a succeeded pod with a SucceededDaemonPod event', () => {
    const plan = podsShouldBeOnNode(inputs([pod('p1', { node: 'n1', phase: 'Succeeded' })]));
    assert.deepEqual(plan.deletes, ['p1']);
    assert.deepEqual(plan.events, [{ type: 'Normal', reason: 'SucceededDaemonPod', message: 'Found succeeded daemon pod default/p1 on node n1, will try to delete it' }]);
  });

  it('without surge keeps only the oldest running pod (scheduled first), ignoring terminating ones', () => {
    const pods = [
      pod('young', { node: 'n1', created: '2026-01-01T00:00:05Z' }),
      pod('old', { node: 'n1', created: '2026-01-01T00:00:01Z' }),
      pod('bound', { node: 'n1', nodeName: 'n1', created: '2026-01-01T00:00:09Z' }),
      pod('dying', { node: 'n1', deleting: true }),
    ];
    assert.deepEqual(podsShouldBeOnNode(inputs(pods)).deletes, ['old', 'young']);
  });

  it('with surge keeps one new and one old pod until the new one is available', () => {
    const oldReady = pod('old', { node: 'n1', hash: 'old', ready: true, created: '2026-01-01T00:00:01Z' });
    const newPending = pod('new', { node: 'n1', hash: 'new', created: '2026-01-01T00:00:02Z' });
    const extraNew = pod('new2', { node: 'n1', hash: 'new', created: '2026-01-01T00:00:03Z' });
    assert.deepEqual(podsShouldBeOnNode(inputs([oldReady, newPending, extraNew], { surge: true })).deletes, ['new2']);
    const newReady = pod('new', { node: 'n1', hash: 'new', ready: true });
    assert.deepEqual(podsShouldBeOnNode(inputs([oldReady, newReady], { surge: true })).deletes, ['old']);
    const oldNotReady = pod('old', { node: 'n1', hash: 'old' });
    assert.deepEqual(podsShouldBeOnNode(inputs([oldNotReady, newPending], { surge: true })).deletes, ['old']);
    // minReadySeconds: ready but not yet available keeps the old pod.
    const justReady = pod('new', { node: 'n1', hash: 'new', ready: true, readySince: '2026-01-01T00:59:50Z' });
    assert.deepEqual(podsShouldBeOnNode(inputs([oldReady, justReady], { surge: true, ds: ds({}, { minReadySeconds: 30 }) })).deletes, []);
  });

  it('with surge asks for a pod when every pod on a node that should run the set has gone', () => {
    const plan = podsShouldBeOnNode(inputs([pod('dying', { node: 'n1', deleting: true })], { surge: true }));
    assert.equal(plan.create, true);
  });

  it('deletes every live pod on a node where pods may not continue', () => {
    const plan = podsShouldBeOnNode(inputs([pod('a', { node: 'n1' }), pod('b', { node: 'n1', deleting: true })], { verdict: { shouldRun: false, shouldContinueRunning: false } }));
    assert.deepEqual(plan, { create: false, deletes: ['a'], events: [] });
  });
});
