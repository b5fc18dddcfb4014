import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../../../src/api/field-errors';
import { crdKindSchema } from '../../../../src/api/openapi/crd-definitions';
import { goFloat, validateCustomResource } from '../../../../src/api/openapi/crd-validation';
import type { Schema } from '../../../../src/api/openapi/schema-types';

const SCHEMA: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        image: { type: 'string', minLength: 2, maxLength: 5 },
        color: { type: 'string', enum: ['red', 'blue'] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        ratio: { type: 'number', multipleOf: 0.5, maximum: 1000000, exclusiveMaximum: true },
        note: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 2 },
        one: { type: 'string', maxLength: 1 },
      },
    },
  },
};

const check = (spec: unknown): string[] => validateCustomResource(SCHEMA, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec }).map(fieldErrorMessage);
const base = { cronSpec: '* * * * */5' };

describe('validateCustomResource (kube-openapi wording)', () => {
  it('accepts a valid object', () => {
    assert.deepEqual(check({ ...base, replicas: 3, image: 'ng', color: 'red', tags: ['a'], ratio: 1.5, note: null, port: 'http', labels: { a: 'b' } }), []);
    assert.deepEqual(check({ ...base, port: 8080, ratio: 2 }), []);
  });

  const cases: [string, unknown, string[]][] = [
    ['wrong type', { ...base, replicas: 'three' }, ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']],
    ['fraction for integer', { ...base, replicas: 1.5 }, ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"']],
    ['object type', 'str', ['spec: Invalid value: "string": spec in body must be of type object: "string"']],
    ['minimum', { ...base, replicas: 0 }, ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1']],
    ['maximum', { ...base, replicas: 11 }, ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10']],
    ['exclusive maximum, Go float formatting', { ...base, ratio: 1000000 }, ['spec.ratio: Invalid value: 1000000: spec.ratio in body should be less than 1e+06']],
    ['multipleOf', { ...base, ratio: 0.3 }, ['spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.5']],
    ['required', {}, ['spec.cronSpec: Required value']],
    ['null of a non-nullable field is dropped, so it is missing', { cronSpec: null }, ['spec.cronSpec: Required value']],
    ['minLength', { ...base, image: 'a' }, ['spec.image: Invalid value: "a": spec.image in body should be at least 2 chars long']],
    ['maxLength', { ...base, image: 'abcdef' }, ['spec.image: Too long: may not be more than 5 bytes']],
    ['maxLength 1', { ...base, one: 'ab' }, ['spec.one: Too long: may not be more than 1 byte']],
    ['pattern', { cronSpec: 'x' }, ["spec.cronSpec: Invalid value: \"x\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'"]],
    ['enum', { ...base, color: 'pink' }, ['spec.color: Unsupported value: "pink": supported values: "red", "blue"']],
    ['minItems', { ...base, tags: [] }, ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items']],
    ['maxItems', { ...base, tags: ['a', 'b', 'c', 'd'] }, ['spec.tags: Too many: 4: must have at most 3 items']],
    ['item type', { ...base, tags: ['a', 1] }, ['spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"']],
    ['maxProperties', { ...base, labels: { a: 'x', b: 'y', c: 'z' } }, ['spec.labels: Too many: 3: must have at most 2 items']],
    ['additionalProperties', { ...base, labels: { a: 1 } }, ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"']],
    [
      'int-or-string (anyOf)',
      { ...base, port: true },
      ['<nil>: Invalid value: "": "spec.port" must validate at least one schema (anyOf)', 'spec.port: Invalid value: "boolean": spec.port in body must be of type integer: "boolean"'],
    ],
    ['several errors', { replicas: 0, color: 'x' }, ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1', 'spec.color: Unsupported value: "x": supported values: "red", "blue"', 'spec.cronSpec: Required value']],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => assert.deepEqual(check(spec), expected));
  }

  it('validates nullable fields and non-nullable nulls in lists', () => {
    const schema: Schema = { type: 'object', properties: { l: { type: 'array', items: { type: 'string' } }, n: { type: 'integer', nullable: true } } };
    assert.deepEqual(validateCustomResource(schema, { l: ['a', null], n: null }).map(fieldErrorMessage), ['l[1]: Invalid value: "null": l[1] in body must be of type string: "null"']);
  });

  it('handles oneOf and not', () => {
    const schema: Schema = { type: 'object', properties: { x: { oneOf: [{ type: 'string' }, { type: 'string', maxLength: 3 }] }, y: { not: { type: 'string' } } } };
    assert.deepEqual(validateCustomResource(schema, { x: 'ab', y: 'z' }).map(fieldErrorMessage), [
      '<nil>: Invalid value: "": "x" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      '<nil>: Invalid value: "": "y" must not validate the schema (not)',
    ]);
    assert.deepEqual(validateCustomResource(schema, { x: 'abcd', y: 1 }).map(fieldErrorMessage), []);
  });

  it('formats numbers like Go %v', () => {
    const table: [number, string][] = [[0, '0'], [1, '1'], [0.5, '0.5'], [100000, '100000'], [1000000, '1e+06'], [1234567, '1.234567e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'], [-2.5, '-2.5']];
    for (const [v, s] of table) assert.equal(goFloat(v), s);
  });
});

describe('validateCustomResource on the published kind schema', () => {
  it('validates the same as the CRD schema and leaves metadata to ObjectMeta validation', () => {
    const published = crdKindSchema({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, SCHEMA);
    const obj = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c', labels: { a: 'b' } }, spec: { replicas: 'x' } };
    assert.deepEqual(validateCustomResource(published, obj).map(fieldErrorMessage), validateCustomResource(SCHEMA, obj).map(fieldErrorMessage));
    assert.equal(validateCustomResource(published, obj).length, 2);
  });
});
