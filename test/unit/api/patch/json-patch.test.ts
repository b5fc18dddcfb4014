import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch } from '../../../../src/api/patch';
import { deepFreeze } from './fixtures';
import { badRequest400, GENERIC_422, statusOf } from './helpers';

const base = () =>
  deepFreeze({
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': '1', 'm~n': '2' } },
    spec: { replicas: 1, list: ['x', 'y', 'z'], nested: { k: null as unknown } },
  });

interface Case {
  name: string;
  ops: unknown[];
  expect: (d: ReturnType<typeof base>) => unknown;
}

/** Successful operations, including evanphx/json-patch.v4's departures from RFC 6902 that the API server keeps. */
const OK: Case[] = [
  { name: 'add an object key', ops: [{ op: 'add', path: '/spec/paused', value: true }], expect: (d) => ({ ...d, spec: { ...d.spec, paused: true } }) },
  { name: 'add replaces an existing key', ops: [{ op: 'add', path: '/spec/replicas', value: 5 }], expect: (d) => ({ ...d, spec: { ...d.spec, replicas: 5 } }) },
  { name: 'add inserts at an index', ops: [{ op: 'add', path: '/spec/list/1', value: 'q' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['x', 'q', 'y', 'z'] } }) },
  { name: 'add "-" appends', ops: [{ op: 'add', path: '/spec/list/-', value: 'w' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['x', 'y', 'z', 'w'] } }) },
  { name: 'add at the length appends', ops: [{ op: 'add', path: '/spec/list/3', value: 'w' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['x', 'y', 'z', 'w'] } }) },
  { name: 'add at -1 appends (negative indices count from the end)', ops: [{ op: 'add', path: '/spec/list/-1', value: 'w' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['x', 'y', 'z', 'w'] } }) },
  { name: 'add without value adds null', ops: [{ op: 'add', path: '/spec/x' }], expect: (d) => ({ ...d, spec: { ...d.spec, x: null } }) },
  { name: '~1 decodes to /', ops: [{ op: 'replace', path: '/metadata/annotations/a~1b', value: 'v' }], expect: (d) => ({ ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, 'a/b': 'v' } } }) },
  { name: '~0 decodes to ~', ops: [{ op: 'remove', path: '/metadata/annotations/m~0n' }], expect: (d) => ({ ...d, metadata: { ...d.metadata, annotations: { 'a/b': '1' } } }) },
  { name: '~01 decodes to ~1, not /', ops: [{ op: 'add', path: '/metadata/labels/~01', value: 'v' }], expect: (d) => ({ ...d, metadata: { ...d.metadata, labels: { app: 'web', '~1': 'v' } } }) },
  { name: 'remove a key', ops: [{ op: 'remove', path: '/metadata/labels/app' }], expect: (d) => ({ ...d, metadata: { ...d.metadata, labels: {} } }) },
  { name: 'remove an index', ops: [{ op: 'remove', path: '/spec/list/0' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['y', 'z'] } }) },
  { name: 'remove index -1 (the last)', ops: [{ op: 'remove', path: '/spec/list/-1' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['x', 'y'] } }) },
  { name: 'replace a value', ops: [{ op: 'replace', path: '/spec/replicas', value: 3 }], expect: (d) => ({ ...d, spec: { ...d.spec, replicas: 3 } }) },
  { name: 'replace of a missing object key adds it (v4)', ops: [{ op: 'replace', path: '/spec/new', value: 1 }], expect: (d) => ({ ...d, spec: { ...d.spec, new: 1 } }) },
  { name: 'replace the root', ops: [{ op: 'replace', path: '', value: { a: 1 } }], expect: () => ({ a: 1 }) },
  { name: 'move a key', ops: [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }], expect: (d) => ({ ...d, spec: { list: d.spec.list, nested: d.spec.nested, count: 1 } }) },
  { name: 'move within a list', ops: [{ op: 'move', from: '/spec/list/0', path: '/spec/list/-' }], expect: (d) => ({ ...d, spec: { ...d.spec, list: ['y', 'z', 'x'] } }) },
  { name: 'copy an object', ops: [{ op: 'copy', from: '/metadata/labels', path: '/spec/labels' }], expect: (d) => ({ ...d, spec: { ...d.spec, labels: { app: 'web' } } }) },
  { name: 'copy of a missing key copies null (v4)', ops: [{ op: 'copy', from: '/spec/nope', path: '/spec/x' }], expect: (d) => ({ ...d, spec: { ...d.spec, x: null } }) },
  { name: 'test equal value then replace', ops: [{ op: 'test', path: '/spec/replicas', value: 1 }, { op: 'replace', path: '/spec/replicas', value: 2 }], expect: (d) => ({ ...d, spec: { ...d.spec, replicas: 2 } }) },
  { name: 'test objects ignores key order', ops: [{ op: 'test', path: '/metadata/annotations', value: { 'm~n': '2', 'a/b': '1' } }], expect: (d) => d },
  { name: 'test null against a null value', ops: [{ op: 'test', path: '/spec/nested/k', value: null }], expect: (d) => d },
  { name: 'test null against a missing key passes', ops: [{ op: 'test', path: '/spec/missing', value: null }], expect: (d) => d },
  { name: 'test the whole document', ops: [{ op: 'test', path: '', value: base() }], expect: (d) => d },
  { name: 'a path without a leading slash drops its first segment', ops: [{ op: 'add', path: 'ignored/top', value: 1 }], expect: (d) => ({ ...d, top: 1 }) },
  { name: 'a null operation list is empty', ops: [], expect: (d) => d },
];

