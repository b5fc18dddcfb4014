/** buildNode: the Node a 1.32 kubelet registers — labels, capacity/allocatable, conditions, addresses, nodeInfo. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildNode, nodeAllocatable, nodeInfo, type NodeConfig } from '../../../../src/kubelet/node/node-object';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
const cfg: NodeConfig = {
  name: 'kl-worker-1',
  internalIP: '172.18.0.3',
  capacity: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
  containerRuntimeVersion: 'sim://1.0.0',
};

describe('buildNode', () => {
  it('carries the kubelet default labels, roles and the attach-detach annotation', () => {
    const n = buildNode({ ...cfg, roles: ['control-plane'], labels: { tier: 'a' } }, T0);
    assert.deepEqual(n.metadata.labels, {
      tier: 'a',
      'node-role.kubernetes.io/control-plane': '',
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'kl-worker-1',
      'kubernetes.io/os': 'linux',
    });
    assert.deepEqual(n.metadata.annotations, { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' });
  });

  it('user labels cannot override the kubelet-owned ones', () => {
    const n = buildNode({ ...cfg, labels: { 'kubernetes.io/os': 'windows' } }, T0);
    assert.equal(n.metadata.labels['kubernetes.io/os'], 'linux');
  });

  it('has the four conditions in upstream order with upstream reasons and messages, times at whole seconds', () => {
    const n = buildNode(cfg, T0);
    assert.deepEqual(
      n.status.conditions.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', '2026-01-01T12:00:00Z', '2026-01-01T12:00:00Z'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', '2026-01-01T12:00:00Z', '2026-01-01T12:00:00Z'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', '2026-01-01T12:00:00Z', '2026-01-01T12:00:00Z'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', '2026-01-01T12:00:00Z', '2026-01-01T12:00:00Z'],
      ],
    );
  });

  it('capacity adds pods 110 and hugepages; allocatable subtracts eviction-hard (100Mi, 10% nodefs) and reserved', () => {
    const n = buildNode(cfg, T0);
    assert.deepEqual(n.status.capacity, { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' });
    assert.deepEqual(n.status.allocatable, { cpu: '4', memory: '8092Mi', 'ephemeral-storage': '90Gi', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' });
    const r = nodeAllocatable({ ...cfg, reserved: { cpu: '100m', memory: '256Mi' }, evictionHard: false });
    assert.equal(r.cpu, '3900m');
    assert.equal(r.memory, '7936Mi');
    assert.equal(r['ephemeral-storage'], '100Gi');
  });

  it('allocatable never goes negative', () => {
    const r = nodeAllocatable({ ...cfg, capacity: { cpu: '1', memory: '64Mi' }, reserved: { cpu: '2' } });
    assert.equal(r.cpu, '0');
    assert.equal(r.memory, '0');
  });

  it('addresses, daemonEndpoints, taints and podCIDR', () => {
    const n = buildNode({ ...cfg, podCIDR: '10.244.1.0/24', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }, T0);
    assert.deepEqual(n.status.addresses, [
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'kl-worker-1' },
    ]);
    assert.deepEqual(n.status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    assert.deepEqual(n.spec, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    assert.deepEqual(buildNode(cfg, T0).spec, {});
  });

  it('nodeInfo has the versions, OS and stable ids per node name', () => {
    const i = nodeInfo({ ...cfg, arch: 'arm64', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)' });
    assert.equal(i.kubeletVersion, 'v1.32.0');
    assert.equal(i.kubeProxyVersion, 'v1.32.0');
    assert.equal(i.containerRuntimeVersion, 'sim://1.0.0');
    assert.equal(i.operatingSystem, 'linux');
    assert.equal(i.architecture, 'arm64');
    assert.equal(i.osImage, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(i.kernelVersion, '6.1.0');
    assert.match(i.machineID, /^[0-9a-f]{32}$/);
    assert.match(i.systemUUID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(i.bootID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('ids are a function of the name: stable for a name, distinct between names', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const x = nodeInfo({ ...cfg, name: a });
        assert.deepEqual(nodeInfo({ ...cfg, name: a }), x);
        const ids = new Set([x.machineID, x.systemUUID, x.bootID]);
        assert.equal(ids.size, 3);
        if (a !== b) assert.notEqual(nodeInfo({ ...cfg, name: b }).machineID, x.machineID);
      }),
    );
  });
});
