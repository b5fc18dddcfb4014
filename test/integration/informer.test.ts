/**
 * SharedInformer against the real API server (in-process transport): list then watch, handlers, indexes, lister
 * selectors, paging, re-watch after a cut stream without a re-list, re-list on 410 with tombstones, resync on a
 * fake clock, late handlers.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/base/clock';
import { silentLogger } from '../../src/base/logger';
import { parseLabelSelector } from '../../src/api/selectors/label-parser';
import {
  deletedObject,
  dropManagedFields,
  isTombstone,
  Lister,
  LABEL_INDEX,
  NAMESPACE_INDEX,
  NODE_INDEX,
  OWNER_INDEX,
  SharedInformer,
  type CachedObject,
  type DeletedFinalStateUnknown,
} from '../../src/client/informers';
import type { RestRequest, RestResponse, Transport, WatchStream } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { waitFor } from '../helpers/wait';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const CMS = { group: '', version: 'v1', resource: 'configmaps' };

/** A transport that counts lists and watches and can cut the open watch or answer the next watch with 410. */
class FlakyTransport implements Transport {
  lists = 0;
  watches = 0;
  gone = 0;
  private open = new Set<WatchStream>();
  constructor(private readonly inner: Transport) {}
  request(req: RestRequest): Promise<RestResponse> {
    if (req.method === 'GET' && !req.query?.watch) this.lists++;
    return this.inner.request(req);
  }
  async watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    this.watches++;
    if (this.gone > 0) {
      this.gone--;
      return { status: 410, headers: {}, body: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } };
    }
    const w = await this.inner.watch(req);
    if ('events' in w) this.open.add(w);
    return w;
  }
  cut(): void {
    for (const w of this.open) w.stop();
    this.open.clear();
  }
  close(): void {
    this.inner.close();
  }
}

function pod(ns: string, name: string, extra: { labels?: Record<string, string>; node?: string; owner?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: extra.labels,
      ...(extra.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: extra.owner, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.node ? { nodeName: extra.node } : {}) },
  };
}

