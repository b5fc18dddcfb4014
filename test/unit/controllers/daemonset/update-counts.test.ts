import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowsSurge, scaledValue, surgeCount, unavailableCount } from '../../../../src/controllers/daemonset/update-counts';
import { ds } from './fixtures';

describe('GetScaledValueFromIntOrPercent', () => {
  const cases: [number | string, number, boolean, number][] = [
    [3, 10, true, 3],
    ['10%', 10, true, 1],
    ['10%', 5, true, 1],
    ['10%', 5, false, 0],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['100%', 7, true, 7],
    ['0%', 7, true, 0],
  ];
  for (const [v, total, up, want] of cases) it(`${JSON.stringify(v)} of ${total} (roundUp ${up}) = ${want}`, () => assert.equal(scaledValue(v, total, up), want));
  it('rejects malformed values with upstream messages', () => {
    assert.throws(() => scaledValue('5', 10, true), { message: 'invalid value for IntOrString: invalid type: string is not a percentage' });
    assert.throws(() => scaledValue('x%', 10, true), { message: 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax' });
    assert.throws(() => scaledValue(undefined, 10, true), { message: 'nil value for IntOrString' });
  });
});

describe('surge and unavailability of a set', () => {
  it('reads rollingUpdate, and is 0 for OnDelete', () => {
    const rolling = ds({}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 2 } } });
    assert.equal(unavailableCount(rolling, 10), 3);
    assert.equal(surgeCount(rolling, 10), 2);
    assert.equal(allowsSurge(rolling), true);
    const onDelete = ds({}, { strategy: { type: 'OnDelete' } });
    assert.equal(unavailableCount(onDelete, 10), 0);
    assert.equal(surgeCount(onDelete, 10), 0);
    assert.equal(allowsSurge(onDelete), false);
    const noSurge = ds({}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } });
    assert.equal(surgeCount(noSurge, 10), 0);
    assert.equal(allowsSurge(noSurge), false);
    assert.equal(allowsSurge(ds({}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1%' } } })), true, '1% of 1 rounds up');
  });
});
