/**
 * The StatefulSet controller against the real in-process API server on a fake clock; the test plays the kubelet
 * (pods/status Running + Ready). Covers: OrderedReady scale 0→3→1 in order with claims created before their pods and
 * kept on scale-down, identity (names, labels, hostname/subdomain, volumes), upstream's event wording, Parallel,
 * spec.ordinals.start, RollingUpdate with a partition, OnDelete, failed pods replaced, retention policy ownership
 * (and a stale claim blocking re-creation), ControllerRevisions (rollback renumbers, history limit), minReadySeconds.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/base/logger';
import { SharedInformer, type CachedObject } from '../../../src/client/informers';
import { R, type Obj } from '../../../src/controllers/framework';
import { statefulSetControllerFactory } from '../../../src/controllers/statefulset';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { findKubectl, Kubectl } from '../../helpers/kubectl';

const NS = 'default';

type SetOpts = { replicas?: number; policy?: 'Parallel'; strategy?: Obj; retention?: Obj; ordinalsStart?: number; historyLimit?: number; minReadySeconds?: number; claims?: boolean; image?: string };

function sts(name: string, o: SetOpts = {}): Obj {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      replicas: o.replicas ?? 0,
      serviceName: `${name}-svc`,
      podManagementPolicy: o.policy,
      updateStrategy: o.strategy,
      persistentVolumeClaimRetentionPolicy: o.retention,
      ordinals: o.ordinalsStart === undefined ? undefined : { start: o.ordinalsStart },
      revisionHistoryLimit: o.historyLimit,
      minReadySeconds: o.minReadySeconds,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1' }] } },
      volumeClaimTemplates:
        o.claims === false ? undefined : [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

describe('StatefulSet controller', () => {
  let t: ControllerTest;
  /** Pod and claim adds / deletes in the order a watcher saw them: `+pod/web-0`, `-pod/web-2`, `+pvc/www-web-0`. */
  const journal: string[] = [];
  const informers: SharedInformer[] = [];
  before(async () => {
    t = await startControllerTest([statefulSetControllerFactory]);
    for (const [r, tag] of [[R.pods, 'pod'], [R.persistentvolumeclaims, 'pvc']] as const) {
      const inf = new SharedInformer({ transport: t.tc.inProcess(), resource: r, namespace: NS, logger: silentLogger });
      inf.addEventHandler({ onAdd: (o) => journal.push(`+${tag}/${o.metadata?.name}`), onDelete: (o) => journal.push(`-${tag}/${(o as CachedObject).metadata?.name ?? ''}`) });
      inf.run();
      await inf.waitForSync();
      informers.push(inf);
    }
  });
  after(async () => {
    for (const inf of informers) inf.stop();
    await t.stop();
  });

  const podNames = async (app: string) => (await t.list(R.pods, NS, { labelSelector: `app=${app}` })).map((p) => String(p.metadata?.name)).sort();
  const getPod = async (name: string) => {
    try {
      return await t.admin.get(R.pods, NS, name);
    } catch {
      return undefined;
    }
  };
  const label = (o: Obj | undefined, key: string) => (o?.metadata?.labels as Record<string, string> | undefined)?.[key];
  const getSet = (name: string) => t.admin.get(R.statefulsets, NS, name);
  const statusOf = async (name: string) => ((await getSet(name)).status ?? {}) as Record<string, unknown>;
  const scale = (name: string, replicas: number) => t.admin.patch(R.statefulsets, NS, name, { spec: { replicas } });
  const stamp = () => new Date(Math.floor(t.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const markReady = (name: string) => t.admin.patch(R.pods, NS, name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stamp() }] } }, 'merge', 'status');
  const isReady = (p: Obj) => ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  /** Plays the kubelet until `done`: every pod of the app that is not ready becomes ready. */
  async function kubeletUntil(app: string, done: () => Promise<boolean>, what: string): Promise<void> {
    await t.until(async () => {
      for (const p of await t.list(R.pods, NS, { labelSelector: `app=${app}` })) if (!isReady(p) && !p.metadata?.deletionTimestamp) await markReady(String(p.metadata?.name));
      return done();
    }, what, 20_000);
  }
  const eventsOf = async (name: string) => (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string }).name === name && (e.involvedObject as { kind?: string }).kind === 'StatefulSet');

  it('scales 0→3 in ordinal order, each pod waiting for its predecessor to be Running and Ready, claims first', async () => {
    const created = await t.admin.create(R.statefulsets, NS, sts('web'));
    await t.until(async () => (await statusOf('web')).observedGeneration === 1, 'observedGeneration 1');
    assert.deepEqual(await podNames('web'), []);
    await scale('web', 3);
    await t.until(() => getPod('web-0'), 'web-0');
    await t.settle();
    assert.deepEqual(await podNames('web'), ['web-0'], 'web-1 waits for web-0 to be ready');
    await markReady('web-0');
    await t.until(() => getPod('web-1'), 'web-1');
    await t.settle();
    assert.deepEqual(await podNames('web'), ['web-0', 'web-1'], 'web-2 waits for web-1 to be ready');
    await t.admin.patch(R.pods, NS, 'web-1', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }, 'merge', 'status');
    await t.settle();
    assert.equal(await getPod('web-2'), undefined, 'running but not ready blocks too');
    await markReady('web-1');
    await t.until(() => getPod('web-2'), 'web-2');
    await markReady('web-2');
    await t.until(async () => (await statusOf('web')).readyReplicas === 3, 'readyReplicas 3');

    const ours = journal.filter((j) => /web-\d$/.test(j));
    assert.deepEqual(ours, ['+pvc/www-web-0', '+pod/web-0', '+pvc/www-web-1', '+pod/web-1', '+pvc/www-web-2', '+pod/web-2']);

    const pod = (await getPod('web-1')) as Obj & { spec: Record<string, unknown>; metadata: Record<string, unknown> };
    const st = await statusOf('web');
    assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': st.updateRevision });
    assert.equal(pod.metadata.generateName, 'web-');
    assert.equal(pod.spec.hostname, 'web-1');
    assert.equal(pod.spec.subdomain, 'web-svc');
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual((pod.spec.volumes as Obj[]).find((v) => v.name === 'www'), { name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
    const claim = await t.admin.get(R.persistentvolumeclaims, NS, 'www-web-1');
    assert.deepEqual(claim.metadata?.labels, { app: 'web' });
    assert.equal(claim.metadata?.ownerReferences, undefined, 'Retain/Retain: no owner');

    assert.equal(st.replicas, 3);
    assert.equal(st.currentReplicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.availableReplicas, 3);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.match(String(st.currentRevision), /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(st.collisionCount, 0);

    await t.settle();
    const messages = (await eventsOf('web')).map((e) => `${e.type} ${e.reason} ${e.message}`);
    for (const i of [0, 1, 2]) {
      assert.ok(messages.includes(`Normal SuccessfulCreate create Claim www-web-${i} Pod web-${i} in StatefulSet web success`), messages.join('\n'));
      assert.ok(messages.includes(`Normal SuccessfulCreate create Pod web-${i} in StatefulSet web successful`), messages.join('\n'));
    }
    for (const e of await eventsOf('web')) assert.deepEqual(e.source, { component: 'statefulset-controller' });
  });

  it('scales 3→1 deleting the highest ordinal first, one at a time, keeping the claims', async () => {
    journal.length = 0;
    await scale('web', 1);
    await t.until(async () => (await podNames('web')).length === 1, 'one pod left');
    assert.deepEqual(await podNames('web'), ['web-0']);
    assert.deepEqual(journal.filter((j) => j.startsWith('-pod/web')), ['-pod/web-2', '-pod/web-1']);
    const claims = (await t.list(R.persistentvolumeclaims, NS)).map((c) => c.metadata?.name).filter((n) => String(n).startsWith('www-web-'));
    assert.deepEqual(claims.sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
    await t.until(async () => (await statusOf('web')).replicas === 1, 'status.replicas 1');
    await t.settle();
    const messages = (await eventsOf('web')).map((e) => `${e.reason} ${e.message}`);
    assert.ok(messages.includes('SuccessfulDelete delete Pod web-2 in StatefulSet web successful'), messages.join('\n'));
    assert.ok(messages.includes('SuccessfulDelete delete Pod web-1 in StatefulSet web successful'), messages.join('\n'));
  });

  it('scales down OrderedReady only while the remaining pods are healthy', async () => {
    await scale('web', 3);
    await kubeletUntil('web', async () => (await statusOf('web')).readyReplicas === 3, '3 ready again');
    assert.equal((await t.admin.get(R.persistentvolumeclaims, NS, 'www-web-2')).metadata?.name, 'www-web-2', 'reused claim');
    await t.admin.patch(R.pods, NS, 'web-0', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'merge', 'status');
    await t.settle();
    await scale('web', 1);
    await t.settle();
    assert.deepEqual(await podNames('web'), ['web-0', 'web-1', 'web-2'], 'an unhealthy web-0 blocks the scale-down');
    await markReady('web-0');
    await t.until(async () => (await podNames('web')).length === 1, 'scaled down once healthy');
  });

  it('replaces a failed pod', async () => {
    const before = await getPod('web-0');
    await t.admin.patch(R.pods, NS, 'web-0', { status: { phase: 'Failed' } }, 'merge', 'status');
    await t.until(async () => {
      const p = await getPod('web-0');
      return p && p.metadata?.uid !== before?.metadata?.uid;
    }, 'web-0 recreated');
  });

  it('Parallel creates and deletes every pod at once, honouring spec.ordinals.start', async () => {
    await t.admin.create(R.statefulsets, NS, sts('par', { replicas: 3, policy: 'Parallel', ordinalsStart: 5, claims: false }));
    await t.until(async () => (await podNames('par')).length === 3, '3 pods without readiness');
    assert.deepEqual(await podNames('par'), ['par-5', 'par-6', 'par-7']);
    assert.equal(label(await getPod('par-6'), 'apps.kubernetes.io/pod-index'), '6');
    await scale('par', 1);
    await t.until(async () => (await podNames('par')).length === 1, 'scaled down without readiness');
    assert.deepEqual(await podNames('par'), ['par-5']);
  });

  it('RollingUpdate replaces pods from the highest ordinal down to the partition', async () => {
    await t.admin.create(R.statefulsets, NS, sts('ru', { replicas: 3, claims: false, strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await kubeletUntil('ru', async () => (await statusOf('ru')).readyReplicas === 3, '3 ready');
    const rev1 = String((await statusOf('ru')).currentRevision);
    journal.length = 0;
    await t.admin.patch(R.statefulsets, NS, 'ru', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
    await kubeletUntil('ru', async () => (await statusOf('ru')).updatedReplicas === 2 && (await statusOf('ru')).readyReplicas === 3, '2 updated');
    await t.settle();
    const st = await statusOf('ru');
    const rev2 = String(st.updateRevision);
    assert.notEqual(rev2, rev1);
    assert.equal(st.currentRevision, rev1);
    assert.equal(st.currentReplicas, 1);
    assert.deepEqual(journal.filter((j) => j.startsWith('-pod/ru')), ['-pod/ru-2', '-pod/ru-1']);
    const image = async (n: string) => ((await getPod(n))?.spec as { containers: { image: string }[] }).containers[0].image;
    assert.equal(await image('ru-0'), 'nginx:1');
    assert.equal(await image('ru-1'), 'nginx:2');
    assert.equal(label(await getPod('ru-2'), 'controller-revision-hash'), rev2);

    await t.admin.patch(R.statefulsets, NS, 'ru', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, 'strategic');
    await kubeletUntil('ru', async () => (await statusOf('ru')).currentRevision === rev2, 'rollout complete');
    const done = await statusOf('ru');
    assert.equal(done.currentReplicas, 3);
    assert.equal(done.updatedReplicas, 3);
    assert.equal(await image('ru-0'), 'nginx:2');
  });

  it('OnDelete leaves pods alone until they are deleted', async () => {
    await t.admin.create(R.statefulsets, NS, sts('od', { replicas: 2, claims: false, strategy: { type: 'OnDelete' } }));
    await kubeletUntil('od', async () => (await statusOf('od')).readyReplicas === 2, '2 ready');
    await t.admin.patch(R.statefulsets, NS, 'od', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
    await t.until(async () => (await statusOf('od')).observedGeneration === 2, 'observed generation 2');
    await t.settle();
    const st = await statusOf('od');
    assert.notEqual(st.updateRevision, st.currentRevision);
    assert.equal(st.updatedReplicas ?? 0, 0);
    assert.equal(st.currentReplicas, 2);
    const uid = (await getPod('od-1'))?.metadata?.uid;
    assert.equal(label(await getPod('od-1'), 'controller-revision-hash'), st.currentRevision);
    await t.admin.delete(R.pods, NS, 'od-1');
    await t.until(async () => {
      const p = await getPod('od-1');
      return p && p.metadata?.uid !== uid && label(p, 'controller-revision-hash') === st.updateRevision;
    }, 'od-1 recreated at the update revision');
    assert.equal(label(await getPod('od-0'), 'controller-revision-hash'), st.currentRevision);
  });

  it('whenScaled/whenDeleted Delete: claims owned by the set in range, by the pod once scaled down', async () => {
    const set = await t.admin.create(R.statefulsets, NS, sts('ret', { replicas: 2, retention: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
    await kubeletUntil('ret', async () => (await statusOf('ret')).readyReplicas === 2, '2 ready');
    const ref = (kind: string, name: string, uid: unknown) => ({ apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true });
    const claim = (n: string) => t.admin.get(R.persistentvolumeclaims, NS, n);
    await t.until(async () => (await claim('www-ret-1')).metadata?.ownerReferences, 'claim owned');
    assert.deepEqual((await claim('www-ret-0')).metadata?.ownerReferences, [ref('StatefulSet', 'ret', set.metadata?.uid)]);
    const pod1 = await getPod('ret-1');
    await scale('ret', 1);
    await t.until(async () => (await podNames('ret')).length === 1, 'scaled down');
    assert.deepEqual((await claim('www-ret-1')).metadata?.ownerReferences, [ref('Pod', 'ret-1', pod1?.metadata?.uid)]);
    assert.deepEqual((await claim('www-ret-0')).metadata?.ownerReferences, [ref('StatefulSet', 'ret', set.metadata?.uid)]);

    // No garbage collector runs here: the claim of the old ret-1 is stale and blocks a new ret-1 until it is gone.
    await scale('ret', 2);
    await t.until(async () => (await statusOf('ret')).observedGeneration === 3, 'observed');
    await t.settle();
    assert.equal(await getPod('ret-1'), undefined);
    await t.admin.delete(R.persistentvolumeclaims, NS, 'www-ret-1');
    await t.until(() => getPod('ret-1'), 'ret-1 created once the stale claim is gone');
    await t.until(async () => (await claim('www-ret-1')).metadata?.ownerReferences, 'new claim owned');
    assert.deepEqual((await claim('www-ret-1')).metadata?.ownerReferences, [ref('StatefulSet', 'ret', set.metadata?.uid)]);
  });

  it('keeps ControllerRevisions: a rollback renumbers the old revision, history beyond the limit is deleted', async () => {
    await t.admin.create(R.statefulsets, NS, sts('rev', { replicas: 1, claims: false, historyLimit: 1 }));
    const revisions = async () => (await t.list(R.controllerrevisions, NS, { labelSelector: 'app=rev' })).map((r) => ({ name: String(r.metadata?.name), revision: r.revision as number, data: r.data as Obj }));
    const setImage = (image: string) => t.admin.patch(R.statefulsets, NS, 'rev', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'strategic');
    await kubeletUntil('rev', async () => (await statusOf('rev')).readyReplicas === 1, 'ready');
    const [r1] = await revisions();
    assert.equal(r1.revision, 1);
    assert.equal(((r1.data.spec as Obj).template as Obj).$patch, 'replace');
    assert.equal((await statusOf('rev')).currentRevision, r1.name);

    await setImage('nginx:2');
    await kubeletUntil('rev', async () => {
      const st = await statusOf('rev');
      return st.currentRevision === st.updateRevision && st.currentRevision !== r1.name && st.readyReplicas === 1;
    }, 'rolled to v2');
    const r2 = String((await statusOf('rev')).currentRevision);
    assert.deepEqual((await revisions()).map((r) => [r.name, r.revision]).sort(), [[r1.name, 1], [r2, 2]].sort());

    await setImage('nginx:1');
    await kubeletUntil('rev', async () => {
      const st = await statusOf('rev');
      return st.currentRevision === r1.name && st.updateRevision === r1.name && st.readyReplicas === 1;
    }, 'rolled back to v1');
    await t.settle();
    assert.deepEqual((await revisions()).map((r) => [r.name, r.revision]).sort(), [[r1.name, 3], [r2, 2]].sort(), 'r1 renumbered, not recreated');

    await setImage('nginx:3');
    await kubeletUntil('rev', async () => {
      const st = await statusOf('rev');
      return st.currentRevision === st.updateRevision && st.currentRevision !== r1.name && st.readyReplicas === 1;
    }, 'rolled to v3');
    await t.settle();
    const names = (await revisions()).map((r) => r.name);
    assert.equal(names.length, 2, `limit 1 keeps one historic revision besides the live one: ${names.join(', ')}`);
    assert.ok(names.includes(r1.name) && !names.includes(r2), 'the oldest (r2, revision 2) went first');
  });

  it('works with kubectl rollout history, undo and status', async (ctx) => {
    const found = await findKubectl();
    if (!found.ok) return ctx.skip(found.reason);
    const k = new Kubectl({ kubeconfig: t.tc.cluster.kubeconfig });
    try {
      await t.admin.create(R.statefulsets, NS, sts('hist', { replicas: 1, claims: false }));
      await kubeletUntil('hist', async () => (await statusOf('hist')).readyReplicas === 1, 'ready');
      await k.ok(['set', 'image', 'statefulset/hist', 'c=nginx:2', '-n', NS]);
      await kubeletUntil('hist', async () => {
        const st = await statusOf('hist');
        return st.observedGeneration === 2 && st.currentRevision === st.updateRevision && st.readyReplicas === 1;
      }, 'rolled to v2');
      const history = await k.ok(['rollout', 'history', 'statefulset/hist', '-n', NS]);
      assert.match(history, /^statefulset\.apps\/hist \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
      const rev1 = await k.ok(['rollout', 'history', 'statefulset/hist', '-n', NS, '--revision=1']);
      assert.match(rev1, /Image:\s+nginx:1/);
      assert.equal(await k.ok(['rollout', 'undo', 'statefulset/hist', '-n', NS, '--to-revision=1']), 'statefulset.apps/hist rolled back\n');
      const kubelet = kubeletUntil('hist', async () => (await statusOf('hist')).observedGeneration === 3 && (await statusOf('hist')).currentRevision === (await statusOf('hist')).updateRevision, 'rolled back');
      const status = await k.ok(['rollout', 'status', 'statefulset/hist', '-n', NS, '--timeout=20s']);
      await kubelet;
      // The API server defaults rollingUpdate.partition to 0, so kubectl reports a partitioned roll out.
      assert.match(status, /partitioned roll out complete: 1 new pods have been updated\.\.\.\n$/);
      assert.match(await k.ok(['rollout', 'history', 'statefulset/hist', '-n', NS]), /\n2\s+<none>\n3\s+<none>\n/);
      const image = ((await getPod('hist-0'))?.spec as { containers: { image: string }[] }).containers[0].image;
      assert.equal(image, 'nginx:1');
    } finally {
      await k.dispose();
    }
  });

  it('counts availableReplicas after minReadySeconds on the clock', async () => {
    await t.admin.create(R.statefulsets, NS, sts('avail', { replicas: 1, claims: false, minReadySeconds: 10 }));
    await t.until(() => getPod('avail-0'), 'avail-0');
    await markReady('avail-0');
    await t.until(async () => (await statusOf('avail')).readyReplicas === 1, 'ready');
    assert.equal((await statusOf('avail')).availableReplicas, 0);
    await t.advance(11_000);
    await t.until(async () => (await statusOf('avail')).availableReplicas === 1, 'available after 10 s');
  });
});
