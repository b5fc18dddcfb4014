/** Go's formatting of metav1.Time, MicroTime and time.Duration, against values Go prints (and Date where it can). */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { formatDuration, formatMicroTime, formatTime } from '../../../../src/api/protobuf/go-format';

describe('Go time formatting', () => {
  const times: [bigint, bigint, string | undefined][] = [
    [0n, 0n, '1970-01-01T00:00:00Z'],
    [1_700_000_000n, 999_999_999n, '2023-11-14T22:13:20Z'],
    [951_782_400n, 0n, '2000-02-29T00:00:00Z'],
    [-62_135_596_800n, 0n, undefined], // time.Time{}: JSON null
    [-62_135_596_800n, 1n, '0001-01-01T00:00:00Z'],
    [-62_135_596_801n, 0n, '0000-12-31T23:59:59Z'],
    [-62_167_219_201n, 0n, '-0001-12-31T23:59:59Z'],
    [253_402_300_799n, 0n, '9999-12-31T23:59:59Z'],
    [253_402_300_800n, 0n, '10000-01-01T00:00:00Z'],
    [0n, -1n, '1969-12-31T23:59:59Z'],
    [0n, 2_500_000_000n, '1970-01-01T00:00:02Z'],
  ];
  for (const [s, n, want] of times) it(`Time(${s}, ${n})`, () => assert.equal(formatTime(s, n), want));

  const micros: [bigint, bigint, string | undefined][] = [
    [1_700_000_000n, 123_456_789n, '2023-11-14T22:13:20.123456Z'],
    [0n, 0n, '1970-01-01T00:00:00.000000Z'],
    [0n, -1_500n, '1969-12-31T23:59:59.999999Z'], // truncated toward zero to -1µs first
    [-62_135_596_800n, 999n, undefined], // truncates to the zero time
  ];
  for (const [s, n, want] of micros) it(`MicroTime(${s}, ${n})`, () => assert.equal(formatMicroTime(s, n), want));

  it('agrees with Date for every second Date can hold (years 0…9999)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200, max: 253_402_300_799 }), (s) => {
        const iso = new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        assert.equal(formatTime(BigInt(s), 0n) ?? '0001-01-01T00:00:00Z', iso);
      }),
    );
  });

  it('never throws for any int64 seconds / int32 nanos', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (s, n) => {
      assert.match(formatMicroTime(s, BigInt(n)) ?? 'null', /^(null|-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)$/);
    }));
  });

  const durations: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [1_500_000_000n, '1.5s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_661_000_000_001n, '1h1m1.000000001s'],
    [-2_000_000_000n, '-2s'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ];
  for (const [d, want] of durations) it(`Duration(${d})`, () => assert.equal(formatDuration(d), want));
});
