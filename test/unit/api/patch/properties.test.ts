/**
 * Properties of the three patch types over random JSON (fast-check): merge patch inverts a merge-patch diff,
 * schemaless strategic merge patch agrees with merge patch on maps, JSON patch add/remove round-trips, and no
 * function mutates its (frozen) inputs.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../../../src/api/patch';
import { deepFreeze, resolverFor } from './fixtures';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', 'c', '__proto__', 'x/y', 'm~n')).filter((k) => !k.startsWith('$'));
const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)), fc.boolean());

/** Rebuilds generated objects as plain `{}` objects (fast-check may build null-prototype ones). */
function plain(v: Json): Json {
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain(v[k]!), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** JSON without nulls anywhere and without `$` keys (which are directives for strategic merge patch). */
const { value: nullFree } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
}));
const nullFreeObject = fc.dictionary(key, nullFree, { maxKeys: 5 }).map((o) => plain(o) as Record<string, Json>);

/** A merge patch: nulls only as object values (deletions); arrays are null-free. */
const { patch: patchValue } = fc.letrec<{ patch: Json }>((tie) => ({
  patch: fc.oneof({ depthSize: 'small' }, fc.constant(null), scalar, fc.array(nullFree, { maxLength: 3 }), fc.dictionary(key, tie('patch'), { maxKeys: 4 })),
}));
const patchObject = fc.dictionary(key, patchValue, { maxKeys: 5 }).map((o) => plain(o) as Record<string, Json>);

function isObj(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function set(o: Record<string, Json>, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** RFC 7386's "generate": the merge patch that turns `a` into `b`. */
function diff(a: Record<string, Json>, b: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, k)) set(out, k, null);
  for (const k of Object.keys(b)) {
    const av = Object.prototype.hasOwnProperty.call(a, k) ? a[k] : undefined;
    const bv = b[k]!;
    if (isObj(av) && isObj(bv)) {
      const d = diff(av, bv);
      if (Object.keys(d).length) set(out, k, d);
    } else if (JSON.stringify(av) !== JSON.stringify(bv) || av === undefined) {
      set(out, k, bv);
    }
  }
  return out;
}

const noSchema = resolverFor({});

describe('patch properties', () => {
  it('merge patch: apply(a, diff(a, b)) = b for JSON without nulls', () => {
    fc.assert(
      fc.property(nullFreeObject, nullFreeObject, (a, b) => {
        assert.deepEqual(applyMergePatch(deepFreeze(a), deepFreeze(diff(a, b))), b);
      }),
      { numRuns: 500 },
    );
  });

  it('strategic merge patch without a schema behaves like merge patch on maps', () => {
    fc.assert(
      fc.property(nullFreeObject, patchObject, (doc, patch) => {
        deepFreeze(doc);
        deepFreeze(patch);
        assert.deepEqual(applyStrategicMergePatch(doc, patch, undefined, noSchema), applyMergePatch(doc, patch));
      }),
      { numRuns: 500 },
    );
  });

  it('JSON patch: add then remove at a new key restores the document; add then test passes', () => {
    const withPath = nullFreeObject.chain((doc) => {
      const containers: string[] = [''];
      const walk = (v: Json, path: string): void => {
        if (!isObj(v)) return;
        for (const k of Object.keys(v)) {
          const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          if (isObj(v[k])) containers.push(p);
          walk(v[k]!, p);
        }
      };
      walk(doc, '');
      return fc.tuple(fc.constant(doc), fc.constantFrom(...containers), key, nullFree.map(plain));
    });
    fc.assert(
      fc.property(withPath, ([doc, parent, k, value]) => {
        let target: Json = doc;
        for (const seg of parent.split('/').slice(1)) target = (target as Record<string, Json>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')]!;
        fc.pre(!Object.prototype.hasOwnProperty.call(target, k));
        const path = `${parent}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        deepFreeze(doc);
        const ops = deepFreeze([
          { op: 'add', path, value },
          { op: 'test', path, value },
          { op: 'remove', path },
        ]);
        assert.deepEqual(applyJsonPatch(doc, ops), doc);
      }),
      { numRuns: 500 },
    );
  });

  it('JSON patch: insert then remove at any index of a list restores it', () => {
    fc.assert(
      fc.property(fc.array(nullFree.map(plain), { maxLength: 6 }), nullFree.map(plain), fc.nat(), (list, value, seed) => {
        const idx = seed % (list.length + 1);
        const doc = deepFreeze({ list });
        const ops = [
          { op: 'add', path: `/list/${idx}`, value },
          { op: 'remove', path: `/list/${idx}` },
        ];
        assert.deepEqual(applyJsonPatch(doc, ops), doc);
      }),
    );
  });
});
