/**
 * The kubelet's Backoff against client-go flowcontrol's own tests (backoff_test.go: TestSlowBackoff,
 * TestBackoffReset, TestBackoffHighWaterMark, TestBackoffGC, TestIsInBackOffSinceUpdate), the kubelet's settings
 * (10 s doubling to 5 min, reset after 10 min idle), IsInBackOffSince as doBackOff uses it, and goDuration against
 * Go's time.Duration String().
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Backoff, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, goDuration } from '../../../../src/kubelet/pod/backoff';

const S = 1000;
const T = Date.UTC(2026, 0, 1);

describe('Backoff (client-go flowcontrol tests, 1 s step)', () => {
  it('TestSlowBackoff: 0, 1, 2, 4 … capped at the max', () => {
    const b = new Backoff(S, 50 * S);
    const want = [0, 1, 2, 4, 8, 16, 32, 50, 50, 50];
    let now = T;
    const got: number[] = [];
    for (let i = 0; i < want.length; i++) {
      now += S;
      got.push(b.get('id') / S);
      b.next('id', now);
    }
    assert.deepEqual(got, want);
  });

  it('TestBackoffReset: an entry idle for more than twice the max is no longer in back-off', () => {
    const b = new Backoff(S, 5 * S);
    let now = T;
    for (let i = 0; i <= 5; i++) b.next('id', (now += S));
    assert.equal(b.inBackoffSince('id', now, now), true);
    const lastUpdate = now;
    now += 2 * 5 * S + S;
    assert.equal(b.inBackoffSince('id', lastUpdate, now), false);
  });

  it('TestBackoffHighWaterMark: within twice the max, the next failure stays at the max', () => {
    const b = new Backoff(S, 5 * S);
    let now = T;
    for (let i = 0; i <= 5; i++) b.next('id', (now += S));
    b.next('id', (now += 5 * S + S));
    assert.equal(b.get('id'), 5 * S);
  });

  it('TestBackoffGC: gc keeps an entry idle for less than twice the max, drops it after', () => {
    const b = new Backoff(S, 5 * S);
    let now = T;
    for (let i = 0; i <= 5; i++) b.next('id', (now += S));
    b.gc((now += 5 * S + S));
    assert.equal(b.get('id'), 5 * S);
    b.gc((now += 5 * S + S));
    assert.equal(b.get('id'), 0);
  });

  it('TestIsInBackOffSinceUpdate: the table (tick, in back-off, delay)', () => {
    const b = new Backoff(S, 10 * S);
    const cases: [number, boolean, number][] = [
      [0, false, 0], [1, false, 1], [2, true, 2], [3, false, 2], [4, true, 4], [5, true, 4], [6, true, 4], [7, false, 4],
      [8, true, 8], [9, true, 8], [10, true, 8], [11, true, 8], [12, true, 8], [13, true, 8], [14, true, 8], [15, false, 8],
      [16, true, 10], [17, true, 10], [18, true, 10], [19, true, 10], [20, true, 10], [21, true, 10], [22, true, 10],
      [23, true, 10], [24, true, 10], [25, false, 10], [26, true, 10], [27, true, 10], [28, true, 10], [29, true, 10],
      [30, true, 10], [31, true, 10], [32, true, 10], [33, true, 10], [34, true, 10], [35, false, 10], [56, false, 0], [57, false, 1],
    ];
    for (const [tick, inBackoff, value] of cases) {
      const now = T + tick * S;
      assert.equal(b.inBackoffSinceUpdate('id', now), inBackoff, `tick ${tick}`);
      if (inBackoff) assert.equal(b.get('id'), value * S, `value at tick ${tick}`);
      else b.next('id', now);
    }
  });
});

describe('Backoff as the kubelet configures it', () => {
  it('defaults: 10 s initial, 5 min cap', () => {
    assert.equal(BACKOFF_INITIAL_MS, 10_000);
    assert.equal(BACKOFF_MAX_MS, 300_000);
  });

  it('10 s, 20 s, 40 s, 80 s, 160 s, then 300 s forever while failures keep coming', () => {
    const b = new Backoff();
    const delays: number[] = [];
    let now = T;
    for (let i = 0; i < 8; i++) {
      b.next('pod/c', now);
      delays.push(b.get('pod/c') / S);
      now += b.get('pod/c');
    }
    assert.deepEqual(delays, [10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('property: n failures in a row, each within 10 min, give min(10 s·2^(n-1), 300 s)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 20 }), (gaps) => {
        const b = new Backoff();
        let now = T;
        for (const g of gaps) b.next('k', (now += g));
        assert.equal(b.get('k'), Math.min(10_000 * 2 ** (gaps.length - 1), 300_000));
      }),
    );
  });

  it('a failure after more than 10 min (twice the cap) without one starts over at 10 s', () => {
    const b = new Backoff();
    let now = T;
    for (let i = 0; i < 6; i++) b.next('k', (now += 1000));
    assert.equal(b.get('k'), 300_000);
    b.next('k', now + 600_000);
    assert.equal(b.get('k'), 300_000, 'exactly 2× the cap is not yet expired (hasExpired uses >)');
    b.next('k', now + 600_000 + 600_001);
    assert.equal(b.get('k'), 10_000);
  });

  it('inBackoffSince (doBackOff): counted from the given start, false for an unknown key or an expired entry', () => {
    const b = new Backoff();
    assert.equal(b.inBackoffSince('k', T, T), false, 'no entry: restart at once');
    b.next('k', T);
    const finished = T + 5_000;
    assert.equal(b.inBackoffSince('k', finished, finished), true);
    assert.equal(b.inBackoffSince('k', finished, finished + 9_999), true);
    assert.equal(b.inBackoffSince('k', finished, finished + 10_000), false, 'now - since < delay is strict');
    assert.equal(b.inBackoffSince('k', T + 700_000, T + 700_000), false, 'idle longer than 2× the cap since the last update');
    assert.equal(b.inBackoffSince('other', finished, finished), false);
  });

  it('endsAt: start + the current delay; undefined for an unknown key', () => {
    const b = new Backoff();
    assert.equal(b.endsAt('k', T), undefined);
    b.next('k', T);
    b.next('k', T + 1);
    assert.equal(b.endsAt('k', T + 50), T + 50 + 20_000);
  });

  it('forgetPrefix drops one pod\'s keys only', () => {
    const b = new Backoff();
    for (const k of ['uid-1/a', 'uid-1/b', 'uid-10/a', 'uid-2/a']) b.next(k, T);
    b.forgetPrefix('uid-1/');
    assert.deepEqual(['uid-1/a', 'uid-1/b', 'uid-10/a', 'uid-2/a'].map((k) => b.get(k)), [0, 0, 10_000, 10_000]);
  });
});

describe('goDuration (Go time.Duration String for whole seconds)', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1_000, '1s'],
    [10_000, '10s'],
    [20_000, '20s'],
    [40_000, '40s'],
    [59_000, '59s'],
    [60_000, '1m0s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
  ];
  for (const [ms, want] of cases) it(`${ms} ms → ${want}`, () => assert.equal(goDuration(ms), want));
});
