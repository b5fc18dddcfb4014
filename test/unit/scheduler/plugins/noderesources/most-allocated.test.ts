import { describe } from 'node:test';
import { capNode, defaultResources, extendedRes, extendedResourceSet, pod } from './fixtures';
import { runStrategyCases } from './strategy-cases';

const n = (name: string, cpu: string, memory: string, extra: Record<string, string> = {}) => capNode(name, { cpu, memory, ...extra });
const req = (...cs: [string, string][]) => pod({ containers: cs.map(([cpu, memory]) => ({ cpu, memory })) });
const on = (node: string, cpu: string, memory: string) => pod({ node, containers: [{ cpu, memory }] });
const weightErr = (i: number, name: string, w: number) => `scoringStrategy.resources[${i}].weight: Invalid value: ${w}: resource weight of ${name} not in valid range (0, 100]`;

// Upstream most_allocated_test.go TestMostAllocatedScoringStrategy.
describe('MostAllocated (upstream TestMostAllocatedScoringStrategy)', () => {
  runStrategyCases('MostAllocated', [
    { name: 'nothing scheduled, nothing requested', pod: pod(), nodes: [n('node1', '4000', '10000'), n('node2', '4000', '10000')], scores: [0, 0], resources: defaultResources() },
    { name: 'nothing scheduled, resources requested, differently sized nodes', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')], scores: [62, 50], resources: defaultResources() },
    { name: 'Resources not set, pods scheduled with error', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')], scores: [0, 0], resources: [], wantStatusCode: 'Error' },
    { name: 'no resources requested, pods scheduled with resources', pod: pod(), nodes: [n('node1', '10000', '20000'), n('node2', '10000', '20000')], existing: [on('node1', '3000', '0'), on('node1', '3000', '0'), on('node2', '3000', '0'), on('node2', '3000', '5000')], scores: [30, 42], resources: defaultResources() },
    { name: 'resources requested, pods scheduled with resources', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '10000', '20000'), n('node2', '10000', '20000')], existing: [on('node1', '3000', '0'), on('node2', '3000', '5000')], scores: [42, 55], resources: defaultResources() },
    { name: 'resources requested equal node capacity', pod: req(['2000', '4000'], ['3000', '5000']), nodes: [n('node1', '5000', '10000'), n('node2', '10000', '9000')], scores: [95, 75], resources: defaultResources() },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes (weighted)',
      pod: req(['1000', '2000'], ['2000', '3000']),
      nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')],
      scores: [58, 50],
      resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }],
    },
    {
      name: 'no resources requested, pods scheduled, nonzero request for resource',
      pod: pod({ containers: [{}] }),
      nodes: [n('node1', '250m', '1000Mi'), n('node2', '250m', '1000Mi')],
      existing: [pod({ node: 'node1', containers: [{}] }), pod({ node: 'node1', containers: [{}] })],
      scores: [80, 30],
      resources: defaultResources(),
    },
    { name: 'resource with negative weight', pod: req(['1000', '2000']), nodes: [n('node2', '4000', '10000')], resources: [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], error: weightErr(0, 'memory', -1) },
    { name: 'resource with zero weight', pod: req(['1000', '2000']), nodes: [n('node2', '4000', '10000')], resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], error: weightErr(1, 'cpu', 0) },
    { name: 'resource weight larger than MaxNodeScore', pod: req(['1000', '2000']), nodes: [n('node2', '4000', '10000')], resources: [{ name: 'memory', weight: 101 }], error: weightErr(0, 'memory', 101) },
    { name: 'bypass extended resource if the pod does not request', pod: req(['1000', '2000'], ['2000', '3000']), nodes: [n('node1', '6000', '10000'), n('node2', '6000', '10000', { [extendedRes]: '4' })], scores: [50, 50], resources: extendedResourceSet() },
    { name: 'honor extended resource if the pod request', pod: pod({ containers: [{ cpu: '3000', memory: '5000', [extendedRes]: '2' }] }), nodes: [n('node1', '6000', '10000', { [extendedRes]: '4' }), n('node2', '6000', '10000', { [extendedRes]: '10' })], scores: [50, 40], resources: extendedResourceSet() },
    {
      name: "if the node doesn't have a resource",
      pod: req(['3000', '4000']),
      nodes: [n('node1', '6000', '10000'), n('node2', '6000', '10000', { [extendedRes]: '4' })],
      scores: [45, 45],
      resources: [{ name: extendedRes, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }],
    },
  ]);
});
