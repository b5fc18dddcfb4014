import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addWorker, applyCliOverrides, ClusterConfigError, defaultClusterConfig, parseClusterConfig, removeWorker, type ClusterConfig } from '../../../../src/cluster/config';

const HEAD = 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\n';
const names = (c: ClusterConfig) => c.nodes.map((n) => n.name);

/** Every node has its own IP and /24, and the control plane is first. */
function assertPlacement(c: ClusterConfig): void {
  assert.equal(new Set(c.nodes.map((n) => n.internalIP)).size, c.nodes.length, 'unique IPs');
  assert.equal(new Set(c.nodes.map((n) => n.podCIDR)).size, c.nodes.length, 'unique pod CIDRs');
  assert.equal(new Set(names(c)).size, c.nodes.length, 'unique names');
  assert.equal(c.nodes[0].role, 'control-plane');
}

describe('applyCliOverrides', () => {
  it('--nodes grows and shrinks the workers, keeping existing nodes as they were', () => {
    const base = defaultClusterConfig();
    const five = applyCliOverrides(base, { nodes: 5 });
    assert.deepEqual(names(five), ['kubelab-control-plane', 'kubelab-worker', 'kubelab-worker2', 'kubelab-worker3', 'kubelab-worker4', 'kubelab-worker5']);
    assert.deepEqual(five.nodes.slice(0, 4), base.nodes);
    assert.equal(five.nodes[5].internalIP, '172.18.0.7');
    const one = applyCliOverrides(base, { nodes: 1 });
    assert.deepEqual(one.nodes, base.nodes.slice(0, 2));
    assert.deepEqual(names(applyCliOverrides(base, { nodes: 0 })), ['kubelab-control-plane']);
    assert.equal(base.nodes.length, 4, 'the argument is left alone');
  });

  it('new workers come from the worker template of the file', () => {
    const { config } = parseClusterConfig(`${HEAD}workers: { count: 1, template: { runtime: process, capacity: { cpu: 16 } } }\n`, 'x');
    const out = applyCliOverrides(config, { nodes: 2 });
    assert.equal(out.nodes[2].runtime, 'process');
    assert.equal(out.nodes[2].capacity.cpu, '16');
  });

  it('--port and --time-scale replace the file values', () => {
    const out = applyCliOverrides(defaultClusterConfig(), { port: 0, timeScale: 0.1 });
    assert.equal(out.port, 0);
    assert.equal(out.timeScale, 0.1);
  });

  it('refuses bad values, naming the flag', () => {
    const bad: [Parameters<typeof applyCliOverrides>[1], RegExp][] = [
      [{ nodes: -1 }, /^command line: --nodes: must be a whole number from 0 to 5000, not -1$/],
      [{ nodes: 5001 }, /--nodes: must be a whole number from 0 to 5000, not 5001/],
      [{ nodes: 1.5 }, /--nodes: must be a whole number/],
      [{ port: 65536 }, /--port: must be a whole number from 0 to 65535, not 65536/],
      [{ timeScale: 0 }, /--time-scale: must be a number greater than 0 and at most 1000, not 0/],
      [{ timeScale: Number.NaN }, /--time-scale: .* not NaN/],
    ];
    for (const [o, want] of bad) assert.throws(() => applyCliOverrides(defaultClusterConfig(), o), (e: Error) => e instanceof ClusterConfigError && want.test(e.message), JSON.stringify(o));
    const { config } = parseClusterConfig(`${HEAD}podCIDR: 10.244.0.0/16\n`, 'x');
    assert.equal(config.podCIDRAuto, false);
    assert.throws(() => applyCliOverrides(config, { nodes: 300 }), /--nodes: podCIDR 10\.244\.0\.0\/16 has room for 256 nodes \(a \/24 each\), not 301; use a \/15 or larger/);
  });

  it('an automatic pod CIDR grows with --nodes, keeping 10.244.i.0/24 for the first nodes while it can', () => {
    const base = defaultClusterConfig();
    const k = applyCliOverrides(base, { nodes: 1000 });
    assert.equal(k.podCIDR, '10.244.0.0/14');
    assert.deepEqual(k.nodes.slice(0, 4), base.nodes);
    assert.equal(k.nodes[1000].podCIDR, '10.247.232.0/24');
    assertPlacement(k);
    const max = applyCliOverrides(base, { nodes: 5000 });
    assert.equal(max.podCIDR, '10.224.0.0/11');
    assert.equal(max.nodes[0].podCIDR, '10.224.0.0/24');
    assertPlacement(max);
    const back = applyCliOverrides(max, { nodes: 3 });
    assert.deepEqual(back, base, 'shrinking returns to the default block');
  });

  it('5000 workers fit a large enough pod CIDR (property: placement stays unique for any count)', () => {
    const { config } = parseClusterConfig(`${HEAD}podCIDR: 10.0.0.0/11\n`, 'x');
    const big = applyCliOverrides(config, { nodes: 5000 });
    assert.equal(big.nodes.length, 5001);
    assertPlacement(big);
    assert.equal(big.nodes[5000].internalIP, '172.18.19.138');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }), (counts) => {
        let c = config;
        for (const n of counts) {
          const before = new Map(c.nodes.map((x) => [x.name, x]));
          c = applyCliOverrides(c, { nodes: n });
          assert.equal(c.nodes.length, n + 1);
          assertPlacement(c);
          for (const x of c.nodes) if (before.has(x.name)) assert.deepEqual(x, before.get(x.name));
        }
      }),
    );
  });
});

