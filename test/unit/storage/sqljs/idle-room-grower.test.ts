/** IdleRoomGrower: grows the in-memory file only once the store has been idle for ROOM_IDLE_MS; never after stop(). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { silentLogger } from '../../../../src/base/logger';
import { IdleRoomGrower, ROOM_IDLE_MS } from '../../../../src/storage/sqljs/idle-room-grower';

function setup(busy = () => false) {
  const clock = new FakeClock();
  const calls = { grow: 0 };
  const room = { growIfLow: () => (calls.grow++, false), usage: () => ({ capacity: 0, used: 0 }) } as never;
  return { clock, calls, grower: new IdleRoomGrower(clock, silentLogger, room, busy) };
}

describe('IdleRoomGrower', () => {
  it('checks once, ROOM_IDLE_MS after the last write', () => {
    const { clock, calls, grower } = setup();
    grower.wrote();
    clock.advance(ROOM_IDLE_MS - 1);
    assert.equal(calls.grow, 0);
    clock.advance(1);
    assert.equal(calls.grow, 1);
    clock.advance(10 * ROOM_IDLE_MS);
    assert.equal(calls.grow, 1, 'no polling without writes');
  });

  it('waits while writes keep coming or the store is busy', () => {
    let busy = true;
    const { clock, calls, grower } = setup(() => busy);
    grower.wrote();
    for (let i = 0; i < 5; i++) {
      clock.advance(ROOM_IDLE_MS);
      grower.wrote();
    }
    assert.equal(calls.grow, 0);
    busy = false;
    clock.advance(2 * ROOM_IDLE_MS);
    assert.equal(calls.grow, 1);
  });

  it('never runs after stop()', () => {
    const { clock, calls, grower } = setup();
    grower.wrote();
    grower.stop();
    grower.wrote();
    clock.advance(10 * ROOM_IDLE_MS);
    assert.equal(calls.grow, 0);
    assert.equal(clock.pendingTimers(), 0);
  });
});
