import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { progressRequeueMs, rolloutStatus } from '../../../../src/controllers/deployment/progress';
import { calculateStatus } from '../../../../src/controllers/deployment/status';
import { deploymentTimedOut } from '../../../../src/controllers/deployment/conditions';
import { deployment, replicaSet } from './fake-env';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const cond = (s: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] }, type: string) => {
  const c = s.conditions?.find((x) => x.type === type);
  return c && [c.status, c.reason, c.message];
};

test('calculateStatus: counts from the ReplicaSets, Available by replicas - maxUnavailable, zero counts omitted', () => {
  const d = deployment({ replicas: 4, maxSurge: 1, maxUnavailable: 1, generation: 3 });
  const n = replicaSet('n', 2, { available: 1 });
  const o = replicaSet('o', 3, { available: 3 });
  const s = calculateStatus([o, n], n, d, T0);
  assert.deepEqual({ ...s, conditions: undefined }, { observedGeneration: 3, replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 1, conditions: undefined });
  assert.deepEqual(cond(s, 'Available'), ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
  const low = calculateStatus([replicaSet('o', 3, { available: 2 })], undefined, d, T0);
  assert.deepEqual(cond(low, 'Available'), ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
  assert.equal('updatedReplicas' in low, false, 'omitempty');
});

test('rolloutStatus: progressing, then successfully progressed (upstream messages)', () => {
  const d = deployment({ replicas: 2 });
  d.status = { replicas: 2, updatedReplicas: 0, availableReplicas: 2, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-x"', lastUpdateTime: iso(T0), lastTransitionTime: iso(T0) }] };
  const n = replicaSet('web-x', 1, { available: 0 });
  const moving = rolloutStatus([replicaSet('web-o', 2), n], n, d, T0 + 5000);
  assert.deepEqual(cond(moving, 'Progressing'), ['True', 'ReplicaSetUpdated', 'ReplicaSet "web-x" is progressing.']);
  const p = moving.conditions!.find((c) => c.type === 'Progressing')!;
  assert.equal(p.lastUpdateTime, iso(T0 + 5000));
  assert.equal(p.lastTransitionTime, iso(T0), 'still True: the transition time is kept');
  const done = rolloutStatus([replicaSet('web-o', 0, { available: 0 }), replicaSet('web-x', 2)], replicaSet('web-x', 2), { ...d, status: moving }, T0 + 9000);
  assert.deepEqual(cond(done, 'Progressing'), ['True', 'NewReplicaSetAvailable', 'ReplicaSet "web-x" has successfully progressed.']);
});

test('rolloutStatus: ProgressDeadlineExceeded once the deadline passed without progress; requeue timing', () => {
  const d = deployment({ replicas: 2 });
  d.spec!.progressDeadlineSeconds = 30;
  const n = replicaSet('web-x', 2, { available: 0 });
  const first = rolloutStatus([n], n, d, T0);
  const d1 = { ...d, status: first };
  assert.deepEqual(cond(first, 'Progressing'), ['True', 'ReplicaSetUpdated', 'ReplicaSet "web-x" is progressing.']);
  assert.deepEqual(rolloutStatus([n], n, d1, T0 + 10_000), first, 'no progress, no deadline yet: nothing new');
  assert.equal(progressRequeueMs(d1, first, T0 + 10_000), 21_000, 'deadline in 20 s, plus a second');
  assert.equal(progressRequeueMs(d1, first, T0 + 29_500), 0, 'less than a second left: now');
  assert.equal(deploymentTimedOut(d1, first, T0 + 30_000), false, 'exactly at the deadline is not after it');
  const late = rolloutStatus([n], n, d1, T0 + 31_000);
  assert.deepEqual(cond(late, 'Progressing'), ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-x" has timed out progressing.']);
  assert.equal(progressRequeueMs({ ...d, status: late }, late, T0 + 31_000), -1);
  const noDeadline = { ...d1, spec: { ...d1.spec!, progressDeadlineSeconds: 2147483647 } };
  assert.equal(cond(rolloutStatus([n], n, noDeadline, T0 + 99_000), 'Progressing'), undefined, 'no deadline: no Progressing condition');
});

test('rolloutStatus copies a ReplicaSet ReplicaFailure condition and drops it once gone', () => {
  const d = deployment({ replicas: 1 });
  const n = replicaSet('web-x', 1, { available: 0 });
  n.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x-" is forbidden: exceeded quota', lastTransitionTime: iso(T0) }];
  const s = rolloutStatus([n], n, d, T0);
  assert.deepEqual(cond(s, 'ReplicaFailure'), ['True', 'FailedCreate', 'pods "web-x-" is forbidden: exceeded quota']);
  const ok = rolloutStatus([replicaSet('web-x', 1)], replicaSet('web-x', 1), { ...d, status: s }, T0);
  assert.equal(cond(ok, 'ReplicaFailure'), undefined);
});
