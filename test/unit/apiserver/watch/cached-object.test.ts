/**
 * deepFreeze, as the watch cache freezes every object: equal values, everything frozen, and the `{}` values and
 * objects of only `{}` values (managedFields' fieldsV1) shared between objects instead of held once per object.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeStored, deepFreeze } from '../../../../src/apiserver/watch/cached-object';

type Json = Record<string, unknown>;
/** What is at `path` inside `o` (object keys and array indexes). */
const at = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)[k], o);

function allFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(allFrozen);
}

const condition = () => ({ '.': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} });
const pod = (ip: string): Json => ({
  metadata: {
    name: 'p',
    managedFields: [
      { manager: 'kubelet', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': condition() }, 'f:podIPs': { '.': {}, [`k:{"ip":"${ip}"}`]: {} } } } },
    ],
  },
  spec: { containers: [{ name: 'c', resources: {} }], securityContext: {} },
});

test('the same values, all frozen, the same JSON', () => {
  const o = pod('10.0.0.1');
  const json = JSON.stringify(o);
  const frozen = deepFreeze(o);
  assert.equal(JSON.stringify(frozen), json);
  assert.deepEqual(frozen, JSON.parse(json));
  assert.ok(allFrozen(frozen));
});

test('every {} is one shared object, within an object and across objects', () => {
  const a = deepFreeze(pod('10.0.0.1'));
  const b = deepFreeze(pod('10.0.0.2'));
  const empty = at(a, 'spec', 'securityContext');
  assert.equal(empty, at(a, 'spec', 'containers', 0, 'resources'));
  assert.equal(empty, at(b, 'spec', 'securityContext'));
  assert.equal(at(a, 'metadata', 'managedFields', 0, 'fieldsV1', 'f:status', 'f:podIPs', '.'), empty);
  assert.equal(Object.keys(empty as object).length, 0);
});

test('objects of only {} values are shared by their keys in order; others are not', () => {
  const a = deepFreeze(pod('10.0.0.1'));
  const b = deepFreeze(pod('10.0.0.2'));
  const status = (x: unknown) => at(x, 'metadata', 'managedFields', 0, 'fieldsV1', 'f:status');
  const ready = (x: unknown) => at(status(x), 'f:conditions', 'k:{"type":"Ready"}');
  const ips = (x: unknown) => at(status(x), 'f:podIPs');
  assert.equal(ready(a), ready(b), 'the same condition node is one object');
  assert.notEqual(ips(a), ips(b), 'different keys are different objects');
  assert.deepEqual(Object.keys(ips(b) as object), ['.', 'k:{"ip":"10.0.0.2"}']);
  // The same keys in another order are another shape (JSON keeps the order).
  const reordered = at(deepFreeze({ x: { 'f:type': {}, 'f:status': {}, 'f:lastTransitionTime': {}, '.': {} } }), 'x');
  assert.notEqual(reordered, ready(a));
  assert.equal(JSON.stringify(reordered), '{"f:type":{},"f:status":{},"f:lastTransitionTime":{},".":{}}');
  // Key lists that would read alike if simply joined stay apart.
  const one = at(deepFreeze({ x: { 'a1:b': {} } }), 'x') as object;
  const two = at(deepFreeze({ x: { a: {}, b: {} } }), 'x') as object;
  const three = at(deepFreeze({ x: { 'a\u0000b': {} } }), 'x') as object;
  const four = at(deepFreeze({ x: { a: {}, b: {} } }), 'x');
  assert.deepEqual(Object.keys(one), ['a1:b']);
  assert.deepEqual(Object.keys(two), ['a', 'b']);
  assert.deepEqual(Object.keys(three), ['a\u0000b']);
  assert.equal(two, four);
});

test('an object with a non-{} value is not shared, and a subtree already frozen is kept as it is', () => {
  const shared = Object.freeze({ kept: true });
  const a = deepFreeze({ x: { '.': {}, n: 1 }, y: shared });
  const b = deepFreeze({ x: { '.': {}, n: 1 }, y: shared });
  assert.notEqual(a.x, b.x);
  assert.equal(a.y, shared);
  assert.deepEqual(a.x, { '.': {}, n: 1 });
});

test('arrays: frozen, their {} elements shared, never replaced by a shared object themselves', () => {
  const a = deepFreeze({ l: [{}, {}, [], { k: {} }] });
  assert.ok(Array.isArray(a.l) && Array.isArray(a.l[2]));
  assert.equal(a.l[0], a.l[1]);
  assert.ok(allFrozen(a));
  assert.equal(JSON.stringify(a), '{"l":[{},{},[],{"k":{}}]}');
});

test('decoded stored objects are shared the same way', () => {
  const a = decodeStored('/registry/pods/ns/a', JSON.stringify(pod('10.0.0.1')), 5).obj;
  const b = decodeStored('/registry/pods/ns/b', JSON.stringify(pod('10.0.0.1')), 6).obj;
  assert.equal(at(a, 'spec', 'securityContext'), at(b, 'spec', 'securityContext'));
  const ips = ['metadata', 'managedFields', 0, 'fieldsV1', 'f:status', 'f:podIPs'];
  assert.equal(at(a, ...ips), at(b, ...ips));
  assert.equal(a.metadata.resourceVersion, '5');
});

test('property: any JSON value freezes to an equal, wholly frozen value with the same encoding', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
      const json = JSON.stringify(v);
      const frozen = deepFreeze(JSON.parse(json) as unknown);
      assert.equal(JSON.stringify(frozen), json);
      assert.ok(allFrozen(frozen));
    }),
    { numRuns: 500 },
  );
});
