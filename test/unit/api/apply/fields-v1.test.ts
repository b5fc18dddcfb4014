/**
 * FieldsV1 encoding: key spelling and order exactly as structured-merge-diff serializes sets (golden strings in the
 * style of fieldpath/serialize_test.go), round trips, unknown element types dropped, malformed keys rejected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FieldSet, fieldPE, fieldsV1ToSet, indexPE, keyPE, setToFieldsV1, valuePE, type Path } from '../../../../src/api/apply';
import { deserializePE, serializePE } from '../../../../src/api/apply/path-element';

const f = fieldPE;
const k = (o: Record<string, unknown>) => keyPE(Object.entries(o).map(([name, value]) => ({ name, value })));

describe('path element keys', () => {
  const cases: [string, ReturnType<typeof f>, string][] = [
    ['field', f('spec'), 'f:spec'],
    ['field with dots and slashes', f('app.kubernetes.io/name'), 'f:app.kubernetes.io/name'],
    ['key sorted by field name', k({ protocol: 'TCP', containerPort: 80 }), 'k:{"containerPort":80,"protocol":"TCP"}'],
    ['key escapes HTML like Go', k({ name: 'a<b>&c' }), 'k:{"name":"a\\u003cb\\u003e\\u0026c"}'],
    ['set value string', valuePE('finalizer.example.com/x'), 'v:"finalizer.example.com/x"'],
    ['set value number', valuePE(443), 'v:443'],
    ['set value bool', valuePE(true), 'v:true'],
    ['index', indexPE(3), 'i:3'],
  ];
  for (const [name, pe, key] of cases) {
    it(`${name}: ${key}`, () => {
      assert.equal(serializePE(pe), key);
      assert.equal(serializePE(deserializePE(key)), key);
    });
  }

  it('rejects malformed keys with upstream wording', () => {
    assert.throws(() => deserializePE('f'), /key must be 2 characters long/);
    assert.throws(() => deserializePE('fx'), /missing colon: fx/);
    assert.throws(() => deserializePE('i:x'), /invalid syntax/);
    assert.throws(() => deserializePE('k:{nope'), /parsing JSON/);
  });
});

describe('set → FieldsV1', () => {
  it('writes "." first for a member that has children, {} for a plain member', () => {
    const s = FieldSet.of(
      [f('metadata'), f('labels')],
      [f('metadata'), f('labels'), f('app')],
      [f('spec'), f('replicas')],
      [f('spec'), f('template'), f('spec'), f('containers'), k({ name: 'nginx' })],
      [f('spec'), f('template'), f('spec'), f('containers'), k({ name: 'nginx' }), f('image')],
    );
    assert.equal(
      JSON.stringify(setToFieldsV1(s)),
      '{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{}}}}}}}',
    );
  });

  it('orders fields < keys < values < indices, values by kind (numbers, strings, booleans) then value', () => {
    const s = FieldSet.of(
      [indexPE(2)],
      [valuePE(true)],
      [valuePE('ab')],
      [valuePE(3)],
      [k({ port: 443, protocol: 'udp' })],
      [k({ port: 443, protocol: 'tcp' })],
      [k({ name: 'second' })],
      [k({ name: 'first' })],
      [valuePE('aa')],
      [valuePE(1)],
      [f('b')],
      [f('a')],
      [indexPE(1)],
    );
    assert.equal(
      JSON.stringify(setToFieldsV1(s)),
      '{"f:a":{},"f:b":{},"k:{\\"name\\":\\"first\\"}":{},"k:{\\"name\\":\\"second\\"}":{},' +
        '"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{},' +
        '"v:1":{},"v:3":{},"v:\\"aa\\"":{},"v:\\"ab\\"":{},"v:true":{},"i:1":{},"i:2":{}}',
    );
  });

  it('an empty set is {}', () => {
    assert.deepEqual(setToFieldsV1(FieldSet.empty()), {});
  });
});

describe('FieldsV1 → set', () => {
  it('reads members, "." and children', () => {
    const s = fieldsV1ToSet({ 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
    assert.ok(s.has([f('metadata'), f('labels')]));
    assert.ok(s.has([f('metadata'), f('labels'), f('app')]));
    assert.ok(s.has([f('spec'), f('replicas')]));
    assert.ok(!s.has([f('spec')]), 'a parent is not a member unless it says "."');
  });

  it('drops keys with an unknown type letter (like TestDropUnknown)', () => {
    assert.deepEqual(setToFieldsV1(fieldsV1ToSet({ 'f:aaa': {}, 'r:aab': {} })), { 'f:aaa': {} });
  });

  it('rejects a malformed key', () => {
    assert.throws(() => fieldsV1ToSet({ 'i:one': {} }), /parsing key as path element/);
  });

  it('re-serializes hand-ordered input in canonical order', () => {
    const input = { 'v:true': {}, 'f:b': { 'i:1': {}, 'f:x': {} }, 'k:{"protocol":"TCP","port":1}': {}, 'f:a': {} };
    assert.equal(
      JSON.stringify(setToFieldsV1(fieldsV1ToSet(input))),
      '{"f:a":{},"f:b":{"f:x":{},"i:1":{}},"k:{\\"port\\":1,\\"protocol\\":\\"TCP\\"}":{},"v:true":{}}',
    );
  });
});

const peArb = fc.oneof(
  fc.constantFrom('a', 'b', 'spec', 'x.y/z', 'ü').map(fieldPE),
  fc.record({ name: fc.constantFrom('a', 'b', 'c'), port: fc.integer({ min: 0, max: 3 }) }).map((o) => k(o)),
  fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constantFrom('s', 't', '<&>'), fc.boolean()).map(valuePE),
  fc.integer({ min: 0, max: 5 }).map(indexPE),
);
const pathArb = fc.array(peArb, { minLength: 1, maxLength: 4 }) as fc.Arbitrary<Path>;

describe('round trip (property)', () => {
  it('decode(encode(s)) equals s and encoding is canonical', () => {
    fc.assert(
      fc.property(fc.array(pathArb, { maxLength: 25 }), (paths) => {
        const s = FieldSet.of(...paths);
        const json = setToFieldsV1(s);
        const back = fieldsV1ToSet(JSON.parse(JSON.stringify(json)));
        assert.ok(back.equals(s));
        assert.equal(JSON.stringify(setToFieldsV1(back)), JSON.stringify(json));
        for (const p of paths) assert.ok(back.has(p));
      }),
      { numRuns: 200 },
    );
  });
});
