/** The node condition setters: heartbeat every round, transition time only on status change, NotReady texts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateMessage, conditionsChanged, setNodeConditions, transitionEvents, type NodeCondition } from '../../../../src/kubelet/node/node-conditions';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:00:10Z';

describe('setNodeConditions', () => {
  it('first round: every condition transitions at now', () => {
    const r = setNodeConditions(undefined, {}, T1);
    assert.deepEqual(r.transitions, [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'DiskPressure', status: 'False' },
      { type: 'PIDPressure', status: 'False' },
      { type: 'Ready', status: 'True' },
    ]);
  });

  it('an unchanged round moves only heartbeats', () => {
    const first = setNodeConditions(undefined, {}, T1).conditions;
    const r = setNodeConditions(first, {}, T2);
    assert.deepEqual(r.transitions, []);
    for (const c of r.conditions) {
      assert.equal(c.lastHeartbeatTime, T2);
      assert.equal(c.lastTransitionTime, T1);
    }
    assert.equal(conditionsChanged(first, r.conditions), false);
  });

  const cases: [string, Parameters<typeof setNodeConditions>[1], string, Partial<NodeCondition>][] = [
    ['memory pressure', { memoryPressure: true }, 'MemoryPressure', { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }],
    ['disk pressure', { diskPressure: true }, 'DiskPressure', { status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }],
    ['pid pressure', { pidPressure: true }, 'PIDPressure', { status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' }],
    ['one NotReady error', { notReadyErrors: ['container runtime is down'] }, 'Ready', { status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' }],
    ['two NotReady errors', { notReadyErrors: ['a', 'b'] }, 'Ready', { status: 'False', reason: 'KubeletNotReady', message: '[a, b]' }],
  ];
  for (const [name, health, type, want] of cases) {
    it(`${name}: status, reason, message and a new transition time`, () => {
      const first = setNodeConditions(undefined, {}, T1).conditions;
      const r = setNodeConditions(first, health, T2);
      const c = r.conditions.find((x) => x.type === type);
      assert.deepEqual({ status: c?.status, reason: c?.reason, message: c?.message }, want);
      assert.equal(c?.lastTransitionTime, T2);
      assert.deepEqual(r.transitions, [{ type, status: want.status }]);
      assert.equal(conditionsChanged(first, r.conditions), true);
    });
  }

  it('keeps foreign conditions and order; Unknown from the node controller flips back with a new transition', () => {
    const existing: NodeCondition[] = [
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: T1 },
      { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' },
    ];
    const r = setNodeConditions(existing, {}, T2);
    assert.deepEqual(r.conditions.map((c) => c.type), ['Ready', 'NetworkUnavailable', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    assert.equal(r.conditions[0].status, 'True');
    assert.equal(r.conditions[0].lastTransitionTime, T2);
    assert.deepEqual(r.conditions[1], existing[1]);
    assert.equal(existing[0].status, 'Unknown', 'input not mutated');
  });

  it('aggregateMessage as utilerrors.NewAggregate prints', () => {
    assert.equal(aggregateMessage(['x']), 'x');
    assert.equal(aggregateMessage(['x', 'y', 'z']), '[x, y, z]');
  });

  it('conditionsChanged ignores order and heartbeats, not lengths', () => {
    const a: NodeCondition[] = [{ type: 'A', status: 'True', lastHeartbeatTime: T1 }, { type: 'B', status: 'False' }];
    const b: NodeCondition[] = [{ type: 'B', status: 'False', lastHeartbeatTime: T2 }, { type: 'A', status: 'True', lastHeartbeatTime: T2 }];
    assert.equal(conditionsChanged(a, b), false);
    assert.equal(conditionsChanged(a, b.slice(1)), true);
    assert.equal(conditionsChanged(a, [{ ...b[0], message: 'm' }, b[1]]), true);
  });
});

describe('transitionEvents', () => {
  it('names the events as recordNodeStatusEvent does', () => {
    assert.deepEqual(transitionEvents('n1', setNodeConditions(undefined, {}, T1).transitions).map((e) => e.message), [
      'Node n1 status is now: NodeHasSufficientMemory',
      'Node n1 status is now: NodeHasNoDiskPressure',
      'Node n1 status is now: NodeHasSufficientPID',
      'Node n1 status is now: NodeReady',
    ]);
    assert.deepEqual(transitionEvents('n1', [{ type: 'Ready', status: 'False' }, { type: 'DiskPressure', status: 'True' }, { type: 'Other', status: 'True' }]), [
      { type: 'Normal', reason: 'NodeNotReady', message: 'Node n1 status is now: NodeNotReady' },
      { type: 'Normal', reason: 'NodeHasDiskPressure', message: 'Node n1 status is now: NodeHasDiskPressure' },
    ]);
  });
});
