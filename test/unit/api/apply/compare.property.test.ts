/**
 * The optimized walks against their plain reference versions (reference.ts) on random input: compareObjects (shared
 * path stack, sets built along the walk, shortcuts for shared subtrees, added subtrees and scalar leaves),
 * dropNullFields (returns untouched parts as they are) and list identities (indexList groups items exactly as their
 * FieldsV1 keys would). Widgets cover every field kind of the fixtures; Pods use the real built-in schema.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TypeInfo } from '../../../../src/api/apply';
import { compareObjects } from '../../../../src/api/apply/compare';
import { indexList } from '../../../../src/api/apply/list-items';
import { dropNullFields } from '../../../../src/api/apply/merge';
import { serializePE } from '../../../../src/api/apply/path-element';
import type { ListAtom } from '../../../../src/api/apply/list-items';
import { schemaResolver } from '../../../../src/api/openapi';
import { pairArb, podArb, widgetArb } from './arbitraries';
import { resolver, schemas, widgetSchema } from './fixtures';
import { refCompare, refDropNullFields, refIndexList, spell } from './reference';

const ti = new TypeInfo(resolver);
const podResolver = schemaResolver();
const podTi = new TypeInfo(podResolver);
const podSchema = podResolver.forKind({ group: '', version: 'v1', kind: 'Pod' });

function sameComparison(l: unknown, r: unknown, schema: typeof widgetSchema | undefined, t: TypeInfo): void {
  const got = compareObjects(l, r, schema, t);
  const want = refCompare(l, r, schema, t);
  assert.deepEqual(spell(got.added), spell(want.added), 'added');
  assert.deepEqual(spell(got.modified), spell(want.modified), 'modified');
  assert.deepEqual(spell(got.removed), spell(want.removed), 'removed');
}

describe('compareObjects equals the reference walk (property)', () => {
  it('Widgets, including malformed lists and shared subtrees', () => {
    fc.assert(
      fc.property(pairArb(widgetArb), ([l, r]) => sameComparison(l, r, widgetSchema, ti)),
      { numRuns: 600 },
    );
  });

  it('schemaless values (everything deduced)', () => {
    fc.assert(
      fc.property(pairArb(fc.jsonValue({ maxDepth: 3 })), ([l, r]) => sameComparison(l, r, undefined, ti)),
      { numRuns: 300 },
    );
  });

  it('Pods with the real built-in schema', () => {
    fc.assert(
      fc.property(pairArb(podArb), ([l, r]) => sameComparison(l, r, podSchema, podTi)),
      { numRuns: 300 },
    );
  });

  it('the zero object against a new object (a create)', () => {
    fc.assert(
      fc.property(widgetArb, (w) => sameComparison({ metadata: {} }, w, widgetSchema, ti)),
      { numRuns: 200 },
    );
  });
});

describe('compareObjects: map keys are own properties', () => {
  // Upstream compares Go maps; a key spelled like an Object.prototype member is an ordinary key.
  const cases: [string, unknown, unknown, { added: string[]; modified: string[]; removed: string[] }][] = [
    ['a removed `constructor` label', { metadata: { labels: { constructor: 'x', app: 'a' } } }, { metadata: { labels: { app: 'a' } } }, { added: [], modified: [], removed: ['f:metadata f:labels f:constructor'] }],
    ['an added `toString` label', { metadata: { labels: { app: 'a' } } }, { metadata: { labels: { app: 'a', toString: 'y' } } }, { added: ['f:metadata f:labels f:toString'], modified: [], removed: [] }],
    ['a new map with a `valueOf` key', { metadata: {} }, { metadata: { labels: { valueOf: 'z' } } }, { added: ['f:metadata f:labels', 'f:metadata f:labels f:valueOf'], modified: [], removed: [] }],
  ];
  for (const [title, l, r, want] of cases) {
    it(title, () => {
      const c = compareObjects(l, r, widgetSchema, ti);
      assert.deepEqual({ added: spell(c.added), modified: spell(c.modified), removed: spell(c.removed) }, want);
    });
  }
});

describe('dropNullFields equals the copying reference (property)', () => {
  it('a map key spelled __proto__ stays an own key (a counterexample fast-check once found)', () => {
    const w = JSON.parse('{"free":{"__proto__":""}}') as unknown;
    assert.deepEqual(dropNullFields(w, widgetSchema, ti), refDropNullFields(w, widgetSchema, ti));
  });

  it('same result; untouched parts are returned as they are', () => {
    fc.assert(
      fc.property(widgetArb, (w) => {
        const before = JSON.stringify(w);
        const got = dropNullFields(w, widgetSchema, ti);
        assert.deepEqual(got, refDropNullFields(w, widgetSchema, ti));
        assert.equal(JSON.stringify(w), before, 'input unchanged');
      }),
      { numRuns: 400 },
    );
  });

  it('drops non-nullable struct nulls and undefined keys, keeps map nulls', () => {
    const w = { struct: null, metadata: { labels: { a: null } }, list: [{ name: 'a', value: null }], free: { x: null }, undeclared: undefined };
    assert.deepEqual(dropNullFields(w, widgetSchema, ti), { metadata: { labels: { a: null } }, list: [{ name: 'a' }], free: { x: null } });
    const clean = { metadata: { name: 'w' }, list: [{ name: 'a' }] };
    assert.equal(dropNullFields(clean, widgetSchema, ti), clean);
  });
});

describe('indexList groups items exactly by their FieldsV1 keys (property)', () => {
  const schemaOf = (f: string) => widgetSchema.properties![f] ?? schemas.Container!.properties![f]!;
  const lists: [string, ListAtom][] = (['list', 'listOfLists', 'set', 'atomicList', 'legacyList', 'legacySet', 'ports'] as const).map((f) => {
    const a = ti.atomOfSchema(schemaOf(f));
    if (a === 'deduced' || a.t !== 'list') throw new Error(`${f} is not a list`);
    return [f, a];
  });
  const keyValue = fc.oneof(fc.constantFrom('a', '<', 'TCP'), fc.integer({ min: 0, max: 1 }), fc.boolean(), fc.constant(null), fc.constant({ x: 1 }));
  const item = fc.oneof(
    fc.record({ name: keyValue, id: fc.constantFrom('i', 'j'), containerPort: fc.constantFrom(80, 81), protocol: keyValue }, { requiredKeys: [], noNullPrototype: true }),
    fc.oneof(fc.constantFrom('a', '1', '<', '\u2028'), fc.integer({ min: 0, max: 1 }), fc.double({ noNaN: true, min: -1, max: 1 }), fc.boolean(), fc.constant(null)),
  );
  it('same groups, same order, same elements', () => {
    fc.assert(
      fc.property(fc.constantFrom(...lists), fc.array(item, { maxLength: 6 }), ([, atom], items) => {
        const got = indexList(ti, atom, items);
        const want = refIndexList(ti, atom, items);
        assert.equal(got.error !== undefined, want.error);
        if (want.error) return;
        assert.deepEqual(got.order.map((o) => serializePE(o.pe)), want.order.map((o) => o.id));
        assert.deepEqual(got.order.map((o) => got.items.get(o.id)), want.order.map((o) => want.items.get(o.id)));
      }),
      { numRuns: 500 },
    );
  });
});
