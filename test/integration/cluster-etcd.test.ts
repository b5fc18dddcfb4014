/**
 * KubeLab on a real etcd (storage: {type: etcd}): a cluster started on a 3-member etcd runs a Deployment to
 * completion, seen through the real kubectl; a second control plane (its own data directory, PKI, HTTPS port and
 * kubeconfig, no nodes, no controllers) on the same etcd serves the same objects, and its watch cache follows writes
 * made through the first; SIGKILL of the etcd leader under steady writes through the API loses no acknowledged write
 * and writes resume within 3 s. Skipped, with the reason,
 * without etcd or kubectl.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/base/logger';
import { defaultClusterConfig } from '../../src/cluster/config/defaults';
import { applyCliOverrides } from '../../src/cluster/config/overrides';
import { startCluster, type RunningCluster } from '../../src/cluster/main';
import { HttpsTransport } from '../../src/client/https-transport';
import { EtcdCluster, skipWithoutEtcdAndKubectl } from '../helpers/etcd-cluster';
import { Kubectl, parseTable } from '../helpers/kubectl';
import { waitFor } from '../helpers/wait';

test('a KubeLab cluster on a 3-member etcd, a second control plane on the same etcd, and the etcd leader killed', { timeout: 240_000 }, async (t) => {
  if (await skipWithoutEtcdAndKubectl(t)) return;
  const etcd = await EtcdCluster.start({ members: 3 });
  const dirs = [0, 1].map((i) => fs.mkdtempSync(path.join(os.tmpdir(), `kubelab-cluster-etcd-${i}-`)));
  const clusters: RunningCluster[] = [];
  const ks: Kubectl[] = [];
  try {
    const storage = { type: 'etcd' as const, endpoints: etcd.endpoints };
    const config = { ...applyCliOverrides(defaultClusterConfig(), { nodes: 1, timeScale: 0.05, dnsPort: 0, ingressPort: 0, port: 0 }), storage };
    const one = await startCluster({ dataDir: dirs[0], port: 0, logger: silentLogger, config });
    clusters.push(one);
    // The second control plane: API server only, on the same etcd.
    const two = await startCluster({ dataDir: dirs[1], port: 0, logger: silentLogger, storage, controllers: [], scheduler: false });
    clusters.push(two);
    const [k1, k2] = [new Kubectl({ kubeconfig: one.kubeconfig, runTimeoutMs: 60_000 }), new Kubectl({ kubeconfig: two.kubeconfig, runTimeoutMs: 60_000 })];
    ks.push(k1, k2);

    await t.test('the status names the external etcd; the data directory holds no store', () => {
      assert.equal(one.status().components[0].name, 'etcd (external, 3 endpoints)');
      assert.equal(one.status().components[0].state, 'running');
      assert.equal(two.status().components[0].name, 'etcd (external, 3 endpoints)');
      assert.ok(!fs.existsSync(path.join(dirs[0], 'etcd')), 'no embedded store under <data-dir>/etcd');
      assert.notEqual(one.port, two.port);
      assert.notEqual(one.kubeconfig, two.kubeconfig);
    });

    await t.test('kubectl creates a Deployment through control plane 1 and it converges', async () => {
      await k1.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
      assert.match(await k1.ok(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out\n$/);
      const s = one.status().store;
      await waitFor(() => one.status().store.keys > 0, 'the etcd figures read in the background', { timeoutMs: 5000, intervalMs: 100 });
      assert.ok(one.status().store.revision >= s.revision);
    });

    await t.test('kubectl through control plane 2 sees the same objects', async () => {
      const names = async (k: Kubectl, args: string[]) => parseTable(await k.ok(args)).rows.map((r) => r.NAME).sort();
      assert.deepEqual(await names(k2, ['get', 'deployments']), ['web']);
      assert.deepEqual(await names(k2, ['get', 'nodes']), await names(k1, ['get', 'nodes']));
      const pods1 = await names(k1, ['get', 'pods', '-l', 'app=web']);
      assert.equal(pods1.length, 2);
      assert.deepEqual(await names(k2, ['get', 'pods', '-l', 'app=web']), pods1);
      assert.equal((await k2.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).trim(), '2');
    });

    await t.test("control plane 2's watch cache follows a write made through control plane 1", async () => {
      const watch = k2.watch(['get', 'configmaps', '--watch', '-o', 'name']);
      try {
        await new Promise((r) => setTimeout(r, 500));
        await k1.ok(['create', 'configmap', 'from-one', '--from-literal=a=b']);
        await watch.until(/configmap\/from-one/, 'the watch through control plane 2 to see configmap/from-one', 10_000);
      } finally {
        await watch.stop();
      }
      // And the other way round, read right after the write.
      await k2.ok(['create', 'configmap', 'from-two', '--from-literal=c=d']);
      assert.equal((await k1.ok(['get', 'configmap', 'from-two', '-o', 'jsonpath={.data.c}'])).trim(), 'd');
    });

    await t.test('SIGKILL of the etcd leader under steady writes: none acknowledged is lost, writes resume within 3 s', async () => {
      // A steady writer through control plane 1's HTTPS API; the gap is measured from the kill to the first create
      // sent after it that succeeds (kubectl's own start-up is not part of it).
      const api = new HttpsTransport({ url: one.url, caCert: one.caCert, token: one.adminToken });
      const acked: { name: string; sentAt: number; ackedAt: number }[] = [];
      let stop = false;
      const writer = (async () => {
        for (let n = 0; !stop; n++) {
          const name = `steady-${n}`;
          const sentAt = Date.now();
          const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: String(n) } };
          const res = await api.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body }).catch(() => undefined);
          if (res?.status === 201) acked.push({ name, sentAt, ackedAt: Date.now() });
          else await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        await waitFor(() => acked.length >= 5, 'steady writes before the kill', { timeoutMs: 10_000, intervalMs: 20 });
        const leader = await etcd.leader();
        const killedAt = Date.now();
        await etcd.kill(leader);
        const first = (await waitFor(() => acked.find((a) => a.sentAt > killedAt), 'a write sent after the kill to succeed', { timeoutMs: 15_000, intervalMs: 10 }))!;
        const resumed = first.ackedAt - killedAt;
        t.diagnostic(`first write sent after the leader's SIGKILL succeeded ${resumed} ms after the kill`);
        assert.ok(resumed <= 3000, `writes resumed ${resumed} ms after the etcd leader was killed`);
      } finally {
        stop = true;
        await writer;
        api.close();
      }
      const listed = await k2.ok(['get', 'configmaps', '-o', 'name']);
      for (const a of acked) assert.ok(listed.includes(`configmap/${a.name}\n`), `acknowledged ${a.name} is missing`);
      await k1.ok(['create', 'configmap', 'after-kill', '--from-literal=x=y']);
      assert.equal((await k2.ok(['get', 'configmap', 'after-kill', '-o', 'jsonpath={.data.x}'])).trim(), 'y');
      await k1.ok(['scale', 'deployment', 'web', '--replicas=3']);
      await waitFor(async () => (await k1.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).trim() === '3', 'web to have 3 ready replicas on the 2 remaining members', {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
    });
  } finally {
    for (const k of ks) await k.dispose();
    for (const c of clusters.reverse()) await c.close().catch(() => undefined);
    await etcd.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});
