/**
 * startCluster validates the scheduler configuration before anything starts: a bad one fails with an error naming
 * the field and leaves the data directory free for the next start.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/base/logger';
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
