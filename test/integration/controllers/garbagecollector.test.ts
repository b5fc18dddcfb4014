/**
 * The garbage collector against the real in-process API server on a fake clock: background deletion of dependents
 * (also down a chain), foreground deletion order observed through a watch (owner → 3 blocking dependents →
 * grand-dependents; the owner goes last, after its dependents), orphaning (dependents keep living without the
 * reference; custom resources through the JSON merge patch fallback), dependents of owners that never existed,
 * that have another uid, or that were deleted while the GC was down, an owner of an unknown kind (kept),
 * cross-namespace references (OwnerRefInvalidNamespace), cluster-scoped owners, and a CRD added after the GC
 * started (picked up by the 30 s re-discovery).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/base/logger';
import { isWatchStream, type WatchEvent } from '../../../src/client/transport';
import { R, type Obj } from '../../../src/controllers/framework';
import { GC_SYNC_PERIOD_MS, garbageCollectorControllerFactory, type GarbageCollector } from '../../../src/controllers/garbagecollector';
import { startControllerManager } from '../../../src/controllers/manager';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
type Ref = { group: string; version: string; resource: string };
const secrets: Ref = { group: '', version: 'v1', resource: 'secrets' };
const GROUP = 'gctest.kubelab.test';
const gadgets: Ref = { group: GROUP, version: 'v1', resource: 'gadgets' };
const CRDS: Ref = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

type Owner = { apiVersion: string; kind: string; name: string; uid: string; blockOwnerDeletion?: boolean; controller?: boolean };

const cm = (name: string, owners: Owner[] = []): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(owners.length ? { ownerReferences: owners } : {}) } });
const ownerOf = (o: Obj, extra: Partial<Owner> = {}): Owner => ({
  apiVersion: String(o.apiVersion ?? 'v1'),
  kind: String(o.kind ?? 'ConfigMap'),
  name: String(o.metadata?.name),
  uid: String(o.metadata?.uid),
  ...extra,
});

async function getOrUndefined(t: ControllerTest, r: Ref, ns: string, name: string): Promise<Obj | undefined> {
  try {
    return await t.admin.get(r, ns, name);
  } catch {
    return undefined;
  }
}

const gone = (t: ControllerTest, r: Ref, name: string, ns = NS) => t.until(async () => !(await getOrUndefined(t, r, ns, name)), `${r.resource} ${ns}/${name} gone`);

async function mkNamespace(t: ControllerTest, name: string): Promise<void> {
  await t.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

describe('garbage collector', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([garbageCollectorControllerFactory]);
    await (t.manager.controllers[0] as GarbageCollector).ready();
  });
  after(async () => t.stop());

  it('deletes dependents in the background once their owner is gone, down a chain', async () => {
    const owner = await t.admin.create(R.configmaps, NS, cm('bg-owner'));
    const dep = await t.admin.create(R.configmaps, NS, cm('bg-dep', [ownerOf(owner)]));
    await t.admin.create(secrets, NS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bg-secret', ownerReferences: [ownerOf(owner)] } });
    await t.admin.create(R.configmaps, NS, cm('bg-grand', [ownerOf(dep)]));
    await t.settle();
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'bg-dep'), 'a dependent of a live owner stays');
    await t.admin.delete(R.configmaps, NS, 'bg-owner');
    await gone(t, R.configmaps, 'bg-dep');
    await gone(t, secrets, 'bg-secret');
    await gone(t, R.configmaps, 'bg-grand');
  });

  it('foreground: grand-dependents, then dependents, then the owner, as a watch observes', async () => {
    const ns = 'fg';
    await mkNamespace(t, ns);
    const root = await t.admin.create(R.configmaps, ns, cm('root'));
    for (let i = 0; i < 3; i++) {
      const child = await t.admin.create(R.configmaps, ns, cm(`child-${i}`, [ownerOf(root, { controller: true, blockOwnerDeletion: true })]));
      for (let j = 0; j < 2; j++) await t.admin.create(R.configmaps, ns, cm(`grand-${i}-${j}`, [ownerOf(child, { controller: true, blockOwnerDeletion: true })]));
    }
    await t.settle();
    const list = await t.admin.list(R.configmaps, ns);
    const w = await t.admin.transport.watch({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps`, query: { watch: 'true', resourceVersion: String(list.metadata?.resourceVersion) } });
    assert.ok(isWatchStream(w));
    const events: WatchEvent[] = [];
    void (async () => {
      for await (const e of w.events) events.push(e);
    })();
    await t.admin.delete(R.configmaps, ns, 'root', { propagationPolicy: 'Foreground' });
    const rootNow = await t.admin.get(R.configmaps, ns, 'root');
    assert.deepEqual(rootNow.metadata?.finalizers, ['foregroundDeletion']);
    assert.ok(rootNow.metadata?.deletionTimestamp);
    await gone(t, R.configmaps, 'root', ns);
    w.stop();
    const deleted = events.filter((e) => e.type === 'DELETED').map((e) => String((e.object.metadata as { name: string }).name));
    assert.equal(deleted.at(-1), 'root', `owner last: ${deleted.join(' ')}`);
    assert.equal(deleted.filter((n) => n !== 'kube-root-ca.crt').length, 10);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) assert.ok(deleted.indexOf(`grand-${i}-${j}`) < deleted.indexOf(`child-${i}`), `grand-${i}-${j} before child-${i}: ${deleted.join(' ')}`);
    }
    // Every child went through foreground deletion itself (it has dependents and its owner waited for it).
    for (let i = 0; i < 3; i++) {
      const marked = events.some((e) => e.type === 'MODIFIED' && (e.object.metadata as { name: string; finalizers?: string[] }).name === `child-${i}` && (e.object.metadata as { finalizers?: string[] }).finalizers?.includes('foregroundDeletion'));
      assert.ok(marked, `child-${i} deleted in the foreground`);
    }
  });

  it('foreground: a blocking dependent that lingers holds the owner; a non-blocking one does not', async () => {
    const owner = await t.admin.create(R.configmaps, NS, cm('fgb-owner'));
    await t.admin.create(R.configmaps, NS, { ...cm('fgb-blocking', [ownerOf(owner, { blockOwnerDeletion: true })]), metadata: { name: 'fgb-blocking', finalizers: ['example.com/hold'], ownerReferences: [ownerOf(owner, { blockOwnerDeletion: true })] } });
    await t.admin.create(R.configmaps, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fgb-loose', finalizers: ['example.com/hold'], ownerReferences: [ownerOf(owner)] } });
    await t.settle();
    await t.admin.delete(R.configmaps, NS, 'fgb-owner', { propagationPolicy: 'Foreground' });
    await t.until(async () => !!(await t.admin.get(R.configmaps, NS, 'fgb-blocking')).metadata?.deletionTimestamp, 'blocking dependent deleting');
    await t.until(async () => !!(await t.admin.get(R.configmaps, NS, 'fgb-loose')).metadata?.deletionTimestamp, 'loose dependent deleting');
    await t.settle();
    await t.advance(5_000);
    assert.deepEqual((await t.admin.get(R.configmaps, NS, 'fgb-owner')).metadata?.finalizers, ['foregroundDeletion'], 'the owner waits');
    await t.admin.patch(R.configmaps, NS, 'fgb-blocking', { metadata: { finalizers: null } });
    await gone(t, R.configmaps, 'fgb-owner');
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'fgb-loose'), 'the non-blocking dependent did not hold the owner');
    await t.admin.patch(R.configmaps, NS, 'fgb-loose', { metadata: { finalizers: null } });
    await gone(t, R.configmaps, 'fgb-loose');
  });

  it('a dependent with another live owner only loses its reference to a foreground owner', async () => {
    const a = await t.admin.create(R.configmaps, NS, cm('fgs-a'));
    const b = await t.admin.create(R.configmaps, NS, cm('fgs-b'));
    await t.admin.create(R.configmaps, NS, cm('fgs-dep', [ownerOf(a, { blockOwnerDeletion: true }), ownerOf(b)]));
    await t.settle();
    await t.admin.delete(R.configmaps, NS, 'fgs-a', { propagationPolicy: 'Foreground' });
    await gone(t, R.configmaps, 'fgs-a');
    await t.settle();
    assert.deepEqual((await t.admin.get(R.configmaps, NS, 'fgs-dep')).metadata?.ownerReferences, [ownerOf(b)]);
  });

  it('orphan: dependents lose the reference and keep living; the owner goes', async () => {
    const owner = await t.admin.create(R.configmaps, NS, cm('or-owner'));
    const other = await t.admin.create(R.configmaps, NS, cm('or-other'));
    await t.admin.create(R.configmaps, NS, cm('or-dep', [ownerOf(owner, { blockOwnerDeletion: true }), ownerOf(other)]));
    await t.admin.create(secrets, NS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'or-secret', ownerReferences: [ownerOf(owner)] } });
    await t.settle();
    await t.admin.delete(R.configmaps, NS, 'or-owner', { propagationPolicy: 'Orphan' });
    await gone(t, R.configmaps, 'or-owner');
    await t.settle();
    assert.deepEqual((await t.admin.get(R.configmaps, NS, 'or-dep')).metadata?.ownerReferences, [ownerOf(other)]);
    // (the strategic merge patch leaves an empty list, which the API server keeps as [])
    assert.deepEqual((await t.admin.get(secrets, NS, 'or-secret')).metadata?.ownerReferences ?? [], []);
  });

  it('deletes dependents of owners that never existed or have another uid; keeps those with a live owner', async () => {
    const live = await t.admin.create(R.configmaps, NS, cm('nx-live'));
    await t.admin.create(R.configmaps, NS, cm('nx-ghost-dep', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nx-ghost', uid: '00000000-0000-0000-0000-000000000001' }]));
    await t.admin.create(R.configmaps, NS, cm('nx-wrong-uid', [{ ...ownerOf(live), uid: '00000000-0000-0000-0000-000000000002' }]));
    await t.admin.create(R.configmaps, NS, cm('nx-mixed', [ownerOf(live), { apiVersion: 'v1', kind: 'ConfigMap', name: 'nx-ghost2', uid: '00000000-0000-0000-0000-000000000003' }]));
    await gone(t, R.configmaps, 'nx-ghost-dep');
    await gone(t, R.configmaps, 'nx-wrong-uid');
    // A solid owner keeps the object; the dangling reference is removed.
    await t.until(async () => ((await t.admin.get(R.configmaps, NS, 'nx-mixed')).metadata?.ownerReferences as unknown[] | undefined ?? []).length === 1, 'dangling reference removed');
    assert.deepEqual((await t.admin.get(R.configmaps, NS, 'nx-mixed')).metadata?.ownerReferences, [ownerOf(live)]);
  });

  it('a reference with the right uid but the wrong kind is dangling; the right one keeps its dependent', async () => {
    const owner = await t.admin.create(R.configmaps, NS, cm('wk-owner'));
    await t.admin.create(R.configmaps, NS, cm('wk-right', [ownerOf(owner)]));
    await t.settle();
    await t.admin.create(R.configmaps, NS, cm('wk-wrong', [ownerOf(owner, { kind: 'Secret' })]));
    await gone(t, R.configmaps, 'wk-wrong');
    await t.settle();
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'wk-right'));
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'wk-owner'));
  });

  it('keeps a dependent whose owner kind is unknown (REST mapping fails, retried)', async () => {
    await t.admin.create(R.configmaps, NS, cm('uk-dep', [{ apiVersion: 'nope.example.com/v1', kind: 'Nope', name: 'x', uid: '00000000-0000-0000-0000-000000000004' }]));
    await t.settle();
    await t.advance(10_000);
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'uk-dep'));
  });

  it('cross-namespace owner references are dangling, with an OwnerRefInvalidNamespace event', async () => {
    await mkNamespace(t, 'xa');
    await mkNamespace(t, 'xb');
    const owner = await t.admin.create(R.configmaps, 'xa', cm('owner'));
    await t.settle();
    const dep = await t.admin.create(R.configmaps, 'xb', cm('dep', [ownerOf(owner)]));
    await gone(t, R.configmaps, 'dep', 'xb');
    assert.ok(await getOrUndefined(t, R.configmaps, 'xa', 'owner'), 'the owner is untouched');
    const ev = await t.until(async () => (await t.list(R.events, 'xb')).find((e) => e.reason === 'OwnerRefInvalidNamespace'), 'event');
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.message, `ownerRef [v1/ConfigMap, namespace: xb, name: owner, uid: ${owner.metadata?.uid}] does not exist in namespace "xb"`);
    assert.deepEqual(ev.source, { component: 'garbage-collector-controller' });
    assert.equal((ev.involvedObject as { uid?: string }).uid, dep.metadata?.uid);
  });

  it('cluster-scoped owners own namespaced dependents; a cluster-scoped dependent of a namespaced kind is left alone', async () => {
    const clusterRoles: Ref = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };
    const owner = await t.admin.create(clusterRoles, '', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gc-owner' }, rules: [] });
    await t.admin.create(R.configmaps, NS, cm('cs-dep', [ownerOf(owner)]));
    const nsOwner = await t.admin.create(R.configmaps, NS, cm('cs-ns-owner'));
    await t.admin.create(clusterRoles, '', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gc-bad-dep', ownerReferences: [ownerOf(nsOwner)] }, rules: [] });
    await t.settle();
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'cs-dep'));
    assert.ok(await getOrUndefined(t, clusterRoles, '', 'gc-bad-dep'), 'a cluster-scoped object never resolves a namespaced owner');
    await t.admin.delete(clusterRoles, '', 'gc-owner');
    await gone(t, R.configmaps, 'cs-dep');
    await t.admin.delete(R.configmaps, NS, 'cs-ns-owner');
    await t.settle();
    assert.ok(await getOrUndefined(t, clusterRoles, '', 'gc-bad-dep'));
  });

  it('picks up a CRD added later on the 30 s re-discovery; custom resources own and are orphaned', async () => {
    await t.admin.create(CRDS, '', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${GROUP}` },
      spec: {
        group: GROUP,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    await t.until(async () => !!(await t.admin.list(gadgets, NS).catch(() => undefined)), 'gadgets served');
    const gc = t.manager.controllers[0] as GarbageCollector;
    assert.ok(!gc.monitoredResources().includes(`${GROUP}/v1/gadgets`));
    assert.ok(gc.monitoredResources().includes('/v1/configmaps') && !gc.monitoredResources().includes('/v1/events'));
    await t.advance(GC_SYNC_PERIOD_MS);
    await t.until(() => gc.monitoredResources().includes(`${GROUP}/v1/gadgets`), 'gadgets monitored after re-discovery');
    const gadget = await t.admin.create(gadgets, NS, { apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'g1' } });
    await t.admin.create(R.configmaps, NS, cm('cr-dep', [ownerOf(gadget)]));
    const owner = await t.admin.create(R.configmaps, NS, cm('cr-owner'));
    await t.admin.create(gadgets, NS, { apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'g2', ownerReferences: [ownerOf(owner)] } });
    await t.settle();
    assert.ok(await getOrUndefined(t, R.configmaps, NS, 'cr-dep'));
    await t.admin.delete(gadgets, NS, 'g1');
    await gone(t, R.configmaps, 'cr-dep');
    await t.admin.delete(R.configmaps, NS, 'cr-owner', { propagationPolicy: 'Orphan' });
    await gone(t, R.configmaps, 'cr-owner');
    await t.until(async () => !(await t.admin.get(gadgets, NS, 'g2')).metadata?.ownerReferences, 'custom resource orphaned');
    // Foreground deletion of a custom resource owner: its finalizer is removed by a merge patch.
    const g3 = await t.admin.create(gadgets, NS, { apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'g3' } });
    await t.admin.create(R.configmaps, NS, cm('cr-fg-dep', [ownerOf(g3, { blockOwnerDeletion: true })]));
    await t.settle();
    await t.admin.delete(gadgets, NS, 'g3', { propagationPolicy: 'Foreground' });
    await gone(t, gadgets, 'g3');
    assert.ok(!(await getOrUndefined(t, R.configmaps, NS, 'cr-fg-dep')), 'the dependent went first');
  });
});

describe('garbage collector started after the owners went', () => {
  it('deletes dependents of owners deleted while it was down, and of owners that never existed', async () => {
    const t = await startControllerTest([]);
    try {
      const owner = await t.admin.create(R.configmaps, NS, cm('down-owner'));
      await t.admin.create(R.configmaps, NS, cm('down-dep', [ownerOf(owner, { blockOwnerDeletion: true })]));
      await t.admin.create(secrets, NS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'down-secret', ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'never', uid: '00000000-0000-0000-0000-00000000000a' }] } });
      const keeper = await t.admin.create(R.configmaps, NS, cm('down-keeper'));
      await t.admin.create(R.configmaps, NS, cm('down-kept', [ownerOf(keeper)]));
      await t.admin.delete(R.configmaps, NS, 'down-owner');
      const gc = await startControllerManager({ handle: (r) => t.tc.cluster.handle(r), controllers: [garbageCollectorControllerFactory], logger: silentLogger, clock: t.clock });
      try {
        await gone(t, R.configmaps, 'down-dep');
        await gone(t, secrets, 'down-secret');
        await gc.idle();
        assert.ok(await getOrUndefined(t, R.configmaps, NS, 'down-kept'));
      } finally {
        await gc.close();
      }
    } finally {
      await t.stop();
    }
  });
});
