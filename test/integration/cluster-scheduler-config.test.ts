/**
 * startCluster validates the scheduler configuration before anything starts: a bad one fails with an error naming
 * the field and leaves the data directory free for the next start; so does a ClusterConfig naming an etcd that does
 * not answer.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/base/logger';
import { parseClusterConfig } from '../../src/cluster/config';
import { startCluster } from '../../src/cluster/main';

test('a bad scheduler configuration stops the start before anything runs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-schedcfg-'));
  try {
    const bad = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: x\n  plugins:\n    score:\n      enabled:\n      - name: NoSuchPlugin\n';
    await assert.rejects(startCluster({ dataDir: dir, port: 0, logger: silentLogger, schedulerConfig: bad }), (e: Error) => /NoSuchPlugin/.test(e.message));
    const c = await startCluster({ dataDir: dir, port: 0, logger: silentLogger, controllers: ['serviceaccount'], schedulerConfig: bad.replace('NoSuchPlugin', 'NodeCost') });
    await c.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a ClusterConfig naming an etcd that does not answer fails clearly and leaves nothing held', { timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-etcdcfg-'));
  // A port nothing listens on: taken and released.
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  try {
    const { config } = parseClusterConfig({ apiVersion: 'kubelab.dev/v1alpha1', kind: 'ClusterConfig', storage: { type: 'etcd', endpoints: [`http://127.0.0.1:${port}`] } }, 'test');
    await assert.rejects(startCluster({ dataDir: dir, port: 0, logger: silentLogger, config }), new RegExp(`^StoreError: cannot reach etcd at http://127\\.0\\.0\\.1:${port}: `));
    assert.ok(!fs.existsSync(path.join(dir, 'etcd')), 'no embedded store was opened');
    assert.ok(!fs.existsSync(path.join(dir, 'LOCK')), 'the data directory was released');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
