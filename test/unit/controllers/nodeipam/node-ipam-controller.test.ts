/**
 * The node IPAM controller against the real in-process API server (as kube-system/node-controller, so RBAC's
 * system:controller:node-controller is exercised): /24s of the cluster CIDR patched into spec.podCIDR(s), the
 * CIDRNotAvailable event when the range is used up, release on deletion, Nodes that arrive with a bad podCIDR left
 * alone with an event, and a restart that marks the existing podCIDRs before handing out any.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../src/base/logger';
import { R, type Obj } from '../../../../src/controllers/framework';
import { startControllerManager } from '../../../../src/controllers/manager';
import { NODE_IPAM_CONTROLLER, newNodeIpamControllerFactory, nodeIpamControllerFactory } from '../../../../src/controllers/nodeipam';
import { allControllerFactories } from '../../../../src/controllers/registry';
import { startControllerTest, type ControllerTest } from '../../../helpers/controllers';

const node = (name: string, spec: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });

async function podCidrOf(t: ControllerTest, name: string): Promise<{ podCIDR?: string; podCIDRs?: string[] }> {
  return ((await t.admin.get(R.nodes, '', name)).spec ?? {}) as { podCIDR?: string; podCIDRs?: string[] };
}

async function nodeEvents(t: ControllerTest, name: string): Promise<Obj[]> {
  return (await t.list(R.events, 'default')).filter((e) => (e.involvedObject as Obj | undefined)?.name === name);
}

const waitCidr = (t: ControllerTest, name: string) =>
  t.until(async () => (await podCidrOf(t, name)).podCIDR, `${name} gets a podCIDR`);

describe('node IPAM controller', () => {
  it('is registered as node-ipam-controller with the default 10.244.0.0/16', () => {
    assert.equal(nodeIpamControllerFactory.name, 'node-ipam-controller');
    assert.ok(allControllerFactories({ caPem: '', dataDir: '/tmp' }).some((f) => f.name === NODE_IPAM_CONTROLLER));
  });

  describe('with the default cluster CIDR', () => {
    let t: ControllerTest;
    before(async () => {
      t = await startControllerTest([nodeIpamControllerFactory]);
    });
    after(async () => t.stop());

    it('patches the next /24 into spec.podCIDR and spec.podCIDRs of each new Node', async () => {
      for (const n of ['n0', 'n1', 'n2']) {
        await t.admin.create(R.nodes, '', node(n));
        await waitCidr(t, n);
      }
      await t.settle();
      for (const [i, n] of ['n0', 'n1', 'n2'].entries()) {
        assert.deepEqual(await podCidrOf(t, n), { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] });
      }
    });

    it('leaves a Node that comes with a podCIDR outside the cluster CIDR alone, with an event', async () => {
      await t.admin.create(R.nodes, '', node('outside', { podCIDR: '192.168.7.0/24', podCIDRs: ['192.168.7.0/24'] }));
      await t.settle();
      assert.deepEqual((await podCidrOf(t, 'outside')).podCIDRs, ['192.168.7.0/24']);
      const ev = await t.until(async () => (await nodeEvents(t, 'outside'))[0], 'an event about outside');
      assert.equal(ev.type, 'Warning');
      assert.equal(ev.reason, 'PodCIDROutOfRange');
      assert.equal(ev.message, 'failed to mark cidr[192.168.7.0/24] at idx [0] as occupied for node: outside: cidr 192.168.7.0/24 is out the range of cluster cidr 10.244.0.0/16');
      assert.equal((ev.source as Obj).component, 'cidrAllocator');
    });

    it('leaves a Node whose podCIDR overlaps another Node alone, with an event, and never hands that block out', async () => {
      await t.admin.create(R.nodes, '', node('dup', { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }));
      await t.settle();
      const ev = await t.until(async () => (await nodeEvents(t, 'dup'))[0], 'an event about dup');
      assert.equal(ev.reason, 'PodCIDRConflict');
      assert.equal(ev.message, 'podCIDR 10.244.1.0/24 of Node dup overlaps the podCIDR of Node n1');
      // A Node with a free block inside the range that is not the next one: marked, so never handed out.
      await t.admin.create(R.nodes, '', node('preset', { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'] }));
      await t.admin.create(R.nodes, '', node('n4'));
      assert.equal(await waitCidr(t, 'n4'), '10.244.4.0/24');
      assert.deepEqual(await nodeEvents(t, 'preset'), []);
    });
  });

  describe('with a cluster CIDR of two blocks', () => {
    let t: ControllerTest;
    before(async () => {
      t = await startControllerTest([newNodeIpamControllerFactory({ clusterCIDR: '10.10.0.0/23' })]);
    });
    after(async () => t.stop());

    it('records CIDRNotAvailable and sets nothing when the range is used up; a deleted Node frees its block', async () => {
      await t.admin.create(R.nodes, '', node('a'));
      assert.equal(await waitCidr(t, 'a'), '10.10.0.0/24');
      await t.admin.create(R.nodes, '', node('b'));
      assert.equal(await waitCidr(t, 'b'), '10.10.1.0/24');
      await t.admin.create(R.nodes, '', node('c'));
      await t.settle();
      const ev = await t.until(async () => (await nodeEvents(t, 'c'))[0], 'an event about c');
      assert.deepEqual(
        [ev.type, ev.reason, ev.message, (ev.source as Obj).component, (ev.involvedObject as Obj).kind],
        ['Normal', 'CIDRNotAvailable', 'Node c status is now: CIDRNotAvailable', 'cidrAllocator', 'Node'],
      );
      assert.deepEqual(await podCidrOf(t, 'c'), {});
      await t.admin.delete(R.nodes, '', 'a');
      assert.equal(await waitCidr(t, 'c'), '10.10.0.0/24');
    });
  });

  it('after a restart marks the podCIDRs already in use before it hands out any', async () => {
    const t = await startControllerTest([nodeIpamControllerFactory]);
    try {
      await t.admin.create(R.nodes, '', node('x'));
      await t.admin.create(R.nodes, '', node('y'));
      await waitCidr(t, 'x');
      await waitCidr(t, 'y');
      await t.manager.close();
      // Created while no controller runs; the new controller's first candidate block is 10.244.0.0/24 (x's).
      await t.admin.create(R.nodes, '', node('a-new'));
      const m2 = await startControllerManager({ handle: (r) => t.tc.cluster.handle(r), controllers: [nodeIpamControllerFactory], logger: silentLogger, clock: t.clock });
      try {
        assert.equal(await waitCidr(t, 'a-new'), '10.244.2.0/24');
        await m2.idle();
        assert.deepEqual(await nodeEvents(t, 'x'), []);
      } finally {
        await m2.close();
      }
    } finally {
      await t.tc.stop();
    }
  });
});
