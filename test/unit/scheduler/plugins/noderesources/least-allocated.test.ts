import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { leastRequestedScore } from '../../../../../src/scheduler/plugins/noderesources/least-allocated';
import { mostRequestedScore } from '../../../../../src/scheduler/plugins/noderesources/most-allocated';
import { capNode, defaultResources, extendedRes, extendedResourceSet, pod } from './fixtures';
import { runStrategyCases } from './strategy-cases';

const n = (name: string, cpu: string, memory: string, extra: Record<string, string> = {}) => capNode(name, { cpu, memory, ...extra });
const req = (...cs: [string, string][]) => pod({ containers: cs.map(([cpu, memory]) => ({ cpu, memory })) });
const on = (node: string, cpu: string, memory: string) => pod({ node, containers: [{ cpu, memory }] });
const weightErr = (i: number, name: string, w: number) => `scoringStrategy.resources[${i}].weight: Invalid value: ${w}: resource weight of ${name} not in valid range (0, 100]`;

// Upstream least_allocated_test.go TestLeastAllocatedScoringStrategy.
describe('LeastAllocated (upstream TestLeastAllocatedScoringStrategy)', () => {
  runStrategyCases('LeastAllocated', [
    { name: 'nothing scheduled, nothing requested', pod: pod(), nodes: [n('node1', '4000', '10000'), n('node2', '4000', '10000')], scores: [100, 100], resources: defaultResources() },
    { name: 'nothing scheduled, resources requested, differently sized nodes', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')], scores: [37, 50], resources: defaultResources() },
    { name: 'Resources not set, pods scheduled with error', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')], scores: [0, 0], resources: [], wantStatusCode: 'Error' },
    { name: 'no resources requested, pods scheduled', pod: pod(), nodes: [n('node1', '4000', '10000'), n('node2', '4000', '10000')], existing: [pod({ node: 'node1' }), pod({ node: 'node1' }), pod({ node: 'node2' }), pod({ node: 'node2' })], scores: [100, 100], resources: defaultResources() },
    { name: 'no resources requested, pods scheduled with resources', pod: pod(), nodes: [n('node1', '10000', '20000'), n('node2', '10000', '20000')], existing: [on('node1', '3000', '0'), on('node1', '3000', '0'), on('node2', '3000', '0'), on('node2', '3000', '5000')], scores: [70, 57], resources: defaultResources() },
    { name: 'resources requested, pods scheduled with resources', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '10000', '20000'), n('node2', '10000', '20000')], existing: [on('node1', '3000', '0'), on('node2', '3000', '5000')], scores: [57, 45], resources: defaultResources() },
    { name: 'resources requested, pods scheduled with resources, differently sized nodes', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '10000', '20000'), n('node2', '10000', '50000')], existing: [on('node1', '3000', '0'), on('node2', '3000', '5000')], scores: [57, 60], resources: defaultResources() },
    { name: 'requested resources exceed node capacity', pod: req(['3000', '0']), nodes: [n('node1', '4000', '10000'), n('node2', '4000', '10000')], existing: [on('node1', '3000', '0'), on('node2', '3000', '5000')], scores: [50, 25], resources: defaultResources() },
    { name: 'zero node resources, pods scheduled with resources', pod: pod(), nodes: [capNode('node1'), capNode('node2')], existing: [on('node1', '3000', '0'), on('node2', '3000', '5000')], scores: [0, 0], resources: defaultResources() },
    {
      name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
      pod: req(['1000', '2000'], ['2000', '3000']),
      nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')],
      scores: [41, 50],
      resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }],
    },
    { name: 'resource with negative weight', pod: req(['1000', '2000']), nodes: [n('node1', '4000', '10000')], resources: [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], error: weightErr(0, 'memory', -1) },
    { name: 'resource with zero weight', pod: req(['1000', '2000']), nodes: [n('node1', '4000', '10000')], resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], error: weightErr(1, 'cpu', 0) },
    { name: 'resource weight larger than MaxNodeScore', pod: req(['1000', '2000']), nodes: [n('node1', '4000', '10000')], resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], error: weightErr(1, 'cpu', 101) },
    { name: 'bypass extended resource if the pod does not request', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '6000', '10000'), n('node2', '6000', '10000', { [extendedRes]: '4' })], scores: [50, 50], resources: extendedResourceSet() },
    { name: 'honor extended resource if the pod requests', pod: pod({ containers: [{ cpu: '3000', memory: '5000', [extendedRes]: '2' }] }), nodes: [n('node1', '6000', '10000', { [extendedRes]: '4' }), n('node2', '6000', '10000', { [extendedRes]: '10' })], scores: [50, 60], resources: extendedResourceSet() },
    {
      name: "if the node doesn't have a resource",
      pod: req(['3000', '4000']),
      nodes: [n('node1', '6000', '10000'), n('node2', '6000', '10000', { [extendedRes]: '4' })],
      scores: [55, 55],
      resources: [{ name: extendedRes, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }],
    },
  ]);
});

describe('leastRequestedScore / mostRequestedScore', () => {
  it('sum to 99 or 100 when the request fits, and stay in [0, 100]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (capacity, requested) => {
        const least = leastRequestedScore(requested, capacity);
        const most = mostRequestedScore(requested, capacity);
        assert.ok(least >= 0 && least <= 100 && most >= 0 && most <= 100);
        assert.ok(Number.isInteger(least) && Number.isInteger(most));
        if (requested <= capacity) assert.ok(least + most === 100 || least + most === 99, `${least}+${most}`);
        else assert.deepEqual([least, most], [0, 100]);
      }),
    );
  });

  it('capacity 0 scores 0', () => {
    assert.equal(leastRequestedScore(5, 0), 0);
    assert.equal(mostRequestedScore(5, 0), 0);
  });
});
