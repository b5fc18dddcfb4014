import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Pod } from '../../../../src/scheduler/framework';
import {
  balancedResourceScorer,
  NAME,
  NodeResourcesBalancedAllocation,
  newNodeResourcesBalancedAllocation,
} from '../../../../src/scheduler/plugins/node-resources-balanced-allocation';
import { newState } from '../../../helpers/scheduler-fixtures';
import { pod, runScore, sizedNode, snapshot } from './noderesources/fixtures';

const cpuAndMemoryAndGPU = (node?: string) =>
  pod({ node, containers: [{ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' }] });
const cpuOnly = (node?: string) => pod({ node, containers: [{ cpu: '1000m', memory: '0' }, { cpu: '2000m', memory: '0' }] });
const cpuAndMemory = (node?: string) => pod({ node, containers: [{ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000' }] });
const gpu = { 'nvidia.com/gpu': 8 };
const withGPU = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
  { name: 'nvidia.com/gpu', weight: 1 },
];

const plugin = (resources?: { name: string; weight: number }[]) =>
  newNodeResourcesBalancedAllocation(resources ? { resources } : undefined, undefined as never) as NodeResourcesBalancedAllocation;

// Upstream balanced_allocation_test.go TestNodeResourcesBalancedAllocation (1.32: no PreScore Skip).
describe('NodeResourcesBalancedAllocation (upstream TestNodeResourcesBalancedAllocation)', () => {
  const cases: [string, Pod, ReturnType<typeof sizedNode>[], Pod[], [number, number], typeof withGPU | undefined, boolean][] = [
    ['nothing scheduled, nothing requested', pod(), [sizedNode('node1', 4000, 10000), sizedNode('node2', 4000, 10000)], [], [100, 100], undefined, true],
    // node1: cpu 3000/4000, memory 5000/10000 → std 0.125 → 87; node2: 3000/6000, 5000/10000 → 100
    ['nothing scheduled, resources requested, differently sized nodes', cpuAndMemory(), [sizedNode('node1', 4000, 10000), sizedNode('node2', 6000, 10000)], [], [87, 100], undefined, true],
    ['resources requested, pods scheduled with resources', cpuAndMemory(), [sizedNode('node1', 10000, 20000), sizedNode('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')], [82, 95], undefined, true],
    [
      'resources requested, pods scheduled with resources, differently sized nodes',
      cpuAndMemory(),
      [sizedNode('node1', 10000, 20000), sizedNode('node2', 10000, 50000)],
      [cpuOnly('node1'), cpuAndMemory('node2')],
      [82, 80],
      undefined,
      true,
    ],
    ['requested resources at node capacity', cpuOnly(), [sizedNode('node1', 6000, 10000), sizedNode('node2', 6000, 10000)], [cpuOnly('node1'), cpuAndMemory('node2')], [50, 75], undefined, true],
    [
      'include scalar resource on a node for balanced resource allocation',
      pod({ containers: [{ memory: '0', 'nvidia.com/gpu': '1' }] }),
      [sizedNode('node1', 3500, 40000, gpu), sizedNode('node2', 3500, 40000, gpu)],
      [cpuAndMemory('node2'), cpuAndMemoryAndGPU('node1')],
      [70, 65],
      withGPU,
      true,
    ],
    ['node without the scalar resource should skip the scalar resource', cpuAndMemory(), [sizedNode('node1', 3500, 40000, gpu), sizedNode('node2', 3500, 40000)], [], [63, 63], withGPU, true],
    ['resources requested, pods scheduled with resources if PreScore not called', cpuAndMemory(), [sizedNode('node1', 10000, 20000), sizedNode('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')], [82, 95], undefined, false],
  ];
  for (const [name, p, nodes, pods, [s1, s2], resources, preScore] of cases) {
    it(name, () => {
      const { scores, codes } = runScore(plugin(resources), p, snapshot(nodes, pods), preScore);
      assert.deepEqual(scores, [['node1', s1], ['node2', s2]]);
      assert.ok(codes.every((c) => c === 'Success'), codes.join());
    });
  }

  it('uses the real requests, not the non-zero defaults (a best-effort pod on an empty node is perfectly balanced)', () => {
    // With the 100m / 200Mi defaults this node would be cpu 0.1, memory ~0.2 → 95.
    const { scores } = runScore(plugin(), pod({ containers: [{}] }), snapshot([sizedNode('n', 1000, 1024 * 1024 * 1024)]));
    assert.deepEqual(scores, [['n', 100]]);
  });

  it('PreScore never Skips in 1.32, even for a best-effort pod', () => {
    assert.equal(plugin().preScore(newState(), pod({ containers: [{}] }), []).code, 'Success');
  });

  it('defaults cpu and memory with weight 1; the name is upstream', () => {
    const p = plugin();
    assert.equal(p.name, NAME);
    assert.equal(NAME, 'NodeResourcesBalancedAllocation');
    assert.deepEqual(p.scorer.resources, [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]);
    assert.equal(p.scorer.useRequested, true);
  });

  it('invalid args throw the aggregated validation error', () => {
    assert.throws(() => plugin([{ name: 'cpu', weight: 2 }, { name: 'cpu', weight: 1 }]), {
      message: '[resources[0].weight: Invalid value: 2: must be 1, resources[1].name: Duplicate value: "cpu"]',
    });
  });
});

describe('balancedResourceScorer', () => {
  it('three resources: population standard deviation', () => {
    // fractions 0.2, 0.5, 0.8: mean 0.5, std sqrt(0.06) = 0.2449 → 75
    assert.equal(balancedResourceScorer([2, 5, 8], [10, 10, 10]), 75);
  });

  it('one or no resource scores 100; fractions are capped at 1', () => {
    assert.equal(balancedResourceScorer([3], [10]), 100);
    assert.equal(balancedResourceScorer([5, 1], [0, 0]), 100);
    assert.equal(balancedResourceScorer([30, 10], [10, 10]), 100);
  });

  it('is in [50, 100] and symmetric in the order of resources', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 1000 })), { minLength: 0, maxLength: 6 }), (pairs) => {
        const req = pairs.map(([r]) => r);
        const alloc = pairs.map(([, a]) => a);
        const s = balancedResourceScorer(req, alloc);
        assert.ok(Number.isInteger(s) && s >= 50 && s <= 100, String(s));
        if (pairs.length === 2) assert.equal(balancedResourceScorer([...req].reverse(), [...alloc].reverse()), s);
      }),
    );
  });
});
