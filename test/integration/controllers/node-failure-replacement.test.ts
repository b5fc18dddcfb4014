/**
 * A node losing its heartbeat and its pods being replaced elsewhere (issue [4/10]'s scenario), with the node
 * lifecycle, taint eviction and ReplicaSet controllers against the real API server on a fake clock. The test plays
 * the kubelets and the scheduler: it renews the Leases of the healthy nodes, binds pods to nodes and reports them
 * Running and Ready. Node `a` stops; after the 50 s grace period it is Unknown and tainted unreachable, its pods
 * are marked not ready, and after their 300 s default tolerations they are deleted; the ReplicaSet creates
 * replacements, which the test binds to the healthy nodes.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { nodeLifecycleControllerFactory } from '../../../src/controllers/nodelifecycle';
import { replicaSetControllerFactory } from '../../../src/controllers/replicaset';
import { taintEvictionControllerFactory } from '../../../src/controllers/tainteviction';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { NodeKubelets } from './node-kubelets';

const NS = 'default';

describe('a node losing its heartbeat and its pods being replaced elsewhere', () => {
  let t: ControllerTest;
  let k: NodeKubelets;
  before(async () => {
    t = await startControllerTest([nodeLifecycleControllerFactory, taintEvictionControllerFactory, replicaSetControllerFactory]);
    k = new NodeKubelets(t);
    for (const n of ['a', 'b', 'c']) await k.addNode(n);
  });
  after(async () => t.stop());

  const nodeOf = (p: Obj) => String((p.spec as { nodeName?: string }).nodeName ?? '');
  const webPods = async () => (await t.list(R.pods, NS, { labelSelector: 'app=web' })).filter((p) => !p.metadata?.deletionTimestamp);

  /** The scheduler and kubelets: every unbound web pod goes to the healthy node with the fewest web pods. */
  async function scheduleAndRun(healthy: string[]): Promise<void> {
    const pods = await webPods();
    const load = new Map(healthy.map((n) => [n, pods.filter((x) => nodeOf(x) === n).length]));
    for (const p of pods.filter((x) => !nodeOf(x))) {
      const target = [...healthy].sort((x, y) => (load.get(x) ?? 0) - (load.get(y) ?? 0))[0];
      await k.bindAndRun(String(p.metadata?.name), target);
      load.set(target, (load.get(target) ?? 0) + 1);
    }
  }

  it('replaces the pods of the dead node on the healthy ones', async () => {
    const labels = { app: 'web' };
    await t.admin.create(R.replicasets, NS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: { replicas: 4, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await t.until(async () => (await webPods()).length === 4, '4 pods');
    await scheduleAndRun(['a', 'b']);
    const onA = (await webPods()).filter((p) => nodeOf(p) === 'a').map((p) => String(p.metadata?.name));
    assert.equal(onA.length, 2);
    await t.until(async () => (await t.admin.get(R.replicasets, NS, 'web')).status?.['readyReplicas' as never] === 4, '4 ready');

    await k.tick(5_000);
    k.stop('a');
    const stoppedAt = t.clock.now();
    let unknownAt = 0;
    let taintedAt = 0;
    while (t.clock.now() - stoppedAt < 420_000) {
      await k.tick(10_000);
      if (!unknownAt && k.ready(await k.node('a')).status === 'Unknown') unknownAt = t.clock.now();
      if (!taintedAt && k.taints(await k.node('a')).some((x) => x.effect === 'NoExecute')) taintedAt = t.clock.now();
      if (taintedAt && t.clock.now() - taintedAt < 290_000) {
        // Until the tolerations run out, the pods of `a` stay (not ready) and nothing is replaced.
        const pods = await webPods();
        assert.equal(pods.length, 4);
      }
      await scheduleAndRun(['b', 'c']);
    }
    assert.ok(unknownAt - stoppedAt > 50_000 && unknownAt - stoppedAt <= 60_000, `Unknown after ${unknownAt - stoppedAt} ms`);
    assert.ok(taintedAt > 0 && taintedAt - unknownAt <= 10_000, `tainted ${taintedAt - unknownAt} ms after Unknown`);
    for (const name of onA) assert.equal(await k.terminating(name), true, `${name} deleted`);

    const pods = await t.until(async () => {
      await scheduleAndRun(['b', 'c']);
      const ps = await webPods();
      return ps.length === 4 && ps.every((p) => nodeOf(p) && nodeOf(p) !== 'a') ? ps : undefined;
    }, '4 web pods on b and c');
    assert.deepEqual([...new Set(pods.map(nodeOf))].sort(), ['b', 'c']);
    await t.until(async () => (await t.admin.get(R.replicasets, NS, 'web')).status?.['readyReplicas' as never] === 4, '4 ready again');
    await t.settle();
    const reasons = (await t.list(R.events, NS)).map((e) => `${e.reason}: ${e.message}`);
    for (const name of onA) assert.ok(reasons.includes(`TaintManagerEviction: Marking for deletion Pod default/${name}`), name);
    assert.equal(reasons.filter((r) => r.startsWith('SuccessfulCreate:')).length, 6);
  });
});
