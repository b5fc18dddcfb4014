import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HostLocalBridge, resultIP, CNI_VERSION } from '../../../../src/addons/cni/plugin';

describe('HostLocalBridge (the CNI plugin)', () => {
  it('ADD returns a CNI result with an address of the podCIDR and the gateway; idempotent per container', () => {
    const cni = new HostLocalBridge('10.244.2.0/24');
    const r = cni.add('pod-a');
    assert.deepEqual(r, {
      cniVersion: CNI_VERSION,
      interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/cni-pod-a' }],
      ips: [{ address: '10.244.2.2/24', gateway: '10.244.2.1', interface: 0 }],
    });
    assert.equal(resultIP(cni.add('pod-a')), '10.244.2.2', 'a retried ADD gets the same address');
    assert.equal(resultIP(cni.add('pod-b')), '10.244.2.3');
    assert.equal(cni.check('pod-a'), true);
  });

  it('DEL releases (and is a no-op for unknown ids); restore keeps restarted sandboxes from being handed out twice', () => {
    const cni = new HostLocalBridge('10.244.2.0/24');
    cni.add('a');
    cni.del('a');
    cni.del('never-added');
    assert.equal(cni.check('a'), false);
    const fresh = new HostLocalBridge('10.244.2.0/24');
    assert.equal(fresh.restore('old', '10.244.2.2'), true);
    assert.equal(fresh.restore('other', '10.244.2.2'), false, 'held by another sandbox');
    assert.equal(fresh.restore('x', '10.244.9.9'), false, 'outside the range');
    assert.notEqual(resultIP(fresh.add('new')), '10.244.2.2');
  });

  it('refuses an unusable podCIDR with host-local wording', () => {
    assert.throws(() => new HostLocalBridge('10.244.2.1/24'), /network has host bits set/);
  });
});
