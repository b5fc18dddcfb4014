/**
 * ClusterConfig controllerManager.nodeMonitorGracePeriod reaches the node lifecycle controller: with 20s (instead of
 * 1.32's 50s) a stopped kubelet's Node goes Ready=Unknown 20–36 s after its last Lease renewal (the controller's 5 s
 * monitor pass stamps the renewal it sees, then waits the grace period from that stamp), not before. Fake clock.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyCliOverrides, defaultClusterConfig } from '../../../src/cluster/config';
import { R } from '../../../src/controllers/framework';
import { condition, startNodesCluster, type NodesCluster } from '../../helpers/cluster-nodes';

const GRACE_MS = 20_000;

describe('controllerManager.nodeMonitorGracePeriod', () => {
  let c: NodesCluster;
  before(async () => {
    const config = { ...applyCliOverrides(defaultClusterConfig(), { nodes: 1, port: 0, dnsPort: 0, ingressPort: 0 }), nodeMonitorGracePeriodMs: GRACE_MS };
    c = await startNodesCluster({ config });
  });
  after(async () => c.stop());

  const readyOf = async (name: string) => condition((await c.admin.get(R.nodes, '', name)) as { status?: { conditions?: { type: string }[] } }, 'Ready');

  it('a stopped kubelet’s node goes Unknown after the configured grace period', async () => {
    const victim = c.tc.cluster.nodes.list().find((n) => n.name !== c.config.nodes[0].name)!.name;
    await c.until(`${victim} Ready`, async () => (await readyOf(victim))?.status === 'True', { stepMs: 500 });
    await c.tc.cluster.nodes.stop(victim);
    const lease = (await c.admin.get(R.leases, 'kube-node-lease', victim)) as { spec: { renewTime: string } };
    const lastRenew = Date.parse(lease.spec.renewTime);
    await c.advance(15_000 - (c.clock.now() - lastRenew), 500);
    assert.equal((await readyOf(victim))?.status, 'True', 'still Ready 15 s after the last renewal');
    await c.until(`${victim} Ready=Unknown`, async () => (await readyOf(victim))?.status === 'Unknown', { stepMs: 500, maxMs: 30_000 });
    const after = c.clock.now() - lastRenew;
    // 5 s until a monitor pass stamps the renewal, 5 s between passes, and slack for passes landing a step late
    // on a busy machine (as in node-failure.test.ts); never before the grace period.
    assert.ok(after >= GRACE_MS && after <= GRACE_MS + 16_000, `Unknown ${after} ms after the last renewal (grace ${GRACE_MS} ms; the default would be 50 s)`);
  });
});
