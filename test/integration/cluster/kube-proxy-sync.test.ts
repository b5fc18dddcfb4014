/**
 * kube-proxy's sync schedule and health, against the real API server in process (its own fake clock drives the
 * proxy's runner): the iptables mode resyncs in full once an hour, not every syncPeriod (upstream's
 * BoundedFrequencyRunner maxInterval), while a change is programmed by a partial sync; the ipvs mode keeps its full
 * resync every syncPeriod. A failed sync keeps its change pending: /healthz turns 503 once it has waited 2 ×
 * syncPeriod, and the full retry after syncPeriod makes it healthy again. The answers' layout is upstream's.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { silentLogger } from '../../../src/base/logger';
import { R } from '../../../src/controllers/framework';
import { ApiClient } from '../../../src/controllers/framework';
import { IptablesMode } from '../../../src/proxy/iptables';
import { IpvsMode } from '../../../src/proxy/ipvs';
import { KubeProxy, IPTABLES_RESYNC_MS, goTimeString } from '../../../src/proxy/kube-proxy';
import type { ProxyMode, SyncRequest, SyncStats } from '../../../src/proxy/types';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { waitFor } from '../../helpers/wait';

const NODE = { nodeName: 'kubelab-worker', nodeIP: '172.18.0.3', clusterCIDR: '10.244.0.0/16' };
const SYNC_PERIOD = 30_000;

/** A real mode that records each sync (full or the changed keys) and fails while `failing` is set. */
function recording(mode: ProxyMode): ProxyMode & { syncs: string[]; failing: boolean } {
  const w = {
    syncs: [] as string[],
    failing: false,
    get name() {
      return mode.name;
    },
    async sync(req: SyncRequest): Promise<SyncStats> {
      if (w.failing) {
        w.syncs.push('failed');
        throw new Error('iptables-restore failed (test)');
      }
      w.syncs.push(req.changed ? `partial ${[...req.changed].sort().join(',')}` : 'full');
      return mode.sync(req);
    },
    backends: mode.backends.bind(mode),
    render: () => mode.render(),
    ruleCount: () => mode.ruleCount(),
    dispose: () => mode.dispose(),
  };
  return w;
}

/** Runs the fake clock forward in steps, letting the proxy's syncs (real promises) settle between them. */
async function advance(clock: FakeClock, ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await new Promise((r) => setImmediate(r));
  }
}

describe('kube-proxy sync schedule and health (real API server, fake proxy clock)', () => {
  let tc: TestCluster;
  let admin: ApiClient;
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
  });
  after(() => tc.stop());

  const make = (mode: ProxyMode, clock: FakeClock) =>
    new KubeProxy({ node: NODE, mode, handle: (r) => tc.cluster.handle(r), clock, logger: silentLogger, syncPeriodMs: SYNC_PERIOD });

  it('iptables: one full sync at start, partial syncs for changes, and the next full resync only after an hour', async () => {
    const clock = new FakeClock();
    const mode = recording(new IptablesMode(NODE));
    const proxy = make(mode, clock);
    await proxy.start();
    try {
      assert.deepEqual(mode.syncs, ['full']);
      await advance(clock, 10 * 60_000, 5000);
      assert.deepEqual(mode.syncs, ['full'], 'no periodic resync every syncPeriod');
      await admin.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sched-a' }, spec: { ports: [{ port: 80 }] } });
      await waitFor(async () => (await advance(clock, 1000), mode.syncs.length === 2), 'a sync for the new Service', { timeoutMs: 5000 });
      assert.equal(mode.syncs[1], 'partial default/sched-a');
      await advance(clock, IPTABLES_RESYNC_MS - 2 * 60_000, 60_000);
      assert.equal(mode.syncs.length, 2, 'still nothing periodic before the hour');
      await advance(clock, 3 * 60_000, 10_000);
      assert.deepEqual(mode.syncs.slice(2), ['full'], 'the hourly full resync');
      assert.match(mode.render(), /default\/sched-a/, 'the hourly resync keeps the Service programmed');
    } finally {
      await proxy.dispose();
      await admin.delete(R.services, 'default', 'sched-a').catch(() => undefined);
    }
  });

  it('ipvs: the full resync every syncPeriod stays (upstream ipvs syncs everything every time)', async () => {
    const clock = new FakeClock();
    const mode = recording(new IpvsMode(NODE));
    const proxy = make(mode, clock);
    await proxy.start();
    try {
      await advance(clock, 3 * SYNC_PERIOD + 500, 500);
      assert.deepEqual(mode.syncs, ['full', 'full', 'full', 'full']);
    } finally {
      await proxy.dispose();
    }
  });

  it('a failed sync keeps its change pending: 503 after 2 × syncPeriod, healthy after the full retry; upstream layout', async () => {
    const clock = new FakeClock();
    const mode = recording(new IptablesMode(NODE));
    const proxy = make(mode, clock);
    await proxy.start();
    const health = (path: string) => proxy.http(10256, path)!;
    try {
      const ok = health('/healthz');
      assert.equal(ok.status, 200);
      const now = goTimeString(clock.now(), clock.now());
      assert.equal(ok.body, `{"lastUpdated": "${now}","currentTime": "${now}", "nodeEligible": true}`);
      assert.match(now, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+0\.000000000$/);
      assert.equal(health('/livez').body, `{"lastUpdated": "${now}","currentTime": "${now}"}`);

      mode.failing = true;
      await admin.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sched-b' }, spec: { ports: [{ port: 81 }] } });
      await waitFor(async () => (await advance(clock, 1000), mode.syncs.includes('failed')), 'the failing sync', { timeoutMs: 5000 });
      const failedAt = clock.now();
      assert.equal(health('/healthz').status, 200, 'a pending change is not late yet');
      await advance(clock, SYNC_PERIOD + 1000);
      assert.deepEqual(mode.syncs.slice(1), ['failed', 'failed'], 'retried after syncPeriod (and failed again)');
      await advance(clock, SYNC_PERIOD);
      const bad = health('/healthz');
      assert.equal(bad.status, 503, `unhealthy once the change waited 2 × syncPeriod (${clock.now() - failedAt} ms after the failure)`);
      assert.match(bad.body, /^\{"lastUpdated": "\d{4}-[^"]+ m=\+0\.000000000","currentTime": "[^"]+", "nodeEligible": true\}$/, 'lastUpdated: the last successful sync');
      assert.equal(health('/livez').status, 503);

      mode.failing = false;
      await advance(clock, SYNC_PERIOD + 1000);
      assert.equal(mode.syncs.at(-1), 'full', 'the retry after a failure is a full sync');
      assert.match(mode.render(), /default\/sched-b/, 'the change lost with the failed syncs is programmed');
      assert.equal(health('/healthz').status, 200);
      const n = mode.syncs.length;
      await advance(clock, 5 * SYNC_PERIOD, 5000);
      assert.equal(mode.syncs.length, n, 'no more retries once a sync succeeded');
    } finally {
      await proxy.dispose();
      await admin.delete(R.services, 'default', 'sched-b').catch(() => undefined);
    }
  });
});
