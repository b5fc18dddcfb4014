import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildBrokenLinearFunction, type FunctionShapePoint } from '../../../../../src/scheduler/plugins/noderesources/requested-to-capacity-ratio';
import { capNode, defaultResources, pod, sizedNode } from './fixtures';
import { runStrategyCases } from './strategy-cases';

const n = (name: string, cpu: string, memory: string) => capNode(name, { cpu, memory });
const shape: [number, number][] = [
  [0, 10],
  [100, 0],
];

// Upstream requested_to_capacity_ratio_test.go TestRequestedToCapacityRatioScoringStrategy.
describe('RequestedToCapacityRatio (upstream TestRequestedToCapacityRatioScoringStrategy)', () => {
  runStrategyCases('RequestedToCapacityRatio', [
    {
      name: 'nothing scheduled, nothing requested (default - least requested nodes have priority)',
      pod: pod(),
      nodes: [n('node1', '4000', '10000'), n('node2', '4000', '10000')],
      existing: [pod({ node: 'node1' }), pod({ node: 'node1' })],
      scores: [100, 100],
      resources: defaultResources(),
      shape,
    },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)',
      pod: pod({ containers: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }] }),
      nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')],
      existing: [pod({ node: 'node1' }), pod({ node: 'node1' })],
      scores: [38, 50],
      resources: defaultResources(),
      shape,
    },
    {
      name: 'no resources requested, pods scheduled with resources (default - least requested nodes have priority)',
      pod: pod(),
      nodes: [n('node1', '4000', '10000'), n('node2', '6000', '10000')],
      existing: [pod({ node: 'node1', containers: [{ cpu: '3000', memory: '5000' }] }), pod({ node: 'node2', containers: [{ cpu: '3000', memory: '5000' }] })],
      scores: [38, 50],
      resources: defaultResources(),
      shape,
    },
  ]);
});

// Upstream TestBrokenLinearFunction.
describe('buildBrokenLinearFunction (upstream TestBrokenLinearFunction)', () => {
  const cases: [FunctionShapePoint[], [number, number][]][] = [
    [
      [{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }],
      [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]],
    ],
    [
      [{ utilization: 0, score: 2 }, { utilization: 40, score: 10 }, { utilization: 100, score: 0 }],
      [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]],
    ],
    [
      [{ utilization: 0, score: 2 }, { utilization: 40, score: 2 }, { utilization: 100, score: 2 }],
      [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]],
    ],
  ];
  cases.forEach(([points, assertions], i) => {
    it(`case_${i}`, () => {
      const f = buildBrokenLinearFunction(points);
      for (const [p, want] of assertions) assert.equal(f(p), want, `p=${p}`);
    });
  });

  it('truncates toward zero on a decreasing segment (Go integer division)', () => {
    const f = buildBrokenLinearFunction([{ utilization: 0, score: 100 }, { utilization: 100, score: 0 }]);
    assert.equal(f(33), 67); // 100 + trunc(-100*33/100) = 100 - 33
    const g = buildBrokenLinearFunction([{ utilization: 0, score: 10 }, { utilization: 3, score: 0 }]);
    assert.equal(g(1), 7); // 10 + trunc(-10/3) = 10 - 3
  });

  it('stays between the smallest and largest score of the shape', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: -20, max: 120 }), (us, scores, p) => {
        const pts = [...us].sort((a, b) => a - b).map((u, i) => ({ utilization: u, score: scores[i] * 10 }));
        const v = buildBrokenLinearFunction(pts)(p);
        const all = pts.map((x) => x.score);
        assert.ok(Number.isInteger(v) && v >= Math.min(...all) && v <= Math.max(...all));
      }),
    );
  });
});

const binShape: [number, number][] = [
  [0, 0],
  [100, 1],
];

// Upstream TestResourceBinPackingSingleExtended.
describe('RequestedToCapacityRatio bin packing, one extended resource (upstream TestResourceBinPackingSingleExtended)', () => {
  const nodes = () => [sizedNode('node1', 4000, 10000 * 1024 * 1024, { 'intel.com/foo': 8 }), sizedNode('node2', 4000, 10000 * 1024 * 1024, { 'intel.com/foo': 4 })];
  const resources = [{ name: 'intel.com/foo', weight: 1 }];
  runStrategyCases('RequestedToCapacityRatio', [
    { name: 'nothing scheduled, nothing requested', pod: pod(), nodes: nodes(), scores: [0, 0], resources, shape: binShape },
    { name: 'resources requested, pods scheduled with less resources', pod: pod({ containers: [{ 'intel.com/foo': '2' }] }), nodes: nodes(), existing: [pod()], scores: [2, 5], resources, shape: binShape },
    {
      name: 'resources requested, pods scheduled with resources, on node with existing pod running',
      pod: pod({ containers: [{ 'intel.com/foo': '2' }] }),
      nodes: nodes(),
      existing: [pod({ node: 'node2', containers: [{ 'intel.com/foo': '2' }] })],
      scores: [2, 10],
      resources,
      shape: binShape,
    },
    { name: 'resources requested, pods scheduled with more resources', pod: pod({ containers: [{ 'intel.com/foo': '4' }] }), nodes: nodes(), existing: [pod()], scores: [5, 10], resources, shape: binShape },
  ]);
});

// Upstream TestResourceBinPackingMultipleExtended.
describe('RequestedToCapacityRatio bin packing, two extended resources (upstream TestResourceBinPackingMultipleExtended)', () => {
  const nodes = () => [
    sizedNode('node1', 4000, 10000 * 1024 * 1024, { 'intel.com/foo': 8, 'intel.com/bar': 4 }),
    sizedNode('node2', 4000, 10000 * 1024 * 1024, { 'intel.com/foo': 4, 'intel.com/bar': 8 }),
  ];
  const resources = [
    { name: 'intel.com/foo', weight: 3 },
    { name: 'intel.com/bar', weight: 5 },
  ];
  const p1 = () => pod({ containers: [{ 'intel.com/foo': '2', 'intel.com/bar': '2' }] });
  runStrategyCases('RequestedToCapacityRatio', [
    { name: 'nothing scheduled, nothing requested', pod: pod(), nodes: nodes(), scores: [0, 0], resources, shape: binShape },
    { name: 'resources requested, pods scheduled with less resources', pod: p1(), nodes: nodes(), existing: [pod()], scores: [4, 3], resources, shape: binShape },
    {
      name: 'resources requested, pods scheduled with resources, on node with existing pod running',
      pod: p1(),
      nodes: nodes(),
      existing: [pod({ node: 'node2', containers: [{ 'intel.com/foo': '4', 'intel.com/bar': '2' }] })],
      scores: [4, 7],
      resources,
      shape: binShape,
    },
    { name: 'resources requested, pods scheduled with more resources', pod: pod({ containers: [{ 'intel.com/foo': '4', 'intel.com/bar': '2' }] }), nodes: nodes(), existing: [pod()], scores: [5, 5], resources, shape: binShape },
  ]);
});
