/** stored-json: the stored encoding is JSON.stringify without resourceVersion, and the answer's JSON is spliced exactly. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StoredObject } from '../../../../src/api/object';
import { objectJson, rememberJson } from '../../../../src/apiserver/object-json';
import { answerJson, encodeStored, metadataWithRvLast } from '../../../../src/apiserver/registry/stored-json';

const withoutRv = (o: StoredObject): unknown => {
  const { resourceVersion: _rv, ...metadata } = o.metadata as Record<string, unknown>;
  return { ...o, metadata };
};

// fc.dictionary assigns keys, so a '__proto__' key would set the prototype (JSON.parse makes it an own key: see below).
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('resourceVersion', 'name', '0', '12')).filter((k) => k !== '__proto__');
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v;
const metadata = fc
  .tuple(fc.dictionary(key, value, { maxKeys: 6 }), fc.option(fc.string({ maxLength: 6 }), { nil: undefined }), fc.nat(6))
  .map(([m, rv, at]) => {
    if (rv === undefined) return m;
    const entries = Object.entries(m).filter(([k]) => k !== 'resourceVersion');
    entries.splice(Math.min(at, entries.length), 0, ['resourceVersion', rv]);
    return Object.fromEntries(entries);
  });
const object = fc
  .tuple(fc.dictionary(key, value, { maxKeys: 4 }), metadata, fc.nat(4))
  .map(([top, meta, at]) => {
    const entries = Object.entries(top).filter(([k]) => k !== 'metadata');
    entries.splice(Math.min(at, entries.length), 0, ['metadata', meta]);
    return Object.fromEntries(entries) as unknown as StoredObject;
  });


describe('stored encoding and the answer spliced from it', () => {
  it('property: value is JSON.stringify without resourceVersion; the answer JSON equals JSON.stringify of the answer copy', () => {
    fc.assert(
      fc.property(object, fc.string({ maxLength: 10 }), (obj, rev) => {
        const before = JSON.stringify(obj);
        const entriesBefore = Object.entries(obj.metadata);
        const enc = encodeStored(obj);
        assert.equal(enc.value, JSON.stringify(withoutRv(obj)));
        assert.equal(JSON.stringify(obj), before, 'the object is not changed');
        assert.deepEqual(Object.entries(obj.metadata), entriesBefore, 'nor its metadata (keys, order, values)');
        const copy = { ...obj, metadata: metadataWithRvLast(obj.metadata as Record<string, unknown>, rev) };
        assert.equal(Object.keys(copy.metadata).at(-1), 'resourceVersion');
        assert.equal(answerJson(enc, rev), JSON.stringify(copy));
      }),
      { numRuns: 500 },
    );
  });

  it('empty metadata, metadata that is not an object, and a pod as the API stores it', () => {
    const empty = { kind: 'X', metadata: {} } as StoredObject;
    assert.equal(answerJson(encodeStored(empty), '7'), '{"kind":"X","metadata":{"resourceVersion":"7"}}');
    const odd = { kind: 'X', metadata: ['a'] } as unknown as StoredObject;
    assert.equal(answerJson(encodeStored(odd), '7'), undefined);
    const none = { kind: 'X' } as unknown as StoredObject;
    assert.equal(encodeStored(none).value, '{"kind":"X"}');
    assert.equal(answerJson(encodeStored(none), '7'), undefined);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '3', labels: { app: 'web' }, managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: {} }], nodeName: undefined },
      status: { phase: 'Pending' },
    } as unknown as StoredObject;
    const parsed = JSON.parse('{"kind":"X","metadata":{"__proto__":{"resourceVersion":"1"},"resourceVersion":"2","a":1}}') as StoredObject;
    assert.equal(answerJson(encodeStored(parsed), '9'), '{"kind":"X","metadata":{"__proto__":{"resourceVersion":"1"},"a":1,"resourceVersion":"9"}}');
    const enc = encodeStored(pod);
    assert.equal(enc.value.includes('resourceVersion'), false);
    assert.equal(answerJson(enc, '42'), JSON.stringify({ ...pod, metadata: metadataWithRvLast(pod.metadata as Record<string, unknown>, '42') }));
    assert.equal(pod.metadata.resourceVersion, '3', 'the encoded object keeps its resourceVersion where it was');
  });

  it('objectJson remembers frozen objects and given encodings, and stringifies anything else each time', () => {
    const open: Record<string, unknown> = { a: 1 };
    assert.equal(objectJson(open), '{"a":1}');
    open.a = 2;
    assert.equal(objectJson(open), '{"a":2}');
    const frozen = Object.freeze({ b: [1] });
    assert.equal(objectJson(frozen), '{"b":[1]}');
    const given: Record<string, unknown> = { c: true };
    rememberJson(given, '{"c":true}');
    assert.equal(objectJson(given), '{"c":true}');
  });

  it('a given encoding is kept only until the event loop turns (so held answers do not keep their text)', async () => {
    const given: Record<string, unknown> = { c: true };
    rememberJson(given, '{"c":true}');
    await Promise.resolve();
    assert.equal(objectJson(given), '{"c":true}');
    await new Promise((r) => setImmediate(r));
    given.c = false;
    assert.equal(objectJson(given), '{"c":false}');
  });
});
