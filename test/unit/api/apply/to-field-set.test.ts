/**
 * Field sets of objects under a schema (structured-merge-diff's ToFieldSet, typed/toset_test.go): list-maps by key
 * (with key defaults), sets by value, atomic lists and maps as one leaf, map keys as members, struct fields not,
 * schemaless and preserve-unknown-fields content as granular maps with atomic lists — and strict validation of
 * applied configurations with upstream's messages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeInfo, setToFieldsV1, toFieldSet } from '../../../../src/api/apply';
import { deploymentSchema, resolver, widgetSchema } from './fixtures';

const ti = new TypeInfo(resolver);
const fieldsOf = (v: unknown, schema = widgetSchema) => setToFieldsV1(toFieldSet(v, schema, ti).set);
const errorsOf = (v: unknown, schema = widgetSchema) => toFieldSet(v, schema, ti, true).errors;

describe('toFieldSet', () => {
  const cases: [string, unknown, unknown][] = [
    ['scalars are leaves, struct fields are not members', { struct: { name: 'a', value: 1 } }, { 'f:struct': { 'f:name': {}, 'f:value': {} } }],
    [
      'list-map items by key, with the item itself a member',
      { list: [{ name: 'a', value: 1 }, { name: 'b' }] },
      { 'f:list': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:value': {} }, 'k:{"name":"b"}': { '.': {}, 'f:name': {} } } },
    ],
    ['set items by value', { set: ['x', 'y'] }, { 'f:set': { 'v:"x"': {}, 'v:"y"': {} } }],
    ['an atomic list is one leaf', { atomicList: ['x', 'y'] }, { 'f:atomicList': {} }],
    ['an atomic map is one leaf', { atomicMap: { a: 'x' } }, { 'f:atomicMap': {} }],
    [
      'map keys are members, recursively',
      { mapOfMapsRecursive: { a: { b: null }, c: {} } },
      { 'f:mapOfMapsRecursive': { 'f:a': { '.': {}, 'f:b': {} }, 'f:c': {} } },
    ],
    [
      'preserve-unknown-fields: granular maps, atomic lists',
      { free: { x: { y: 1 }, l: [1, 2] } },
      { 'f:free': { 'f:l': {}, 'f:x': { '.': {}, 'f:y': {} } } },
    ],
    [
      'without a list type, a merge patch strategy keys by the patch-merge-key (or makes a set)',
      { legacyList: [{ id: 'x', v: 'y' }], legacySet: ['s'] },
      { 'f:legacyList': { 'k:{"id":"x"}': { '.': {}, 'f:id': {}, 'f:v': {} } }, 'f:legacySet': { 'v:"s"': {} } },
    ],
    ['extensions next to a $ref apply (map-type atomic on the wrapper)', { wrappedAtomic: { maxSurge: 1 } }, { 'f:wrappedAtomic': {} }],
    ['an empty list or map contributes nothing', { set: [], struct: {} }, {}],
    ['a null container contributes nothing, a null scalar is a leaf', { struct: null, list: null, atomicList: null }, { 'f:atomicList': {} }],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(fieldsOf(obj), want));

  it('uses the schema default of a missing list-map key (ports keyed by containerPort+protocol)', () => {
    const obj = { spec: { template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } } } };
    assert.deepEqual(fieldsOf(obj, deploymentSchema), {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"c"}': {
                '.': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('without a schema everything is deduced', () => {
    assert.deepEqual(fieldsOf({ spec: { replicas: 1, args: ['a'] } }, undefined as never), { 'f:spec': { '.': {}, 'f:args': {}, 'f:replicas': {} } });
  });
});

describe('toFieldSet strict validation (applied configurations)', () => {
  const cases: [string, unknown, string[]][] = [
    ['undeclared field', { spec: { replicaz: 3 } }, ['.spec.replicaz: field not declared in schema']],
    ['numeric expected', { spec: { replicas: 'three' } }, ['.spec.replicas: expected numeric (int or float), got string']],
    [
      'missing list-map key without default',
      { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
      ['.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)'],
    ],
    [
      'duplicate list-map keys',
      { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X' }, { name: 'X' }] }] } } } },
      ['.spec.template.spec.containers[name="a"].env: duplicate entries for key [name="X"]'],
    ],
    ['a map where a string belongs', { metadata: { labels: { a: { b: 1 } } } }, ['.metadata.labels.a: expected string, got &value.valueUnstructured{Value:map[b:1]}']],
    ['valid objects have no errors', { metadata: { name: 'x', labels: { a: 'b' } }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } } } }, []],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(errorsOf({ apiVersion: 'apps/v1', kind: 'Deployment', ...(obj as object) }, deploymentSchema), want));

  it('set items must be scalars', () => {
    assert.deepEqual(errorsOf({ set: [{ a: 1 }] }), [".set: element 0: associative list without keys has an element that's a map type"]);
  });
});
