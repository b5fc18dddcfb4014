/**
 * Claim: the `process` runtime (containers as real local processes) runs only in a trusted workspace and never by
 * default. Checked at every layer that decides it: the default ClusterConfig and a config that names no runtime
 * (sim), the settings → config mapping (an untrusted workspace always gets sim, whatever the other settings), and
 * package.json (the setting defaults to sim and is a restricted configuration in untrusted workspaces).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { defaultClusterConfig, parseClusterConfig } from '../../../src/cluster/config';
import { clusterConfigFromSettings, type KubeLabSettings } from '../../../src/ui/settings/cluster-settings';

const root = path.resolve(__dirname, '..', '..', '..');

describe('the process runtime: never by default, only when trusted', () => {
  it('the default ClusterConfig and a config without a runtime run every node on sim', () => {
    const d = defaultClusterConfig();
    assert.ok(d.nodes.length > 0);
    assert.deepEqual([...new Set(d.nodes.map((n) => n.runtime))], ['sim']);
    assert.equal(d.workerTemplate.runtime, 'sim');
    const parsed = parseClusterConfig({ apiVersion: d.apiVersion, kind: d.kind, workers: { count: 2 } }, 'test').config;
    assert.deepEqual([...new Set(parsed.nodes.map((n) => n.runtime))], ['sim']);
  });

  it('an untrusted workspace never gets a process node, whatever the settings (property)', () => {
    const capacities: Record<string, string>[] = [{}, { cpu: '2' }, { memory: '1Gi', pods: '20' }];
    const settings: fc.Arbitrary<KubeLabSettings> = fc.record({
      nodes: fc.integer({ min: 0, max: 5 }),
      nodeCapacity: fc.constantFrom(...capacities),
      runtime: fc.constantFrom('process', 'sim'),
      apiPort: fc.constantFrom(0, 6443, 16443),
      proxyMode: fc.constantFrom('iptables', 'ipvs', 'userspace'),
      etcdEndpoints: fc.constant<string[]>([]),
    });
    fc.assert(
      fc.property(settings, (s) => {
        const { config, warnings } = clusterConfigFromSettings(s, false);
        assert.ok(config.nodes.every((n) => n.runtime === 'sim'), JSON.stringify(config.nodes.map((n) => n.runtime)));
        assert.equal(config.workerTemplate.runtime, 'sim');
        assert.equal(warnings.some((w) => /allowed only in a trusted workspace/.test(w)), s.runtime === 'process');
      }),
    );
  });

  it('a trusted workspace gets it only when asked for, and is told so', () => {
    const base: KubeLabSettings = { nodes: 2, nodeCapacity: {}, runtime: 'sim', apiPort: 0, proxyMode: 'iptables', etcdEndpoints: [] };
    assert.ok(clusterConfigFromSettings(base, true).config.nodes.every((n) => n.runtime === 'sim'));
    const asked = clusterConfigFromSettings({ ...base, runtime: 'process' }, true);
    assert.ok(asked.config.nodes.some((n) => n.runtime === 'process'));
    assert.ok(asked.warnings.some((w) => w.includes('real local processes')));
  });

  it('package.json: kubelab.runtime defaults to sim and is restricted in untrusted workspaces', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties?: Record<string, { default?: unknown }> } | { properties?: Record<string, { default?: unknown }> }[] };
      capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
    };
    const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
    const runtime = sections.map((c) => c.properties?.['kubelab.runtime']).find((p) => p !== undefined);
    assert.ok(runtime, 'kubelab.runtime is contributed');
    assert.equal(runtime.default, 'sim');
    const u = pkg.capabilities.untrustedWorkspaces;
    assert.equal(u.supported, 'limited');
    assert.ok(u.restrictedConfigurations?.includes('kubelab.runtime'));
  });
});
