/**
 * The in-process cluster's kubelets beat on a common tick (src/cluster/node-pool.ts, HEARTBEAT_TICK_MS): after the
 * first renewal at start, every node's Lease is renewed at a multiple of 2 s since the epoch, so many nodes' renewals
 * arrive together — still every 10–12 s, far inside the 40 s lease duration.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { HEARTBEAT_TICK_MS } from '../../../src/cluster/node-pool';
import { startNodesCluster, type NodesCluster } from '../../helpers/cluster-nodes';

describe('kubelet heartbeats on a shared tick', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 3 });
  });
  after(async () => c.stop());

  it("renews every node's Lease on multiples of the tick, every 10–12 s", async () => {
    assert.equal(HEARTBEAT_TICK_MS, 2000);
    const renewals = async () => {
      const items = ((await c.admin.list(R.leases, 'kube-node-lease')).items ?? []) as Obj[];
      return new Map(items.map((l) => [String((l.metadata as Obj).name), Date.parse(String((l.spec as Obj).renewTime))]));
    };
    const nodes = (((await c.admin.list(R.nodes, '')).items ?? []) as Obj[]).map((n) => String((n.metadata as Obj).name));
    assert.equal(nodes.length, 4, 'three workers and the control plane');
    await c.advance(13_000, 500);
    const first = await renewals();
    await c.advance(12_500, 500);
    const second = await renewals();
    for (const n of nodes) {
      const a = first.get(n)!;
      const b = second.get(n)!;
      assert.equal(a % HEARTBEAT_TICK_MS, 0, `${n}: renewed at ${new Date(a).toISOString()}, not on a tick`);
      assert.equal(b % HEARTBEAT_TICK_MS, 0, `${n}: renewed at ${new Date(b).toISOString()}, not on a tick`);
      assert.ok(b - a >= 10_000 && b - a <= 12_000, `${n}: renewals ${b - a} ms apart`);
    }
  });
});
