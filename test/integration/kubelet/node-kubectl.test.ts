/**
 * A registered kubelet node as the rest of the cluster sees it: the node lifecycle controller keeps it Ready while
 * its Lease and status heartbeats run on the fake clock, marks it Unknown once they stop, and sees it Ready again
 * when the kubelet comes back; `kubectl get nodes -o wide` shows the columns upstream's kubelet fills in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { silentLogger } from '../../../src/base/logger';
import { InProcessTransport } from '../../../src/client/in-process';
import { ApiClient, R, type Obj } from '../../../src/controllers/framework';
import { ESSENTIAL_CONTROLLERS } from '../../../src/controllers/registry';
import { nodeUser } from '../../../src/kubelet/node/identity';
import { NodeLease } from '../../../src/kubelet/node/lease';
import { buildNode, type NodeConfig } from '../../../src/kubelet/node/node-object';
import { NodeStatusUpdater } from '../../../src/kubelet/node/node-status';
import { registerNode } from '../../../src/kubelet/node/registration';
import { startTestCluster } from '../../helpers/apiserver';
import { findKubectl, Kubectl, parseTable } from '../../helpers/kubectl';
import { sleep, waitFor } from '../../helpers/wait';

const configs: NodeConfig[] = [
  {
    name: 'kl-control-plane',
    internalIP: '172.18.0.2',
    roles: ['control-plane'],
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    capacity: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '50Gi' },
    containerRuntimeVersion: 'sim://1.0.0',
    osImage: 'KubeLab simulated node (Linux)',
    kernelVersion: '6.8.0-kubelab',
  },
  {
    name: 'kl-worker',
    internalIP: '172.18.0.3',
    capacity: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
    containerRuntimeVersion: 'sim://1.0.0',
    osImage: 'KubeLab simulated node (Linux)',
    kernelVersion: '6.8.0-kubelab',
  },
];

interface RunningKubelet {
  lease: NodeLease;
  status: NodeStatusUpdater;
}

test('kubelet node: healthy for the node lifecycle controller, and as kubectl shows it', { timeout: 90_000 }, async (t) => {
  const clock = new FakeClock();
  const tc = await startTestCluster({ clock, controllers: [...ESSENTIAL_CONTROLLERS, 'nodelifecycle'] });
  const transports: InProcessTransport[] = [];
  const admin = new ApiClient(tc.inProcess());
  const kubelets = new Map<string, RunningKubelet>();
  const start = (c: NodeConfig) => {
    const tr = new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: nodeUser(c.name) });
    transports.push(tr);
    const client = new ApiClient(tr);
    const k = {
      lease: new NodeLease({ client, nodeName: c.name, clock, logger: silentLogger }),
      status: new NodeStatusUpdater({ client, clock, logger: silentLogger, config: () => c }),
    };
    k.lease.start();
    k.status.start();
    kubelets.set(c.name, k);
    return client;
  };
  /** Advances the fake clock in 5 s steps, letting the kubelets and controllers run in between. */
  const run = async (ms: number) => {
    for (let done = 0; done < ms; done += 5_000) {
      clock.advance(5_000);
      await sleep(15);
    }
  };
  const ready = async (name: string) => {
    const n = await admin.get(R.nodes, '', name);
    return ((n.status as { conditions?: Obj[] }).conditions ?? []).find((c) => c.type === 'Ready');
  };
  try {
    for (const c of configs) {
      const tr = new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: nodeUser(c.name) });
      transports.push(tr);
      const client = new ApiClient(tr);
      assert.equal(await registerNode({ client, config: c, build: (now) => buildNode(c, now), clock, logger: silentLogger, privilegedClient: admin }), 'created');
      start(c);
    }

    await t.test('stays Ready while the kubelet heartbeats', async () => {
      await run(120_000);
      for (const c of configs) {
        const r = await ready(c.name);
        assert.equal(r?.status, 'True', c.name);
        assert.equal(r?.reason, 'KubeletReady');
      }
      const worker = await admin.get(R.nodes, '', 'kl-worker');
      assert.equal((worker.spec as { taints?: unknown[] }).taints, undefined, 'no not-ready/unreachable taints');
    });

    await t.test('marked Unknown once the kubelet stops, Ready again when it returns', async () => {
      const k = kubelets.get('kl-worker');
      assert.ok(k);
      await k.lease.stop();
      await k.status.stop();
      await run(70_000);
      await waitFor(async () => (await ready('kl-worker'))?.status === 'Unknown', 'kl-worker Unknown', { timeoutMs: 5000 });
      assert.equal((await ready('kl-control-plane'))?.status, 'True');
      start(configs[1]);
      await run(20_000);
      const r = await waitFor(async () => {
        const c = await ready('kl-worker');
        return c?.status === 'True' ? c : undefined;
      }, 'kl-worker Ready again', { timeoutMs: 5000 });
      assert.equal(r?.reason, 'KubeletReady');
    });

    await t.test('kubectl get nodes -o wide', async (st) => {
      const found = await findKubectl();
      if (!found.ok) return st.skip(found.reason);
      const k = new Kubectl({ kubeconfig: tc.cluster.kubeconfig });
      try {
        const table = parseTable(await k.ok(['get', 'nodes', '-o', 'wide']));
        assert.deepEqual(table.headers, ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
        const rows = table.rows.map((r) => [r.NAME, r.STATUS, r.ROLES, r.VERSION, r['INTERNAL-IP'], r['EXTERNAL-IP'], r['OS-IMAGE'], r['KERNEL-VERSION'], r['CONTAINER-RUNTIME']]);
        assert.deepEqual(rows, [
          ['kl-control-plane', 'Ready', 'control-plane', 'v1.32.0', '172.18.0.2', '<none>', 'KubeLab simulated node (Linux)', '6.8.0-kubelab', 'sim://1.0.0'],
          ['kl-worker', 'Ready', '<none>', 'v1.32.0', '172.18.0.3', '<none>', 'KubeLab simulated node (Linux)', '6.8.0-kubelab', 'sim://1.0.0'],
        ]);
        const described = await k.ok(['describe', 'node', 'kl-worker']);
        assert.match(described, /Ready\s+True\s+.+KubeletReady\s+kubelet is posting ready status/);
        assert.match(described, /MemoryPressure\s+False\s+.+KubeletHasSufficientMemory\s+kubelet has sufficient memory available/);
        assert.match(described, /Kubelet Version:\s+v1\.32\.0/);
        assert.match(described, /Container Runtime Version:\s+sim:\/\/1\.0\.0/);
      } finally {
        await k.dispose();
      }
    });
  } finally {
    for (const k of kubelets.values()) {
      await k.lease.stop();
      await k.status.stop();
    }
    for (const tr of transports) tr.close();
    await tc.stop();
  }
});
