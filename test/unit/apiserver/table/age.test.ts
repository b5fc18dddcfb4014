import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { humanDuration, parseTime, since } from '../../../../src/apiserver/table/age';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  const cases: [number, string][] = [
    // upstream's TestHumanDuration table
    [1 * S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * 24 * H, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
    // the boundaries of every branch
    [0, '0s'],
    [999, '0s'],
    [-999, '0s'],
    [-1999, '0s'],
    [-2 * S, '<invalid>'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [5 * M, '5m'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 59 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 30 * M, '3h30m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [48 * H, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 10 * D, '3y10d'],
    [20 * 365 * D, '20y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }

  const UNIT: Record<string, number> = { s: S, m: M, h: H, d: D, y: 365 * D };
  function lowerBound(s: string): number {
    let total = 0;
    for (const m of s.matchAll(/(\d+)([smhdy])/g)) total += Number(m[1]) * UNIT[m[2]!]!;
    return total;
  }

  it('never overstates a duration, and is never off by more than its coarsest shown unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 365 * D }), (ms) => {
        const s = humanDuration(ms);
        assert.match(s, /^\d+[smhdy](\d+[smhd])?$/);
        const low = lowerBound(s);
        assert.ok(low <= ms, `${s} > ${ms}ms`);
        const units = [...s.matchAll(/[smhdy]/g)].map((m) => UNIT[m[0]]!);
        const finest = Math.min(...units);
        assert.ok(ms - low < finest, `${s} is more than one ${finest}ms unit below ${ms}ms`);
      }),
    );
  });
});

describe('timestamps', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  it('since() prints <unknown> for missing, unparsable and Go zero times', () => {
    assert.equal(since(undefined, now), '<unknown>');
    assert.equal(since('', now), '<unknown>');
    assert.equal(since('yesterday-ish', now), '<unknown>');
    assert.equal(since('0001-01-01T00:00:00Z', now), '<unknown>');
  });
  it('since() measures against the given now, including MicroTime precision', () => {
    assert.equal(since('2024-06-01T11:55:00Z', now), '5m');
    assert.equal(since('2024-06-01T11:59:58.123456Z', now), '1s');
    assert.equal(since('2024-06-01T12:00:10Z', now), '<invalid>');
    assert.equal(parseTime('2024-06-01T12:00:00+02:00'), Date.parse('2024-06-01T10:00:00Z'));
  });
});
