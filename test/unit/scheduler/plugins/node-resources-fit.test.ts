import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nodeInfo as ni, newState } from '../../../helpers/scheduler-fixtures';
import { podRequests, type NodeInfo, type Pod } from '../../../../src/scheduler/framework';
import { NAME, NodeResourcesFit, newNodeResourcesFit, nodeResourcesFitFactory } from '../../../../src/scheduler/plugins/node-resources-fit';
import { fitsRequest, FitRequest, filterStatus } from '../../../../src/scheduler/plugins/noderesources/fits';
import { capNode, pod, res, runScore, snapshot, type Req } from './noderesources/fixtures';

const A = 'example.com/aaa';
const B = 'example.com/bbb';
const K8S_A = 'kubernetes.io/something';
const K8S_B = 'subdomain.kubernetes.io/something';
const HP = 'hugepages-2Mi';

/** makeResources(milliCPU, memory, pods, extendedA, storage, hugePageA) as node allocatable. */
const alloc = (cpu: number, mem: number, pods: number, extA: number, storage: number, hp: number): Req => ({
  cpu: `${cpu}m`,
  memory: String(mem),
  pods: String(pods),
  [A]: String(extA),
  'ephemeral-storage': String(storage),
  [HP]: String(hp),
});

const defaultPlugin = () => newNodeResourcesFit(undefined, undefined as never) as NodeResourcesFit;

function runFilter(plugin: NodeResourcesFit, p: Pod, info: NodeInfo) {
  const state = newState();
  assert.equal(plugin.preFilter(state, p, [info]).status.code, 'Success');
  return plugin.filter(state, p, info);
}

const c = res;
type Case = {
  name: string;
  pod: Pod;
  used: Req;
  args?: Record<string, unknown>;
  reasons: string[];
  /** [resource, requested, used, capacity] */
  insufficient: [string, number, number, number][];
  todo?: string;
};


