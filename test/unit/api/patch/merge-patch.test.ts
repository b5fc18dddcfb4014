import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMergePatch } from '../../../../src/api/patch';
import { deepFreeze } from './fixtures';
import { badRequest400, internal500, statusOf } from './helpers';

/** RFC 7386 appendix A, where the API server (evanphx/json-patch.v4 MergePatch) agrees with the RFC. */
const RFC_EXAMPLES: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('JSON merge patch (application/merge-patch+json)', () => {
  RFC_EXAMPLES.forEach(([doc, patch, want], i) => {
    it(`RFC 7386 example ${i + 1}: ${JSON.stringify(patch)}`, () => {
      assert.deepEqual(applyMergePatch(deepFreeze(doc), deepFreeze(patch)), want);
    });
  });

  it('scales a Deployment the way kubectl scale does', () => {
    const doc = deepFreeze({ kind: 'Deployment', spec: { replicas: 1, template: { spec: { containers: [{ name: 'a' }] } } } });
    assert.deepEqual(applyMergePatch(doc, { spec: { replicas: 3 } }), {
      kind: 'Deployment',
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'a' }] } } },
    });
  });

  it('nulls inside a value that replaces a non-object are pruned, also from arrays (library quirk)', () => {
    assert.deepEqual(applyMergePatch({ a: 1 }, { a: [1, null, { x: null, y: 2 }] }), { a: [1, { y: 2 }] });
    assert.deepEqual(applyMergePatch({}, { a: [null] }), { a: [] });
  });

  it('an array that replaces an object keeps its nulls (library quirk)', () => {
    assert.deepEqual(applyMergePatch({ a: { k: 1 } }, { a: [null, { x: null }] }), { a: [null, { x: null }] });
  });

  it('a key whose live value is null takes the patch value with nulls pruned', () => {
    assert.deepEqual(applyMergePatch({ a: null }, { a: { b: null, c: 1 } }), { a: { c: 1 } });
  });

  it('null and scalar bodies are 400 "Invalid JSON Patch"', () => {
    assert.deepEqual(statusOf(() => applyMergePatch({ a: 1 }, null)), badRequest400('Invalid JSON Patch'));
    assert.deepEqual(statusOf(() => applyMergePatch({ a: 1 }, 'bar')), badRequest400('Invalid JSON Patch'));
    assert.deepEqual(statusOf(() => applyMergePatch({ a: 1 }, 3)), badRequest400('Invalid JSON Patch'));
  });

  it('a null document is an internal error, as the library reports it', () => {
    assert.deepEqual(statusOf(() => applyMergePatch(null, {})), internal500('Invalid JSON Document'));
  });

  it('does not mutate or alias its inputs', () => {
    const doc = deepFreeze({ a: { b: { c: 1 } }, l: [1] });
    const patch = deepFreeze({ a: { b: { d: 2 } }, n: { deep: [1] } });
    const out = applyMergePatch(doc, patch) as { a: { b: Record<string, number> }; n: { deep: number[] } };
    assert.deepEqual(out, { a: { b: { c: 1, d: 2 } }, l: [1], n: { deep: [1] } });
    out.n.deep.push(2);
    assert.deepEqual(patch.n.deep, [1]);
  });
});
