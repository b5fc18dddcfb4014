import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { FailedPodsBackoff } from '../../../../src/controllers/daemonset/failed-pods-backoff';

describe('failed pods backoff (flowcontrol.Backoff, 1 s to 15 min)', () => {
  it('doubles from 1 s up to the maximum while attempts keep coming', () => {
    const clock = new FakeClock(0);
    const b = new FailedPodsBackoff(clock);
    assert.equal(b.inBackoffSinceUpdate('k', clock.now()), false);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      b.next('k', clock.now());
      seen.push(b.get('k'));
      clock.advance(b.get('k'));
    }
    assert.deepEqual(seen.slice(0, 5), [1000, 2000, 4000, 8000, 16000]);
    assert.equal(seen.at(-1), 15 * 60_000);
  });
  it('is in backoff only until the delay has passed since the last attempt', () => {
    const clock = new FakeClock(0);
    const b = new FailedPodsBackoff(clock);
    b.next('k', 0);
    assert.equal(b.inBackoffSinceUpdate('k', 999), true);
    assert.equal(b.inBackoffSinceUpdate('k', 1000), false);
    assert.equal(b.inBackoffSinceUpdate('other', 0), false);
  });
  it('starts over after twice the maximum without attempts, and forgets such entries', () => {
    const clock = new FakeClock(0);
    const b = new FailedPodsBackoff(clock);
    b.next('k', 0);
    b.next('k', 0);
    assert.equal(b.get('k'), 2000);
    clock.advance(30 * 60_000 + 1);
    assert.equal(b.inBackoffSinceUpdate('k', clock.now()), false);
    b.next('other', clock.now());
    assert.equal(b.size(), 1, 'the expired entry was collected');
    b.next('k', clock.now());
    assert.equal(b.get('k'), 1000);
  });
});