// Upstream fit_test.go TestEnoughRequests (node: makeResources(10, 20, 32, 5, 20, 5), one pod using `used`).
const enoughCases: Case[] = [
  { name: 'no resources requested always fits', pod: pod(), used: c({ milliCPU: 10, memory: 20 }), reasons: [], insufficient: [] },
  { name: 'too many resources fails', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })] }), used: c({ milliCPU: 10, memory: 20 }), reasons: ['Insufficient cpu', 'Insufficient memory'], insufficient: [['cpu', 1, 10, 10], ['memory', 1, 20, 20]] },
  { name: 'too many resources fails due to init container cpu', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], init: [c({ milliCPU: 3, memory: 1 })] }), used: c({ milliCPU: 8, memory: 19 }), reasons: ['Insufficient cpu'], insufficient: [['cpu', 3, 8, 10]] },
  { name: 'too many resources fails due to highest init container cpu', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], init: [c({ milliCPU: 3, memory: 1 }), c({ milliCPU: 2, memory: 1 })] }), used: c({ milliCPU: 8, memory: 19 }), reasons: ['Insufficient cpu'], insufficient: [['cpu', 3, 8, 10]] },
  { name: 'too many resources fails due to init container memory', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], init: [c({ milliCPU: 1, memory: 3 })] }), used: c({ milliCPU: 9, memory: 19 }), reasons: ['Insufficient memory'], insufficient: [['memory', 3, 19, 20]] },
  { name: 'too many resources fails due to highest init container memory', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], init: [c({ milliCPU: 1, memory: 3 }), c({ milliCPU: 1, memory: 2 })] }), used: c({ milliCPU: 9, memory: 19 }), reasons: ['Insufficient memory'], insufficient: [['memory', 3, 19, 20]] },
  { name: "init container fits because it's the max, not sum, of containers and init containers", pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], init: [c({ milliCPU: 1, memory: 1 })] }), used: c({ milliCPU: 9, memory: 19 }), reasons: [], insufficient: [] },
  { name: "multiple init containers fit because it's the max, not sum, of containers and init containers", pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], init: [c({ milliCPU: 1, memory: 1 }), c({ milliCPU: 1, memory: 1 })] }), used: c({ milliCPU: 9, memory: 19 }), reasons: [], insufficient: [] },
  { name: 'both resources fit', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })] }), used: c({ milliCPU: 5, memory: 5 }), reasons: [], insufficient: [] },
  { name: 'one resource memory fits', pod: pod({ containers: [c({ milliCPU: 2, memory: 1 })] }), used: c({ milliCPU: 9, memory: 5 }), reasons: ['Insufficient cpu'], insufficient: [['cpu', 2, 9, 10]] },
  { name: 'one resource cpu fits', pod: pod({ containers: [c({ milliCPU: 1, memory: 2 })] }), used: c({ milliCPU: 5, memory: 19 }), reasons: ['Insufficient memory'], insufficient: [['memory', 2, 19, 20]] },
  { name: 'equal edge case', pod: pod({ containers: [c({ milliCPU: 5, memory: 1 })] }), used: c({ milliCPU: 5, memory: 19 }), reasons: [], insufficient: [] },
  { name: 'equal edge case for init container', pod: pod({ containers: [c({ milliCPU: 4, memory: 1 })], init: [c({ milliCPU: 5, memory: 1 })] }), used: c({ milliCPU: 5, memory: 19 }), reasons: [], insufficient: [] },
  { name: 'extended resource fits', pod: pod({ containers: [c({ scalar: { [A]: 1 } })] }), used: c({}), reasons: [], insufficient: [] },
  { name: 'extended resource fits for init container', pod: pod({ containers: [c({})], init: [c({ scalar: { [A]: 1 } })] }), used: c({}), reasons: [], insufficient: [] },
  { name: 'extended resource capacity enforced', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 10 } })] }), used: c({ scalar: { [A]: 0 } }), reasons: [`Insufficient ${A}`], insufficient: [[A, 10, 0, 5]] },
  { name: 'extended resource capacity enforced for init container', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 10 } })] }), used: c({ scalar: { [A]: 0 } }), reasons: [`Insufficient ${A}`], insufficient: [[A, 10, 0, 5]] },
  { name: 'extended resource allocatable enforced', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 1 } })] }), used: c({ scalar: { [A]: 5 } }), reasons: [`Insufficient ${A}`], insufficient: [[A, 1, 5, 5]] },
  { name: 'extended resource allocatable enforced for init container', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 1 } })] }), used: c({ scalar: { [A]: 5 } }), reasons: [`Insufficient ${A}`], insufficient: [[A, 1, 5, 5]] },
  { name: 'extended resource allocatable enforced for multiple containers', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 3 } }), c({ milliCPU: 1, memory: 1, scalar: { [A]: 3 } })] }), used: c({ scalar: { [A]: 2 } }), reasons: [`Insufficient ${A}`], insufficient: [[A, 6, 2, 5]] },
  { name: 'extended resource allocatable admits multiple init containers', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 3 } }), c({ milliCPU: 1, memory: 1, scalar: { [A]: 3 } })] }), used: c({ scalar: { [A]: 2 } }), reasons: [], insufficient: [] },
  { name: 'extended resource allocatable enforced for multiple init containers', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 6 } }), c({ milliCPU: 1, memory: 1, scalar: { [A]: 3 } })] }), used: c({ scalar: { [A]: 2 } }), reasons: [`Insufficient ${A}`], insufficient: [[A, 6, 2, 5]] },
  { name: 'extended resource allocatable enforced for unknown resource', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [B]: 1 } })] }), used: c({}), reasons: [`Insufficient ${B}`], insufficient: [[B, 1, 0, 0]] },
  { name: 'extended resource allocatable enforced for unknown resource for init container', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [B]: 1 } })] }), used: c({}), reasons: [`Insufficient ${B}`], insufficient: [[B, 1, 0, 0]] },
  { name: 'kubernetes.io resource capacity enforced', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [K8S_A]: 10 } })] }), used: c({}), reasons: [`Insufficient ${K8S_A}`], insufficient: [[K8S_A, 10, 0, 0]] },
  { name: 'kubernetes.io resource capacity enforced for init container', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [K8S_B]: 10 } })] }), used: c({}), reasons: [`Insufficient ${K8S_B}`], insufficient: [[K8S_B, 10, 0, 0]] },
  { name: 'hugepages resource capacity enforced', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [HP]: 10 } })] }), used: c({ scalar: { [HP]: 0 } }), reasons: [`Insufficient ${HP}`], insufficient: [[HP, 10, 0, 5]] },
  { name: 'hugepages resource capacity enforced for init container', pod: pod({ containers: [c({})], init: [c({ milliCPU: 1, memory: 1, scalar: { [HP]: 10 } })] }), used: c({ scalar: { [HP]: 0 } }), reasons: [`Insufficient ${HP}`], insufficient: [[HP, 10, 0, 5]] },
  { name: 'hugepages resource allocatable enforced for multiple containers', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [HP]: 3 } }), c({ milliCPU: 1, memory: 1, scalar: { [HP]: 3 } })] }), used: c({ scalar: { [HP]: 2 } }), reasons: [`Insufficient ${HP}`], insufficient: [[HP, 6, 2, 5]] },
  { name: 'skip checking ignored extended resource', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [B]: 1 } })] }), used: c({}), args: { ignoredResources: [B] }, reasons: [], insufficient: [] },
  { name: 'resources + pod overhead fits', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], overhead: { cpu: '3m', memory: '13' } }), used: c({ milliCPU: 5, memory: 5 }), reasons: [], insufficient: [] },
  { name: 'requests + overhead does not fit for memory', pod: pod({ containers: [c({ milliCPU: 1, memory: 1 })], overhead: { cpu: '1m', memory: '15' } }), used: c({ milliCPU: 5, memory: 5 }), reasons: ['Insufficient memory'], insufficient: [['memory', 16, 5, 20]] },
  { name: 'skip checking ignored extended resource via resource groups', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [B]: 1, [K8S_A]: 1 } })] }), used: c({}), args: { ignoredResourceGroups: ['example.com'] }, reasons: [`Insufficient ${K8S_A}`], insufficient: [[K8S_A, 1, 0, 0]] },
  { name: 'skip checking extended resource request with quantity zero via resource groups', pod: pod({ containers: [c({ milliCPU: 1, memory: 1, scalar: { [A]: 0 } })] }), used: c({ scalar: { [A]: 6 } }), reasons: [], insufficient: [] },
  { name: 'skip checking resource request with quantity zero', pod: pod({ containers: [c({ scalar: { [A]: 1 } })] }), used: c({ milliCPU: 20, memory: 30, scalar: { [A]: 1 } }), reasons: [], insufficient: [] },
  // Our own: a group only ignores extended resources of that domain.
  { name: 'a resource group does not ignore another domain', pod: pod({ containers: [c({ scalar: { [B]: 1, 'other.io/x': 2 } })] }), used: c({}), args: { ignoredResourceGroups: ['example.com'] }, reasons: ['Insufficient other.io/x'], insufficient: [['other.io/x', 2, 0, 0]] },
];

