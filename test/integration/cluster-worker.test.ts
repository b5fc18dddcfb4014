/**
 * The cluster in a worker thread, as the VS Code extension host runs it: ClusterWorker starts the whole cluster
 * (nodes included) in a thread; clients reach it through the message-port transport with the same semantics as
 * HTTPS — a bad token gets 401, the admin token reads and writes, watches stream and stop, refused watches answer with their Status; status and node commands work; a second start on the same data directory names the holder;
 * stop flushes and ends the thread, and the data survives into a next start.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterWorker } from '../../src/cluster/cluster-worker';
import { applyCliOverrides, defaultClusterConfig } from '../../src/cluster/config';
import { isWatchStream, type WatchEvent } from '../../src/client/transport';
import type { LogRecord } from '../../src/base/logger';

/** The TypeScript worker entry, loaded through tsx's require hook (as the bundle's dist/cluster-worker.js would run). */
const SCRIPT = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, '../../src/cluster/worker-main.ts'))});`;
const WORKER_OPTIONS = { eval: true };

function startWorker(dataDir: string, logs: LogRecord[] = []): Promise<ClusterWorker> {
  const config = applyCliOverrides(defaultClusterConfig(), { nodes: 1, port: 0, dnsPort: 0, ingressPort: 0, timeScale: 0.05 });
  return ClusterWorker.start({ script: SCRIPT, workerOptions: WORKER_OPTIONS, dataDir, port: 0, config, onLog: (r) => logs.push(r) });
}

describe('the cluster in a worker thread (message-port transport)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-worker-'));
  let cw: ClusterWorker;
  const progress: string[] = [];
  const logs: LogRecord[] = [];

  before(async () => {
    const config = applyCliOverrides(defaultClusterConfig(), { nodes: 1, port: 0, dnsPort: 0, ingressPort: 0, timeScale: 0.05 });
    cw = await ClusterWorker.start({ script: SCRIPT, workerOptions: WORKER_OPTIONS, dataDir, port: 0, config, onLog: (r) => logs.push(r), onProgress: (s) => progress.push(s) });
  });
  after(async () => {
    await cw?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with progress and log records, and reports where it serves', () => {
    assert.match(cw.info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(cw.info.kubeconfig, path.join(dataDir, 'kubeconfig'));
    assert.ok(progress.includes('kube-apiserver'), progress.join(', '));
    assert.ok(logs.some((r) => /Successfully registered node "kubelab-worker"/.test(r.message)));
  });

  it('authenticates every request: a bad token gets 401, the admin token lists and creates', async () => {
    const bad = cw.connect('not-a-token');
    const denied = await bad.request({ method: 'GET', path: '/api/v1/namespaces' });
    assert.equal(denied.status, 401);
    assert.equal((denied.body as { reason?: string }).reason, 'Unauthorized');
    bad.close();
    const t = cw.connect(cw.info.adminToken);
    const ns = await t.request({ method: 'GET', path: '/api/v1/namespaces' });
    assert.equal(ns.status, 200);
    assert.ok((ns.body as { items: { metadata: { name: string } }[] }).items.some((n) => n.metadata.name === 'kube-system'));
    const created = await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello' }, data: { a: '1' } } });
    assert.equal(created.status, 201);
    const again = await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello' } } });
    assert.equal(again.status, 409);
    t.close();
  });

  it('streams a watch until stopped; a refused watch answers with its Status', async () => {
    const t = cw.connect(cw.info.adminToken);
    const w = await t.watch({ method: 'GET', path: '/api/v1/namespaces/default/configmaps', query: { resourceVersion: '0' } });
    assert.ok(isWatchStream(w));
    const seen: WatchEvent[] = [];
    const reading = (async () => {
      for await (const e of w.events) {
        seen.push(e);
        if (seen.some((x) => (x.object.metadata as { name?: string }).name === 'second')) break;
      }
    })();
    await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' } } });
    await reading;
    w.stop();
    assert.deepEqual(seen.map((e) => `${e.type} ${(e.object.metadata as { name: string }).name}`).filter((x) => !x.includes('kube-root-ca')), ['ADDED hello', 'ADDED second']);
    t.close();
    const anonymous = cw.connect('wrong');
    const refused = await anonymous.watch({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' });
    assert.ok(!isWatchStream(refused));
    assert.equal(refused.status, 401);
    anonymous.close();
  });

  it('a view connection (omitManagedFields) gets objects, lists and watch events without managedFields; others keep them', async () => {
    const full = cw.connect(cw.info.adminToken);
    const view = cw.connect(cw.info.adminToken, { omitManagedFields: true });
    const path = '/api/v1/namespaces/default/configmaps';
    const w = await view.watch({ method: 'GET', path, query: { watch: true } });
    assert.ok(isWatchStream(w));
    const created = await full.request({ method: 'POST', path, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slim' }, data: { a: '1' } } });
    assert.ok((created.body as { metadata: { managedFields?: unknown[] } }).metadata.managedFields?.length, 'the full connection keeps managedFields');
    const one = await view.request({ method: 'GET', path: `${path}/slim` });
    assert.deepEqual([(one.body as { data: unknown }).data, 'managedFields' in (one.body as { metadata: object }).metadata], [{ a: '1' }, false]);
    const list = (await view.request({ method: 'GET', path })).body as { items: { metadata: object }[] };
    assert.ok(list.items.length > 0 && list.items.every((i) => !('managedFields' in i.metadata)));
    for await (const e of w.events) {
      if ((e.object.metadata as { name?: string }).name !== 'slim') continue;
      assert.equal('managedFields' in (e.object.metadata as object), false);
      break;
    }
    w.stop();
    full.close();
    view.close();
  });

  it('serves the read-only registry view: keys with metadata, values, a key\'s history, live changes', async () => {
    const reg = cw.registry();
    const { kvs, revision } = await reg.list();
    const keys = kvs.map((k) => k.key);
    assert.ok(keys.includes('/registry/namespaces/default'));
    assert.ok(keys.includes('/registry/configmaps/default/hello'));
    assert.ok(kvs.every((k) => k.value === '' && k.createRevision > 0 && k.modRevision >= k.createRevision));
    const t = cw.connect(cw.info.adminToken);
    const seen: string[] = [];
    const stop = reg.watch(revision, (events) => seen.push(...events.map((e) => `${e.type} ${e.kv.key}`)), () => undefined);
    await t.request({ method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/hello', contentType: 'application/merge-patch+json', body: { data: { a: '2' } } });
    const deadline = Date.now() + 5000;
    while (!seen.includes('put /registry/configmaps/default/hello') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop();
    assert.ok(seen.includes('put /registry/configmaps/default/hello'), seen.join(', '));
    const kv = await reg.get('/registry/configmaps/default/hello');
    assert.equal((JSON.parse(kv!.value) as { data: { a: string } }).data.a, '2');
    const history = await reg.history('/registry/configmaps/default/hello');
    assert.deepEqual(history.map((h) => (JSON.parse(h.value) as { data: { a: string } }).data.a), ['2', '1']);
    assert.deepEqual(history.map((h) => h.version), [2, 1]);
    assert.equal(await reg.get('/not-registry/x'), undefined, 'only /registry keys are readable');
    t.close();
    reg.close();
  });

  it('answers status and node commands', async () => {
    const s = await cw.status();
    assert.deepEqual(s.nodes.map((n) => n.name), ['kubelab-control-plane', 'kubelab-worker']);
    const added = await cw.node({ op: 'add' });
    assert.equal(added, 'kubelab-worker2');
    await cw.node({ op: 'stop', name: 'kubelab-worker2' });
    assert.equal((await cw.status()).nodes.find((n) => n.name === 'kubelab-worker2')?.state, 'stopped');
    await assert.rejects(cw.node({ op: 'stop', name: 'nope' }), /no node named "nope"/);
  });

  it('a second start on the same data directory fails naming the holder', async () => {
    await assert.rejects(startWorker(dataDir), /in use by process \d+/);
  });

  it('stops cleanly; a next start finds the data', async () => {
    await cw.stop();
    assert.equal(cw.running, false);
    await assert.rejects(cw.status(), /exited/);
    cw = await startWorker(dataDir);
    const t = cw.connect(cw.info.adminToken);
    const cm = await t.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/hello' });
    assert.equal(cm.status, 200);
    assert.deepEqual((cm.body as { data: unknown }).data, { a: '2' });
    t.close();
  });
});
