/**
 * The ReplicaSet and ReplicationController controllers against the real in-process API server on a fake clock:
 * creation up to replicas with owner references and events, replacement of deleted pods, no double creation,
 * scale-down by upstream's ranking, adoption and release, status with minReadySeconds, slow start on a failing
 * template with the ReplicaFailure condition, and ReplicationControllers through the same code.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { replicaSetControllerFactory } from '../../../src/controllers/replicaset';
import { replicationControllerFactory } from '../../../src/controllers/replication';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';

function rs(name: string, replicas: number, extra: { minReadySeconds?: number; labels?: Record<string, string>; image?: string } = {}): Obj {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      minReadySeconds: extra.minReadySeconds,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: extra.image ?? 'nginx' }] } },
    },
  };
}

describe('ReplicaSet controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([replicaSetControllerFactory, replicationControllerFactory]);
  });
  after(async () => t.stop());

  const podsOf = async (app: string) => (await t.list(R.pods, NS, { labelSelector: `app=${app}` })).filter((p) => !p.metadata?.deletionTimestamp);
  const getRs = (name: string) => t.admin.get(R.replicasets, NS, name);

  async function setPod(name: string, status: Record<string, unknown>, nodeName?: string): Promise<void> {
    if (nodeName) await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: nodeName } }, { name, subresource: 'binding' });
    await t.admin.patch(R.pods, NS, name, { status }, 'merge', 'status');
  }

  function readyStatus(at: number): Record<string, unknown> {
    return { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z') }] };
  }

  it('creates replicas pods from the template, owned by the ReplicaSet, with SuccessfulCreate events', async () => {
    const created = await t.admin.create(R.replicasets, NS, rs('web', 3));
    const pods = await t.until(async () => ((await podsOf('web')).length === 3 ? podsOf('web') : undefined), '3 pods');
    for (const p of pods) {
      assert.match(String(p.metadata?.name), /^web-[a-z0-9]{5}$/);
      assert.deepEqual((p.metadata as { ownerReferences: unknown[] }).ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    await t.until(async () => (await getRs('web')).status?.['replicas' as never] === 3, 'status.replicas 3');
    const st = (await getRs('web')).status as Record<string, unknown>;
    assert.equal(st.fullyLabeledReplicas, 3);
    assert.equal(st.readyReplicas, 0);
    assert.equal(st.observedGeneration, 1);
    await t.settle();
    const events = (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string }).name === 'web');
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
    for (const e of events) {
      assert.match(String(e.message), /^Created pod: web-[a-z0-9]{5}$/);
      assert.deepEqual(e.source, { component: 'replicaset-controller' });
    }
  });

  it('replaces a deleted pod and never creates more than asked', async () => {
    const [victim] = await podsOf('web');
    await t.admin.delete(R.pods, NS, String(victim.metadata?.name));
    await t.until(async () => {
      const pods = await podsOf('web');
      return pods.length === 3 && !pods.some((p) => p.metadata?.name === victim.metadata?.name);
    }, 'replacement');
    // Many spurious syncs (status and label-free updates) must not create extra pods.
    for (let i = 0; i < 5; i++) await t.admin.patch(R.replicasets, NS, 'web', { metadata: { annotations: { poke: String(i) } } });
    await t.settle();
    assert.equal((await podsOf('web')).length, 3);
  });

  it('scales down by the ranking: unassigned and not-ready pods go first', async () => {
    await t.admin.patch(R.replicasets, NS, 'web', { spec: { replicas: 5 } });
    const pods = await t.until(async () => ((await podsOf('web')).length === 5 ? podsOf('web') : undefined), '5 pods');
    const names = pods.map((p) => String(p.metadata?.name));
    // Two running and ready on a node, one running not ready on a node, two left unassigned.
    await setPod(names[0], readyStatus(t.clock.now()), 'node-a');
    await setPod(names[1], readyStatus(t.clock.now()), 'node-b');
    await setPod(names[2], { phase: 'Running' }, 'node-a');
    await t.settle();
    await t.admin.patch(R.replicasets, NS, 'web', { spec: { replicas: 2 } });
    await t.until(async () => (await podsOf('web')).length === 2, 'scaled to 2');
    assert.deepEqual((await podsOf('web')).map((p) => p.metadata?.name).sort(), [names[0], names[1]].sort());
    await t.until(async () => (await getRs('web')).status?.['readyReplicas' as never] === 2, 'readyReplicas 2');
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const owner = await t.admin.create(R.replicasets, NS, rs('adopt', 2));
    const pods = await t.until(async () => ((await podsOf('adopt')).length === 2 ? podsOf('adopt') : undefined), '2 pods');
    const orphan = pods.find((p) => p.metadata?.name === 'orphan');
    assert.ok(orphan, 'the orphan is one of the two');
    await t.until(async () => {
      const p = await t.admin.get(R.pods, NS, 'orphan');
      return ((p.metadata as { ownerReferences?: { uid: string }[] }).ownerReferences ?? [])[0]?.uid === owner.metadata?.uid;
    }, 'orphan adopted');
    await t.admin.patch(R.pods, NS, 'orphan', { metadata: { labels: { app: 'gone' } } });
    await t.until(async () => {
      const p = await t.admin.get(R.pods, NS, 'orphan');
      return ((p.metadata as { ownerReferences?: unknown[] }).ownerReferences ?? []).length === 0;
    }, 'released');
    await t.until(async () => (await podsOf('adopt')).length === 2, 'a replacement for the released pod');
  });

  it('counts pods available only after minReadySeconds on the clock', async () => {
    await t.admin.create(R.replicasets, NS, rs('slow', 1, { minReadySeconds: 30 }));
    const [pod] = await t.until(async () => ((await podsOf('slow')).length === 1 ? podsOf('slow') : undefined), 'pod');
    await setPod(String(pod.metadata?.name), readyStatus(t.clock.now()), 'node-a');
    await t.until(async () => (await t.admin.get(R.replicasets, NS, 'slow')).status?.['readyReplicas' as never] === 1, 'ready');
    await t.settle();
    assert.equal(((await t.admin.get(R.replicasets, NS, 'slow')).status as { availableReplicas: number }).availableReplicas, 0);
    await t.advance(31_000);
    await t.until(async () => (await t.admin.get(R.replicasets, NS, 'slow')).status?.['availableReplicas' as never] === 1, 'available after 30 s');
  });

  it('stops after the first failing batch and reports ReplicaFailure FailedCreate', async () => {
    await t.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'quota' } });
    await t.admin.create(R.resourcequotas, 'quota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '0' } } });
    // No resourcequota controller runs here: the quota has no status yet, which admission refuses too.
    await t.admin.create(R.replicasets, 'quota', rs('blocked', 20));
    const cond = await t.until(async () => {
      const o = await t.admin.get(R.replicasets, 'quota', 'blocked');
      return ((o.status as { conditions?: { type: string; reason: string; message: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'ReplicaFailure');
    }, 'ReplicaFailure');
    assert.equal(cond.reason, 'FailedCreate');
    assert.match(cond.message, /quota: q/);
    await t.settle();
    const failed = (await t.list(R.events, 'quota')).filter((e) => e.reason === 'FailedCreate');
    // Slow start: a sync tries one pod and gives up on the first failure (not 20); retries wait for the backoff,
    // which only the (fake) clock can end.
    const tries = failed.reduce((n, e) => n + Number(e.count ?? 1), 0);
    assert.ok(tries >= 1 && tries <= 3, `creates tried: ${tries}`);
    for (const e of failed) assert.match(String(e.message), /^Error creating: pods "blocked-[a-z0-9]{5}" is forbidden: .*quota: q/);
    assert.equal((await podsOf('blocked')).length, 0);
    t.clock.advance(60_000);
    await t.settle();
    const after = (await t.list(R.events, 'quota')).filter((e) => e.reason === 'FailedCreate').reduce((n, e) => n + Number(e.count ?? 1), 0);
    assert.ok(after > tries, 'retried after the backoff');
  });

  it('runs ReplicationControllers through the same code', async () => {
    await t.admin.create(R.replicationcontrollers, NS, {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const pods = await t.until(async () => ((await podsOf('legacy')).length === 2 ? podsOf('legacy') : undefined), '2 pods');
    assert.equal((pods[0].metadata as { ownerReferences: { kind: string }[] }).ownerReferences[0].kind, 'ReplicationController');
    await t.until(async () => (await t.admin.get(R.replicationcontrollers, NS, 'legacy')).status?.['replicas' as never] === 2, 'status');
    const events = (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string }).name === 'legacy');
    assert.ok(events.length > 0 && events.every((e) => (e.source as { component: string }).component === 'replication-controller'));
  });
});
