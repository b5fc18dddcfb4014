/**
 * End to end with the in-process cluster (fake clock): a worker's kubelet dies (`cluster.nodes.stop`). After the
 * node monitor grace period (50 s since 1.32) past its last Lease renewal its Node goes Ready=Unknown ("Kubelet stopped posting node status."), gets the
 * unreachable taints and its pods Ready=False; after their tolerationSeconds the taint eviction controller deletes
 * them (DisruptionTarget, TaintManagerEviction) and the Deployment's replacements run Running, Ready elsewhere. The
 * old pods stay Terminating while nobody can stop their containers; started again, the node is Ready, the kubelet
 * finishes them and their objects go away, leaving exactly the Deployment's replicas.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../../src/controllers/framework';
import { condition, isRunningReady, startNodesCluster, type NodesCluster, type PodLike } from '../../helpers/cluster-nodes';

const NS = 'default';
const TOLERATION_S = 60;

interface NodeLike {
  spec: { taints?: { key: string; effect: string; timeAdded?: string }[] };
  status: { conditions: { type: string; status: string; reason: string; message: string }[] };
}

describe('a node whose kubelet stops', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 3 });
  });
  after(async () => c.stop());

  const node = async (name: string) => (await c.admin.get(R.nodes, '', name)) as unknown as NodeLike;
  const ready = (n: NodeLike) => n.status.conditions.find((x) => x.type === 'Ready');

  it('goes NotReady, its pods are evicted after tolerationSeconds and come back Running elsewhere; started again it is Ready', async () => {
    const tolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: TOLERATION_S }));
    await c.admin.create(R.deployments, NS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { tolerations, containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
      },
    });
    const first = await c.until('3 web pods Running', async () => {
      const ps = await c.pods(NS, 'app=web');
      return ps.length === 3 && ps.every(isRunningReady) ? ps : undefined;
    });
    const victim = first[0].spec.nodeName!;
    const lost = first.filter((p) => p.spec.nodeName === victim);
    const lostUids = new Set(lost.map((p) => p.metadata.uid));

    await c.tc.cluster.nodes.stop(victim);
    const lease = (await c.admin.get(R.leases, 'kube-node-lease', victim)) as { spec: { renewTime: string } };
    const lastRenew = Date.parse(lease.spec.renewTime);
    assert.equal(c.tc.cluster.nodes.list().find((n) => n.name === victim)?.state, 'stopped');
    // Still Ready within the grace period.
    await c.advance(30_000, 500);
    assert.equal(ready(await node(victim))?.status, 'True');

    const down = await c.until(
      `${victim} Ready=Unknown`,
      async () => {
        const n = await node(victim);
        return ready(n)?.status === 'Unknown' ? n : undefined;
      },
      { stepMs: 500 },
    );
    // The controller stamps a renewal when a 5 s node monitor pass sees it, and declares the node unknown on the
    // first pass more than 50 s after that stamp: 50–60 s after the renewal itself, plus what a busy machine adds
    // when a pass's writes land after the next fake-time step (61.1 s seen in CI). Never before 50 s.
    const unknownAfter = c.clock.now() - lastRenew;
    assert.ok(unknownAfter >= 50_000 && unknownAfter <= 66_000, `NotReady ${unknownAfter} ms after the last Lease renewal (50 s grace)`);
    assert.equal(Date.parse(((await c.admin.get(R.leases, 'kube-node-lease', victim)) as typeof lease).spec.renewTime), lastRenew, 'no renewal after the stop');
    assert.deepEqual([ready(down)?.reason, ready(down)?.message], ['NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    const tainted = await c.until(`${victim} unreachable taints`, async () => {
      const n = await node(victim);
      const keys = (n.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
      return keys.includes('node.kubernetes.io/unreachable:NoExecute') && keys.includes('node.kubernetes.io/unreachable:NoSchedule') ? n : undefined;
    });
    const taintedAt = Date.parse(tainted.spec.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!);
    // Its pods are marked not Ready, with the controller's event.
    await c.until('lost pods not Ready', async () => {
      const ps = (await c.pods(NS, 'app=web')).filter((p) => lostUids.has(p.metadata.uid));
      return ps.length === lost.length && ps.every((p) => condition(p, 'Ready')?.status === 'False');
    });
    const nodeNotReady = await c.until('NodeNotReady pod event', async () => {
      const es = (await c.events(NS, lost[0].metadata.name)).filter((e) => e.reason === 'NodeNotReady');
      return es.length ? es : undefined;
    });
    assert.deepEqual([nodeNotReady[0].type, nodeNotReady[0].message], ['Warning', 'Node is not ready']);
    // Not evicted before tolerationSeconds.
    const untilEviction = taintedAt + TOLERATION_S * 1000 - c.clock.now();
    if (untilEviction > 5_000) {
      await c.advance(untilEviction - 5_000, 1000);
      assert.ok((await c.pods(NS, 'app=web')).filter((p) => lostUids.has(p.metadata.uid)).every((p) => !p.metadata.deletionTimestamp), 'evicted before tolerationSeconds');
    }
    const evicted = await c.until(
      'lost pods marked for deletion',
      async () => {
        const ps = (await c.pods(NS, 'app=web')).filter((p) => lostUids.has(p.metadata.uid));
        return ps.length === lost.length && ps.every((p) => p.metadata.deletionTimestamp) ? ps : undefined;
      },
      { stepMs: 500 },
    );
    const evictedAfter = c.clock.now() - taintedAt;
    assert.ok(evictedAfter >= TOLERATION_S * 1000 && evictedAfter <= TOLERATION_S * 1000 + 10_000, `evicted ${evictedAfter} ms after the taint`);
    for (const p of evicted) {
      assert.deepEqual(
        [condition(p, 'DisruptionTarget')?.status, condition(p, 'DisruptionTarget')?.reason, condition(p, 'DisruptionTarget')?.message],
        ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint'],
      );
      const ev = await c.until('TaintManagerEviction event', async () => (await c.events(NS, p.metadata.name)).find((e) => e.reason === 'TaintManagerEviction'));
      assert.equal(ev.message, `Marking for deletion Pod default/${p.metadata.name}`);
    }

    // Replacements run on the other workers; the lost pods stay Terminating (no kubelet to stop them).
    const replaced = await c.until(
      'three Running replacements off the dead node',
      async () => {
        const ps = await c.pods(NS, 'app=web');
        const live = ps.filter((p) => !p.metadata.deletionTimestamp);
        return live.length === 3 && live.every((p) => isRunningReady(p) && p.spec.nodeName !== victim) ? ps : undefined;
      },
      { stepMs: 500 },
    );
    assert.equal(replaced.filter((p) => p.metadata.deletionTimestamp).length, lost.length);
    await c.until('Deployment available again', async () => ((await c.admin.get(R.deployments, NS, 'web')) as { status?: { availableReplicas?: number } }).status?.availableReplicas === 3);

    // The node comes back: Ready again, taints gone, the kubelet finishes the evicted pods.
    await c.tc.cluster.nodes.start(victim);
    const back = await c.until(`${victim} Ready again`, async () => {
      const n = await node(victim);
      return ready(n)?.status === 'True' && !(n.spec.taints ?? []).some((t) => t.key.startsWith('node.kubernetes.io/')) ? n : undefined;
    });
    assert.equal(ready(back)?.reason, 'KubeletReady');
    const final = await c.until(
      'evicted pod objects gone',
      async () => {
        const ps = await c.pods(NS, 'app=web');
        return ps.every((p) => !lostUids.has(p.metadata.uid)) ? ps : undefined;
      },
      { stepMs: 500 },
    );
    assert.equal(final.length, 3);
    assert.ok(final.every((p: PodLike) => isRunningReady(p)));
    assert.equal(c.tc.cluster.nodes.list().find((n) => n.name === victim)?.state, 'running');
  });
});
