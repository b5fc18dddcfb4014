/**
 * FieldsV1 decoding, FieldSet algebra and the string helpers against their plain reference versions (reference.ts):
 * the single-pass decoder (same sets, same errors; `canonical` exactly when re-encoding gives the same JSON, `frozen`
 * exactly when every object is frozen), set operations that share unchanged nodes (same sets, inputs untouched), and
 * compareStrings/goJson on arbitrary UTF-16 strings including lone surrogates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FieldSet, fieldPE, fieldsV1ToSet, indexPE, keyPE, setToFieldsV1, valuePE, type Path } from '../../../../src/api/apply';
import { decodeFieldsV1 } from '../../../../src/api/apply/fields-v1';
import { compareStrings, goJson } from '../../../../src/api/apply/values';
import { fieldsV1Arb } from './arbitraries';
import { refCompareStrings, refFieldsV1ToSet, refGoJson, refSet, spell } from './reference';

function outcome(f: () => FieldSet): { set?: string[]; error?: string } {
  try {
    return { set: spell(f()) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

describe('FieldsV1 decoding equals the reference decoder (property)', () => {
  it('same set or the same error, for canonical and hand-made input', () => {
    fc.assert(
      fc.property(fieldsV1Arb, (f) => assert.deepEqual(outcome(() => fieldsV1ToSet(f)), outcome(() => refFieldsV1ToSet(f)))),
      { numRuns: 1000 },
    );
  });

  it('canonical exactly when the input is what encoding the set writes', () => {
    fc.assert(
      fc.property(fieldsV1Arb, (f) => {
        let d;
        try {
          d = decodeFieldsV1(f);
        } catch {
          return;
        }
        const same = f !== null && f !== undefined && JSON.stringify(setToFieldsV1(d.set)) === JSON.stringify(f);
        assert.equal(d.canonical, same, JSON.stringify(f));
      }),
      { numRuns: 1000 },
    );
  });

  it('encodings of random sets are canonical; frozen only when every object is', () => {
    const peArb = fc.oneof(
      fc.constantFrom('a', 'b', 'ü', '').map(fieldPE),
      fc.record({ name: fc.constantFrom('a', '<'), port: fc.integer({ min: 0, max: 2 }) }).map((o) => keyPE(Object.entries(o).map(([name, value]) => ({ name, value })))),
      fc.oneof(fc.integer({ min: -1, max: 2 }), fc.constantFrom('s', '&'), fc.boolean()).map(valuePE),
      fc.integer({ min: 0, max: 3 }).map(indexPE),
    );
    fc.assert(
      fc.property(fc.array(fc.array(peArb, { minLength: 1, maxLength: 3 }) as fc.Arbitrary<Path>, { maxLength: 12 }), fc.boolean(), (paths, freezeAll) => {
        const json = JSON.parse(JSON.stringify(setToFieldsV1(FieldSet.of(...paths)))) as Record<string, unknown>;
        const inner = Object.values(json).find((v) => typeof v === 'object' && v !== null);
        if (freezeAll) deepFreeze(json);
        else Object.freeze(json);
        const d = decodeFieldsV1(json);
        assert.ok(d.canonical);
        assert.equal(d.frozen, freezeAll || inner === undefined);
      }),
      { numRuns: 300 },
    );
  });
});

describe('FieldSet operations equal rebuilding from member paths (property)', () => {
  const pe = fc.oneof(fc.constantFrom('a', 'b', 'c').map(fieldPE), fc.integer({ min: 0, max: 1 }).map(indexPE));
  const setArb = fc.array(fc.array(pe, { minLength: 1, maxLength: 3 }) as fc.Arbitrary<Path>, { maxLength: 10 }).map((ps) => FieldSet.of(...ps));
  for (const op of ['union', 'intersection', 'difference', 'recursiveDifference'] as const) {
    it(`${op}: same set, inputs unchanged`, () => {
      fc.assert(
        fc.property(setArb, setArb, fc.boolean(), (a, b, self) => {
          const rhs = self ? a : b;
          const before = [spell(a), spell(rhs)];
          const got = a[op](rhs);
          assert.deepEqual(spell(got), spell(refSet[op](a, rhs)));
          assert.equal(JSON.stringify(setToFieldsV1(got)), JSON.stringify(setToFieldsV1(refSet[op](a, rhs))));
          assert.deepEqual([spell(a), spell(rhs)], before);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('string helpers equal their reference versions (property)', () => {
  const unit = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'z', '0', '<', '&', '\u007f', '\u0080', 'é', '\u2028', '\u2029', '\ue000', '\uffff', '\ufffd') },
    { weight: 2, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.constantFrom('😀', '\u{10000}', '\u{10ffff}') },
  );
  const str = fc.string({ unit, maxLength: 6 });
  it('compareStrings is Go byte order, lone surrogates included', () => {
    fc.assert(
      fc.property(str, str, fc.boolean(), (a, b, prefix) => {
        const y = prefix ? a + b : b;
        assert.equal(compareStrings(a, y), refCompareStrings(a, y), JSON.stringify([a, y]));
      }),
      { numRuns: 3000 },
    );
  });
  it('goJson is Go encoding/json', () => {
    fc.assert(
      fc.property(fc.oneof(str, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(str, str, { maxKeys: 3 }), fc.array(str, { maxLength: 3 })), (v) =>
        assert.equal(goJson(v), refGoJson(v)),
      ),
      { numRuns: 2000 },
    );
  });
});
