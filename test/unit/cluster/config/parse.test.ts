import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterConfigError, defaultClusterConfig, loadClusterConfigFile, parseClusterConfig } from '../../../../src/cluster/config';

const HEAD = 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\n';

/** The errors a config produces (without the line suffix), or [] when it loads. */
function errorsOf(text: string): string[] {
  try {
    parseClusterConfig(text, 'test.yaml');
    return [];
  } catch (e) {
    assert.ok(e instanceof ClusterConfigError, String(e));
    return e.errors.map((m) => m.replace(/ \(line \d+\)$/, ''));
  }
}

describe('parseClusterConfig: defaults', () => {
  it('a minimal file gives the default cluster: a control plane and 3 kind-named workers', () => {
    const { config, warnings } = parseClusterConfig(HEAD, 'min.yaml');
    assert.deepEqual(config, defaultClusterConfig());
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      config.nodes.map((n) => [n.name, n.role, n.internalIP, n.podCIDR]),
      [
        ['kubelab-control-plane', 'control-plane', '172.18.0.2', '10.244.0.0/24'],
        ['kubelab-worker', 'worker', '172.18.0.3', '10.244.1.0/24'],
        ['kubelab-worker2', 'worker', '172.18.0.4', '10.244.2.0/24'],
        ['kubelab-worker3', 'worker', '172.18.0.5', '10.244.3.0/24'],
      ],
    );
    assert.deepEqual(config.nodes[0].taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    assert.deepEqual(config.nodes[1].capacity, { cpu: '4', memory: '8Gi', pods: '110' });
    assert.equal(config.port, 6443);
    assert.equal(config.timeScale, 1);
    assert.deepEqual(config.storage, { type: 'sqljs' });
  });

  it('takes the full shape, merging capacity over the template and keeping the control-plane taint', () => {
    const { config, warnings } = parseClusterConfig(
      `${HEAD}port: 0
storage: { type: etcd, endpoints: ["https://127.0.0.1:2379", "http://10.0.0.5:2379/"] }
timeScale: 0.25
controlPlane: { name: cp, capacity: { cpu: 8 }, taints: [ { key: dedicated, value: infra, effect: NoExecute } ] }
workers:
  template: { capacity: { memory: 16Gi, nvidia.com/gpu: 1 }, labels: { tier: gpu }, runtime: sim }
nodes:
  - name: big
    capacity: { cpu: "32" }
  - name: proc.example
    runtime: process
    labels: { node.kubernetes.io/instance-type: m5, topology.kubernetes.io/zone: z1 }
    taints: [ { key: example.com/special, effect: PreferNoSchedule } ]
podCIDR: 10.0.0.0/8
serviceCIDR: 192.168.0.0/16
`,
      'full.yaml',
    );
    assert.equal(config.port, 0);
    assert.equal(config.timeScale, 0.25);
    assert.deepEqual(config.storage, { type: 'etcd', endpoints: ['https://127.0.0.1:2379', 'http://10.0.0.5:2379/'] });
    const [cp, big, proc] = config.nodes;
    assert.equal(config.nodes.length, 3);
    assert.deepEqual(cp.capacity, { cpu: '8', memory: '4Gi', pods: '110' });
    assert.deepEqual(cp.taints, [
      { key: 'dedicated', value: 'infra', effect: 'NoExecute' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    assert.deepEqual(big.capacity, { cpu: '32', memory: '16Gi', pods: '110', 'nvidia.com/gpu': '1' });
    assert.deepEqual(big.labels, { tier: 'gpu' });
    assert.equal(big.runtime, 'sim');
    assert.deepEqual(proc.labels, { tier: 'gpu', 'node.kubernetes.io/instance-type': 'm5', 'topology.kubernetes.io/zone': 'z1' });
    assert.deepEqual(proc.taints, [{ key: 'example.com/special', effect: 'PreferNoSchedule' }]);
    assert.equal(proc.podCIDR, '10.0.2.0/24');
    assert.equal(proc.internalIP, '172.18.0.4');
    assert.deepEqual(warnings, ['node proc.example runs containers as real local processes (runtime: process)']);
    assert.deepEqual(config.workerTemplate.capacity, { cpu: '4', memory: '16Gi', pods: '110', 'nvidia.com/gpu': '1' });
  });

  it('a pod CIDR that is not given grows with the node count; one that is given does not', () => {
    const auto = parseClusterConfig(`${HEAD}workers: { count: 300 }\n`, 'x').config;
    assert.equal(auto.podCIDR, '10.244.0.0/15');
    assert.equal(auto.podCIDRAuto, true);
    assert.equal(auto.nodes[1].podCIDR, '10.244.1.0/24');
    assert.match(errorsOf(`${HEAD}workers: { count: 300 }\npodCIDR: 10.244.0.0/16\n`)[0], /^podCIDR: 10\.244\.0\.0\/16 has room for 256 nodes/);
    assert.equal(parseClusterConfig(`${HEAD}workers: { count: 5000 }\n`, 'x').config.podCIDR, '10.224.0.0/11');
  });

  it('an explicit empty nodes list means no workers; count 0 too', () => {
    assert.equal(parseClusterConfig(`${HEAD}nodes: []\n`, 'x').config.nodes.length, 1);
    assert.equal(parseClusterConfig(`${HEAD}workers: { count: 0 }\n`, 'x').config.nodes.length, 1);
  });

  it('generated worker names skip a name the control plane took', () => {
    const { config } = parseClusterConfig(`${HEAD}controlPlane: { name: kubelab-worker }\nworkers: { count: 2 }\n`, 'x');
    assert.deepEqual(config.nodes.map((n) => n.name), ['kubelab-worker', 'kubelab-worker2', 'kubelab-worker3']);
  });

  it('accepts a plain object as well as YAML text', () => {
    const { config } = parseClusterConfig({ apiVersion: 'kubelab.dev/v1alpha1', kind: 'ClusterConfig', workers: { count: 1 } }, 'object');
    assert.equal(config.nodes.length, 2);
  });
});

describe('parseClusterConfig: errors name the field', () => {
  const cases: [string, string, RegExp][] = [
    ['bad quantity', 'nodes: [ {name: a}, {name: b}, {name: c, capacity: {cpu: abc}} ]', /^nodes\[2\]\.capacity\.cpu: invalid quantity "abc": quantities must match/],
    ['negative quantity', 'workers: { template: { capacity: { memory: -1Gi } } }', /^workers\.template\.capacity\.memory: invalid quantity "-1Gi": must be greater than or equal to 0$/],
    ['fractional pods', 'controlPlane: { capacity: { pods: 10.5 } }', /^controlPlane\.capacity\.pods: invalid quantity "10.5": must be a whole number of pods$/],
    ['bad resource name', 'nodes: [ { name: a, capacity: { "a b": 1 } } ]', /^nodes\[0\]\.capacity\[a b\]: invalid resource name "a b"/],
    ['unknown top field', 'prot: 1', /^prot: unknown field; did you mean "port"\?$/],
    ['unknown nested field', 'workers: { cout: 3 }', /^workers\.cout: unknown field; did you mean "count"\?$/],
    ['unknown field, no hint', 'controlPlane: { zzzzzz: 1 }', /^controlPlane\.zzzzzz: unknown field; known fields: name, capacity, labels, taints, runtime$/],
    ['port range', 'port: 70000', /^port: must be from 0 to 65535, not 70000$/],
    ['port type', 'port: "6443"', /^port: expected a whole number, got "6443"$/],
    ['timeScale 0', 'timeScale: 0', /^timeScale: must be greater than 0 and at most 1000, not 0$/],
    ['timeScale big', 'timeScale: 1001', /^timeScale: must be greater than 0 and at most 1000, not 1001$/],
    ['worker count', 'workers: { count: 5001 }', /^workers\.count: must be from 0 to 5000, not 5001$/],
    ['count and nodes', 'workers: { count: 2 }\nnodes: []', /^workers\.count: cannot be combined with nodes/],
    ['node name', 'nodes: [ { name: Node_1 } ]', /^nodes\[0\]\.name: invalid node name "Node_1": a lowercase RFC 1123 subdomain must consist of/],
    ['node name required', 'nodes: [ { runtime: sim } ]', /^nodes\[0\]\.name: Required value$/],
    ['duplicate name', 'controlPlane: { name: a }\nnodes: [ { name: a } ]', /^nodes\[0\]\.name: Duplicate value: "a" \(already the name of controlPlane\.name\)$/],
    ['taint effect', 'nodes: [ { name: a, taints: [ { key: k, effect: NoSchedul } ] } ]', /^nodes\[0\]\.taints\[0\]\.effect: Unsupported value: "NoSchedul": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"$/],
    ['taint key', 'nodes: [ { name: a, taints: [ { key: "-k", effect: NoSchedule } ] } ]', /^nodes\[0\]\.taints\[0\]\.key: invalid taint key "-k": name part must consist/],
    ['taint effect missing', 'nodes: [ { name: a, taints: [ { key: k } ] } ]', /^nodes\[0\]\.taints\[0\]\.effect: Required value$/],
    ['duplicate taint', 'nodes: [ { name: a, taints: [ { key: k, effect: NoSchedule }, { key: k, value: v, effect: NoSchedule } ] } ]', /^nodes\[0\]\.taints\[1\]: duplicate taint k:NoSchedule: taints must be unique by key and effect pair$/],
    ['label key', 'nodes: [ { name: a, labels: { "a/b/c": x } } ]', /^nodes\[0\]\.labels\[a\/b\/c\]: invalid label key "a\/b\/c": a qualified name must consist of/],
    ['label value', 'nodes: [ { name: a, labels: { k: "-x" } } ]', /^nodes\[0\]\.labels\.k: invalid label value "-x": a valid label must be an empty string or consist of/],
    ['label not a string', 'nodes: [ { name: a, labels: { k: true } } ]', /^nodes\[0\]\.labels\.k: expected a string, got true \(quote it: "true"\)$/],
    ['reserved label', 'workers: { template: { labels: { node-role.kubernetes.io/worker: "" } } }', /^workers\.template\.labels: unknown 'kubernetes\.io' or 'k8s\.io' labels specified with --node-labels: \[node-role\.kubernetes\.io\/worker\]\n--node-labels in the 'kubernetes\.io' namespace must begin with an allowed prefix \(kubelet\.kubernetes\.io, node\.kubernetes\.io\)/],
    ['runtime', 'nodes: [ { name: a, runtime: docker } ]', /^nodes\[0\]\.runtime: Unsupported value: "docker": supported values: "sim", "process"$/],
    ['storage type', 'storage: { type: mysql }', /^storage\.type: Unsupported value: "mysql": supported values: "sqljs", "etcd"$/],
    ['etcd without endpoints', 'storage: { type: etcd }', /^storage\.endpoints: Required value: at least one etcd URL/],
    ['etcd bad URL', 'storage: { type: etcd, endpoints: ["127.0.0.1:2379"] }', /^storage\.endpoints\[0\]: invalid URL "127\.0\.0\.1:2379": /],
    ['etcd URL with path', 'storage: { type: etcd, endpoints: ["https://e:2379/v3"] }', /^storage\.endpoints\[0\]: invalid URL "https:\/\/e:2379\/v3": an etcd endpoint has no path, query or fragment$/],
    ['sqljs with endpoints', 'storage: { type: sqljs, endpoints: [] }', /^storage\.endpoints: Forbidden: only storage type etcd takes endpoints$/],
    ['podCIDR host bits', 'podCIDR: 10.244.1.0/16', /^podCIDR: "10\.244\.1\.0\/16" is not a network address \(host bits are set\); did you mean "10\.244\.0\.0\/16"\?$/],
    ['podCIDR too small', 'podCIDR: 10.244.0.0/23', /^podCIDR: 10\.244\.0\.0\/23 has room for 2 nodes \(a \/24 each\), not 4; use a \/22 or larger$/],
    ['podCIDR IPv6', 'podCIDR: "fd00::/48"', /^podCIDR: invalid CIDR "fd00::\/48": only IPv4 is supported$/],
    ['serviceCIDR too large', 'serviceCIDR: 192.0.0.0/8', /^serviceCIDR: 192\.0\.0\.0\/8 is too large; for 32-bit addresses, the mask must be >= 12$/],
    ['overlap', 'podCIDR: 10.96.0.0/16', /^serviceCIDR: 10\.96\.0\.0\/12 overlaps podCIDR 10\.96\.0\.0\/16$/],
    ['node network', 'podCIDR: 172.16.0.0/12', /^podCIDR: 172\.16\.0\.0\/12 overlaps the node network 172\.18\.0\.0\/16$/],
    ['schedulerConfig type', 'schedulerConfig: 3', /^schedulerConfig: expected a file path or an inline KubeSchedulerConfiguration, got 3$/],
    ['schedulerConfig inline invalid', 'schedulerConfig: { profiles: [ { schedulerName: x, plugin: {} } ] }', /^schedulerConfig: invalid KubeSchedulerConfiguration: strict decoding error: unknown field "profiles\[0\]\.plugin"$/],
  ];
  for (const [name, body, want] of cases) {
    it(name, () => {
      const errs = errorsOf(HEAD + body + '\n');
      assert.equal(errs.length, 1, `expected one error, got ${JSON.stringify(errs)}`);
      assert.match(errs[0], want);
    });
  }

  it('apiVersion and kind are required and checked', () => {
    assert.deepEqual(errorsOf('port: 1\n'), ['apiVersion: Required value: must be "kubelab.dev/v1alpha1"', 'kind: Required value: must be "ClusterConfig"']);
    assert.deepEqual(errorsOf('apiVersion: v1\nkind: Cluster\n'), [
      'apiVersion: Unsupported value: "v1": supported values: "kubelab.dev/v1alpha1"',
      'kind: Unsupported value: "Cluster": supported values: "ClusterConfig"',
    ]);
    assert.match(errorsOf('')[0], /the configuration is empty/);
    assert.match(errorsOf('- a\n')[0], /^expected an object, got \["a"\]$/);
  });

  it('reports every problem at once, in file order, with line numbers', () => {
    try {
      parseClusterConfig(`${HEAD}nodes:\n  - name: a\n    capacity: { cpu: x }\nport: -1\n`, 'f.yaml');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof ClusterConfigError);
      assert.deepEqual(e.errors.map((m) => m.replace(/: quantities.*?(?= \(line)/, '')), ['nodes[0].capacity.cpu: invalid quantity "x" (line 5)', 'port: must be from 0 to 65535, not -1 (line 6)']);
      assert.match(e.message, /^f\.yaml: 2 errors:\n {2}- nodes\[0\]/);
    }
  });

  it('YAML syntax errors and duplicate keys are reported with their position', () => {
    assert.match(errorsOf(`${HEAD}port: 1\nport: 2\n`)[0], /^invalid YAML: Map keys must be unique at line 4/);
    assert.match(errorsOf(`${HEAD}nodes: [\n`)[0], /^invalid YAML: /);
  });
});

describe('loadClusterConfigFile', () => {
  it('reads a file and a schedulerConfig path relative to it; a missing file is a clear error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cfg-'));
    try {
      const sched = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nparallelism: 4\n';
      fs.writeFileSync(path.join(dir, 'sched.yaml'), sched);
      fs.writeFileSync(path.join(dir, 'c.yaml'), `${HEAD}schedulerConfig: sched.yaml\n`);
      assert.equal(loadClusterConfigFile(path.join(dir, 'c.yaml')).config.schedulerConfig, sched);
      fs.writeFileSync(path.join(dir, 'bad.yaml'), `${HEAD}schedulerConfig: nope.yaml\n`);
      assert.throws(() => loadClusterConfigFile(path.join(dir, 'bad.yaml')), /bad\.yaml: schedulerConfig: cannot read "nope\.yaml": ENOENT/);
      fs.writeFileSync(path.join(dir, 's2.yaml'), 'parallelism: -1\n');
      fs.writeFileSync(path.join(dir, 'bad2.yaml'), `${HEAD}schedulerConfig: s2.yaml\n`);
      assert.throws(() => loadClusterConfigFile(path.join(dir, 'bad2.yaml')), /schedulerConfig: invalid KubeSchedulerConfiguration \(.*s2\.yaml\): parallelism: Invalid value: -1/);
      assert.throws(() => loadClusterConfigFile(path.join(dir, 'missing.yaml')), (e: Error) => e instanceof ClusterConfigError && /missing\.yaml: cannot read the cluster configuration: no such file$/.test(e.message));
      assert.throws(() => loadClusterConfigFile(dir), /is a directory, not a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inline scheduler configuration (object or YAML block) is passed through', () => {
    const obj = parseClusterConfig(`${HEAD}schedulerConfig: { parallelism: 2 }\n`, 'x').config.schedulerConfig;
    assert.deepEqual(obj, { parallelism: 2 });
    const text = parseClusterConfig(`${HEAD}schedulerConfig: |\n  parallelism: 3\n  profiles: []\n`, 'x').config.schedulerConfig;
    assert.equal(text, 'parallelism: 3\nprofiles: []\n');
  });
});
