import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../../../../src/api/field-errors';
import {
  defaultBalancedAllocationArgs,
  defaultNodeResourcesFitArgs,
  parseBalancedAllocationArgs,
  parseNodeResourcesFitArgs,
  validateBalancedAllocationArgs,
  validateNodeResourcesFitArgs,
} from '../../../../../src/scheduler/plugins/noderesources/args';

const fitArgs = (raw: Record<string, unknown>) => parseNodeResourcesFitArgs(raw);

describe('NodeResourcesFitArgs defaults (upstream SetDefaults_NodeResourcesFitArgs)', () => {
  const cpuMem = [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ];
  it('no args: LeastAllocated over cpu and memory, weight 1', () => {
    assert.deepEqual(defaultNodeResourcesFitArgs(parseNodeResourcesFitArgs(undefined)), {
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: { type: 'LeastAllocated', resources: cpuMem },
    });
  });
  it('a strategy without resources gets cpu and memory; weight 0 or unset becomes 1', () => {
    assert.deepEqual(defaultNodeResourcesFitArgs(fitArgs({ scoringStrategy: { type: 'MostAllocated' } })).scoringStrategy, { type: 'MostAllocated', resources: cpuMem });
    assert.deepEqual(
      defaultNodeResourcesFitArgs(fitArgs({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu' }, { name: 'memory', weight: 0 }, { name: 'x.io/y', weight: 5 }] } })).scoringStrategy?.resources,
      [...cpuMem, { name: 'x.io/y', weight: 5 }],
    );
  });
  it('keeps the RequestedToCapacityRatio shape', () => {
    const a = defaultNodeResourcesFitArgs(fitArgs({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100 }] } } }));
    assert.deepEqual(a.scoringStrategy?.requestedToCapacityRatio, { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] });
  });
});

describe('ValidateNodeResourcesFitArgs', () => {
  // Distinct (type, field) pairs: how many messages IsQualifiedName gives for one bad name is its own business.
  const errs = (raw: Record<string, unknown>) => [...new Set(validateNodeResourcesFitArgs(fitArgs(raw)).map((e) => `${e.type} ${e.field}`))].map((s) => s.split(' '));
  const cases: [string, Record<string, unknown>, [string, string][]][] = [
    ['valid config', { ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['example.com'], scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }] } }, []],
    ['IgnoredResources: too long value', { ignoredResources: [`longvalue${'a'.repeat(64)}`] }, [['FieldValueInvalid', 'ignoredResources[0]']]],
    ['IgnoredResources: name is empty', { ignoredResources: ['example.com/'] }, [['FieldValueInvalid', 'ignoredResources[0]']]],
    ['IgnoredResources: name has too many slash', { ignoredResources: ['example.com/aaa/bbb'] }, [['FieldValueInvalid', 'ignoredResources[0]']]],
    ['IgnoredResources: valid args', { ignoredResources: ['example.com'] }, []],
    ['IgnoredResourceGroups: valid args ', { ignoredResourceGroups: ['example.com'] }, []],
    ['IgnoredResourceGroups: illegal args', { ignoredResourceGroups: ['example.com/'] }, [['FieldValueInvalid', 'ignoredResourceGroups[0]']]],
    ['IgnoredResourceGroups: name is too long', { ignoredResourceGroups: ['a'.repeat(64)] }, [['FieldValueInvalid', 'ignoredResourceGroups[0]']]],
    ['IgnoredResourceGroups: name cannot be contain slash', { ignoredResourceGroups: ['example.com/aa'] }, [['FieldValueInvalid', 'ignoredResourceGroups[0]']]],
    ['ScoringStrategy: type is unsupported', { scoringStrategy: { type: 'Invalid' } }, [['FieldValueNotSupported', 'scoringStrategy.type']]],
    ['ScoringStrategy: resources weight out of range', { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 101 }, { name: 'memory', weight: -1 }] } }, [['FieldValueInvalid', 'scoringStrategy.resources[0].weight'], ['FieldValueInvalid', 'scoringStrategy.resources[1].weight']]],
    ['ScoringStrategy: shape is empty', { scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 1 }], requestedToCapacityRatio: { shape: [] } } }, [['FieldValueRequired', 'scoringStrategy.shape']]],
    [
      'ScoringStrategy: shape utilization not increasing, values out of range',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 1 }], requestedToCapacityRatio: { shape: [{ utilization: 60, score: 11 }, { utilization: 50, score: 1 }, { utilization: 101, score: -1 }] } } },
      [['FieldValueInvalid', 'scoringStrategy.shape[1].utilization'], ['FieldValueInvalid', 'scoringStrategy.shape[0].score'], ['FieldValueInvalid', 'scoringStrategy.shape[2].utilization'], ['FieldValueInvalid', 'scoringStrategy.shape[2].score']],
    ],
  ];
  for (const [name, raw, want] of cases) it(name, () => assert.deepEqual(errs(raw), want));

  it('messages are upstream words; a path prefix is honoured', () => {
    const a = fitArgs({ ignoredResourceGroups: ['example.com/aa'], scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 0 }], requestedToCapacityRatio: { shape: [{ utilization: 10, score: 1 }, { utilization: 10, score: 12 }] } } });
    assert.deepEqual(validateNodeResourcesFitArgs(a, 'profiles[0].pluginConfig[0].args').map(fieldErrorMessage), [
      `profiles[0].pluginConfig[0].args.ignoredResourceGroups[0]: Invalid value: "example.com/aa": resource group name can't contain '/'`,
      'profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]',
      'profiles[0].pluginConfig[0].args.scoringStrategy.shape[1].utilization: Invalid value: 10: utilization values must be sorted in increasing order',
      'profiles[0].pluginConfig[0].args.scoringStrategy.shape[1].score: Invalid value: 12: not in valid range [0, 10]',
    ]);
  });
});

describe('NodeResourcesBalancedAllocationArgs', () => {
  it('defaults to cpu and memory; weight 0 or unset becomes 1', () => {
    assert.deepEqual(defaultBalancedAllocationArgs(parseBalancedAllocationArgs(undefined)).resources, [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]);
    assert.deepEqual(defaultBalancedAllocationArgs(parseBalancedAllocationArgs({ resources: [{ name: 'cpu' }, { name: 'nvidia.com/gpu', weight: 0 }] })).resources, [
      { name: 'cpu', weight: 1 },
      { name: 'nvidia.com/gpu', weight: 1 },
    ]);
  });
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid config', { resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] }, []],
    ['invalid config', { resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }] }, ['resources[0].weight: Invalid value: 2: must be 1']],
    ['repeated resources', { resources: [{ name: 'cpu', weight: 1 }, { name: 'cpu', weight: 1 }] }, ['resources[1].name: Duplicate value: "cpu"']],
  ];
  for (const [name, raw, want] of cases) it(name, () => assert.deepEqual(validateBalancedAllocationArgs(parseBalancedAllocationArgs(raw)).map(fieldErrorMessage), want));
});
