/**
 * The kubelet's node side against the real in-process API server, as `system:node:<name>` (Node authorizer +
 * NodeRestriction in force): registration and re-registration, the Node's shape, the Lease heartbeat every 10 s on a
 * fake clock (recreated after deletion, silent after stop), status heartbeats (PATCH only on change or every 5 min),
 * what a node may not do, the node lifecycle controller's view, and `kubectl get nodes -o wide`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { silentLogger } from '../../../src/base/logger';
import { InProcessTransport } from '../../../src/client/in-process';
import { ApiClient, R, type Obj } from '../../../src/controllers/framework';
import { ESSENTIAL_CONTROLLERS } from '../../../src/controllers/registry';
import { nodeUser, rfc3339, rfc3339Micro } from '../../../src/kubelet/node/identity';
import { NodeLease } from '../../../src/kubelet/node/lease';
import { buildNode, type NodeConfig } from '../../../src/kubelet/node/node-object';
import type { NodeHealth } from '../../../src/kubelet/node/node-conditions';
import { NodeStatusUpdater } from '../../../src/kubelet/node/node-status';
import { registerNode } from '../../../src/kubelet/node/registration';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { waitFor } from '../../helpers/wait';

const LEASE_NS = 'kube-node-lease';
const cfg = (name: string, o: Partial<NodeConfig> = {}): NodeConfig => ({
  name,
  internalIP: '172.18.0.2',
  capacity: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
  containerRuntimeVersion: 'sim://1.0.0',
  osImage: 'KubeLab simulated node (Linux)',
  kernelVersion: '6.8.0-kubelab',
  ...o,
});

interface Env {
  tc: TestCluster;
  clock: FakeClock;
  admin: ApiClient;
  node(name: string): ApiClient;
}

async function withCluster(controllers: readonly string[], body: (e: Env) => Promise<void>): Promise<void> {
  const clock = new FakeClock();
  const tc = await startTestCluster({ clock, controllers });
  const transports: InProcessTransport[] = [];
  try {
    const node = (name: string) => {
      const t = new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: nodeUser(name) });
      transports.push(t);
      return new ApiClient(t);
    };
    await body({ tc, clock, admin: new ApiClient(tc.inProcess()), node });
  } finally {
    for (const t of transports) t.close();
    await tc.stop();
  }
}

const register = (e: Env, c: NodeConfig, privileged = true) =>
  registerNode({ client: e.node(c.name), config: c, build: (now) => buildNode(c, now), clock: e.clock, logger: silentLogger, privilegedClient: privileged ? e.admin : undefined });

const conds = (n: Obj) => ((n.status as { conditions: Obj[] }).conditions ?? []) as { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string }[];
const cond = (n: Obj, type: string) => conds(n).find((c) => c.type === type);

test('kubelet node: registration, Lease, status heartbeats, restrictions', { timeout: 60_000 }, async (t) => {
  await withCluster(ESSENTIAL_CONTROLLERS, async (e) => {
    await t.test('registers its Node as system:node:<name>; roles through the privileged client', async () => {
      assert.equal(await register(e, cfg('cp-1', { roles: ['control-plane'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], podCIDR: '10.244.0.0/24' })), 'created');
      const n = await e.admin.get(R.nodes, '', 'cp-1');
      const labels = n.metadata?.labels as Record<string, string>;
      assert.equal(labels['kubernetes.io/hostname'], 'cp-1');
      assert.equal(labels['kubernetes.io/os'], 'linux');
      assert.equal(labels['beta.kubernetes.io/arch'], 'amd64');
      assert.equal(labels['node-role.kubernetes.io/control-plane'], '');
      assert.deepEqual((n.spec as Obj).taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
      assert.equal((n.spec as Obj).podCIDR, '10.244.0.0/24');
      assert.deepEqual(conds(n).map((c) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
      const info = (n.status as Obj).nodeInfo as Record<string, string>;
      assert.equal(info.kubeletVersion, 'v1.32.0');
      assert.equal(info.containerRuntimeVersion, 'sim://1.0.0');
      assert.equal((n.status as Obj).allocatable !== undefined, true);
    });

    await t.test('without a privileged client, role labels are left out instead of failing registration', async () => {
      assert.equal(await register(e, cfg('w-1', { roles: ['worker'] }), false), 'created');
      const labels = (await e.admin.get(R.nodes, '', 'w-1')).metadata?.labels as Record<string, string>;
      assert.equal(labels['node-role.kubernetes.io/worker'], undefined);
    });

    await t.test('NodeRestriction: a node may not set role labels nor touch another node or its Lease', async () => {
      const self = e.node('w-2');
      const bad = buildNode(cfg('w-2', { roles: ['worker'] }), e.clock.now());
      await assert.rejects(self.create(R.nodes, '', bad as unknown as Obj), /node "w-2" is not allowed to set the following labels: node-role.kubernetes.io\/worker/);
      await assert.rejects(self.patch(R.nodes, '', 'w-1', { status: {} }, 'strategic', 'status'), /node 'w-2' cannot modify 'w-1', only its own Node object/);
      await assert.rejects(self.get(R.leases, LEASE_NS, 'w-1'), /can only access node lease with the same name as the requesting node/);
    });

    await t.test('re-registration reconciles kubelet-owned labels and keeps the existing object', async () => {
      const before = await e.admin.get(R.nodes, '', 'w-1');
      await e.admin.patch(R.nodes, '', 'w-1', { metadata: { labels: { 'kubernetes.io/hostname': 'elsewhere', 'kubernetes.io/arch': null, team: 'a' } }, spec: { unschedulable: true } }, 'merge');
      assert.equal(await register(e, cfg('w-1'), false), 'reconciled');
      const after = await e.admin.get(R.nodes, '', 'w-1');
      const labels = after.metadata?.labels as Record<string, string>;
      assert.equal(after.metadata?.uid, before.metadata?.uid);
      assert.equal(labels['kubernetes.io/hostname'], 'w-1');
      assert.equal(labels['kubernetes.io/arch'], 'amd64');
      assert.equal(labels.team, 'a');
      assert.equal((after.spec as Obj).unschedulable, true);
    });

    await t.test('the Lease: created with owner, renewed every 10 s, recreated after delete, silent after stop', async () => {
      const lease = new NodeLease({ client: e.node('w-1'), nodeName: 'w-1', clock: e.clock, logger: silentLogger, jitter: () => 0 });
      const node = await e.admin.get(R.nodes, '', 'w-1');
      const renewTime = async () => ((await e.admin.get(R.leases, LEASE_NS, 'w-1')).spec as Obj).renewTime;
      const t0 = e.clock.now();
      lease.start();
      await waitFor(() => lease.lease !== undefined, 'the lease');
      const l = await e.admin.get(R.leases, LEASE_NS, 'w-1');
      assert.deepEqual(l.spec, { holderIdentity: 'w-1', leaseDurationSeconds: 40, renewTime: rfc3339Micro(t0) });
      assert.deepEqual(l.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'w-1', uid: node.metadata?.uid }]);
      e.clock.advance(9_999);
      assert.equal(await renewTime(), rfc3339Micro(t0));
      e.clock.advance(1);
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0 + 10_000), 'renewal at 10 s');
      e.clock.advance(10_000);
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0 + 20_000), 'renewal at 20 s');
      // renewals leave managedFields out of the request: the stored entry carries on, still owning every field
      const renewed = await e.admin.get(R.leases, LEASE_NS, 'w-1');
      type Entry = { manager: string; operation: string; fieldsV1: Obj };
      const mf = renewed.metadata?.managedFields as Entry[];
      const first = (l.metadata?.managedFields as Entry[])[0];
      assert.deepEqual(mf.map((m) => [m.manager, m.operation]), [[first.manager, 'Update']]);
      assert.deepEqual(mf[0].fieldsV1, first.fieldsV1);
      assert.ok(((mf[0].fieldsV1['f:spec'] as Obj)['f:renewTime']) !== undefined);
      await e.admin.delete(R.leases, LEASE_NS, 'w-1');
      e.clock.advance(10_000);
      const back = await waitFor(async () => {
        const x = await e.admin.get(R.leases, LEASE_NS, 'w-1').catch(() => undefined);
        return x && x.metadata?.uid !== l.metadata?.uid ? x : undefined;
      }, 'the recreated lease');
      assert.ok(back);
      assert.equal((back.spec as Obj).renewTime, rfc3339Micro(t0 + 30_000));
      await lease.stop();
      e.clock.advance(30_000);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await renewTime(), rfc3339Micro(t0 + 30_000));
    });

    await t.test("the Lease's renew interval carries upstream's jitter: 10 s plus up to 4 %, drawn per period", async () => {
      const draws = [1, 0.5];
      const lease = new NodeLease({ client: e.node('w-1'), nodeName: 'w-1', clock: e.clock, logger: silentLogger, jitter: () => draws.shift() ?? 0 });
      const renewTime = async () => ((await e.admin.get(R.leases, LEASE_NS, 'w-1')).spec as Obj).renewTime;
      const t0 = e.clock.now();
      lease.start();
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0), 'the first sync at once');
      e.clock.advance(10_399);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await renewTime(), rfc3339Micro(t0), 'not before 10 s + 4 % (a draw of 1)');
      e.clock.advance(1);
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0 + 10_400), 'renewal at 10.4 s');
      e.clock.advance(10_199);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await renewTime(), rfc3339Micro(t0 + 10_400), 'the next period is drawn again (0.5: 10.2 s)');
      e.clock.advance(1);
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0 + 20_600), 'renewal at 20.6 s');
      await lease.stop();
    });

    await t.test('on a heartbeat tick (tickMs), a renewal waits on from its jittered due time to the next multiple of the tick', async () => {
      e.clock.advance(2_000 - (e.clock.now() % 2_000) + 700); // 700 ms past a tick
      const draws = [0.5, 0];
      const lease = new NodeLease({ client: e.node('w-1'), nodeName: 'w-1', clock: e.clock, logger: silentLogger, jitter: () => draws.shift() ?? 0, tickMs: 2_000 });
      const renewTime = async () => ((await e.admin.get(R.leases, LEASE_NS, 'w-1')).spec as Obj).renewTime;
      const t0 = e.clock.now();
      lease.start();
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0), 'the first sync at once');
      // due at t0 + 10.2 s = 10.9 s past a tick: on to the tick 1.1 s later
      e.clock.advance(11_299);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await renewTime(), rfc3339Micro(t0), 'not before the tick');
      e.clock.advance(1);
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0 + 11_300), 'renewal on the tick after 10.2 s');
      // from a tick, 10 s (a draw of 0) is a tick itself
      e.clock.advance(9_999);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await renewTime(), rfc3339Micro(t0 + 11_300));
      e.clock.advance(1);
      await waitFor(async () => (await renewTime()) === rfc3339Micro(t0 + 21_300), 'renewal 10 s later, on a tick');
      await lease.stop();
    });

    await t.test('status: PATCH on change or every 5 min; heartbeat and transition times as upstream', async () => {
      const health: NodeHealth = {};
      let config = cfg('w-1');
      const st = new NodeStatusUpdater({ client: e.node('w-1'), clock: e.clock, logger: silentLogger, config: () => config, health: () => health });
      const t0 = e.clock.now();
      assert.equal(await st.sync(), true, 'first round always reports');
      let n = await e.admin.get(R.nodes, '', 'w-1');
      assert.equal(cond(n, 'Ready')?.lastHeartbeatTime, rfc3339(t0));
      const readySince = cond(n, 'Ready')?.lastTransitionTime;
      e.clock.advance(10_000);
      assert.equal(await st.sync(), false, 'nothing changed: no PATCH within the report period');
      health.memoryPressure = true;
      e.clock.advance(10_000);
      assert.equal(await st.sync(), true);
      n = await e.admin.get(R.nodes, '', 'w-1');
      assert.deepEqual(cond(n, 'MemoryPressure'), {
        type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available',
        lastHeartbeatTime: rfc3339(t0 + 20_000), lastTransitionTime: rfc3339(t0 + 20_000),
      });
      assert.equal(cond(n, 'Ready')?.lastTransitionTime, readySince);
      assert.equal(cond(n, 'Ready')?.lastHeartbeatTime, rfc3339(t0 + 20_000));
      e.clock.advance(5 * 60_000 - 10_000);
      assert.equal(await st.sync(), false);
      e.clock.advance(10_000);
      assert.equal(await st.sync(), true, 'the report period passed');
      n = await e.admin.get(R.nodes, '', 'w-1');
      assert.equal(cond(n, 'MemoryPressure')?.lastTransitionTime, rfc3339(t0 + 20_000));
      assert.equal(cond(n, 'MemoryPressure')?.lastHeartbeatTime, rfc3339(t0 + 320_000));
      assert.equal(conds(n).length, 4);
      config = cfg('w-1', { internalIP: '172.18.0.9', capacity: { cpu: '8', memory: '8Gi', 'ephemeral-storage': '100Gi' } });
      e.clock.advance(10_000);
      assert.equal(await st.sync(), true, 'a new address and capacity are reported at once');
      n = await e.admin.get(R.nodes, '', 'w-1');
      assert.deepEqual((n.status as Obj).addresses, [
        { type: 'InternalIP', address: '172.18.0.9' },
        { type: 'Hostname', address: 'w-1' },
      ]);
      assert.equal(((n.status as Obj).capacity as Record<string, string>).cpu, '8');
      assert.equal(st.patches, 4);
    });
  });
});
