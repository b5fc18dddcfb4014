/** TimedWorkers on a fake clock: one piece of work per key, fired at fireAt, cancellable until it fires. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { TimedWorkers } from '../../../../src/controllers/tainteviction/timed-workers';

function setup() {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  const w = new TimedWorkers(clock, (k) => fired.push(`${k}@${clock.now()}`));
  return { clock, fired, w };
}

describe('TimedWorkers', () => {
  it('fires at fireAt, measured from createdAt, and keeps the key as firing until finished', () => {
    const { clock, fired, w } = setup();
    w.addWork('ns/a', 0, 30_000);
    clock.advance(29_999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['ns/a@30000']);
    assert.equal(w.isFiring('ns/a'), true);
    w.addWork('ns/a', 30_000, 40_000);
    assert.equal(w.get('ns/a')?.fireAt, 30_000, 'work already there is kept');
    w.finished('ns/a');
    assert.equal(w.get('ns/a'), undefined);
    assert.equal(w.isFiring('ns/a'), false);
  });

  it('ignores new work for a key that has some', () => {
    const { clock, fired, w } = setup();
    w.addWork('k', 0, 10_000);
    w.addWork('k', 0, 1_000);
    clock.advance(5_000);
    assert.deepEqual(fired, []);
    clock.advance(5_000);
    assert.deepEqual(fired, ['k@10000']);
  });

  it('cancels a timer (true) and never fires it', () => {
    const { clock, fired, w } = setup();
    w.addWork('k', 0, 10_000);
    assert.equal(w.cancel('k'), true);
    assert.equal(w.cancel('k'), false);
    clock.advance(20_000);
    assert.deepEqual(fired, []);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('fires work due now at once; cancelling it reports false', () => {
    const { fired, w } = setup();
    w.addWork('k', 5, 5);
    assert.deepEqual(fired, ['k@0']);
    assert.equal(w.cancel('k'), false);
    assert.equal(w.isFiring('k'), true, 'fired work still runs');
  });

  it('stop clears every timer', () => {
    const { clock, w } = setup();
    w.addWork('a', 0, 1_000);
    w.addWork('b', 0, 2_000);
    w.stop();
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(w.size(), 0);
  });
});
