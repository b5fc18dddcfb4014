/**
 * podStatusPatch: the strategic-merge patch the status manager sends (only what differs, metadata.uid as
 * precondition, conditions by type with $setElementOrder, removed fields as null), checked by example and by applying
 * it with the API server's own strategic merge patch over the Pod schema (fast-check): old + patch = new.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyStrategicMergePatch } from '../../../../src/api/patch';
import { definitions, schemaResolver } from '../../../../src/api/openapi';
import { semanticEqual } from '../../../../src/kubelet/status/status-compare';
import { KUBELET_STATUS_FIELDS, podStatusPatch } from '../../../../src/kubelet/status/status-patch';
import type { PodCondition, PodStatus } from '../../../../src/kubelet/status/types';

const UID = 'a1b2';
const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:01:00Z';
const base = (): PodStatus => ({
  phase: 'Pending',
  conditions: [
    { type: 'PodScheduled', status: 'True', lastTransitionTime: T1 },
    { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]', lastTransitionTime: T1 },
  ],
  hostIP: '172.18.0.2',
  hostIPs: [{ ip: '172.18.0.2' }],
  qosClass: 'BestEffort',
  startTime: T1,
});

describe('podStatusPatch', () => {
  it('nothing changed: only the uid', () => {
    assert.deepEqual(podStatusPatch(UID, base(), base()), { patch: { metadata: { uid: UID }, status: {} }, unchanged: true });
  });

  it('a changed condition is sent whole, fields it lost as null, with the element order', () => {
    const next = base();
    next.phase = 'Running';
    next.conditions![1] = { type: 'Ready', status: 'True', lastTransitionTime: T2 };
    const { patch, unchanged } = podStatusPatch(UID, base(), next);
    assert.equal(unchanged, false);
    assert.deepEqual(patch, {
      metadata: { uid: UID },
      status: {
        phase: 'Running',
        '$setElementOrder/conditions': [{ type: 'PodScheduled' }, { type: 'Ready' }],
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T2, reason: null, message: null }],
      },
    });
  });

  it('a field the API holds as null (a zero time) that the kubelet leaves out is not sent', () => {
    const old = base();
    old.conditions = old.conditions!.map((c) => ({ ...c, lastProbeTime: null }));
    const next = base();
    next.conditions![1] = { type: 'Ready', status: 'True', lastTransitionTime: T2 };
    const { patch } = podStatusPatch(UID, old, next);
    assert.deepEqual(patch.status, {
      '$setElementOrder/conditions': [{ type: 'PodScheduled' }, { type: 'Ready' }],
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T2, reason: null, message: null }],
    });
    assert.equal(podStatusPatch(UID, old, base()).unchanged, true, 'null and absent are the same zero value');
  });

  it('a vanished condition is deleted, a vanished field set to null, new IPs merged by ip', () => {
    const old = { ...base(), reason: 'Evicted' };
    const next = base();
    next.conditions = [next.conditions![0]];
    next.podIPs = [{ ip: '10.244.0.7' }];
    next.podIP = '10.244.0.7';
    const { patch } = podStatusPatch(UID, old, next);
    assert.deepEqual(patch.status, {
      '$setElementOrder/conditions': [{ type: 'PodScheduled' }],
      conditions: [{ type: 'Ready', $patch: 'delete' }],
      '$setElementOrder/podIPs': [{ ip: '10.244.0.7' }],
      podIPs: [{ ip: '10.244.0.7' }],
      podIP: '10.244.0.7',
      reason: null,
    });
  });

  it('fields the kubelet does not write are left alone', () => {
    const old = { ...base(), nominatedNodeName: 'n2', resize: 'Proposed' };
    assert.equal(podStatusPatch(UID, old, base()).unchanged, true);
  });
});

describe('podStatusPatch applied by the API server’s strategic merge patch', () => {
  const resolver = schemaResolver();
  const podSchema = definitions()['io.k8s.api.core.v1.Pod'];
  const condTypes = ['PodScheduled', 'Initialized', 'Ready', 'ContainersReady', 'PodReadyToStartContainers', 'example.com/gate'];
  const condition = (type: string) =>
    fc.record(
      {
        type: fc.constant(type),
        status: fc.constantFrom('True', 'False', 'Unknown'),
        reason: fc.constantFrom('ContainersNotReady', 'PodCompleted', 'PodFailed'),
        message: fc.string({ maxLength: 8 }),
        lastTransitionTime: fc.constantFrom(T1, T2),
      },
      { requiredKeys: ['type', 'status'] },
    ) as fc.Arbitrary<PodCondition>;
  const conditions = fc.shuffledSubarray(condTypes).chain((types) => fc.tuple(...types.map(condition)));
  const containerStatus = fc.record({
    name: fc.constantFrom('web', 'app'),
    state: fc.oneof(fc.constant({ waiting: { reason: 'ContainerCreating' } }), fc.constant({ running: { startedAt: T1 } }), fc.constant({ terminated: { exitCode: 1, reason: 'Error' } })),
    lastState: fc.constant({}),
    ready: fc.boolean(),
    restartCount: fc.nat(3),
    image: fc.constant('nginx'),
    imageID: fc.constantFrom('', 'sha256:1'),
  });
  const ips = fc.uniqueArray(fc.constantFrom('10.0.0.1', '10.0.0.2', 'fd00::1'), { maxLength: 2 }).map((l) => l.map((ip) => ({ ip })));
  const status: fc.Arbitrary<PodStatus> = fc.record(
    {
      phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed'),
      reason: fc.constantFrom('Evicted', 'NodeLost'),
      message: fc.string({ maxLength: 8 }),
      conditions,
      podIPs: ips,
      startTime: fc.constantFrom(T1, T2),
      containerStatuses: fc.array(containerStatus, { maxLength: 2 }),
      qosClass: fc.constantFrom('BestEffort', 'Burstable'),
    },
    { requiredKeys: ['phase'] },
  ) as fc.Arbitrary<PodStatus>;

  it('old status + patch = new status (kubelet fields, conditions in the new order)', () => {
    fc.assert(
      fc.property(status, status, (oldS, newS) => {
        const { patch } = podStatusPatch(UID, oldS, newS);
        const merged = applyStrategicMergePatch({ metadata: { name: 'p', uid: UID }, status: oldS }, patch, podSchema, resolver) as { metadata: { uid: string }; status: PodStatus };
        assert.equal(merged.metadata.uid, UID);
        for (const k of KUBELET_STATUS_FIELDS) assert.ok(semanticEqual(merged.status[k], newS[k]), `${k}: ${JSON.stringify(merged.status[k])} != ${JSON.stringify(newS[k])}`);
      }),
      { numRuns: 300 },
    );
  });
});
