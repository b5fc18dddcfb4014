/** Quantity: upstream parse/canonical-form cases and fast-check properties (exact values, canonical fixed point, cmp/add agree with BigInt arithmetic). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Quantity, parseQuantity, QUANTITY_FORMAT_ERROR, QUANTITY_SUFFIX_ERROR, tryParseQuantity } from '../../../src/api/quantity';

const DEC: [string, number][] = [['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18]];
const BIN: [string, number][] = [['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40]];

describe('Quantity parsing and canonical form (upstream cases)', () => {
  const cases: [string, string][] = [
    ['500m', '500m'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['2000000000', '2G'],
    ['128974848', '128974848'],
    ['129M', '129M'],
    ['1e3', '1e3'],
    ['12e6', '12e6'],
    ['1k', '1k'],
    ['+1', '+1'],
    ['0', '0'],
    ['0.0000000001', '1n'],
    ['1E', '1E'],
    ['-1', '-1'],
  ];
  for (const [input, want] of cases) it(`${input} → ${want}`, () => assert.equal(parseQuantity(input).toString(), want));

  it('rejects malformed input with upstream messages', () => {
    for (const bad of ['', 'abc', '1Gb', '1.2.3']) assert.throws(() => parseQuantity(bad), { message: QUANTITY_FORMAT_ERROR });
    assert.throws(() => parseQuantity('1K'), { message: QUANTITY_SUFFIX_ERROR });
    assert.equal(tryParseQuantity('1K'), undefined);
  });

  it('accepts JSON numbers', () => {
    assert.equal(tryParseQuantity(2)?.toString(), '2');
    assert.equal(tryParseQuantity(0.25)?.toString(), '250m');
  });

  it('compares, adds and rounds', () => {
    assert.equal(parseQuantity('1').cmp(parseQuantity('1000m')), 0);
    assert.equal(parseQuantity('1Ki').cmp(parseQuantity('1k')), 1);
    assert.equal(parseQuantity('100m').add(parseQuantity('900m')).toString(), '1');
    assert.equal(parseQuantity('1.0001').roundUp(-3).toString(), '1001m');
    assert.equal(parseQuantity('1500m').value(), 2n);
    assert.equal(parseQuantity('1.5').milliValue(), 1500n);
  });
});

describe('Quantity properties', () => {
  const mantissa = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
  it('a decimal-suffixed quantity has exactly the value mantissa × 10^exponent', () => {
    fc.assert(
      fc.property(mantissa, fc.constantFrom(...DEC), (m, [suffix, exp]) => {
        const q = parseQuantity(`${m}${suffix}`);
        return q.scaledValue(-9) === m * 10n ** BigInt(exp + 9);
      }),
    );
  });
  it('a binary-suffixed quantity has exactly the value mantissa × 1024^k', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.constantFrom(...BIN), (m, [suffix, bits]) => parseQuantity(`${m}${suffix}`).scaledValue(0) === m << BigInt(bits)),
    );
  });
  it('decimal fractions parse exactly (down to nano)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.stringMatching(/^[0-9]{1,9}$/), (int, frac) => {
        const q = parseQuantity(`${int}.${frac}`);
        return q.scaledValue(-9) === int * 10n ** 9n + BigInt(frac.padEnd(9, '0'));
      }),
    );
  });
  const quantity = fc.oneof(
    fc.tuple(mantissa, fc.constantFrom(...DEC)).map(([m, [s]]) => `${m}${s}`),
    fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.constantFrom(...BIN)).map(([m, [s]]) => `${m}${s}`),
    fc.tuple(fc.nat(10 ** 6), fc.stringMatching(/^[0-9]{1,6}$/), fc.constantFrom('', 'Mi', 'k')).map(([i, f, s]) => `${i}.${f}${s}`),
  );
  it('the canonical form parses back to the same value and is a fixed point', () => {
    fc.assert(
      fc.property(quantity, (s) => {
        const q = parseQuantity(s);
        const c = parseQuantity(q.canonical());
        return c.cmp(q) === 0 && c.canonical() === q.canonical() && parseQuantity(q.toString()).cmp(q) === 0;
      }),
    );
  });
  it('cmp agrees with exact arithmetic and is antisymmetric; add and sub are inverse', () => {
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        const qa = parseQuantity(a);
        const qb = parseQuantity(b);
        const exact = qa.scaledValue(-9) - qb.scaledValue(-9);
        const sign = exact < 0n ? -1 : exact > 0n ? 1 : 0;
        return qa.cmp(qb) === sign && qb.cmp(qa) === -sign && qa.add(qb).sub(qb).cmp(qa) === 0;
      }),
    );
  });
  it('zero and integers', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), (n) => parseQuantity(`${n}`).cmp(Quantity.fromInt(n)) === 0));
    assert.equal(Quantity.zero().toString(), '0');
  });
  it('value() and milliValue() round away from zero, asked once or many times (they are remembered)', () => {
    const ceilDiv = (n: bigint, d: bigint): bigint => (n % d === 0n ? n / d : n < 0n ? n / d - 1n : n / d + 1n);
    fc.assert(
      fc.property(mantissa, fc.constantFrom(...DEC), (m, [suffix, exp]) => {
        const q = parseQuantity(`${m}${suffix}`);
        const nanos = m * 10n ** BigInt(exp + 9);
        const whole = ceilDiv(nanos, 10n ** 9n);
        const milli = ceilDiv(nanos, 10n ** 6n);
        return q.value() === whole && q.milliValue() === milli && q.value() === whole && q.milliValue() === milli;
      }),
    );
  });
  it('exponents beyond the precomputed powers of ten stay exact', () => {
    assert.equal(parseQuantity('1e70').cmp(parseQuantity('10e69')), 0);
    assert.equal(parseQuantity('1e70').add(parseQuantity('1')).scaledValue(0), 10n ** 70n + 1n);
    assert.equal(parseQuantity('2e70').cmp(parseQuantity('1e70')), 1);
  });
});
