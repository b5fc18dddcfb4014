import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSchedulableAfterUpdatePodSchedulingGatesEliminated, newSchedulingGates } from '../../../../src/scheduler/plugins/scheduling-gates';
import { fakeHandle, makePod } from '../../../helpers/scheduler-fixtures';

const gated = (name: string, gates: string[]) => makePod(name, { spec: { schedulingGates: gates.map((g) => ({ name: g })) } });

describe('SchedulingGates PreEnqueue (upstream TestPreEnqueue)', () => {
  it('pod does not carry scheduling gates', () => {
    assert.ok(newSchedulingGates(undefined, fakeHandle()).preEnqueue(makePod('p')).isSuccess());
  });
  it('pod carries scheduling gates', () => {
    const st = newSchedulingGates(undefined, fakeHandle()).preEnqueue(gated('p', ['foo', 'bar']));
    assert.equal(st.code, 'Pending');
    assert.deepEqual(st.reasons, ['waiting for scheduling gates: [foo bar]']);
  });
  it('an empty gate list is no gate', () => {
    assert.ok(newSchedulingGates(undefined, fakeHandle()).preEnqueue(gated('p', [])).isSuccess());
  });
});

describe('SchedulingGates QueueingHint', () => {
  const pod = gated('p', ['foo']);
  it('queues the pod when its own update removed the last gate', () => {
    const updated = { ...pod, spec: { ...(pod.spec as object), schedulingGates: [] } };
    assert.equal(isSchedulableAfterUpdatePodSchedulingGatesEliminated(pod, pod, updated), 'Queue');
  });
  it('skips when gates remain or the update is another pod', () => {
    const stillGated = { ...pod, spec: { ...(pod.spec as object), schedulingGates: [{ name: 'bar' }] } };
    assert.equal(isSchedulableAfterUpdatePodSchedulingGatesEliminated(pod, pod, stillGated), 'QueueSkip');
    assert.equal(isSchedulableAfterUpdatePodSchedulingGatesEliminated(pod, undefined, makePod('other')), 'QueueSkip');
  });
  it('registers Pod UpdatePodSchedulingGatesEliminated', () => {
    const ev = newSchedulingGates(undefined, fakeHandle()).eventsToRegister();
    assert.deepEqual(ev.map((e) => [e.event.resource, e.event.actions]), [['Pod', ['UpdatePodSchedulingGatesEliminated']]]);
    assert.equal(ev[0].hint?.(pod, pod, { ...pod, spec: {} }), 'Queue');
  });
});
