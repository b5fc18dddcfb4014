/**
 * startCluster validates the scheduler configuration before anything starts: a bad one fails with an error naming
 * the field and leaves the data directory free for the next start; so does a ClusterConfig naming storage that does
 * not exist yet (a real etcd).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
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

test('a ClusterConfig naming a real etcd fails clearly (only the embedded store exists) and leaves nothing held', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-etcdcfg-'));
  try {
    const { config } = parseClusterConfig({ apiVersion: 'kubelab.dev/v1alpha1', kind: 'ClusterConfig', storage: { type: 'etcd', endpoints: ['https://127.0.0.1:2379'] } }, 'test');
    await assert.rejects(startCluster({ dataDir: dir, port: 0, logger: silentLogger, config }), /storage type "etcd" is not supported yet/);
    assert.ok(!fs.existsSync(path.join(dir, 'etcd')), 'no store was opened');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
