/**
 * Properties: a label selector written in any accepted spelling (whitespace, '=' or '==', unsorted or repeated set
 * values) parses, its canonical toString() parses back to the same canonical text, and both select exactly the
 * label sets an independent model of upstream's semantics selects. Field selectors: any field value survives
 * escape → parse → match. Reproduce a failure with the seed fast-check prints.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fieldSelectorFromSet, parseFieldSelector, parseLabelSelector } from '../../../../src/api/selectors';

const KEYS = ['a', 'b', 'app', 'in', 'notin', 'x.y/z', 'example.com/k', 'k-1', 'A_b', 'constructor'];
const VALUES = ['', 'a', 'b', 'v1', 'x.y', 'A-Z_9', 'in', 'notin', '0', '7'];
const INTS = ['0', '1', '5', '10', '123', '9223372036854775807'];
type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

interface Req {
  key: string;
  op: Op;
  values: string[];
}

const ws = fc.constantFrom('', ' ', '  ', '\t', '\n', '\r');
const ws1 = fc.constantFrom(' ', '\t', ' \n ');

const reqArb: fc.Arbitrary<Req> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS),
    op: fc.constantFrom<Op>('in', 'notin'),
    // upstream's parser rejects a list ending in ",," (e.g. "(a,,)"), so such spellings are not generated
    values: fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 4 }).filter((vs) => !vs.join(',').endsWith(',,')),
  }),
  fc.record({ key: fc.constantFrom(...KEYS), op: fc.constantFrom<Op>('=', '==', '!='), values: fc.tuple(fc.constantFrom(...VALUES)).map((v) => [...v]) }),
  fc.record({ key: fc.constantFrom(...KEYS), op: fc.constantFrom<Op>('exists', '!'), values: fc.constant([] as string[]) }),
  fc.record({ key: fc.constantFrom(...KEYS), op: fc.constantFrom<Op>('gt', 'lt'), values: fc.tuple(fc.constantFrom(...INTS)).map((v) => [...v]) }),
);

/** One spelling of a requirement, with random (legal) whitespace. */
function spell(r: Req): fc.Arbitrary<string> {
  switch (r.op) {
    case 'exists':
      return fc.tuple(ws, ws).map(([a, b]) => `${a}${r.key}${b}`);
    case '!':
      return fc.tuple(ws, ws, ws).map(([a, b, c]) => `${a}!${b}${r.key}${c}`);
    case 'in':
    case 'notin':
      return fc.tuple(ws, ws1, ws, ws, ws).map(([a, b, c, d, e]) => `${a}${r.key}${b}${r.op}${c}(${d}${r.values.join(`${d},`)}${d})${e}`);
    default: {
      const sym = r.op === 'gt' ? '>' : r.op === 'lt' ? '<' : r.op;
      // A value may be followed by whitespace only when it is not empty (`x= ,` is fine, but keep it simple).
      return fc.tuple(ws, ws, ws, ws).map(([a, b, c, d]) => `${a}${r.key}${b}${sym}${c}${r.values[0]}${r.values[0] ? d : ''}`);
    }
  }
}

const selectorArb = fc
  .array(reqArb, { maxLength: 5 })
  .chain((reqs) => fc.tuple(fc.constant(reqs), reqs.length ? fc.tuple(...reqs.map(spell)) : fc.constant([] as string[])))
  .map(([reqs, parts]) => ({ reqs, text: parts.join(',') }));

const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES, ...INTS, 'v2', '-3'), { maxKeys: 6 });

function int64(s: string): bigint | undefined {
  return /^[+-]?[0-9]+$/.test(s) ? BigInt(s) : undefined;
}

/** Upstream's semantics, written independently of the implementation. */
function model(reqs: Req[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'in':
      case '=':
      case '==':
        return has && r.values.includes(v);
      case 'notin':
      case '!=':
        return !has || !r.values.includes(v);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        const n = has ? int64(v) : undefined;
        if (n === undefined) return false;
        return r.op === 'gt' ? n > BigInt(r.values[0]) : n < BigInt(r.values[0]);
      }
    }
  });
}

describe('selector properties', () => {
  it('parse(toString(s)) is canonical and selects the same label sets as s and as the model', () => {
    fc.assert(
      fc.property(selectorArb, fc.array(labelsArb, { minLength: 1, maxLength: 8 }), ({ reqs, text }, labelSets) => {
        const sel = parseLabelSelector(text);
        const canonical = sel.toString();
        const again = parseLabelSelector(canonical);
        assert.equal(again.toString(), canonical);
        assert.equal(sel.requirements.length, reqs.length);
        for (const labels of labelSets) {
          const want = model(reqs, labels);
          assert.equal(sel.matches(labels), want, `${JSON.stringify(text)} on ${JSON.stringify(labels)}`);
          assert.equal(again.matches(labels), want, `${JSON.stringify(canonical)} on ${JSON.stringify(labels)}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('canonical text does not depend on requirement or value order', () => {
    fc.assert(
      fc.property(selectorArb, fc.integer(), ({ reqs }, seed) => {
        const shuffled = [...reqs]
          .map((r, i) => ({ r: { ...r, values: [...r.values].reverse() }, k: (i * 7919 + seed) % 101 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r);
        const text = (rs: Req[]) =>
          rs.map((r) => (r.op === 'exists' ? r.key : r.op === '!' ? `!${r.key}` : r.op === 'in' || r.op === 'notin' ? `${r.key} ${r.op} (${r.values.join(',')})` : `${r.key}${r.op === 'gt' ? '>' : r.op === 'lt' ? '<' : r.op}${r.values[0]}`)).join(',');
        const keyOrder = (rs: Req[]) => new Set(rs.map((r) => r.key)).size === rs.length;
        fc.pre(keyOrder(reqs)); // equal keys keep their relative order, as upstream's sort does for small selectors
        fc.pre(shuffled.every((r) => !r.values.join(',').endsWith(',,')));
        assert.equal(parseLabelSelector(text(shuffled)).toString(), parseLabelSelector(text(reqs)).toString());
      }),
      { numRuns: 300 },
    );
  });

  it('any field value survives escape, parse and match', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('metadata.name', 'spec.nodeName', 'x', 'y.z'), fc.string({ unit: fc.constantFrom('a', ',', '=', '\\', '!', ' ', 'é', '😀') }), { minKeys: 1 }),
        (set) => {
          const text = fieldSelectorFromSet(set).toString();
          const sel = parseFieldSelector(text);
          assert.ok(sel.matches(set), text);
          for (const [k, v] of Object.entries(set)) assert.equal(sel.requiresExactMatch(k), v);
          assert.equal(parseFieldSelector(sel.toString()).toString(), sel.toString());
        },
      ),
      { numRuns: 300 },
    );
  });
});