describe('SharedInformer (real API server)', () => {
  let t: TestCluster;
  let admin: Transport;

  before(async () => {
    t = await startTestCluster();
    admin = t.inProcess();
    for (const ns of ['inf-a', 'inf-b']) {
      const r = await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
      assert.equal(r.status, 201);
    }
  });
  after(async () => t.stop());

  const create = async (o: { metadata: { namespace: string } }, resource = 'pods') => {
    const r = await admin.request({ method: 'POST', path: `/api/v1/namespaces/${o.metadata.namespace}/${resource}`, body: o });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as CachedObject;
  };
  const del = async (ns: string, name: string, resource = 'pods') => {
    const r = await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}/${resource}/${name}`, query: { gracePeriodSeconds: 0 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  it('lists, then delivers adds, updates and deletes in order, keeping the indexes current', async () => {
    await create(pod('inf-a', 'before', { labels: { app: 'web' } }));
    const seen: string[] = [];
    const inf = new SharedInformer({ transport: admin, resource: PODS, logger: silentLogger });
    inf.addEventHandler({
      onAdd: (o, initial) => seen.push(`add ${o.metadata?.name}${initial ? ' (initial)' : ''}`),
      onUpdate: (o, n) => seen.push(`update ${n.metadata?.name} ${o.metadata?.resourceVersion === n.metadata?.resourceVersion ? 'same' : 'new'}`),
      onDelete: (o) => seen.push(`delete ${deletedObject(o).metadata?.name}`),
    });
    inf.run();
    await inf.waitForSync();
    assert.deepEqual(seen, ['add before (initial)']);
    await create(pod('inf-a', 'p1', { labels: { app: 'web', tier: 'fe' }, node: 'n1', owner: 'uid-1' }));
    await create(pod('inf-b', 'p2', { labels: { app: 'db' }, node: 'n2', owner: 'uid-1' }));
    const got = await admin.request({ method: 'GET', path: '/api/v1/namespaces/inf-a/pods/p1' });
    const p1 = got.body as { metadata: Record<string, unknown> };
    const upd = await admin.request({ method: 'PUT', path: '/api/v1/namespaces/inf-a/pods/p1', body: { ...p1, metadata: { ...p1.metadata, labels: { app: 'web', tier: 'be' } } } });
    assert.equal(upd.status, 200);
    await del('inf-a', 'before');
    await waitFor(() => seen.length === 5, 'five notifications', { describe: () => seen });
    assert.deepEqual(seen, ['add before (initial)', 'add p1', 'add p2', 'update p1 new', 'delete before']);

    const idx = inf.indexer;
    assert.deepEqual(idx.byIndex(NAMESPACE_INDEX, 'inf-a').map((o) => o.metadata?.name), ['p1']);
    assert.deepEqual(idx.byIndex(OWNER_INDEX, 'uid-1').map((o) => o.metadata?.name).sort(), ['p1', 'p2']);
    assert.deepEqual(idx.byIndex(NODE_INDEX, 'n2').map((o) => o.metadata?.name), ['p2']);
    assert.deepEqual(idx.byIndex(LABEL_INDEX, 'tier=be').map((o) => o.metadata?.name), ['p1']);
    assert.deepEqual(idx.byIndex(LABEL_INDEX, 'tier=fe'), [], 'the old label value is unindexed');
    assert.equal(idx.get('inf-a/before'), undefined);

    const lister = new Lister(idx);
    assert.deepEqual(lister.list(undefined, parseLabelSelector('app in (web,db)')).map((o) => o.metadata?.name).sort(), ['p1', 'p2']);
    assert.deepEqual(lister.list('inf-b', parseLabelSelector('app=db')).map((o) => o.metadata?.name), ['p2']);
    assert.deepEqual(lister.list('inf-a', parseLabelSelector('app=db')), []);
    assert.deepEqual(lister.list(undefined, parseLabelSelector('app=web,tier!=be')), []);
    assert.equal(lister.get('inf-b', 'p2')?.metadata?.name, 'p2');
    inf.stop();
    await del('inf-a', 'p1');
    await del('inf-b', 'p2');
  });

  it('with yieldAfterMs, a burst of watch events is handled in slices that let the event loop run, all in order', async () => {
    const inf = new SharedInformer({ transport: admin, resource: CMS, namespace: 'inf-b', logger: silentLogger, yieldAfterMs: 0 });
    const seen: string[] = [];
    let slices = 0;
    let lastSlice = -1;
    // Counts turns of the event loop: one increment per check phase.
    let immediates = 0;
    let ticking = true;
    const tick = () => {
      immediates++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    inf.addEventHandler({
      onAdd: (o, initial) => {
        if (initial) return;
        if (immediates !== lastSlice) slices++;
        lastSlice = immediates;
        seen.push(o.metadata!.name!);
      },
    });
    inf.run();
    await inf.waitForSync();
    const names = Array.from({ length: 60 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((name) => create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'inf-b' } } as never, 'configmaps')));
    await waitFor(() => seen.length === names.length, 'every burst event');
    ticking = false;
    inf.stop();
    assert.deepEqual([...seen].sort(), names);
    // yieldAfterMs 0: no two events are handled in the same turn of the event loop.
    assert.equal(slices, names.length);
  });

  it('lists in pages of 500', async () => {
    const names = Array.from({ length: 620 }, (_, i) => `cm-${String(i).padStart(4, '0')}`);
    for (const name of names) await create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'inf-b' } } as never, 'configmaps');
    const flaky = new FlakyTransport(admin);
    const inf = new SharedInformer({ transport: flaky, resource: CMS, namespace: 'inf-b', logger: silentLogger });
    inf.run();
    await inf.waitForSync();
    assert.equal(flaky.lists, 2);
    const got = inf.indexer.list().map((o) => o.metadata?.name).filter((n) => n?.startsWith('cm-')).sort();
    assert.deepEqual(got, names);
    inf.stop();
  });

  it('re-opens a cut watch from the last version without listing again; re-lists on 410 with tombstones', async () => {
    const flaky = new FlakyTransport(admin);
    const deletes: (CachedObject | DeletedFinalStateUnknown)[] = [];
    const adds: string[] = [];
    const inf = new SharedInformer({ transport: flaky, resource: PODS, namespace: 'inf-a', logger: silentLogger });
    inf.addEventHandler({ onAdd: (o) => adds.push(o.metadata?.name ?? ''), onDelete: (o) => deletes.push(o) });
    inf.run();
    await inf.waitForSync();
    await create(pod('inf-a', 'w1'));
    await waitFor(() => adds.includes('w1'), 'w1 added');
    flaky.cut();
    await create(pod('inf-a', 'w2'));
    await waitFor(() => adds.includes('w2'), 'w2 seen after the cut');
    assert.equal(flaky.lists, 1, 'no re-list after a cut watch');
    assert.ok(flaky.watches >= 2);
    assert.deepEqual(adds.filter((n) => n === 'w1'), ['w1'], 'w1 not delivered twice');

    // While the watch is down and the next one answers 410, w1 is deleted: the re-list reports a tombstone.
    flaky.gone = 1;
    await del('inf-a', 'w1');
    flaky.cut();
    await waitFor(() => deletes.length === 1, 'the tombstone', { timeoutMs: 5000 });
    assert.equal(flaky.lists, 2, 'one re-list after 410');
    const d = deletes[0];
    assert.ok(isTombstone(d), 'deleted while disconnected: a DeletedFinalStateUnknown');
    assert.equal(d.key, 'inf-a/w1');
    assert.equal(deletedObject(d).metadata?.name, 'w1');
    assert.ok(inf.indexer.get('inf-a/w2'));
    inf.stop();
    await del('inf-a', 'w2');
  });

  it('resyncs every period on the clock; a late handler gets every stored object', async () => {
    const clock = new FakeClock();
    await create(pod('inf-b', 'r1'));
    const inf = new SharedInformer({ transport: admin, resource: PODS, namespace: 'inf-b', logger: silentLogger, clock });
    const resyncs: string[] = [];
    inf.addEventHandler({ onUpdate: (o, n) => (o === n ? resyncs.push(n.metadata?.name ?? '') : undefined) }, 30_000);
    inf.run();
    await inf.waitForSync();
    clock.advance(29_999);
    assert.deepEqual(resyncs, []);
    clock.advance(1);
    assert.deepEqual(resyncs, ['r1']);
    clock.advance(30_000);
    assert.deepEqual(resyncs, ['r1', 'r1']);
    const late: [string, boolean][] = [];
    inf.addEventHandler({ onAdd: (o, initial) => late.push([o.metadata?.name ?? '', initial]) });
    assert.deepEqual(late, [['r1', true]]);
    inf.stop();
    clock.advance(60_000);
    assert.equal(resyncs.length, 2, 'no resync after stop');
    await del('inf-b', 'r1');
  });

  it('a transform (dropManagedFields) applies to listed and watched objects, and leaves the shared ones alone', async () => {
    const listed = await create(pod('inf-b', 'tr-1'));
    assert.ok(listed.metadata?.managedFields, 'created pods carry managedFields');
    const inf = new SharedInformer({ transport: admin, resource: PODS, namespace: 'inf-b', logger: silentLogger, transform: dropManagedFields });
    const updates: CachedObject[] = [];
    inf.addEventHandler({ onUpdate: (_o, n) => updates.push(n) });
    inf.run();
    try {
      await inf.waitForSync();
      const fromList = inf.indexer.get('inf-b/tr-1');
      assert.equal(fromList?.metadata?.managedFields, undefined);
      assert.equal(fromList?.metadata?.name, 'tr-1');
      const r = await admin.request({ method: 'PATCH', path: '/api/v1/namespaces/inf-b/pods/tr-1', contentType: 'application/merge-patch+json', body: { metadata: { labels: { x: 'y' } } } });
      assert.equal(r.status, 200);
      await waitFor(() => updates.length > 0, 'the update');
      assert.equal(updates[0].metadata?.managedFields, undefined);
      assert.deepEqual(updates[0].metadata?.labels, { x: 'y' });
      // In process the transport's objects are the API server's shared copies: the transform must have copied them.
      const again = await admin.request({ method: 'GET', path: '/api/v1/namespaces/inf-b/pods/tr-1' });
      assert.ok((again.body as CachedObject).metadata?.managedFields);
    } finally {
      inf.stop();
      await del('inf-b', 'tr-1');
    }
  });

  it('waitForSync rejects when stopped before the first list', async () => {
    const inf = new SharedInformer({ transport: admin, resource: PODS, logger: silentLogger });
    const p = inf.waitForSync();
    inf.stop();
    await assert.rejects(p, /stopped before it synced/);
  });
});
