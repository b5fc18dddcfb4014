/**
 * ClusterConfig apiServer.watchCacheSize reaches the API server: with 100 events of history, a watch from the
 * resourceVersion before 150 newer ConfigMap writes is told its version is too old (an ERROR event with a 410
 * Status, as kube-apiserver answers); one from a recent version still streams.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/base/logger';
import { defaultClusterConfig } from '../../src/cluster/config';
import { startCluster, type RunningCluster } from '../../src/cluster/main';

function firstWatchEvent(c: RunningCluster, rv: string): Promise<{ type: string; object: { code?: number; message?: string } }> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${c.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`);
    const req = https.get(u, { ca: c.caCert, headers: { authorization: `Bearer ${c.adminToken}` } }, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          req.destroy();
          resolve(JSON.parse(buf.slice(0, nl)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
  });
}

test('apiServer.watchCacheSize bounds the history a watch can resume from', { timeout: 60_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-wcs-'));
  const base = defaultClusterConfig();
  const config = { ...base, watchCacheSize: 100, nodes: base.nodes.slice(0, 1), addons: { dns: { ...base.addons.dns, enabled: false }, ingress: { ...base.addons.ingress, enabled: false } } };
  const c = await startCluster({ dataDir, port: 0, logger: silentLogger, config });
  try {
    const post = async (i: number) => {
      const r = await c.handle({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams(), headers: { authorization: `Bearer ${c.adminToken}` }, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return (r.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    };
    const first = await post(0);
    let last = first;
    for (let i = 1; i <= 150; i++) last = await post(i);
    const old = await firstWatchEvent(c, first);
    assert.equal(old.type, 'ERROR');
    assert.equal(old.object.code, 410);
    assert.match(old.object.message ?? '', /^too old resource version: /);
    const recent = await firstWatchEvent(c, String(Number(last) - 50));
    assert.equal(recent.type, 'ADDED');
  } finally {
    await c.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
