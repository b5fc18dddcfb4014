import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cleanupDeployment, checkPausedConditions, isScalingEvent, scale } from '../../../../src/controllers/deployment/sync';
import { getNewReplicaSet } from '../../../../src/controllers/deployment/new-replicaset';
import { computeHash } from '../../../../src/controllers/deployment/hash';
import { Work } from '../../../../src/controllers/deployment/work';
import { deployment, fakeWorld, replicaSet, setField } from './fake-env';

const sizes = (w: ReturnType<typeof fakeWorld>) => Object.fromEntries([...w.rss.values()].map((r) => [r.metadata?.name, r.spec?.replicas]));

test('scale: proportional scaling in the middle of a rollout (upstream TestScale cases)', async () => {
  const cases: { name: string; replicas: number; old: number; newRS: number; oldRSs: number[]; want: Record<string, number> }[] = [
    { name: 'normal scaling event: 10 -> 12', replicas: 12, old: 10, newRS: 10, oldRSs: [], want: { new: 12 } },
    { name: 'normal scaling event: 10 -> 5', replicas: 5, old: 10, newRS: 10, oldRSs: [], want: { new: 5 } },
    { name: 'proportional scaling: 5 -> 10', replicas: 10, old: 5, newRS: 2, oldRSs: [3], want: { new: 4, old0: 6 } },
    { name: 'proportional scaling: 5 -> 3', replicas: 3, old: 5, newRS: 2, oldRSs: [3], want: { new: 1, old0: 2 } },
    { name: 'proportional scaling: 9 -> 4', replicas: 4, old: 9, newRS: 8, oldRSs: [1], want: { new: 4, old0: 0 } },
    { name: 'proportional scaling: 7 -> 10', replicas: 10, old: 7, newRS: 2, oldRSs: [3, 2], want: { new: 3, old0: 4, old1: 3 } },
    { name: 'proportional scaling: 13 -> 8', replicas: 8, old: 13, newRS: 2, oldRSs: [8, 3], want: { new: 1, old0: 5, old1: 2 } },
    { name: 'scale down to zero', replicas: 0, old: 5, newRS: 2, oldRSs: [3], want: { new: 0, old0: 0 } },
  ];
  for (const c of cases) {
    const world = fakeWorld();
    const d = deployment({ replicas: c.replicas, maxSurge: 0, maxUnavailable: 1 });
    const ann = { desired: c.old, max: c.old };
    const newRS = replicaSet('new', c.newRS, { ...ann, ageS: 1 });
    const olds = c.oldRSs.map((n, i) => replicaSet(`old${i}`, n, { ...ann, ageS: 10 + 10 * i }));
    for (const rs of [newRS, ...olds]) world.rss.set(rs.metadata!.name!, rs);
    const w = new Work(world.env, d);
    await scale(w, newRS, olds);
    const want = Object.fromEntries(Object.entries(c.want).map(([k, v]) => [k, v]));
    assert.deepEqual(sizes(world), { ...Object.fromEntries([newRS, ...olds].map((r) => [r.metadata!.name, r.spec!.replicas])), ...want }, c.name);
    for (const rs of world.rss.values()) {
      if (!(rs.spec!.replicas! > 0) && c.replicas > 0) continue;
      assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], String(c.replicas), `${c.name}: annotation`);
    }
  }
});

test('scale records upstream ScalingReplicaSet events ("Scaled up replica set X to N from M")', async () => {
  const world = fakeWorld();
  const d = deployment({ replicas: 10, maxSurge: 0, maxUnavailable: 1 });
  const n = replicaSet('web-new', 2, { desired: 5, max: 5, ageS: 1 });
  const o = replicaSet('web-old', 3, { desired: 5, max: 5, ageS: 9 });
  await scale(new Work(world.env, d), n, [o]);
  assert.deepEqual(world.events, ['Normal ScalingReplicaSet Scaled up replica set web-old to 6 from 3', 'Normal ScalingReplicaSet Scaled up replica set web-new to 4 from 2']);
});

