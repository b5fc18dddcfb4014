/** quantity-math: upstream's Add/Sub format rules, quota list helpers, and a property against BigInt arithmetic. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Quantity } from '../../../src/api/quantity';
import {
  addLists,
  addQuantities,
  formatResourceList,
  lessThanOrEqual,
  maskList,
  parseFrozenResourceList,
  parseResourceList,
  prettyPrintList,
  subQuantities,
  subtractNonNegative,
} from '../../../src/api/quantity-math';

const q = (s: string) => Quantity.parse(s);

describe('quantity arithmetic as upstream prints it', () => {
  const cases: [string, string, string, string][] = [
    ['0', '512Mi', '512Mi', 'a zero left operand takes the right format'],
    ['512Mi', '512Mi', '1Gi', 'binary sums stay binary'],
    ['500m', '500m', '1', 'milli sums canonicalize'],
    ['1', '250m', '1250m', 'decimal'],
    ['100Mi', '0', '100Mi', 'adding zero keeps the value'],
  ];
  for (const [a, b, want, name] of cases) it(`${name}: ${a} + ${b} = ${want}`, () => assert.equal(addQuantities(q(a), q(b)).toString(), want));
  it('sub', () => {
    assert.equal(subQuantities(q('1Gi'), q('512Mi')).toString(), '512Mi');
    assert.equal(subQuantities(q('0'), q('1Gi')).toString(), '-1Gi');
  });
});

describe('resource lists', () => {
  it('add, mask, subtract, compare, print', () => {
    const a = parseResourceList({ cpu: '500m', memory: '1Gi', bogus: 'x' });
    const b = parseResourceList({ cpu: '1', pods: '1' });
    assert.deepEqual(formatResourceList(addLists(a, b)), { cpu: '1500m', memory: '1Gi', pods: '1' });
    assert.deepEqual(formatResourceList(maskList(a, ['memory', 'nope'])), { memory: '1Gi' });
    assert.deepEqual(formatResourceList(subtractNonNegative(a, b)), { cpu: '0', memory: '1Gi', pods: '0' });
    assert.deepEqual(lessThanOrEqual(parseResourceList({ cpu: '2', memory: '1Gi' }), parseResourceList({ cpu: '1', memory: '2Gi', pods: '1' })), { ok: false, exceeded: ['cpu'] });
    assert.equal(prettyPrintList(parseResourceList({ pods: '3', 'count/pods': '1', cpu: '1' })), 'count/pods=1,cpu=1,pods=3');
  });

  it('property: addLists agrees with BigInt sums of milli-values', () => {
    const list = fc.dictionary(fc.constantFrom('cpu', 'memory', 'pods'), fc.integer({ min: 0, max: 10_000_000 }));
    fc.assert(
      fc.property(list, list, (x, y) => {
        const sum = addLists(parseResourceList(Object.fromEntries(Object.entries(x).map(([k, v]) => [k, `${v}m`]))), parseResourceList(Object.fromEntries(Object.entries(y).map(([k, v]) => [k, `${v}m`]))));
        for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) assert.equal(sum.get(k)!.milliValue(), BigInt((x[k] ?? 0) + (y[k] ?? 0)));
      }),
    );
  });

  it('frozen maps are parsed once; anything else every time', () => {
    const frozen = Object.freeze({ cpu: '500m', memory: '1Gi', bogus: 'x' });
    const first = parseFrozenResourceList(frozen);
    assert.equal(parseFrozenResourceList(frozen), first);
    assert.deepEqual(formatResourceList(first), formatResourceList(parseResourceList(frozen)));
    const open = { cpu: '1' };
    const a = parseFrozenResourceList(open);
    open.cpu = '2';
    assert.notEqual(parseFrozenResourceList(open), a);
    assert.equal(parseFrozenResourceList(open).get('cpu')!.toString(), '2');
    assert.equal(parseFrozenResourceList(undefined).size, 0);
  });
});