describe('NodeResourcesFit Filter (upstream TestEnoughRequests)', () => {
  for (const tc of enoughCases) {
    it(tc.name, tc.todo ? { todo: tc.todo } : {}, () => {
      const plugin = newNodeResourcesFit(tc.args, undefined as never) as NodeResourcesFit;
      const info = ni(capNode('node', alloc(10, 20, 32, 5, 20, 5)), pod({ containers: [tc.used] }));
      const status = runFilter(plugin, tc.pod, info);
      if (tc.reasons.length === 0) assert.equal(status.code, 'Success');
      else assert.deepEqual({ code: status.code, reasons: status.reasons }, { code: 'Unschedulable', reasons: tc.reasons });
      const got = fitsRequest(new FitRequest(podRequests(tc.pod), plugin.ignoredResources, plugin.ignoredResourceGroups), info);
      assert.deepEqual(
        got.map((r) => [r.resourceName, r.requested, r.used, r.capacity]),
        tc.insufficient,
      );
      assert.deepEqual(got.map((r) => r.reason), tc.reasons);
    });
  }
});

describe('NodeResourcesFit Filter: pods, storage, sidecars, missing PreFilter', () => {
  // Upstream TestNotEnoughRequests: allocatable pods 1, one pod already there.
  const notEnough: [string, Pod, Req][] = [
    ["even without specified resources, predicate fails when there's no space for additional pod", pod(), c({ milliCPU: 10, memory: 20 })],
    ["even if both resources fit, predicate fails when there's no space for additional pod", pod({ containers: [c({ milliCPU: 1, memory: 1 })] }), c({ milliCPU: 5, memory: 5 })],
    ["even for equal edge case, predicate fails when there's no space for additional pod", pod({ containers: [c({ milliCPU: 5, memory: 1 })] }), c({ milliCPU: 5, memory: 19 })],
    ["even for equal edge case, predicate fails when there's no space for additional pod due to init container", pod({ containers: [c({ milliCPU: 5, memory: 1 })], init: [c({ milliCPU: 5, memory: 1 })] }), c({ milliCPU: 5, memory: 19 })],
  ];
  for (const [name, p, used] of notEnough) {
    it(name, () => {
      const status = runFilter(defaultPlugin(), p, ni(capNode('node', alloc(10, 20, 1, 0, 0, 0)), pod({ containers: [used] })));
      assert.deepEqual({ code: status.code, reasons: status.reasons }, { code: 'Unschedulable', reasons: ['Too many pods'] });
    });
  }

  // Upstream TestStorageRequests.
  const storage: [string, Pod, Req, string[]][] = [
    ['empty storage requested, and pod fits', pod({ containers: [c({ milliCPU: 1, memory: 1 })] }), c({ milliCPU: 2, memory: 10 }), []],
    ['storage ephemeral local storage request exceeds allocatable', pod({ containers: [c({ ephemeralStorage: 25 })] }), c({ milliCPU: 2, memory: 2 }), ['Insufficient ephemeral-storage']],
    ['ephemeral local storage is sufficient', pod({ containers: [c({ ephemeralStorage: 5 })] }), c({ milliCPU: 2, memory: 2, ephemeralStorage: 10 }), []],
    ['pod fits', pod({ containers: [c({ ephemeralStorage: 10 })] }), c({ milliCPU: 2, memory: 2 }), []],
  ];
  for (const [name, p, used, reasons] of storage) {
    it(name, () => {
      const status = runFilter(defaultPlugin(), p, ni(capNode('node', alloc(10, 20, 32, 5, 20, 5)), pod({ containers: [used] })));
      assert.deepEqual(status.reasons, reasons);
      assert.equal(status.code, reasons.length ? 'Unschedulable' : 'Success');
    });
  }

  // Upstream TestRestartableInitContainers (SidecarContainers on): node allocatable cpu 2m, pods 1.
  const sidecar: [string, Pod, string[]][] = [
    ['allow pod without restartable init containers', pod({ containers: [{}] }), []],
    ['allow pod with restartable init containers', pod({ containers: [{}], sidecars: [{}] }), []],
    ["allow pod if the total requested resources do not exceed the node's allocatable resources", pod({ containers: [{ cpu: '1m' }], sidecars: [{ cpu: '1m' }] }), []],
    ["not allow pod if the total requested resources do exceed the node's allocatable resources", pod({ containers: [{ cpu: '1m' }], sidecars: [{ cpu: '2m' }] }), ['Insufficient cpu']],
  ];
  for (const [name, p, reasons] of sidecar) {
    it(name, () => {
      const status = runFilter(defaultPlugin(), p, ni(capNode('node', alloc(2, 0, 1, 0, 0, 0))));
      assert.deepEqual(status.reasons, reasons);
    });
  }

  it('Filter without PreFilter is an Error (upstream TestPreFilterDisabled)', () => {
    const status = defaultPlugin().filter(newState(), pod(), ni(capNode('node')));
    assert.equal(status.code, 'Error');
    assert.equal(status.message(), 'error reading "PreFilterNodeResourcesFit" from cycleState: not found');
  });

  it('a request above the whole allocatable is still Unschedulable in 1.32', () => {
    const status = runFilter(defaultPlugin(), pod({ containers: [{ cpu: '100' }] }), ni(capNode('node', { cpu: '4' })));
    assert.deepEqual({ code: status.code, reasons: status.reasons }, { code: 'Unschedulable', reasons: ['Insufficient cpu'] });
  });

  it('all reasons in upstream order, the same Status object reused per failure combination', () => {
    const plugin = defaultPlugin();
    const p = pod({ containers: [{ cpu: '5', memory: '5Gi', 'ephemeral-storage': '5Gi', [B]: '1' }] });
    const state = newState();
    plugin.preFilter(state, p, []);
    const n1 = ni(capNode('a', { pods: '0', cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' }));
    const n2 = ni(capNode('b', { pods: '0', cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' }));
    const s1 = plugin.filter(state, p, n1);
    assert.deepEqual(s1.reasons, ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage', `Insufficient ${B}`]);
    assert.equal(plugin.filter(state, p, n2), s1);
  });
});

describe('NodeResourcesFit Filter: properties', () => {
  it('filterStatus agrees with fitsRequest on random requests and nodes', () => {
    const amount = fc.integer({ min: 0, max: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, amount, amount, amount), { minLength: 0, maxLength: 3 }), fc.tuple(amount, amount, amount, amount, fc.integer({ min: 0, max: 3 })), (containers, [cpu, mem, eph, gpu, pods]) => {
        const p = pod({ containers: containers.map(([a, b, e, g]) => ({ cpu: `${a}m`, memory: String(b), 'ephemeral-storage': String(e), ...(g ? { [A]: String(g) } : {}) })) });
        const info = ni(capNode('n', { cpu: `${cpu}m`, memory: String(mem), 'ephemeral-storage': String(eph), [A]: String(gpu), pods: String(pods) }), pod({ containers: [{ cpu: '1m' }] }));
        const s = new FitRequest(podRequests(p));
        const detailed = fitsRequest(s, info).map((r) => r.reason);
        const status = filterStatus(s, info);
        assert.deepEqual(status.reasons, detailed);
        assert.equal(status.isSuccess(), detailed.length === 0);
      }),
      { numRuns: 300 },
    );
  });
});

// Upstream TestFitScore.
describe('NodeResourcesFit Score (upstream TestFitScore)', () => {
  const nodes = [capNode('node1', { cpu: '4000', memory: '10000' }), capNode('node2', { cpu: '6000', memory: '10000' })];
  const existing = [pod({ node: 'node1', containers: [{ cpu: '2000', memory: '4000' }] }), pod({ node: 'node2', containers: [{ cpu: '1000', memory: '2000' }] })];
  const big = pod({ containers: [{ cpu: '3000', memory: '5000' }] });
  const small = pod({ containers: [{ cpu: '1000', memory: '2000' }] });
  const rtcr = (shape: [number, number][]) => ({ type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) } });
  const cases: [string, Pod, Record<string, unknown>, [number, number], boolean][] = [
    ['test case for ScoringStrategy RequestedToCapacityRatio case1', big, rtcr([[0, 10], [100, 0]]), [10, 32], true],
    ['test case for ScoringStrategy RequestedToCapacityRatio case2', big, rtcr([[0, 0], [100, 10]]), [95, 68], true],
    ['test case for ScoringStrategy MostAllocated', small, { type: 'MostAllocated' }, [67, 36], true],
    ['test case for ScoringStrategy LeastAllocated', small, { type: 'LeastAllocated' }, [32, 63], true],
    ['test case for ScoringStrategy RequestedToCapacityRatio case1 if PreScore is not called', big, rtcr([[0, 10], [100, 0]]), [10, 32], false],
    ['test case for ScoringStrategy MostAllocated if PreScore is not called', small, { type: 'MostAllocated' }, [67, 36], false],
    ['test case for ScoringStrategy LeastAllocated if PreScore is not called', small, { type: 'LeastAllocated' }, [32, 63], false],
  ];
  for (const [name, p, strategy, [s1, s2], preScore] of cases) {
    it(name, () => {
      const plugin = newNodeResourcesFit({ scoringStrategy: strategy }, undefined as never) as NodeResourcesFit;
      const { scores, codes } = runScore(plugin, p, snapshot(nodes, existing), preScore);
      assert.deepEqual(scores, [['node1', s1], ['node2', s2]]);
      assert.ok(codes.every((code) => code === 'Success'));
    });
  }

  const sameNodes = [capNode('node1', { cpu: '4000', memory: '10000' }), capNode('node2', { cpu: '4000', memory: '10000' })];
  const withSidecar = [pod({ node: 'node1', containers: [{ cpu: '1000', memory: '2000' }], sidecars: [{ cpu: '1000', memory: '2000' }] }), pod({ node: 'node2', containers: [{ cpu: '1000', memory: '2000' }] })];
  for (const [type, want] of [['MostAllocated', [67, 45]], ['LeastAllocated', [32, 55]]] as const) {
    it(`test case for ScoringStrategy ${type} with sidecar container`, () => {
      const plugin = newNodeResourcesFit({ scoringStrategy: { type } }, undefined as never) as NodeResourcesFit;
      assert.deepEqual(runScore(plugin, small, snapshot(sameNodes, withSidecar)).scores, [['node1', want[0]], ['node2', want[1]]]);
    });
  }

  it('defaults: LeastAllocated over cpu and memory with weight 1; PreScore and PreFilter never Skip', () => {
    const plugin = defaultPlugin();
    assert.equal(plugin.name, NAME);
    assert.equal(plugin.scorer.name, 'LeastAllocated');
    assert.deepEqual(plugin.scorer.resources, [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]);
    const state = newState();
    assert.equal(plugin.preScore(state, pod(), []).code, 'Success');
    assert.equal(plugin.preFilter(state, pod(), []).status.code, 'Success');
  });
});

describe('NodeResourcesFit factory', () => {
  it('throws the aggregated validation error for invalid args', () => {
    assert.throws(
      () => newNodeResourcesFit({ scoringStrategy: { type: 'Foo', resources: [{ name: 'cpu', weight: 101 }] } }, undefined as never),
      { message: '[scoringStrategy.type: Unsupported value: "Foo": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio", scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]]' },
    );
    assert.throws(() => new NodeResourcesFit({ ignoredResources: [], ignoredResourceGroups: [] }), { message: 'scoring strategy not specified' });
  });

  it('a feature set without queueing hints / with in-place resize registers upstream events', () => {
    const events = (f: Parameters<typeof nodeResourcesFitFactory>[0]) =>
      (nodeResourcesFitFactory(f)(undefined, undefined as never) as NodeResourcesFit).eventsToRegister().map((e) => [e.event.resource, [...e.event.actions]]);
    assert.deepEqual(events(undefined), [['Pod', ['Delete']], ['Node', ['Add', 'UpdateNodeAllocatable']]]);
    assert.deepEqual(events({ enableInPlacePodVerticalScaling: true, enableSchedulingQueueHint: false }), [
      ['Pod', ['Delete', 'UpdatePodScaleDown']],
      ['Node', ['Add', 'UpdateNodeAllocatable', 'UpdateNodeTaint', 'UpdateNodeLabel']],
    ]);
    assert.deepEqual(events({ enableInPlacePodVerticalScaling: false, enableSchedulingQueueHint: false }), [
      ['Pod', ['Delete']],
      ['Node', ['Add', 'UpdateNodeAllocatable', 'UpdateNodeTaint', 'UpdateNodeLabel']],
    ]);
  });
});
