import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterConfigFromSettings, type KubeLabSettings } from '../../../../src/ui/settings/cluster-settings';

const BASE: KubeLabSettings = { nodes: 3, nodeCapacity: {}, runtime: 'sim', apiPort: 0, proxyMode: 'iptables', etcdEndpoints: [] };

describe('VS Code settings → ClusterConfig', () => {
  it('defaults: 3 sim workers plus the control plane, any free add-on ports, embedded storage', () => {
    const { config, warnings } = clusterConfigFromSettings(BASE, true);
    assert.equal(config.nodes.filter((n) => n.role === 'worker').length, 3);
    assert.ok(config.nodes.every((n) => n.runtime === 'sim'));
    assert.deepEqual([config.addons.dns.port, config.addons.ingress.port, config.port], [0, 0, 0]);
    assert.deepEqual(config.storage, { type: 'sqljs' });
    assert.deepEqual(warnings, []);
  });

  it('node capacity and kube-proxy mode reach the workers and the config', () => {
    const { config } = clusterConfigFromSettings({ ...BASE, nodes: 2, nodeCapacity: { cpu: '8', memory: '16Gi', pods: '250' }, proxyMode: 'ipvs' }, true);
    const workers = config.nodes.filter((n) => n.role === 'worker');
    assert.equal(workers.length, 2);
    for (const w of workers) assert.deepEqual([w.capacity.cpu, w.capacity.memory, w.capacity.pods], ['8', '16Gi', '250']);
    assert.equal(config.kubeProxy.mode, 'ipvs');
  });

  it('the process runtime only in a trusted workspace', () => {
    const trusted = clusterConfigFromSettings({ ...BASE, runtime: 'process' }, true);
    assert.ok(trusted.config.nodes.filter((n) => n.role === 'worker').every((n) => n.runtime === 'process'));
    assert.ok(trusted.warnings.some((w) => w.includes('real local processes')));
    const untrusted = clusterConfigFromSettings({ ...BASE, runtime: 'process' }, false);
    assert.ok(untrusted.config.nodes.every((n) => n.runtime === 'sim'));
    assert.match(untrusted.warnings[0], /allowed only in a trusted workspace/);
  });

  it('per-node runtimes: the named workers get theirs, the others the default; process only when trusted', () => {
    const rt = (trusted: boolean) =>
      clusterConfigFromSettings({ ...BASE, nodes: 3, nodeRuntimes: { 'kubelab-worker2': 'process' }, nodeCapacity: { cpu: '4' } }, trusted).config.nodes.map((n) => [n.name, n.role, n.runtime, n.role === 'worker' ? n.capacity.cpu : '-']);
    assert.deepEqual(rt(true), [
      ['kubelab-control-plane', 'control-plane', 'sim', '-'],
      ['kubelab-worker', 'worker', 'sim', '4'],
      ['kubelab-worker2', 'worker', 'process', '4'],
      ['kubelab-worker3', 'worker', 'sim', '4'],
    ]);
    assert.ok(rt(false).every(([, , runtime]) => runtime === 'sim'));
    assert.throws(() => clusterConfigFromSettings({ ...BASE, nodeRuntimes: { 'kubelab-worker9': 'sim' } }, true), /kubelab\.nodeRuntimes names no worker: kubelab-worker9 \(the workers are kubelab-worker, kubelab-worker2, kubelab-worker3\)/);
    assert.throws(() => clusterConfigFromSettings({ ...BASE, nodeRuntimes: { 'kubelab-worker': 'docker' } }, true), /kubelab\.nodeRuntimes \(nodes\[0\]\.runtime: /);
  });

  it('bad values name the setting and the field', () => {
    assert.throws(() => clusterConfigFromSettings({ ...BASE, nodeCapacity: { cpu: 'lots' } }, true), /^Error: invalid KubeLab settings: kubelab\.nodeCapacity \(workers\.template\.capacity\.cpu: .*lots/);
    assert.throws(() => clusterConfigFromSettings({ ...BASE, nodes: -1 }, true), /kubelab\.nodes \(workers\.count: /);
    assert.throws(() => clusterConfigFromSettings({ ...BASE, runtime: 'docker' }, true), /kubelab\.runtime \(workers\.template\.runtime: /);
    assert.throws(() => clusterConfigFromSettings({ ...BASE, etcdEndpoints: ['not a url'] }, true), /kubelab\.storage\.etcdEndpoints \(storage\.endpoints\[0\]: /);
  });

  it('etcd endpoints select the etcd storage', () => {
    const { config } = clusterConfigFromSettings({ ...BASE, etcdEndpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'] }, true);
    assert.deepEqual(config.storage, { type: 'etcd', endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'] });
  });
});
