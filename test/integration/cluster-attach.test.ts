/**
 * A second process attaching to a running cluster (a second VS Code window on the same data directory): the owner's
 * worker publishes endpoint.json (0600) and serves the endpoint; ClusterAttachment reaches the API (authenticated
 * like HTTPS: a bad identity gets 401), the read-only registry view (list and live watch), status and node commands.
 * A wrong endpoint token is refused; when the owner stops, the attachment is told and the endpoint file is gone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterAttachment } from '../../src/cluster/cluster-attachment';
import { ClusterWorker } from '../../src/cluster/cluster-worker';
import { applyCliOverrides, defaultClusterConfig } from '../../src/cluster/config';
import { ENDPOINT_FILE, readEndpoint } from '../../src/cluster/endpoint-file';

const SCRIPT = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, '../../src/cluster/worker-main.ts'))});`;

describe('attaching to a running cluster from another process', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-attach-'));
  let cw: ClusterWorker | undefined;
  let att: ClusterAttachment;

  before(async () => {
    const config = applyCliOverrides(defaultClusterConfig(), { nodes: 1, port: 0, dnsPort: 0, ingressPort: 0, timeScale: 0.05 });
    cw = await ClusterWorker.start({ script: SCRIPT, workerOptions: { eval: true }, dataDir, port: 0, config });
    const a = await ClusterAttachment.attach(dataDir);
    assert.ok(a, 'attached');
    att = a;
  });
  after(async () => {
    att?.close();
    await cw?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes endpoint.json with mode 0600 naming the API server', () => {
    const file = path.join(dataDir, ENDPOINT_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const e = readEndpoint(dataDir);
    assert.equal(e?.url, cw!.info.url);
    assert.equal(att.info.kubeconfig, cw!.info.kubeconfig);
  });

  it('the API through the endpoint authenticates like HTTPS', async () => {
    const bad = await att.connect('nope');
    assert.equal((await bad.request({ method: 'GET', path: '/api/v1/namespaces' })).status, 401);
    bad.close();
    const t = await att.connect(att.info.adminToken);
    const created = await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-window-2' } } });
    assert.equal(created.status, 201);
    t.close();
  });

  it('the registry view lists keys and streams changes made by the owner', async () => {
    const reg = await att.registry();
    const { kvs, revision } = await reg.list();
    assert.ok(kvs.some((kv) => kv.key === '/registry/namespaces/default'));
    const seen = new Promise<string[]>((resolve) => {
      reg.watch(revision, (events) => {
        const keys = events.map((e) => e.kv.key);
        if (keys.includes('/registry/configmaps/default/from-owner')) resolve(keys);
      }, () => undefined);
    });
    const owner = cw!.connect(cw!.info.adminToken);
    assert.equal((await owner.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-owner' } } })).status, 201);
    assert.ok((await seen).includes('/registry/configmaps/default/from-owner'));
    owner.close();
    reg.close();
  });

  it('status and node commands go to the owner', async () => {
    const s = await att.status();
    assert.equal(s.nodes.length, 2);
    const name = await att.node({ op: 'add' });
    assert.equal(name, 'kubelab-worker2');
    await assert.rejects(att.node({ op: 'stop', name: 'no-such-node' }), /no-such-node/);
  });

  it('a connection with a wrong endpoint token is closed without an answer', async () => {
    const e = readEndpoint(dataDir)!;
    const answer = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port: e.endpoint.port }, () => sock.write(`${JSON.stringify({ t: 'hello', token: 'x'.repeat(64), channel: 'control' })}\n`));
      let got = '';
      sock.on('data', (d) => (got += d.toString()));
      sock.on('close', () => resolve(got));
    });
    assert.equal(answer, '');
  });

  it('when the owner stops, the attachment is told and the endpoint is gone', async () => {
    const gone = new Promise<void>((resolve) => att.onClose(resolve));
    await cw!.stop();
    cw = undefined;
    await gone;
    assert.equal(fs.existsSync(path.join(dataDir, ENDPOINT_FILE)), false);
    assert.equal(await ClusterAttachment.attach(dataDir), undefined);
    await assert.rejects(att.status(), /gone/);
  });
});
