import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tickAlignedDelay } from '../../../src/base/clock';

test('tickAlignedDelay: on to the first multiple of the tick at or after now + delay', () => {
  assert.equal(tickAlignedDelay(10_700, 10_000, 2_000), 11_300, 'due 20,700: the tick at 22,000');
  assert.equal(tickAlignedDelay(10_000, 10_000, 2_000), 10_000, 'due on a tick: that tick');
  assert.equal(tickAlignedDelay(10_001, 0, 2_000), 1_999, 'a zero delay still waits for the tick');
  assert.equal(tickAlignedDelay(1_764_000_000_123, 10_400, 1_000), 10_877);
});

test('tickAlignedDelay: no tick (absent, 0, negative, NaN, Infinity) leaves the delay as it is', () => {
  for (const tick of [undefined, 0, -2_000, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(tickAlignedDelay(10_700, 10_400, tick), 10_400, String(tick));
});
