/**
 * The Deployment controller with the ReplicaSet controller against the real in-process API server on a fake clock,
 * the test playing the kubelet: a RollingUpdate that never breaks maxSurge / maxUnavailable at any observed moment,
 * upstream's ScalingReplicaSet events and conditions, Recreate never running old and new pods together,
 * ProgressDeadlineExceeded on the clock, minReadySeconds, revisionHistoryLimit cleanup, proportional scaling during a
 * rollout, adoption of an orphaned ReplicaSet.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../../src/controllers/framework';
import { deploymentControllerFactory } from '../../../src/controllers/deployment';
import { replicaSetControllerFactory } from '../../../src/controllers/replicaset';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { deploymentManifest, driveRollout, eventsFor, getDeployment, isReady, NS, observe, podsOf, readyOnePod } from './deployment-helpers';

const specReplicas = (rs: object) => ((rs as { spec?: { replicas?: number } }).spec?.replicas ?? 0);
const ann = (o: object, key: string) => (o as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations?.[key];
const rsOf = async (t: ControllerTest, app: string) => t.list(R.replicasets, NS, { labelSelector: `app=${app}` });

describe('Deployment controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([deploymentControllerFactory, replicaSetControllerFactory]);
  });
  after(async () => t.stop());

  it('rolls v1 to v2 without ever exceeding maxSurge or maxUnavailable, with upstream events and conditions', async () => {
    const replicas = 4;
    const surge = 1;
    const unavailable = 1;
    await t.admin.create(R.deployments, NS, deploymentManifest('web', { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }));
    await driveRollout(t, 'web');
    const [rs1] = await rsOf(t, 'web');
    const hash1 = String((rs1.metadata?.labels as Record<string, string>)['pod-template-hash']);
    assert.equal(rs1.metadata?.name, `web-${hash1}`);
    assert.equal(ann(rs1, 'deployment.kubernetes.io/revision'), '1');
    assert.equal(ann(rs1, 'deployment.kubernetes.io/desired-replicas'), '4');
    assert.equal(ann(rs1, 'deployment.kubernetes.io/max-replicas'), '5');
    const d1 = await getDeployment(t, 'web');
    assert.equal(ann(d1, 'deployment.kubernetes.io/revision'), '1');
    const conds = Object.fromEntries((d1.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));
    assert.deepEqual(conds, {
      Available: ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      Progressing: ['True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash1}" has successfully progressed.`],
    });

    const obs = await observe(t, 'web', (pods, rss) => {
      const wanted = rss.reduce((n, rs) => n + specReplicas(rs), 0);
      if (wanted > replicas + surge) return `ReplicaSets want ${wanted} pods > ${replicas}+${surge}`;
      if (pods.length > replicas + surge) return `${pods.length} pods > ${replicas}+${surge}`;
      const readyPods = pods.filter(isReady).length;
      if (readyPods < replicas - unavailable) return `${readyPods} ready pods < ${replicas}-${unavailable}`;
      return undefined;
    });
    try {
      await t.admin.patch(R.deployments, NS, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
      await driveRollout(t, 'web');
    } finally {
      obs.stop();
    }
    assert.deepEqual(obs.violations, []);
    assert.ok(obs.samples > 10, `observed ${obs.samples} moments`);

    const rss = await rsOf(t, 'web');
    assert.equal(rss.length, 2);
    const rs2 = rss.find((r) => r.metadata?.name !== rs1.metadata?.name)!;
    const hash2 = String((rs2.metadata?.labels as Record<string, string>)['pod-template-hash']);
    assert.equal(specReplicas(rs2), 4);
    assert.equal(specReplicas(rss.find((r) => r.metadata?.name === rs1.metadata?.name)!), 0);
    assert.equal(ann(rs2, 'deployment.kubernetes.io/revision'), '2');
    for (const p of await podsOf(t, 'web')) assert.equal((p.metadata?.labels as Record<string, string>)['pod-template-hash'], hash2);

    await t.settle();
    const events = await eventsFor(t, 'web');
    const msgs = events.map((e) => String(e.message));
    for (const e of events) {
      assert.equal(e.reason, 'ScalingReplicaSet');
      assert.equal(e.type, 'Normal');
      assert.deepEqual(e.source, { component: 'deployment-controller' });
    }
    assert.ok(msgs.includes(`Scaled up replica set web-${hash1} to 4`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled up replica set web-${hash2} to 1`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled down replica set web-${hash1} to 3 from 4`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled down replica set web-${hash1} to 0 from 1`), msgs.join('\n'));
    for (const m of msgs) assert.match(m, /^Scaled (up|down) replica set web-[a-z0-9]+ to \d+( from \d+)?$/);
    // A finished rollout is left alone: later syncs (delayed progress checks included) write nothing.
    const versions = async () => JSON.stringify([(await getDeployment(t, 'web')).metadata?.resourceVersion, ...(await rsOf(t, 'web')).map((r) => r.metadata?.resourceVersion)]);
    const settled = await versions();
    await t.advance(11 * 60_000);
    assert.equal(await versions(), settled);
  });

  it('Recreate: old pods all gone before any new pod exists', async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('rec', { replicas: 2, strategy: { type: 'Recreate' } }));
    await driveRollout(t, 'rec');
    const [old] = await rsOf(t, 'rec');
    const obs = await observe(t, 'rec', (pods) => {
      const hashes = new Set(pods.map((p) => p.metadata?.labels?.['pod-template-hash']));
      return hashes.size > 1 ? `old and new pods together: ${[...hashes].join(', ')}` : undefined;
    });
    try {
      await t.admin.patch(R.deployments, NS, 'rec', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
      await driveRollout(t, 'rec');
    } finally {
      obs.stop();
    }
    assert.deepEqual(obs.violations, []);
    const rss = await rsOf(t, 'rec');
    const fresh = rss.find((r) => r.metadata?.name !== old.metadata?.name)!;
    const msgs = (await eventsFor(t, 'rec')).map((e) => String(e.message));
    assert.ok(msgs.includes(`Scaled down replica set ${String(old.metadata?.name)} to 0 from 2`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled up replica set ${String(fresh.metadata?.name)} to 2`), msgs.join('\n'));
  });

  it('reports ProgressDeadlineExceeded once progressDeadlineSeconds pass on the clock without progress', async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('stuck', { replicas: 2, progressDeadlineSeconds: 30 }));
    await t.until(async () => (await podsOf(t, 'stuck')).length === 2, '2 pods');
    await t.settle();
    const before = (await getDeployment(t, 'stuck')).status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(before?.status, 'True');
    await t.advance(20_000);
    assert.equal((await getDeployment(t, 'stuck')).status?.conditions?.find((c) => c.type === 'Progressing')?.status, 'True');
    await t.advance(12_000);
    const rs = (await rsOf(t, 'stuck'))[0];
    const cond = await t.until(async () => {
      const c = (await getDeployment(t, 'stuck')).status?.conditions?.find((x) => x.type === 'Progressing');
      return c?.status === 'False' ? c : undefined;
    }, 'Progressing=False');
    assert.equal(cond.reason, 'ProgressDeadlineExceeded');
    assert.equal(cond.message, `ReplicaSet "${String(rs.metadata?.name)}" has timed out progressing.`);
    // Progress afterwards: the rollout still completes (and the condition says so).
    await driveRollout(t, 'stuck');
  });

  it('counts pods available only after minReadySeconds on the clock', async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('mrs', { replicas: 1, minReadySeconds: 20 }));
    await t.until(async () => (await podsOf(t, 'mrs')).length === 1, 'pod');
    await readyOnePod(t, 'mrs');
    await t.until(async () => (await getDeployment(t, 'mrs')).status?.readyReplicas === 1, 'ready 1');
    await t.settle();
    assert.equal((await getDeployment(t, 'mrs')).status?.availableReplicas, undefined);
    await t.advance(21_000);
    await t.until(async () => (await getDeployment(t, 'mrs')).status?.availableReplicas === 1, 'available after 20 s');
  });

  it('deletes old ReplicaSets beyond revisionHistoryLimit once they have no pods', async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('hist', { replicas: 1, revisionHistoryLimit: 1 }));
    await driveRollout(t, 'hist');
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await t.admin.patch(R.deployments, NS, 'hist', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'strategic');
      await driveRollout(t, 'hist');
    }
    const rss = await t.until(async () => {
      const l = await rsOf(t, 'hist');
      return l.length === 2 ? l : undefined;
    }, 'two ReplicaSets left');
    const revs = rss.map((r) => ann(r, 'deployment.kubernetes.io/revision')).sort();
    assert.deepEqual(revs, ['3', '4']);
  });

  it('scales proportionally when resized in the middle of a rollout', async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('prop', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } }));
    await driveRollout(t, 'prop');
    await t.admin.patch(R.deployments, NS, 'prop', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
    await t.until(async () => (await rsOf(t, 'prop')).length === 2, 'new ReplicaSet');
    await t.settle();
    // New pods never become ready: old 4, new 2 (surge 2). Scale 4 -> 8: 6 pods -> 10 (8 + surge 2), split 4:2.
    await t.admin.patch(R.deployments, NS, 'prop', { spec: { replicas: 8 } });
    await t.settle();
    const rss = await t.until(async () => {
      const l = await rsOf(t, 'prop');
      return l.reduce((n, r) => n + specReplicas(r), 0) === 10 ? l : undefined;
    }, '10 replicas in all');
    const sizes = rss.map((r) => [ann(r, 'deployment.kubernetes.io/revision'), specReplicas(r)]).sort();
    assert.deepEqual(sizes, [['1', 7], ['2', 3]]);
  });

  it('adopts an orphaned ReplicaSet whose template is its own instead of creating one', async () => {
    const m = deploymentManifest('adopt', { replicas: 2 });
    const spec = m.spec as { selector: unknown; template: unknown };
    await t.admin.create(R.replicasets, NS, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'adopt-manual', labels: { app: 'adopt' } }, spec: { replicas: 2, selector: spec.selector, template: spec.template } });
    await t.until(async () => (await podsOf(t, 'adopt')).length === 2, 'pods of the orphan');
    const d = await t.admin.create(R.deployments, NS, m);
    await t.until(async () => {
      const cur = await t.admin.get(R.replicasets, NS, 'adopt-manual');
      return ((cur.metadata?.ownerReferences ?? []) as { uid: string; controller?: boolean }[]).some((r) => r.uid === d.metadata?.uid && r.controller);
    }, 'adopted');
    await driveRollout(t, 'adopt');
    const rss = await rsOf(t, 'adopt');
    assert.deepEqual(rss.map((r) => r.metadata?.name), ['adopt-manual'], 'no second ReplicaSet for the same template');
    assert.equal(ann(rss[0], 'deployment.kubernetes.io/revision'), '1');
  });
});