describe('addWorker / removeWorker', () => {
  it('adds the next kind-style name at the lowest free position, with capacity over the template', () => {
    const base = defaultClusterConfig();
    const removed = removeWorker(base, 'kubelab-worker2');
    const { config, node } = addWorker(removed, { capacity: { cpu: '8' } });
    assert.equal(node.name, 'kubelab-worker2');
    assert.equal(node.internalIP, '172.18.0.4', 'reuses the freed position');
    assert.equal(node.podCIDR, '10.244.2.0/24');
    assert.deepEqual(node.capacity, { cpu: '8', memory: '8Gi', pods: '110' });
    assert.deepEqual(config.nodes.at(-1), node);
    assertPlacement(config);
    const named = addWorker(base, { name: 'gpu-1' });
    assert.equal(named.node.name, 'gpu-1');
    assert.equal(named.node.internalIP, '172.18.0.6');
  });

  it('refuses a bad or taken name, a bad quantity, and removing the control plane', () => {
    const base = defaultClusterConfig();
    assert.throws(() => addWorker(base, { name: 'kubelab-worker' }), /^ClusterConfigError: node add: name: node "kubelab-worker" already exists$/);
    assert.throws(() => addWorker(base, { name: 'Bad' }), /^ClusterConfigError: node add: name: invalid node name "Bad": a lowercase RFC 1123 subdomain/);
    assert.throws(() => addWorker(base, { capacity: { cpu: 'lots' } }), /^ClusterConfigError: node add: capacity\.cpu: invalid quantity "lots"/);
    assert.throws(() => removeWorker(base, 'kubelab-control-plane'), /is the control plane and cannot be removed/);
    assert.throws(() => removeWorker(base, 'nope'), /^ClusterConfigError: node remove: node "nope" not found$/);
  });

  it('widens an automatic pod CIDR only while its base stays', () => {
    const at256 = applyCliOverrides(defaultClusterConfig(), { nodes: 255 });
    assert.equal(at256.podCIDR, '10.244.0.0/16');
    const { config, node } = addWorker(at256);
    assert.equal(config.podCIDR, '10.244.0.0/15');
    assert.equal(node.podCIDR, '10.245.0.0/24');
    assert.deepEqual(config.nodes.slice(0, 256), at256.nodes);
    const at1024 = applyCliOverrides(defaultClusterConfig(), { nodes: 1023 });
    assert.throws(() => addWorker(at1024), /podCIDR 10\.244\.0\.0\/14 has no \/24 left for another node/);
  });

  it('stops when the pod CIDR has no /24 left', () => {
    const { config } = parseClusterConfig(`${HEAD}podCIDR: 10.244.0.0/23\nworkers: { count: 1 }\n`, 'x');
    assert.throws(() => addWorker(config), /podCIDR 10\.244\.0\.0\/23 has no \/24 left for another node/);
  });
});

describe('warnings', () => {
  it('lists nodes with runtime process, collapsing long lists', () => {
    const { warnings } = parseClusterConfig(`${HEAD}workers: { count: 12, template: { runtime: process } }\n`, 'x');
    assert.equal(warnings.length, 11);
    assert.equal(warnings[0], 'node kubelab-worker runs containers as real local processes (runtime: process)');
    assert.equal(warnings[10], '2 more nodes run containers as real local processes (runtime: process)');
  });
});
