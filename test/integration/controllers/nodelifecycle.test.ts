/**
 * The node lifecycle controller (with the taint eviction controller) against the real in-process API server on a
 * fake clock. The test plays the kubelets: it creates nodes with Ready=True and their Leases, and renews the Leases
 * of the healthy ones. A node whose Lease stops is marked Unknown after the 50 s grace period, its pods Ready=False,
 * it is tainted unreachable (NoSchedule and NoExecute) and its pods are deleted once their default 300 s
 * tolerations run out; a node that comes back loses the taints. Also: the startup grace period, rate-limited
 * tainting, partial and full zone disruption (no evictions), NoSchedule taints from conditions, label
 * reconciliation and upstream's events.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { nodeLifecycleControllerFactory, type NodeLifecycleController } from '../../../src/controllers/nodelifecycle';
import { taintEvictionControllerFactory } from '../../../src/controllers/tainteviction';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { NodeKubelets } from './node-kubelets';

const NS = 'default';

describe('node lifecycle: a node losing its heartbeat', () => {
  let t: ControllerTest;
  let k: NodeKubelets;
  before(async () => {
    t = await startControllerTest([nodeLifecycleControllerFactory, taintEvictionControllerFactory]);
    k = new NodeKubelets(t);
    for (const n of ['a', 'b', 'c']) await k.addNode(n);
    await k.runPod('p1', 'a');
    await k.runPod('p2', 'a');
    await k.runPod('q1', 'b');
    await t.settle();
  });
  after(async () => t.stop());

  it('registers nodes with an event', async () => {
    await k.tick(5_000);
    const msgs = await k.nodeEvents('a');
    assert.ok(msgs.includes('RegisteredNode: Node a event: Registered Node a in Controller'), JSON.stringify(msgs));
  });

  it('marks the silent node Unknown after the grace period, with its pods not ready', async () => {
    k.stop('a');
    const silentSince = t.clock.now();
    // 50 s of silence is still within the grace period.
    while (t.clock.now() - silentSince < 50_000) await k.tick(5_000);
    assert.equal(k.ready(await k.node('a')).status, 'True');
    await k.tick(5_000);
    const a = await t.until(async () => {
      const n = await k.node('a');
      return k.ready(n).status === 'Unknown' ? n : undefined;
    }, 'node a Unknown');
    const conds = (a.status as { conditions: Obj[] }).conditions;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const c = conds.find((x) => x.type === type);
      assert.equal(c?.status, 'Unknown', type);
      assert.equal(c?.reason, 'NodeStatusUnknown');
      assert.equal(c?.message, 'Kubelet stopped posting node status.');
    }
    assert.equal(k.ready(await k.node('b')).status, 'True');
    await t.until(async () => (await k.podReady('p1')) === 'False' && (await k.podReady('p2')) === 'False', 'pods on a not ready');
    assert.equal(await k.podReady('q1'), 'True');
    await t.settle();
    assert.ok((await k.nodeEvents('a')).includes('NodeNotReady: Node a status is now: NodeNotReady'));
    const podEvents = (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string }).name === 'p1');
    assert.ok(podEvents.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node is not ready' && e.type === 'Warning'));
  });

  it('marks a pod newly bound to the not-ready node not ready', async () => {
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await k.reportRunning('late');
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { kind: 'Node', name: 'a' } }, { name: 'late', subresource: 'binding' });
    await t.until(async () => (await k.podReady('late')) === 'False', 'late not ready');
    await k.runPod('late-b', 'b');
    await t.settle();
    assert.equal(await k.podReady('late-b'), 'True');
  });

  it('taints the node unreachable, NoSchedule and NoExecute', async () => {
    await k.tick(5_000);
    const taints = await t.until(async () => {
      const ts = k.taints(await k.node('a'));
      return ts.length === 2 ? ts : undefined;
    }, 'two taints on a');
    assert.deepEqual(taints.map((x) => `${x.key}:${x.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    for (const x of taints) assert.match(String(x.timeAdded), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(k.taints(await k.node('b')), []);
  });

  it('evicts the pods once their 300 s unreachable toleration runs out', async () => {
    const noExec = k.taints(await k.node('a')).find((x) => x.effect === 'NoExecute');
    const taintedAt = Date.parse(String(noExec?.timeAdded));
    while (t.clock.now() + 30_000 < taintedAt + 300_000) await k.tick(30_000);
    await t.settle();
    assert.equal(await k.terminating('p1'), false, 'p1 still there before 300 s');
    while (t.clock.now() < taintedAt + 301_000) await k.tick(Math.min(30_000, taintedAt + 301_000 - t.clock.now()));
    await t.until(async () => (await k.terminating('p1')) && (await k.terminating('p2')), 'pods on a deleted');
    assert.equal(await k.terminating('q1'), false);
    const p1 = await t.admin.get(R.pods, NS, 'p1');
    const dt = ((p1.status as { conditions: Obj[] }).conditions).find((c) => c.type === 'DisruptionTarget');
    assert.equal(dt?.reason, 'DeletionByTaintManager');
    await t.settle();
    const msgs = (await t.list(R.events, NS)).filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.message);
    assert.ok(msgs.includes('Marking for deletion Pod default/p1'));
  });

  it('clears the taints when the node comes back', async () => {
    await k.restart('a');
    await k.tick(5_000);
    await k.tick(5_000);
    await t.until(async () => k.taints(await k.node('a')).length === 0, 'taints of a removed');
    assert.equal(k.ready(await k.node('a')).status, 'True');
  });
});

describe('node lifecycle: startup, conditions and labels', () => {
  let t: ControllerTest;
  let k: NodeKubelets;
  before(async () => {
    t = await startControllerTest([nodeLifecycleControllerFactory]);
    k = new NodeKubelets(t);
  });
  after(async () => t.stop());

  it('gives a node that never posted status the 60 s startup grace period, then NodeStatusNeverUpdated', async () => {
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'fresh' } });
    await t.settle();
    await k.tick(55_000);
    assert.equal((await k.node('fresh')).status?.['conditions' as never], undefined);
    await k.tick(10_000);
    const n = await t.until(async () => {
      const x = await k.node('fresh');
      return (x.status as { conditions?: Obj[] } | undefined)?.conditions ? x : undefined;
    }, 'conditions on fresh');
    const conds = (n.status as { conditions: Obj[] }).conditions;
    assert.deepEqual(conds.map((c) => c.type), ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    for (const c of conds) {
      assert.equal(c.status, 'Unknown');
      assert.equal(c.reason, 'NodeStatusNeverUpdated');
      assert.equal(c.message, 'Kubelet never posted node status.');
    }
    await t.until(async () => k.taints(await k.node('fresh')).some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule'), 'unreachable:NoSchedule');
  });

  it('mirrors pressure conditions and spec.unschedulable as NoSchedule taints, and removes them', async () => {
    await k.addNode('busy', { labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'arm64' } });
    await k.setCondition('busy', 'MemoryPressure', 'True');
    await t.admin.patch(R.nodes, '', 'busy', { spec: { unschedulable: true } }, 'merge');
    await t.until(async () => k.taints(await k.node('busy')).length === 2, 'two NoSchedule taints');
    assert.deepEqual(k.taints(await k.node('busy')).map((x) => `${x.key}:${x.effect}`).sort(), [
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    const labels = (await k.node('busy')).metadata?.labels as Record<string, string>;
    assert.equal(labels['beta.kubernetes.io/os'], 'linux');
    assert.equal(labels['beta.kubernetes.io/arch'], 'amd64');
    await k.setCondition('busy', 'MemoryPressure', 'False');
    await t.admin.patch(R.nodes, '', 'busy', { spec: { unschedulable: null } }, 'merge');
    await t.until(async () => k.taints(await k.node('busy')).length === 0, 'taints removed');
  });
});

describe('node lifecycle: zones, rate limits and disruption', () => {
  let t: ControllerTest;
  let k: NodeKubelets;
  let nlc: NodeLifecycleController;
  const zone = (z: string) => ({ 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': z });
  const noExecute = async (n: string) => k.taints(await k.node(n)).find((x) => x.effect === 'NoExecute');
  before(async () => {
    t = await startControllerTest([nodeLifecycleControllerFactory]);
    k = new NodeKubelets(t);
    nlc = t.manager.controllers[0] as NodeLifecycleController;
    for (let i = 1; i <= 6; i++) await k.addNode(`za-${i}`, { labels: zone('za') });
    for (let i = 1; i <= 4; i++) await k.addNode(`zb-${i}`, { labels: zone('zb') });
    await k.tick(5_000);
  });
  after(async () => t.stop());

  it('taints a normal zone at 0.1 nodes/s and none in a partially disrupted small zone', async () => {
    for (const n of ['za-1', 'za-2', 'zb-1', 'zb-2', 'zb-3']) k.stop(n);
    for (let i = 0; i < 16; i++) await k.tick(5_000);
    assert.equal(nlc.zoneState('r:\x00:za'), 'Normal');
    assert.equal(nlc.zoneState('r:\x00:zb'), 'PartialDisruption');
    const [t1, t2] = await Promise.all(['za-1', 'za-2'].map(noExecute));
    assert.ok(t1 && t2, 'both za nodes tainted NoExecute');
    assert.equal(t1.key, 'node.kubernetes.io/unreachable');
    const gap = Math.abs(Date.parse(String(t1.timeAdded)) - Date.parse(String(t2.timeAdded)));
    assert.ok(gap >= 10_000, `second taint ${gap} ms after the first`);
    for (const n of ['zb-1', 'zb-2', 'zb-3']) {
      assert.equal(await noExecute(n), undefined, n);
      assert.ok(k.taints(await k.node(n)).some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule'));
    }
  });

  it('stops all tainting and removes NoExecute taints when every zone is fully disrupted', async () => {
    for (let i = 1; i <= 6; i++) k.stop(`za-${i}`);
    k.stop('zb-4');
    for (let i = 0; i < 14; i++) await k.tick(5_000);
    assert.equal(nlc.zoneState('r:\x00:za'), 'FullDisruption');
    assert.equal(nlc.zoneState('r:\x00:zb'), 'FullDisruption');
    for (const n of ['za-1', 'za-2', 'za-3', 'zb-4']) {
      assert.equal(k.ready(await k.node(n)).status, 'Unknown', n);
      assert.equal(await noExecute(n), undefined, n);
    }
  });
});
