/**
 * loadSchedulerConfig / defaultSchedulerConfig: upstream 1.32 defaults (the default profile, its defaulted
 * pluginConfig, the expanded per-extension-point plugins with weights), YAML and object input, multiPoint
 * expansion rules, and the errors upstream words (decoding, validation, framework construction).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSchedulerConfig, loadSchedulerConfig, SchedulerConfigError } from '../../../../src/scheduler/config';

const names = (l: { name: string }[]) => l.map((p) => p.name);

test('defaultSchedulerConfig: upstream v1 defaults and the expanded default profile', () => {
  const c = defaultSchedulerConfig();
  assert.deepEqual([c.apiVersion, c.kind, c.parallelism, c.percentageOfNodesToScore, c.podInitialBackoffSeconds, c.podMaxBackoffSeconds], ['kubescheduler.config.k8s.io/v1', 'KubeSchedulerConfiguration', 16, 0, 1, 10]);
  assert.equal(c.profiles.length, 1);
  const p = c.profiles[0];
  assert.equal(p.schedulerName, 'default-scheduler');
  assert.deepEqual(names(p.plugins.multiPoint.enabled), ['SchedulingGates', 'PrioritySort', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity', 'DefaultPreemption', 'NodeResourcesBalancedAllocation', 'ImageLocality', 'DefaultBinder']);
  assert.ok(!names(p.plugins.multiPoint.enabled).includes('NodeCost'));
  const r = p.resolved;
  assert.deepEqual(names(r.preEnqueue), ['SchedulingGates']);
  assert.deepEqual(names(r.queueSort), ['PrioritySort']);
  assert.deepEqual(names(r.preFilter), ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(names(r.filter), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(names(r.postFilter), ['DefaultPreemption']);
  assert.deepEqual(names(r.preScore), ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation']);
  assert.deepEqual(r.score.map((s) => [s.name, s.weight]), [['TaintToleration', 3], ['NodeAffinity', 2], ['NodeResourcesFit', 1], ['VolumeBinding', 1], ['PodTopologySpread', 2], ['InterPodAffinity', 2], ['NodeResourcesBalancedAllocation', 1], ['ImageLocality', 1]]);
  assert.deepEqual([names(r.reserve), names(r.permit), names(r.preBind), names(r.bind), names(r.postBind)], [['VolumeBinding'], [], ['VolumeBinding'], ['DefaultBinder'], []]);
  assert.deepEqual(p.pluginConfig, [
    { name: 'DefaultPreemption', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'DefaultPreemptionArgs', minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 } },
    { name: 'InterPodAffinity', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'InterPodAffinityArgs', hardPodAffinityWeight: 1 } },
    { name: 'NodeAffinity', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeAffinityArgs' } },
    { name: 'NodeResourcesBalancedAllocation', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesBalancedAllocationArgs', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } },
    { name: 'NodeResourcesFit', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesFitArgs', scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } },
    { name: 'PodTopologySpread', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'PodTopologySpreadArgs', defaultingType: 'System' } },
    { name: 'VolumeBinding', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'VolumeBindingArgs', bindTimeoutSeconds: 600 } },
  ]);
  assert.equal((p.args.DefaultPreemption as { minCandidateNodesAbsolute: number }).minCandidateNodesAbsolute, 100);
  assert.deepEqual(loadSchedulerConfig(undefined), c);
  assert.deepEqual(loadSchedulerConfig({}), c);
});

test('YAML: NodeCost enabled through multiPoint with a weight, a score plugin disabled, args defaulted over', () => {
  const c = loadSchedulerConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
podMaxBackoffSeconds: 30
profiles:
- schedulerName: default-scheduler
  plugins:
    multiPoint:
      enabled:
      - name: NodeCost
        weight: 5
    score:
      disabled:
      - name: ImageLocality
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources:
        - name: cpu
  - name: NodeCost
    args: {labelKey: cost}
- schedulerName: batch
  plugins:
    score:
      disabled: [{name: "*"}]
`);
  assert.deepEqual([c.percentageOfNodesToScore, c.podMaxBackoffSeconds], [50, 30]);
  const [a, b] = c.profiles;
  assert.deepEqual(a.resolved.score.map((s) => [s.name, s.weight]), [['TaintToleration', 3], ['NodeAffinity', 2], ['NodeResourcesFit', 1], ['VolumeBinding', 1], ['PodTopologySpread', 2], ['InterPodAffinity', 2], ['NodeResourcesBalancedAllocation', 1], ['NodeCost', 5]]);
  assert.deepEqual(a.args.NodeResourcesFit, { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesFitArgs', scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } });
  assert.deepEqual(a.args.NodeCost, { labelKey: 'cost' });
  assert.equal(b.schedulerName, 'batch');
  assert.deepEqual(b.resolved.score, []);
  assert.deepEqual(names(b.resolved.filter), names(a.resolved.filter));
});

test('multiPoint expansion: explicit extension points override, come first, and "*" stops expansion', () => {
  const c = loadSchedulerConfig({
    profiles: [{ plugins: { filter: { enabled: [{ name: 'NodePorts' }, { name: 'TaintToleration' }] }, score: { enabled: [{ name: 'TaintToleration', weight: 7 }] }, preScore: { disabled: [{ name: '*' }] } } }],
  });
  const r = c.profiles[0].resolved;
  assert.deepEqual(names(r.filter).slice(0, 3), ['NodePorts', 'TaintToleration', 'NodeUnschedulable']);
  assert.equal(names(r.filter).filter((n) => n === 'NodePorts').length, 1);
  assert.deepEqual(r.score[0], { name: 'TaintToleration', weight: 7 });
  assert.deepEqual(r.preScore, []);
});

test('extensionPoints option: an out-of-tree plugin and its points', () => {
  const c = loadSchedulerConfig({ profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'Mine' }] } } }] }, { extensionPoints: { Mine: ['filter', 'score'] } });
  assert.deepEqual(names(c.profiles[0].resolved.filter).at(-1), 'Mine');
  assert.deepEqual(c.profiles[0].resolved.score.at(-1), { name: 'Mine', weight: 1 });
});

const errorCases: [string, unknown, string][] = [
  ['unknown top-level field', { podInitialBackoff: 1 }, 'strict decoding error: unknown field "podInitialBackoff"'],
  ['unknown nested field', { profiles: [{ plugins: { scores: {} } }] }, 'strict decoding error: unknown field "profiles[0].plugins.scores"'],
  ['wrong type names the field', { profiles: [{ plugins: { score: { enabled: [{ name: 'X', weight: '3' }] } } }] }, 'profiles[0].plugins.score.enabled[0].weight: expected an integer, got "3"'],
  ['wrong apiVersion', { apiVersion: 'kubescheduler.config.k8s.io/v1beta3', kind: 'KubeSchedulerConfiguration' }, 'no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta3"'],
  ['parallelism', { parallelism: 0 }, 'parallelism: Invalid value: 0: should be an integer value greater than zero'],
  ['percentageOfNodesToScore', { percentageOfNodesToScore: 110 }, 'percentageOfNodesToScore: Invalid value: 110: not in valid range [0-100]'],
  ['podInitialBackoffSeconds', { podInitialBackoffSeconds: 0 }, 'podInitialBackoffSeconds: Invalid value: 0: must be greater than 0'],
  ['podMaxBackoffSeconds', { podInitialBackoffSeconds: 5, podMaxBackoffSeconds: 2 }, 'podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds'],
  ['schedulerName required with several profiles', { profiles: [{ schedulerName: 'a' }, {}] }, 'profiles[1].schedulerName: Required value'],
  ['duplicate schedulerName', { profiles: [{ schedulerName: 'a' }, { schedulerName: 'a' }] }, 'profiles[1].schedulerName: Duplicate value: profiles[0].schedulerName'],
  ['duplicate pluginConfig', { profiles: [{ pluginConfig: [{ name: 'NodeCost' }, { name: 'NodeCost' }] }] }, 'profiles[0].pluginConfig[1]: Duplicate value: "NodeCost"'],
  ['removed plugin', { profiles: [{ plugins: { filter: { enabled: [{ name: 'EBSLimits' }] } } }] }, 'profiles[0].plugins.filter.enabled[0]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")'],
  ['DefaultPreemption args', { profiles: [{ pluginConfig: [{ name: 'DefaultPreemption', args: { minCandidateNodesPercentage: 200 } }] }] }, 'profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 200: not in valid range [0, 100]'],
  ['InterPodAffinity args', { profiles: [{ pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: -1 } }] }] }, 'profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]'],
  ['PodTopologySpread args', { profiles: [{ pluginConfig: [{ name: 'PodTopologySpread', args: { defaultingType: 'Foo' } }] }] }, 'profiles[0].pluginConfig[0].args.defaultingType: Unsupported value: "Foo": supported values: "System", "List"'],
  ['queue sort differs between profiles', { profiles: [{ schedulerName: 'a' }, { schedulerName: 'b', plugins: { queueSort: { enabled: [{ name: 'PrioritySort' }] } } }] }, 'profiles[1].plugins.queueSort: Invalid value: {"enabled":[{"name":"PrioritySort"}],"disabled":[]}: must be the same for all profiles'],
  ['unknown plugin', { profiles: [{ plugins: { filter: { enabled: [{ name: 'Nope' }] } } }] }, 'creating profile for scheduler name default-scheduler: FilterPlugin "Nope" does not exist'],
  ['unknown multiPoint plugin', { profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'Nope' }] } } }] }, 'creating profile for scheduler name default-scheduler: PreFilterPlugin "Nope" does not exist'],
  ['plugin at a point it does not implement', { profiles: [{ plugins: { score: { enabled: [{ name: 'NodePorts' }] } } }] }, 'creating profile for scheduler name default-scheduler: plugin "NodePorts" does not extend ScorePlugin plugin'],
  ['no queue sort', { profiles: [{ plugins: { queueSort: { disabled: [{ name: '*' }] } } }] }, 'creating profile for scheduler name default-scheduler: only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 0'],
  ['no binder', { profiles: [{ plugins: { multiPoint: { disabled: [{ name: 'DefaultBinder' }] } } }] }, 'creating profile for scheduler name default-scheduler: at least one bind plugin is needed for profile with scheduler name "default-scheduler"'],
  ['double registration in multiPoint', { profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'NodeCost' }, { name: 'NodeCost' }] } } }] }, 'creating profile for scheduler name default-scheduler: plugin "NodeCost" already registered as "PreScorePlugin"'],
];

for (const [name, input, message] of errorCases) {
  test(`error: ${name}`, () => {
    assert.throws(() => loadSchedulerConfig(input as Record<string, unknown>), (e: unknown) => e instanceof SchedulerConfigError && e.message === message);
  });
}

test('error: invalid YAML and several validation errors are aggregated', () => {
  assert.throws(() => loadSchedulerConfig('profiles: [\n'), /^SchedulerConfigError: error parsing scheduler configuration/);
  assert.throws(() => loadSchedulerConfig('just a string'), { message: 'configuration: expected an object, got "just a string"' });
  assert.throws(() => loadSchedulerConfig({ parallelism: -1, podInitialBackoffSeconds: -1 }), {
    message: '[parallelism: Invalid value: -1: should be an integer value greater than zero, podInitialBackoffSeconds: Invalid value: -1: must be greater than 0]',
  });
});
