/**
 * End to end with the in-process cluster (fake clock): the whole cluster is closed and started again on the same
 * data directory and configuration. It resumes as it was — the same Nodes (none duplicated), a worker added at
 * runtime still there, the Deployment's pods (the same objects) Running and Ready again on their nodes, the
 * control plane's mirror pods once each — and keeps working (a new Deployment runs).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { applyCliOverrides, defaultClusterConfig } from '../../../src/cluster/config';
import { R, type Obj } from '../../../src/controllers/framework';
import { isRunningReady, startNodesCluster, type NodesCluster, type PodLike } from '../../helpers/cluster-nodes';

const NS = 'default';

interface NodeLike {
  metadata: { name: string; uid: string };
  spec: { podCIDR?: string };
  status: { conditions: { type: string; status: string }[]; addresses: { type: string; address: string }[] };
}

const itemsOf = (list: Obj) => (list.items ?? []) as Obj[];

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
});

describe('a restart of the whole cluster on the same data directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-restart-'));
  let c: NodesCluster | undefined;
  after(async () => {
    await c?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const nodes = async (k: NodesCluster) => ((await k.admin.list(R.nodes, '')).items ?? []) as unknown as NodeLike[];
  const allReady = async (k: NodesCluster, n: number) => {
    const ns = await nodes(k);
    return ns.length === n && ns.every((x) => x.status.conditions.some((cd) => cd.type === 'Ready' && cd.status === 'True')) ? ns : undefined;
  };
  const webRunning = async (k: NodesCluster) => {
    const ps = await k.pods(NS, 'app=web');
    return ps.length === 3 && ps.every(isRunningReady) ? ps : undefined;
  };

  it('resumes with the same nodes (and one added at runtime), the same pods Running again, nothing duplicated', async () => {
    const config = applyCliOverrides(defaultClusterConfig(), { nodes: 2, port: 0, dnsPort: 0, ingressPort: 0 });
    c = await startNodesCluster({ dir, config });
    await c.admin.create(R.deployments, NS, deployment('web', 3));
    await c.until('web Running', () => webRunning(c!));
    const added = await c.tc.cluster.nodes.add();
    assert.equal(added, 'kubelab-worker3');
    const nodesBefore = await c.until('4 nodes Ready', () => allReady(c!, 4));
    const podsBefore = (await c.until('web Running', () => webRunning(c!))) as PodLike[];
    const rsBefore = itemsOf(await c.admin.list(R.replicasets, NS));
    const clockAt = c.clock.now();
    await c.stop();
    c = undefined;

    // The same directory and configuration, a clock that goes on from where it was.
    c = await startNodesCluster({ dir, config, clock: new FakeClock(clockAt + 5_000) });
    const k = c;
    assert.deepEqual(k.tc.cluster.nodes.list().map((n) => [n.name, n.state]).sort(), [
      ['kubelab-control-plane', 'running'],
      ['kubelab-worker', 'running'],
      ['kubelab-worker2', 'running'],
      ['kubelab-worker3', 'running'],
    ]);
    const nodesAfter = await k.until('4 nodes Ready after the restart', () => allReady(k, 4));
    // The same Node objects: nothing registered twice, addresses and pod ranges kept.
    const view = (ns: NodeLike[]) => ns.map((n) => [n.metadata.name, n.metadata.uid, n.spec.podCIDR, n.status.addresses.find((a) => a.type === 'InternalIP')?.address]).sort();
    assert.deepEqual(view(nodesAfter), view(nodesBefore));

    // Running again for real: containers started by the new kubelets (not the status left from before).
    const restartedAt = Math.floor((clockAt + 5_000) / 1000) * 1000;
    const startedAfterRestart = (p: PodLike) => Date.parse(p.status?.containerStatuses?.[0].state.running?.startedAt ?? '') >= restartedAt;
    const podsAfter = await k.until('web Running again', async () => {
      const ps = await webRunning(k);
      return ps?.every(startedAfterRestart) ? ps : undefined;
    });
    for (const p of podsAfter) assert.equal((await k.logs(NS, p.metadata.name)).status, 200);
    for (const l of itemsOf(await k.admin.list(R.leases, 'kube-node-lease'))) {
      assert.ok(Date.parse(String((l.spec as { renewTime?: string }).renewTime)) >= restartedAt, `lease ${l.metadata?.name} renewed after the restart`);
    }
    const podView = (ps: PodLike[]) => ps.map((p) => [p.metadata.name, p.metadata.uid, p.spec.nodeName]).sort();
    assert.deepEqual(podView(podsAfter), podView(podsBefore));
    for (const p of podsAfter) {
      const node = nodesAfter.find((n) => n.metadata.name === p.spec.nodeName)!;
      assert.equal(p.status?.hostIP, node.status.addresses.find((a) => a.type === 'InternalIP')?.address);
      assert.ok(p.status?.podIP?.startsWith(node.spec.podCIDR!.split('.').slice(0, 3).join('.') + '.'), `${p.status?.podIP} in ${node.spec.podCIDR}`);
    }
    // Nothing duplicated: ReplicaSets, pods, leases, mirror pods.
    await k.advance(10_000, 500);
    assert.deepEqual(podView(await k.pods(NS, 'app=web')), podView(podsBefore));
    assert.deepEqual(itemsOf(await k.admin.list(R.replicasets, NS)).map((r) => r.metadata?.uid), rsBefore.map((r) => r.metadata?.uid));
    const leases = (itemsOf(await k.admin.list(R.leases, 'kube-node-lease'))).map((l) => l.metadata?.name).sort();
    assert.deepEqual(leases, ['kubelab-control-plane', 'kubelab-worker', 'kubelab-worker2', 'kubelab-worker3']);
    const mirrors = (await k.pods('kube-system')).filter((p) => p.metadata.annotations?.['kubernetes.io/config.mirror']);
    assert.deepEqual(mirrors.map((p) => p.metadata.name), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((n) => `${n}-kubelab-control-plane`));
    await k.until('mirror pods Ready', async () => (await k.pods('kube-system')).filter((p) => p.metadata.annotations?.['kubernetes.io/config.mirror']).every(isRunningReady));

    // And it keeps working: a new Deployment runs, also on the worker added before the restart.
    await k.admin.create(R.deployments, NS, { ...deployment('more', 6), spec: { ...deployment('more', 6).spec, template: { metadata: { labels: { app: 'more' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '500m' } } }] } } } });
    const more = await k.until('more Running', async () => {
      const ps = await k.pods(NS, 'app=more');
      return ps.length === 6 && ps.every(isRunningReady) ? ps : undefined;
    });
    assert.ok(more.some((p) => p.spec.nodeName === 'kubelab-worker3'), 'the runtime-added worker takes pods after the restart');
    // CNI: the pods started after the restart got addresses no resumed pod holds (every pod network IP is unique).
    const ips = [...(await k.pods(NS)), ...(await k.pods('kube-system'))].filter((p) => p.status?.podIP && !p.status.podIP.startsWith('172.18.')).map((p) => p.status!.podIP!);
    assert.equal(new Set(ips).size, ips.length, `duplicate pod IPs: ${ips.sort().join(' ')}`);
  });
});