/** Failures: always the generic 422; the library's text (kept as `cause`) is the upstream one. */
const FAIL: { name: string; ops: unknown[]; cause: string }[] = [
  { name: 'test of a different value', ops: [{ op: 'test', path: '/spec/replicas', value: 2 }], cause: 'testing value /spec/replicas failed: test failed' },
  { name: 'test of a missing key with a value', ops: [{ op: 'test', path: '/spec/foo', value: 'x' }], cause: 'testing value /spec/foo failed: test failed' },
  { name: 'test without value on a present key', ops: [{ op: 'test', path: '/spec/replicas' }], cause: 'testing value /spec/replicas failed: test failed' },
  { name: 'test under a missing parent', ops: [{ op: 'test', path: '/nope/x', value: 1 }], cause: 'test operation does not apply: is missing path: /nope/x: missing value' },
  { name: 'add under a missing parent', ops: [{ op: 'add', path: '/spec/foo/bar', value: 1 }], cause: 'add operation does not apply: doc is missing path: "/spec/foo/bar": missing value' },
  { name: 'add at the root', ops: [{ op: 'add', path: '', value: {} }], cause: 'add operation does not apply: doc is missing path: "": missing value' },
  { name: 'add past the end of a list', ops: [{ op: 'add', path: '/spec/list/4', value: 1 }], cause: "error in add for path: '/spec/list/4': Unable to access invalid index: 4: invalid index referenced" },
  { name: 'add with a non-numeric index', ops: [{ op: 'add', path: '/spec/list/x', value: 1 }], cause: `error in add for path: '/spec/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax` },
  { name: 'remove a missing key', ops: [{ op: 'remove', path: '/spec/foo' }], cause: "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: missing value" },
  { name: 'remove under a missing parent', ops: [{ op: 'remove', path: '/spec/foo/bar' }], cause: 'remove operation does not apply: doc is missing path: "/spec/foo/bar": missing value' },
  { name: 'remove past the end', ops: [{ op: 'remove', path: '/spec/list/3' }], cause: "error in remove for path: '/spec/list/3': Unable to access invalid index: 3: invalid index referenced" },
  { name: 'remove "-"', ops: [{ op: 'remove', path: '/spec/list/-' }], cause: `error in remove for path: '/spec/list/-': strconv.Atoi: parsing "-": invalid syntax` },
  { name: 'replace past the end of a list', ops: [{ op: 'replace', path: '/spec/list/5', value: 1 }], cause: 'replace operation does not apply: doc is missing key: /spec/list/5: missing value' },
  { name: 'replace the root with a scalar', ops: [{ op: 'replace', path: '', value: 1 }], cause: 'replace operation value must be object or array: %!w(<nil>)' },
  { name: 'move a missing key', ops: [{ op: 'move', from: '/spec/nope', path: '/spec/x' }], cause: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value" },
  { name: 'move into its own child', ops: [{ op: 'move', from: '/spec', path: '/spec/inner' }], cause: 'move operation does not apply: doc is missing destination path: /spec/inner: missing value' },
  { name: 'move without from', ops: [{ op: 'move', path: '/spec/x' }], cause: 'move operation failed to decode from: operation, missing from field: missing value' },
  { name: 'copy from a bad index', ops: [{ op: 'copy', from: '/spec/list/9', path: '/spec/x' }], cause: "error in copy for from: '/spec/list/9': Unable to access invalid index: 9: invalid index referenced" },
  { name: 'copy to a missing parent', ops: [{ op: 'copy', from: '/spec/replicas', path: '/a/b' }], cause: 'copy operation does not apply: doc is missing destination path: /a/b: missing value' },
  { name: 'add without path', ops: [{ op: 'add', value: 1 }], cause: 'add operation failed to decode path: missing value' },
  { name: 'replace with a numeric path', ops: [{ op: 'replace', path: 5, value: 1 }], cause: 'replace operation failed to decode path: json: cannot unmarshal number into Go value of type string' },
  { name: 'an unknown op', ops: [{ op: 'frob', path: '/a' }], cause: 'Unexpected kind: frob' },
  { name: 'no op at all', ops: [{ path: '/a' }], cause: 'Unexpected kind: unknown' },
  { name: 'a null operation', ops: [null], cause: 'Unexpected kind: unknown' },
];

describe('JSON patch (application/json-patch+json)', () => {
  for (const c of OK) {
    it(c.name, () => {
      const doc = base();
      assert.deepEqual(applyJsonPatch(doc, c.ops), c.expect(base()));
    });
  }

  for (const c of FAIL) {
    it(`fails: ${c.name}`, () => {
      const doc = base();
      const s = statusOf(() => applyJsonPatch(doc, c.ops));
      assert.deepEqual(s, { ...GENERIC_422, cause: c.cause });
    });
  }

  it('a failing later operation leaves the caller\'s document untouched', () => {
    const doc = base();
    assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/replicas' }, { op: 'test', path: '/spec/replicas', value: 1 }]));
    assert.deepEqual(doc, base());
  });

  it('the result shares nothing with the inputs', () => {
    const value = { deep: { x: 1 } };
    const out = applyJsonPatch({ a: {} }, [{ op: 'add', path: '/a/v', value }]) as { a: { v: { deep: { x: number } } } };
    out.a.v.deep.x = 2;
    assert.equal(value.deep.x, 1);
  });

  it('null is an empty patch', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, null), { a: 1 });
  });

  it('a body that is not a list is 400 with Go\'s decoder message', () => {
    assert.deepEqual(statusOf(() => applyJsonPatch({}, { op: 'add', path: '/a', value: 1 })), badRequest400('json: cannot unmarshal object into Go value of type jsonpatch.Patch'));
    assert.deepEqual(statusOf(() => applyJsonPatch({}, 'x')), badRequest400('json: cannot unmarshal string into Go value of type jsonpatch.Patch'));
    assert.deepEqual(statusOf(() => applyJsonPatch({}, [{ op: 'add' }, 'x'])), badRequest400('json: cannot unmarshal string into Go value of type jsonpatch.Operation'));
    assert.deepEqual(statusOf(() => applyJsonPatch({}, [[]])), badRequest400('json: cannot unmarshal array into Go value of type jsonpatch.Operation'));
  });

  it('more than 10000 operations is 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    const s = statusOf(() => applyJsonPatch({ a: 1 }, ops));
    assert.deepEqual(s, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
    assert.deepEqual(applyJsonPatch({ a: 1 }, ops.slice(1)), { a: 1 });
  });

  it('keys named __proto__ are plain data', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
