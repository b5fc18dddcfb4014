/**
 * End to end with the in-process cluster (fake clock): the control plane as static pods on the master. kube-system
 * shows the mirror pods etcd-, kube-apiserver-, kube-controller-manager- and kube-scheduler-<master>, Running and
 * Ready, shaped as the kubelet mirrors them (config annotations, owned by the Node, host network); stopping the
 * scheduler makes its pod not Ready and componentstatuses unhealthy, starting it again makes both healthy; a deleted
 * mirror pod is recreated by the kubelet.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../../src/controllers/framework';
import { condition, isRunningReady, startNodesCluster, type NodesCluster, type PodLike } from '../../helpers/cluster-nodes';

const MASTER = 'kubelab-control-plane';
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const KS = 'kube-system';

interface ComponentStatus {
  metadata: { name: string };
  conditions: { type: string; status: string; message?: string; error?: string }[];
}

describe('the control plane as static pods on the master', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 1 });
  });
  after(async () => c.stop());

  const mirror = (component: string) => c.pod(KS, `${component}-${MASTER}`);
  const componentStatuses = async () => {
    const res = await c.transport.request({ method: 'GET', path: '/api/v1/componentstatuses' });
    assert.equal(res.status, 200);
    const items = (res.body as { items: ComponentStatus[] }).items;
    return Object.fromEntries(items.map((i) => [i.metadata.name, i.conditions[0]]));
  };

  it('kube-system shows the four control-plane mirror pods Running and Ready on the master', async () => {
    const pods = await c.until('the control plane Ready', async () => {
      const ps = (await c.pods(KS)).filter((p) => p.metadata.annotations?.['kubernetes.io/config.mirror']);
      return ps.length === 4 && ps.every(isRunningReady) ? ps : undefined;
    });
    assert.deepEqual(pods.map((p) => p.metadata.name), COMPONENTS.map((n) => `${n}-${MASTER}`).sort());
    const node = (await c.admin.get(R.nodes, '', MASTER)) as { metadata: { uid: string }; status: { addresses: { type: string; address: string }[] } };
    const hostIP = node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
    for (const p of pods) {
      const component = p.metadata.name.slice(0, -MASTER.length - 1);
      const ann = p.metadata.annotations ?? {};
      assert.equal(p.spec.nodeName, MASTER);
      assert.deepEqual(p.metadata.labels, { component, tier: 'control-plane' });
      assert.equal(ann['kubernetes.io/config.source'], 'file');
      assert.match(ann['kubernetes.io/config.hash'] ?? '', /^[0-9a-f]{32}$/);
      assert.equal(ann['kubernetes.io/config.mirror'], ann['kubernetes.io/config.hash']);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: MASTER, uid: node.metadata.uid, controller: true }]);
      // Host network: the pod's IP is the node's.
      assert.equal(p.status?.hostIP, hostIP);
      assert.equal(p.status?.podIP, hostIP);
      assert.equal((p.spec as { priorityClassName?: string }).priorityClassName, 'system-node-critical');
      assert.equal(p.status?.qosClass, 'Burstable');
      const cs = p.status!.containerStatuses!;
      assert.deepEqual(cs.map((s) => [s.name, s.ready, s.restartCount]), [[component, true, 0]]);
    }
    const cs = await componentStatuses();
    assert.deepEqual(cs.scheduler, { type: 'Healthy', status: 'True', message: 'ok' });
    assert.deepEqual(cs['controller-manager'], { type: 'Healthy', status: 'True', message: 'ok' });
    assert.equal(cs['etcd-0']?.status, 'True');
  });

  it('stopping kube-scheduler makes its pod not Ready and componentstatuses unhealthy; starting it heals both', async () => {
    await c.until('scheduler Ready', async () => isRunningReady(await mirror('kube-scheduler')));
    await c.tc.cluster.stopComponent('kube-scheduler');
    try {
      const down = await c.until('scheduler pod not Ready', async () => {
        const p = await mirror('kube-scheduler');
        return condition(p, 'Ready')?.status === 'False' ? p : undefined;
      });
      assert.equal(down.status?.phase, 'Running');
      assert.deepEqual([condition(down, 'Ready')?.reason, condition(down, 'Ready')?.message], ['ContainersNotReady', 'containers with unready status: [kube-scheduler]']);
      assert.equal(down.status?.containerStatuses?.[0].ready, false);
      // The other components stay Ready.
      for (const other of ['etcd', 'kube-apiserver', 'kube-controller-manager']) assert.ok(isRunningReady(await mirror(other)), `${other} Ready`);
      const unhealthy = await c.until('an Unhealthy readiness event', async () => {
        const es = (await c.events(KS, `kube-scheduler-${MASTER}`)).filter((e) => e.reason === 'Unhealthy');
        return es.length ? es : undefined;
      });
      assert.match(unhealthy[0].message, /^Readiness probe failed: Get "https:\/\/127\.0\.0\.1:10259\/healthz": dial tcp 127\.0\.0\.1:10259: connect: connection refused$/);
      const cs = await componentStatuses();
      assert.deepEqual(cs.scheduler, { type: 'Healthy', status: 'False', message: '', error: 'Get "https://127.0.0.1:10259/healthz": dial tcp 127.0.0.1:10259: connect: connection refused' });
      assert.equal(cs['controller-manager']?.status, 'True');
    } finally {
      await c.tc.cluster.startComponent('kube-scheduler');
    }
    const up = await c.until('scheduler pod Ready again', async () => {
      const p = await mirror('kube-scheduler');
      return isRunningReady(p) ? p : undefined;
    });
    assert.equal(up.status?.containerStatuses?.[0].restartCount, 0);
    assert.deepEqual((await componentStatuses()).scheduler, { type: 'Healthy', status: 'True', message: 'ok' });
    // And it schedules again.
    await c.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after-restart' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });
    await c.until('a pod scheduled and Running', async () => isRunningReady(await c.pod('default', 'after-restart')));
  });

  it('stopping kube-controller-manager shows the same for its pod and componentstatuses', async () => {
    await c.until('controller-manager Ready', async () => isRunningReady(await mirror('kube-controller-manager')));
    await c.tc.cluster.stopComponent('kube-controller-manager');
    try {
      await c.until('controller-manager pod not Ready', async () => condition(await mirror('kube-controller-manager'), 'Ready')?.status === 'False');
      const cs = await componentStatuses();
      assert.equal(cs['controller-manager']?.status, 'False');
      assert.equal(cs['controller-manager']?.error, 'Get "https://127.0.0.1:10257/healthz": dial tcp 127.0.0.1:10257: connect: connection refused');
    } finally {
      await c.tc.cluster.startComponent('kube-controller-manager');
    }
    await c.until('controller-manager pod Ready again', async () => isRunningReady(await mirror('kube-controller-manager')));
    assert.equal((await componentStatuses())['controller-manager']?.status, 'True');
  });

  it('a deleted mirror pod is recreated by the kubelet (a new object, same static pod)', async () => {
    const before = (await c.until('etcd mirror Ready', async () => {
      const p = await mirror('etcd');
      return isRunningReady(p) ? p : undefined;
    })) as PodLike;
    await c.admin.delete(R.pods, KS, `etcd-${MASTER}`);
    const after = await c.until('etcd mirror recreated and Ready', async () => {
      const p = await mirror('etcd');
      return p && p.metadata.uid !== before.metadata.uid && !p.metadata.deletionTimestamp && isRunningReady(p) ? p : undefined;
    });
    assert.equal(after.metadata.annotations?.['kubernetes.io/config.mirror'], before.metadata.annotations?.['kubernetes.io/config.mirror']);
    // The static pod itself kept running: same container, no restart.
    assert.equal(after.status?.containerStatuses?.[0].containerID, before.status?.containerStatuses?.[0].containerID);
    assert.equal(after.status?.containerStatuses?.[0].restartCount, 0);
    // Exactly one etcd mirror pod.
    assert.equal((await c.pods(KS, 'component=etcd')).length, 1);
  });
});
