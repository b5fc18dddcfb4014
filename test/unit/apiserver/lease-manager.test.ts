/** The Event TTL lease manager: upstream's reuse rule (ttl + min(5 %, 60 s), at most N objects per lease). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { LeaseManager } from '../../../src/apiserver/registry/lease-manager';

function fakeStore() {
  const grants: number[] = [];
  let release: (() => void) | undefined;
  return {
    grants,
    hold() {
      return new Promise<void>((r) => (release = r));
    },
    release: () => release?.(),
    store: {
      async leaseGrant(ttl: number) {
        grants.push(ttl);
        if (release) await new Promise<void>((r) => setImmediate(r));
        return { id: String(grants.length), ttl };
      },
    },
  };
}

describe('LeaseManager', () => {
  it('grants ttl + 60 s and hands the lease out again while it outlives the TTL', async () => {
    const clock = new FakeClock(0);
    const f = fakeStore();
    const m = new LeaseManager(f.store, clock);
    assert.equal(await m.get(3600), '1');
    assert.deepEqual(f.grants, [3660]);
    clock.advance(59_000);
    assert.equal(await m.get(3600), '1', 'reused within the 60 s window');
    clock.advance(2_000);
    assert.equal(await m.get(3600), '2', 'a new lease once the old one would end before the TTL');
    assert.deepEqual(f.grants, [3660, 3660]);
  });

  it('reuses for 5 % of a short TTL only', async () => {
    const clock = new FakeClock(0);
    const f = fakeStore();
    const m = new LeaseManager(f.store, clock);
    await m.get(100);
    assert.deepEqual(f.grants, [105]);
    clock.advance(4_000);
    assert.equal(await m.get(100), '1');
    clock.advance(2_000);
    assert.equal(await m.get(100), '2');
  });

  it('attaches at most maxObjects writes to one lease', async () => {
    const f = fakeStore();
    const m = new LeaseManager(f.store, new FakeClock(0), 2);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await m.get(3600));
    assert.deepEqual(ids, ['1', '1', '2', '2', '3']);
  });

  it('writes arriving during a grant wait for it and share the new lease', async () => {
    const f = fakeStore();
    void f.hold();
    const m = new LeaseManager(f.store, new FakeClock(0));
    const ids = await Promise.all(Array.from({ length: 10 }, () => m.get(3600)));
    assert.deepEqual(new Set(ids), new Set(['1']));
    assert.deepEqual(f.grants, [3660]);
  });

  it('a failed grant fails that write; the next one grants again', async () => {
    let fail = true;
    const grants: number[] = [];
    const m = new LeaseManager({ leaseGrant: async (ttl: number) => {
      grants.push(ttl);
      if (fail) throw new Error('etcdserver: request timed out');
      return { id: '7', ttl };
    } }, new FakeClock(0));
    await assert.rejects(m.get(3600), /request timed out/);
    fail = false;
    assert.equal(await m.get(3600), '7');
    assert.equal(grants.length, 2);
  });
});
