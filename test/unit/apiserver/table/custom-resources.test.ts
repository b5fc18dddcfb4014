import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceInfo } from '../../../../src/api/resources';
import type { CrdColumn } from '../../../../src/apiserver/table';
import { goNumber } from '../../../../src/apiserver/table/custom-resources';
import { DAY, HOUR, MIN, ago, headers, meta, table } from './fixtures';

const widgets: ResourceInfo = {
  group: 'example.com',
  version: 'v1',
  resource: 'widgets',
  singular: 'widget',
  kind: 'Widget',
  listKind: 'WidgetList',
  namespaced: true,
  verbs: ['get', 'list'],
  shortNames: [],
  categories: [],
  subresources: [],
  storagePrefix: '/registry/example.com/widgets',
  crd: 'widgets.example.com',
};

const widget = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: meta('w1', { creationTimestamp: ago(3 * HOUR) }),
  spec: { replicas: 3, ratio: 0.25, big: 1234567.5, paused: false, size: 'large', tags: ['a', 'b'], selector: { tier: 'fe', app: 'x<y>' }, 'dotted.key': 'dk' },
  status: {
    conditions: [
      { type: 'Progressing', status: 'True', lastTransitionTime: ago(2 * DAY) },
      { type: 'Ready', status: 'False', reason: 'Waiting', lastTransitionTime: ago(10 * MIN) },
    ],
    observedGeneration: 4,
    startedAt: ago(90 * MIN),
    badTime: 'yesterday',
    emptyTime: '',
  },
};

describe('custom resource tables', () => {
  it('without additionalPrinterColumns: NAME and the default AGE column (type date)', () => {
    const t = table(widgets, [widget]);
    assert.deepEqual(headers(t), ['NAME', 'AGE']);
    assert.equal(t.columnDefinitions[1]!.type, 'date');
    assert.ok(t.columnDefinitions[1]!.description.startsWith('CreationTimestamp is a timestamp'));
    assert.deepEqual(t.rows[0]!.cells, ['w1', '3h']);
    assert.deepEqual(table(widgets, [widget], []).rows[0]!.cells, ['w1', '3h']);
  });

  it('evaluates each column by JSONPath and converts by type', () => {
    const columns: CrdColumn[] = [
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
      { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
      { name: 'Size', type: 'string', description: 'How big it is', jsonPath: '.spec.size' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Reason', type: 'string', priority: 1, jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
      { name: 'Started', type: 'date', jsonPath: '.status.startedAt' },
      { name: 'Gen', type: 'string', jsonPath: '.status.observedGeneration' },
      { name: 'Big', type: 'string', jsonPath: '.spec.big' },
      { name: 'Truncated', type: 'integer', jsonPath: '.spec.ratio' },
      { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
      { name: 'Selector', type: 'string', jsonPath: '.spec.selector' },
      { name: 'Flag', type: 'string', jsonPath: '.spec.paused' },
      { name: 'Dotted', type: 'string', jsonPath: '.spec.dotted\\.key' },
      { name: 'Last', type: 'string', jsonPath: '.status.conditions[-1].type' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ];
    const t = table(widgets, [widget], columns);
    assert.deepEqual(headers(t), ['NAME', 'REPLICAS', 'RATIO', 'PAUSED', 'SIZE', 'READY', '+REASON', 'STARTED', 'GEN', 'BIG', 'TRUNCATED', 'TAGS', 'SELECTOR', 'FLAG', 'DOTTED', 'LAST', 'AGE']);
    assert.equal(t.columnDefinitions[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
    assert.equal(t.columnDefinitions[4]!.description, 'How big it is');
    assert.deepEqual(t.columnDefinitions[1], { name: 'Replicas', type: 'integer', format: '', description: 'Custom resource definition column (in JSONPath format): .spec.replicas', priority: 0 });
    assert.deepEqual(t.rows[0]!.cells, [
      'w1',
      3,
      0.25,
      false,
      'large',
      'False',
      'Waiting',
      '90m',
      '4',
      '1.2345675e+06',
      0,
      '["a","b"]',
      '{"app":"x\\u003cy\\u003e","tier":"fe"}',
      'false',
      'dk',
      'Ready',
      '3h',
    ]);
  });

  it('null cells for missing paths, wrong types and evaluation errors; <invalid>/<unknown> dates', () => {
    const columns: CrdColumn[] = [
      { name: 'Missing', type: 'string', jsonPath: '.spec.nothing.here' },
      { name: 'WrongType', type: 'integer', jsonPath: '.spec.size' },
      { name: 'NotBool', type: 'boolean', jsonPath: '.spec.replicas' },
      { name: 'OutOfRange', type: 'string', jsonPath: '.status.conditions[5].type' },
      { name: 'NoMatch', type: 'string', jsonPath: '.status.conditions[?(@.type=="Gone")].status' },
      { name: 'BadDate', type: 'date', jsonPath: '.status.badTime' },
      { name: 'EmptyDate', type: 'date', jsonPath: '.status.emptyTime' },
      { name: 'NumberDate', type: 'date', jsonPath: '.spec.replicas' },
      { name: 'UnknownType', type: 'object', jsonPath: '.spec' },
    ];
    assert.deepEqual(table(widgets, [widget], columns).rows[0]!.cells, ['w1', null, null, null, null, null, '<invalid>', '<unknown>', null, null]);
  });

  it('a column whose JSONPath does not parse ends the column list there', () => {
    const columns: CrdColumn[] = [
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Broken', type: 'string', jsonPath: '.spec.tags[' },
      { name: 'After', type: 'string', jsonPath: '.spec.size' },
    ];
    const t = table(widgets, [widget], columns);
    assert.deepEqual(headers(t), ['NAME', 'REPLICAS']);
    assert.deepEqual(t.rows[0]!.cells, ['w1', 3]);
  });

  it("numbers print as Go's %v", () => {
    const cases: [number, string][] = [[3, '3'], [-7, '-7'], [0.25, '0.25'], [123456.5, '123456.5'], [1234567.5, '1.2345675e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'], [2 ** 53, '9007199254740992']];
    for (const [x, want] of cases) assert.equal(goNumber(x), want, String(x));
  });
});