test('isScalingEvent: an active ReplicaSet whose desired-replicas differs from spec.replicas', async () => {
  const world = fakeWorld();
  const d = deployment({ replicas: 4, image: 'img-new' });
  const n = replicaSet('new', 2, { desired: 4, max: 5, revision: '2' });
  const o = replicaSet('old', 2, { desired: 4, max: 5, revision: '1' });
  for (const rs of [n, o]) world.rss.set(rs.metadata!.name!, rs);
  d.metadata!.annotations = { 'deployment.kubernetes.io/revision': '2' };
  assert.equal(await isScalingEvent(new Work(world.env, d), [n, o]), false);
  assert.equal(await isScalingEvent(new Work(world.env, { ...d, spec: { ...d.spec!, replicas: 6 } }), [n, o]), true);
});

test('cleanupDeployment keeps revisionHistoryLimit old ReplicaSets and never deletes one with pods or a stale status', async () => {
  const world = fakeWorld();
  const d = deployment({ replicas: 1 });
  d.spec!.revisionHistoryLimit = 1;
  const olds = [
    replicaSet('r1', 0, { revision: '1', ageS: 50 }),
    replicaSet('r2', 0, { revision: '2', ageS: 40 }),
    replicaSet('r3', 0, { revision: '3', ageS: 30 }),
    replicaSet('r4', 0, { revision: '4', ageS: 20 }),
  ];
  setField(olds[1], 'status', { replicas: 1 }); // a pod still terminating
  setField(olds[2].metadata!, 'generation', 2); // the ReplicaSet controller has not seen the scale-down yet
  await cleanupDeployment(new Work(world.env, d), olds);
  assert.deepEqual(world.writes, ['delete replicasets/r1']);
});

test('checkPausedConditions: DeploymentPaused, then DeploymentResumed; a timed-out condition is kept', async () => {
  const world = fakeWorld();
  const d = deployment({ replicas: 1 });
  d.spec!.paused = true;
  await checkPausedConditions(new Work(world.env, d));
  const paused = world.deployment.current!.status!.conditions!;
  assert.deepEqual(paused.map((c) => [c.type, c.status, c.reason, c.message]), [['Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused']]);
  const resumed = { ...world.deployment.current!, spec: { ...world.deployment.current!.spec!, paused: false } };
  await checkPausedConditions(new Work(world.env, resumed));
  assert.deepEqual(world.deployment.current!.status!.conditions!.map((c) => [c.reason, c.message]), [['DeploymentResumed', 'Deployment is resumed']]);
  const timedOut = deployment({ replicas: 1 });
  timedOut.spec!.paused = true;
  timedOut.status = { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'x' }] };
  world.writes.length = 0;
  await checkPausedConditions(new Work(world.env, timedOut));
  assert.deepEqual(world.writes, []);
});

test('getNewReplicaSet creates <name>-<hash> with the hash label, revision annotations and the NewReplicaSetCreated condition', async () => {
  const world = fakeWorld();
  const d = deployment({ replicas: 3, maxSurge: 1, maxUnavailable: 0 });
  d.metadata!.annotations = { 'kubernetes.io/change-cause': 'first' };
  const w = new Work(world.env, d);
  const rs = await getNewReplicaSet(w, [], [], true);
  const hash = computeHash(d.spec!.template);
  assert.equal(rs?.metadata?.name, `web-${hash}`);
  assert.deepEqual(rs?.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual(rs?.spec?.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.equal(rs?.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(rs?.spec?.replicas, 3);
  assert.deepEqual(rs?.metadata?.annotations, { 'kubernetes.io/change-cause': 'first', 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  assert.deepEqual(world.events, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} to 3`]);
  assert.deepEqual(world.writes, [`create replicasets/web-${hash}`, 'update deployments/web', 'status deployments/web']);
  const cur = world.deployment.current!;
  assert.equal(cur.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.deepEqual(cur.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "web-${hash}"`]]);
});

test('getNewReplicaSet: a name taken by another template bumps collisionCount and fails the sync', async () => {
  const world = fakeWorld();
  const d = deployment({ replicas: 1 });
  const hash = computeHash(d.spec!.template);
  const squatter = replicaSet(`web-${hash}`, 1, { image: 'other' });
  world.rss.set(`web-${hash}`, squatter);
  await assert.rejects(getNewReplicaSet(new Work(world.env, d), [], [], true), /already exists/);
  assert.equal(world.deployment.current?.status?.collisionCount, 1);
  const next = await getNewReplicaSet(new Work(world.env, world.deployment.current!), [], [], true);
  assert.equal(next?.metadata?.name, `web-${computeHash(d.spec!.template, 1)}`);
});
