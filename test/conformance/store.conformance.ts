/**
 * The Store conformance suite: etcd v3 semantics as written in src/storage/store.ts. Every Store implementation runs
 * it (test/conformance/<impl>.test.ts calls storeConformance with a factory). It uses only the Store interface —
 * no file system, no implementation internals — so a real-etcd backend can run it unchanged.
 *
 * Revisions in expectations are computed from the results of the writes, except where the contract fixes them
 * (an empty store is at revision 1; each changing write adds exactly one).
 */
import * as assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FakeClock } from '../../src/base/clock';
import {
  MAX_REQUEST_BYTES,
  MAX_TXN_OPS,
  type Compare,
  type KeySelector,
  type KeyValue,
  type Store,
  type PutResult,
  type TxnOp,
  type TxnResult,
  type WatchBatch,
} from '../../src/storage/store';
import { brief, clean, rejectsWith, WatchRecorder } from '../helpers/store-assert';
import { pool, sleep, waitFor, withTimeout } from '../helpers/wait';

export interface ConformanceHarness {
  store: Store;
  /** When given, time-driven behaviour (lease expiry, progress notifications) is driven by it. */
  clock?: FakeClock;
  cleanup(): Promise<void>;
}

export interface ConformanceOptions {
  /**
   * How many undelivered events a watcher may have before it is cancelled as slow (default 10,000). The slow-watcher
   * case writes three times that many events, so implementations should make it small in their factory.
   */
  watchBufferEvents?: number;
}

const ALL: KeySelector = { key: '\0', end: '\0' };
const T = { timeout: 60_000 };

const kv = (key: string, value: string, createRevision: number, modRevision: number, version: number, lease = '0'): KeyValue => ({
  key,
  value,
  createRevision,
  modRevision,
  version,
  lease,
});

const keys = (kvs: KeyValue[]) => kvs.map((k) => k.key);

/** Write a fixed set of keys, one revision each; returns each key's revision. */
async function seed(store: Store): Promise<Record<string, number>> {
  const revs: Record<string, number> = {};
  for (const k of ['a', 'a/1', 'a/2', 'a/3', 'b', 'b/1', 'c']) revs[k] = (await store.put(k, `v:${k}`)).revision;
  return revs;
}

/** Move a fake clock forward in steps, letting the store's timers and the I/O they start run in between. */
async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await sleep(2);
  }
}

export function storeConformance(
  name: string,
  factory: () => Promise<ConformanceHarness>,
  options: ConformanceOptions = {},
): void {
  const run = (fn: (h: ConformanceHarness, t: TestContext) => Promise<void>) => async (t: TestContext) => {
    const h = await factory();
    try {
      await fn(h, t);
    } finally {
      await h.cleanup();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    // ---------------------------------------------------------------------------------------------------------------
    describe('revisions', () => {
      it('an empty store is at revision 1 and has compacted nothing', T, run(async ({ store }) => {
        assert.equal(await store.revision(), 1);
        assert.equal(await store.compactRevision(), 0);
        assert.deepEqual(clean(await store.range(ALL)), { kvs: [], count: 0, more: false, revision: 1 });
      }));

      it('a put creates the key at the next revision with version 1', T, run(async ({ store }) => {
        const p = await store.put('k', 'v1');
        assert.equal(p.revision, 2);
        assert.equal(await store.revision(), 2);
        const r = await store.range({ key: 'k' });
        assert.deepEqual(clean(r), { kvs: [kv('k', 'v1', 2, 2, 1)], count: 1, more: false, revision: 2 });
      }));

      it('every put adds one to the revision and to the version; createRevision stays', T, run(async ({ store }) => {
        const revs: number[] = [];
        for (const v of ['v1', 'v2', 'v2', 'v3']) revs.push((await store.put('k', v)).revision);
        assert.deepEqual(revs, [2, 3, 4, 5], 'a put of an unchanged value is still a write');
        assert.deepEqual(clean((await store.range({ key: 'k' })).kvs), [kv('k', 'v3', 2, 5, 4)]);
        const other = await store.put('other', 'o');
        assert.equal(other.revision, 6);
        assert.deepEqual(clean((await store.range({ key: 'other' })).kvs), [kv('other', 'o', 6, 6, 1)]);
        assert.deepEqual(clean((await store.range({ key: 'k' })).kvs), [kv('k', 'v3', 2, 5, 4)], 'other keys are untouched');
      }));

      it('a delete ends a key; recreating it starts a new generation', T, run(async ({ store }) => {
        await store.put('k', 'a'); // 2
        await store.put('k', 'b'); // 3
        const d = await store.delete({ key: 'k' });
        assert.deepEqual(clean(d), { revision: 4, deleted: 1 });
        assert.equal(await store.revision(), 4);
        assert.deepEqual(clean(await store.range({ key: 'k' })), { kvs: [], count: 0, more: false, revision: 4 });
        const p = await store.put('k', 'c');
        assert.equal(p.revision, 5);
        assert.deepEqual(clean((await store.range({ key: 'k' })).kvs), [kv('k', 'c', 5, 5, 1)], 'createRevision and version restart');
        assert.deepEqual(clean((await store.range({ key: 'k' }, { revision: 3 })).kvs), [kv('k', 'b', 2, 3, 2)], 'the old generation is history');
        assert.equal((await store.range({ key: 'k' }, { revision: 4 })).count, 0, 'the tombstone is history too');
      }));

      it('writes that change nothing do not bump the revision', T, run(async ({ store }) => {
        await store.put('a', '1');
        assert.deepEqual(clean(await store.delete({ key: 'missing' })), { revision: 2, deleted: 0 });
        assert.equal((await store.delete({ key: 'zz/', prefix: true })).deleted, 0);
        assert.equal((await store.delete({ key: 'x', end: 'y' })).revision, 2);
        const failed = await store.txn({ compare: [{ key: 'a', target: 'value', op: '=', value: 'nope' }], success: [{ type: 'put', key: 'a', value: '2' }], failure: [] });
        assert.deepEqual(clean(failed), { succeeded: false, revision: 2, results: [] });
        const readOnly = await store.txn({ compare: [], success: [{ type: 'range', sel: { key: 'a' } }], failure: [] });
        assert.equal(readOnly.revision, 2);
        assert.equal(readOnly.succeeded, true);
        const noopDelete = await store.txn({ compare: [], success: [{ type: 'delete', sel: { key: 'nothing' } }], failure: [] });
        assert.deepEqual(clean(noopDelete), { succeeded: true, revision: 2, results: [{ type: 'delete', deleted: 0 }] });
        assert.equal(await store.revision(), 2);
        assert.deepEqual(clean((await store.range({ key: 'a' })).kvs), [kv('a', '1', 2, 2, 1)]);
        assert.equal((await store.put('b', '1')).revision, 3, 'the next change takes the next revision');
      }));

      it('a read that starts after a write resolved sees it, also with many writes in flight', T, run(async ({ store }) => {
        // (That a read never sees a write before it is durable is implementation-specific: see the store's own tests.)
        const checks = Array.from({ length: 40 }, async (_, i) => {
          const before = await store.range({ key: `rw/${i}` });
          assert.equal(before.count, 0);
          const w = await store.put(`rw/${i}`, `v${i}`);
          const after = await store.range({ key: `rw/${i}` });
          assert.equal(after.kvs[0]?.modRevision, w.revision, 'a read after the ack sees the write');
          assert.ok(after.revision >= w.revision, 'and is served at or after its revision');
        });
        await Promise.all(checks);
      }));
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('range', () => {
      it('one key, present or missing', T, run(async ({ store }) => {
        const revs = await seed(store);
        const r = await store.range({ key: 'a' });
        assert.deepEqual(clean(r), { kvs: [kv('a', 'v:a', revs.a, revs.a, 1)], count: 1, more: false, revision: revs.c });
        assert.deepEqual(clean(await store.range({ key: 'zz' })), { kvs: [], count: 0, more: false, revision: revs.c });
        assert.equal((await store.range({ key: 'a/' })).count, 0, 'a single-key read is not a prefix read');
      }));

      it('a prefix selects every key that starts with it, in key order', T, run(async ({ store }) => {
        await seed(store);
        assert.deepEqual(keys((await store.range({ key: 'a/', prefix: true })).kvs), ['a/1', 'a/2', 'a/3']);
        assert.deepEqual(keys((await store.range({ key: 'a', prefix: true })).kvs), ['a', 'a/1', 'a/2', 'a/3']);
        assert.deepEqual(keys((await store.range({ key: 'b/', prefix: true })).kvs), ['b/1']);
        const none = await store.range({ key: 'nope', prefix: true });
        assert.equal(none.count, 0);
        assert.deepEqual(none.kvs, []);
        const values = (await store.range({ key: 'a/', prefix: true })).kvs.map((k) => k.value);
        assert.deepEqual(values, ['v:a/1', 'v:a/2', 'v:a/3']);
      }));

      it('[key, end) includes key and excludes end', T, run(async ({ store }) => {
        await seed(store);
        const r = await store.range({ key: 'a/2', end: 'b/1' });
        assert.deepEqual(keys(r.kvs), ['a/2', 'a/3', 'b']);
        assert.equal(r.count, 3);
        assert.deepEqual(keys((await store.range({ key: 'a/1', end: 'a/2' })).kvs), ['a/1']);
        assert.deepEqual(keys((await store.range({ key: 'a/4', end: 'a/9' })).kvs), []);
      }));

      it('end "\\0" selects every key from key on', T, run(async ({ store }) => {
        await seed(store);
        assert.deepEqual(keys((await store.range({ key: 'b', end: '\0' })).kvs), ['b', 'b/1', 'c']);
        const all = await store.range(ALL);
        assert.deepEqual(keys(all.kvs), ['a', 'a/1', 'a/2', 'a/3', 'b', 'b/1', 'c']);
        assert.equal(all.count, 7);
      }));

      it('limit cuts the result, sets more, and count stays the full count', T, run(async ({ store }) => {
        await seed(store);
        const sel = { key: 'a', prefix: true };
        const two = await store.range(sel, { limit: 2 });
        assert.deepEqual(keys(two.kvs), ['a', 'a/1']);
        assert.equal(two.count, 4);
        assert.equal(two.more, true);
        const three = await store.range(sel, { limit: 3 });
        assert.deepEqual([keys(three.kvs), three.count, three.more], [['a', 'a/1', 'a/2'], 4, true]);
        const four = await store.range(sel, { limit: 4 });
        assert.deepEqual([keys(four.kvs), four.count, four.more], [['a', 'a/1', 'a/2', 'a/3'], 4, false]);
        const many = await store.range(sel, { limit: 100 });
        assert.deepEqual([many.kvs.length, many.count, many.more], [4, 4, false]);
        const unlimited = await store.range(sel, { limit: 0 });
        assert.deepEqual([unlimited.kvs.length, unlimited.count, unlimited.more], [4, 4, false]);
        const single = await store.range({ key: 'a' }, { limit: 1 });
        assert.deepEqual([single.kvs.length, single.count, single.more], [1, 1, false]);
      }));

      it('keysOnly returns keys and metadata with empty values', T, run(async ({ store }) => {
        const revs = await seed(store);
        await store.put('a/2', 'again');
        const r = await store.range({ key: 'a/', prefix: true }, { keysOnly: true });
        assert.deepEqual(clean(r.kvs), [
          kv('a/1', '', revs['a/1'], revs['a/1'], 1),
          kv('a/2', '', revs['a/2'], revs.c + 1, 2),
          kv('a/3', '', revs['a/3'], revs['a/3'], 1),
        ]);
        assert.equal(r.count, 3);
        const limited = await store.range({ key: 'a/', prefix: true }, { keysOnly: true, limit: 1 });
        assert.deepEqual([keys(limited.kvs), limited.kvs[0].value, limited.count, limited.more], [['a/1'], '', 3, true]);
      }));

      it('countOnly returns the count and no kvs', T, run(async ({ store }) => {
        await seed(store);
        const r = await store.range({ key: 'a', prefix: true }, { countOnly: true });
        assert.deepEqual(r.kvs, []);
        assert.equal(r.count, 4);
        assert.equal((await store.range(ALL, { countOnly: true })).count, 7);
        assert.equal((await store.range({ key: 'b' }, { countOnly: true })).count, 1);
        assert.equal((await store.range({ key: 'zz' }, { countOnly: true })).count, 0);
      }));

      it('a latest read carries the current revision, whatever keys it selects', T, run(async ({ store }) => {
        await store.put('x', '1');
        const last = await store.put('elsewhere', '2');
        assert.equal((await store.range({ key: 'x' })).revision, last.revision);
        assert.equal((await store.range({ key: 'none' })).revision, last.revision);
        assert.equal((await store.range({ key: 'x', prefix: true }, { countOnly: true })).revision, last.revision);
      }));

      it('a read at a past revision sees the values and keys of that revision, deleted ones included', T, run(async ({ store }) => {
        const r1 = (await store.put('x', 'one')).revision;
        const r2 = (await store.put('x', 'two')).revision;
        const r3 = (await store.put('y', 'y')).revision;
        const r4 = (await store.delete({ key: 'x' })).revision;
        const r5 = (await store.put('x', 'three')).revision;
        assert.deepEqual([r1, r2, r3, r4, r5], [2, 3, 4, 5, 6]);
        assert.deepEqual(clean((await store.range({ key: 'x' }, { revision: r1 })).kvs), [kv('x', 'one', r1, r1, 1)]);
        assert.deepEqual(clean((await store.range({ key: 'x' }, { revision: r2 })).kvs), [kv('x', 'two', r1, r2, 2)]);
        assert.deepEqual(clean((await store.range(ALL, { revision: r3 })).kvs), [kv('x', 'two', r1, r2, 2), kv('y', 'y', r3, r3, 1)]);
        assert.deepEqual(keys((await store.range(ALL, { revision: r4 })).kvs), ['y']);
        assert.deepEqual(clean((await store.range({ key: 'x' }, { revision: r5 })).kvs), [kv('x', 'three', r5, r5, 1)]);
        assert.equal((await store.range(ALL, { revision: 1 })).count, 0, 'revision 1 is the empty store');
        const limited = await store.range(ALL, { revision: r3, limit: 1 });
        assert.deepEqual([keys(limited.kvs), limited.count, limited.more], [['x'], 2, true]);
        assert.equal((await store.range({ key: 'x', prefix: true }, { revision: r3, countOnly: true })).count, 1);
        assert.deepEqual(clean((await store.range({ key: 'x' }, { revision: r2, keysOnly: true })).kvs), [kv('x', '', r1, r2, 2)]);
        assert.deepEqual(
          clean((await store.range(ALL, { revision: r5 })).kvs),
          clean((await store.range(ALL)).kvs),
          'the current revision read explicitly equals a latest read',
        );
      }));

      it('a read at a future revision fails with future-revision', T, run(async ({ store }) => {
        const r = (await store.put('x', '1')).revision;
        await rejectsWith(store.range({ key: 'x' }, { revision: r + 1 }), 'future-revision');
        await rejectsWith(store.range(ALL, { revision: r + 100 }), 'future-revision');
      }));
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('put and delete', () => {
      it('put returns the previous key-value only when asked', T, run(async ({ store }) => {
        const p1 = await store.put('k', 'v1', { prevKv: true });
        assert.equal(p1.prevKv, undefined, 'no previous value for a new key');
        const p2 = await store.put('k', 'v2', { prevKv: true });
        assert.deepEqual(clean(p2), { revision: p1.revision + 1, prevKv: kv('k', 'v1', p1.revision, p1.revision, 1) });
        const p3 = await store.put('k', 'v3');
        assert.deepEqual(clean(p3), { revision: p2.revision + 1 });
        await store.delete({ key: 'k' });
        assert.equal((await store.put('k', 'v4', { prevKv: true })).prevKv, undefined, 'no previous value after a delete');
      }));

      it('empty, unicode and 1 MiB values and unusual keys round-trip', T, run(async ({ store }) => {
        await store.put('e', '');
        assert.deepEqual(clean((await store.range({ key: 'e' })).kvs), [kv('e', '', 2, 2, 1)]);
        const text = 'héllo ✓ 日本語 🎉 "quotes" \\ \n\t\u0000 end';
        await store.put('u', text);
        assert.equal((await store.range({ key: 'u' })).kvs[0].value, text);
        const big = 'x'.repeat(1024 * 1024) + 'end';
        await store.put('big', big);
        const got = (await store.range({ key: 'big' })).kvs[0].value;
        assert.equal(got.length, big.length);
        assert.ok(got === big, '1 MiB value differs after the round trip');
        for (const k of ['ns/ü ber/🙂', 'ns/a b', 'ns/"x"', 'ns/\\']) await store.put(k, k);
        const ns = await store.range({ key: 'ns/', prefix: true });
        assert.deepEqual(
          keys(ns.kvs),
          ['ns/"x"', 'ns/\\', 'ns/a b', 'ns/ü ber/🙂'].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
          'keys sort by their bytes',
        );
        assert.ok(ns.kvs.every((k) => k.value === k.key));
      }));

      it('deleting one key returns its previous key-value when asked', T, run(async ({ store }) => {
        const p = await store.put('k', 'v');
        const d = await store.delete({ key: 'k' }, { prevKv: true });
        assert.deepEqual(clean(d), { revision: p.revision + 1, deleted: 1, prevKvs: [kv('k', 'v', p.revision, p.revision, 1)] });
        await store.put('k2', 'v');
        assert.deepEqual(clean(await store.delete({ key: 'k2' })), { revision: p.revision + 3, deleted: 1 });
        const none = await store.delete({ key: 'k' }, { prevKv: true });
        assert.equal(none.deleted, 0);
        assert.deepEqual(none.prevKvs ?? [], []);
      }));

      it('deleting a prefix removes every match in one revision', T, run(async ({ store }) => {
        const revs = await seed(store);
        const d = await store.delete({ key: 'a', prefix: true }, { prevKv: true });
        assert.equal(d.revision, revs.c + 1);
        assert.equal(d.deleted, 4);
        assert.deepEqual(clean(d.prevKvs), ['a', 'a/1', 'a/2', 'a/3'].map((k) => kv(k, `v:${k}`, revs[k], revs[k], 1)));
        assert.deepEqual(keys((await store.range(ALL)).kvs), ['b', 'b/1', 'c']);
        assert.equal((await store.range({ key: 'a', prefix: true }, { revision: d.revision - 1 })).count, 4);
        assert.equal((await store.range({ key: 'b' })).kvs[0].modRevision, revs.b, 'keys outside the prefix are untouched');
        assert.equal(await store.revision(), d.revision);
      }));

      it('deleting [key, end) and [key, "\\0")', T, run(async ({ store }) => {
        const revs = await seed(store);
        const d1 = await store.delete({ key: 'a/2', end: 'b/1' });
        assert.deepEqual(clean(d1), { revision: revs.c + 1, deleted: 3 });
        assert.deepEqual(keys((await store.range(ALL)).kvs), ['a', 'a/1', 'b/1', 'c']);
        const d2 = await store.delete({ key: 'b/1', end: '\0' });
        assert.deepEqual(clean(d2), { revision: revs.c + 2, deleted: 2 });
        assert.deepEqual(keys((await store.range(ALL)).kvs), ['a', 'a/1']);
      }));

      it('an empty key, an oversized value and an unknown lease are refused and write nothing', T, run(async ({ store }) => {
        await store.put('keep', 'x');
        const before = await store.revision();
        await rejectsWith(store.put('', 'v'), 'empty-key');
        await rejectsWith(store.put('big', 'x'.repeat(MAX_REQUEST_BYTES + 1)), 'too-large');
        await rejectsWith(store.put('leased', 'v', { lease: '1234567' }), 'lease-not-found');
        assert.equal(await store.revision(), before);
        assert.deepEqual(keys((await store.range(ALL)).kvs), ['keep']);
      }));
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('txn compares', () => {
      const holds = async (store: Store, ...compare: Compare[]) => (await store.txn({ compare, success: [], failure: [] })).succeeded;
      const table = async (store: Store, rows: [Compare, boolean][]) => {
        for (const [c, want] of rows) assert.equal(await holds(store, c), want, `compare ${JSON.stringify(c)}`);
      };

      it('value: =, !=, <, > in byte order', T, run(async ({ store }) => {
        await store.put('k', 'm');
        const v = (op: Compare['op'], value: string): Compare => ({ key: 'k', target: 'value', op, value });
        await table(store, [
          [v('=', 'm'), true],
          [v('=', 'n'), false],
          [v('=', ''), false],
          [v('!=', 'n'), true],
          [v('!=', 'm'), false],
          [v('<', 'n'), true],
          [v('<', 'm'), false],
          [v('<', 'a'), false],
          [v('>', 'a'), true],
          [v('>', 'm'), false],
          [v('>', 'z'), false],
          [v('<', 'mm'), true],
          [v('>', 'M'), true],
        ]);
        assert.equal(await store.revision(), 2, 'compares write nothing');
      }));

      it('version, createRevision and modRevision: =, !=, <, >', T, run(async ({ store }) => {
        const c = (await store.put('k', '1')).revision;
        await store.put('other', 'x');
        const m = (await store.put('k', '2')).revision;
        const n = (target: Compare['target'], op: Compare['op'], value: number): Compare => ({ key: 'k', target, op, value });
        await table(store, [
          [n('version', '=', 2), true],
          [n('version', '=', 1), false],
          [n('version', '!=', 1), true],
          [n('version', '!=', 2), false],
          [n('version', '<', 3), true],
          [n('version', '<', 2), false],
          [n('version', '>', 1), true],
          [n('version', '>', 2), false],
          [n('createRevision', '=', c), true],
          [n('createRevision', '=', m), false],
          [n('createRevision', '!=', m), true],
          [n('createRevision', '<', c + 1), true],
          [n('createRevision', '<', c), false],
          [n('createRevision', '>', c - 1), true],
          [n('createRevision', '>', c), false],
          [n('modRevision', '=', m), true],
          [n('modRevision', '=', c), false],
          [n('modRevision', '!=', c), true],
          [n('modRevision', '!=', m), false],
          [n('modRevision', '<', m + 1), true],
          [n('modRevision', '<', m), false],
          [n('modRevision', '>', m - 1), true],
          [n('modRevision', '>', m), false],
        ]);
      }));

      it('lease: the key\'s lease id, "0" without one', T, run(async ({ store }) => {
        const lease = await store.leaseGrant(60);
        await store.put('leased', 'v', { lease: lease.id });
        await store.put('plain', 'v');
        const l = (key: string, op: Compare['op'], value: string): Compare => ({ key, target: 'lease', op, value });
        await table(store, [
          [l('leased', '=', lease.id), true],
          [l('leased', '!=', lease.id), false],
          [l('leased', '=', '0'), false],
          [l('leased', '!=', '0'), true],
          [l('leased', '>', '0'), true],
          [l('leased', '<', '0'), false],
          [l('plain', '=', '0'), true],
          [l('plain', '!=', '0'), false],
          [l('plain', '=', lease.id), false],
          [l('plain', '<', lease.id), true],
        ]);
      }));

      it('a missing key has version, createRevision and modRevision 0 and lease "0"; every value compare on it is false', T, run(async ({ store }) => {
        await store.put('present', 'v');
        const m = (target: Compare['target'], op: Compare['op'], value: string | number): Compare => ({ key: 'missing', target, op, value });
        await table(store, [
          [m('version', '=', 0), true],
          [m('version', '>', 0), false],
          [m('version', '<', 1), true],
          [m('createRevision', '=', 0), true],
          [m('createRevision', '!=', 0), false],
          [m('modRevision', '=', 0), true],
          [m('modRevision', '<', 1), true],
          [m('lease', '=', '0'), true],
          [m('value', '=', ''), false],
          [m('value', '!=', 'x'), false],
          [m('value', '<', 'z'), false],
          [m('value', '>', ''), false],
        ]);
        // a deleted key is missing too
        await store.delete({ key: 'present' });
        await table(store, [
          [{ key: 'present', target: 'version', op: '=', value: 0 }, true],
          [{ key: 'present', target: 'value', op: '=', value: 'v' }, false],
        ]);
      }));

      it('every compare must hold', T, run(async ({ store }) => {
        await store.put('a', '1');
        await store.put('b', '2');
        const ca: Compare = { key: 'a', target: 'value', op: '=', value: '1' };
        const cb: Compare = { key: 'b', target: 'value', op: '=', value: '2' };
        const bad: Compare = { key: 'b', target: 'version', op: '>', value: 1 };
        assert.equal(await holds(store, ca, cb), true);
        assert.equal(await holds(store, ca, cb, bad), false);
        assert.equal(await holds(store, bad, ca), false);
        assert.equal(await holds(store), true, 'no compares: success');
      }));

      it('a compare with end must hold for every key in [key, end)', T, run(async ({ store }) => {
        const r1 = (await store.put('p/1', 'x')).revision;
        const r2 = (await store.put('p/2', 'y')).revision;
        await store.put('q', 'z');
        const c = (target: Compare['target'], op: Compare['op'], value: string | number): Compare => ({ key: 'p/', end: 'p0', target, op, value });
        await table(store, [
          [c('modRevision', '<', r2), false],
          [c('modRevision', '<', r2 + 1), true],
          [c('modRevision', '>', r1 - 1), true],
          [c('createRevision', '=', r1), false],
          [c('version', '=', 1), true],
          [c('value', '>', 'a'), true],
          [c('value', '=', 'x'), false],
          [c('value', '<', 'z'), true],
        ]);
        const empty = (target: Compare['target'], op: Compare['op'], value: string | number): Compare => ({ key: 'x/', end: 'x0', target, op, value });
        await table(store, [
          [empty('version', '=', 0), true],
          [empty('modRevision', '>', 0), false],
          [empty('value', '=', ''), false],
        ]);
      }));
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('txn', () => {
      it('onSequenced: told a succeeded txn\'s result before it resolves; a write started then lands after it; never told a failed compare', T, run(async ({ store }) => {
        await store.put('k', 'v1');
        const told: TxnResult[] = [];
        let later: Promise<PutResult> | undefined;
        let resolved = false;
        const t = store.txn(
          { compare: [{ key: 'k', target: 'value', op: '=', value: 'v1' }], success: [{ type: 'put', key: 'k', value: 'v2' }], failure: [] },
          {
            onSequenced: (r) => {
              told.push(r);
              assert.equal(resolved, false, 'told before the txn resolves');
              later = store.put('k', 'v3');
            },
          },
        );
        const r = await t.then((x) => ((resolved = true), x));
        assert.equal(told.length, 1);
        assert.equal(told[0].succeeded, true);
        assert.equal(told[0].revision, r.revision, 'told the revision the txn got');
        const l = await later!;
        assert.ok(l.revision > r.revision, 'the write started on sequencing lands after it');
        assert.equal((await store.range({ key: 'k' })).kvs[0].value, 'v3');
        const failed = await store.txn(
          { compare: [{ key: 'k', target: 'value', op: '=', value: 'v1' }], success: [{ type: 'put', key: 'k', value: 'x' }], failure: [] },
          { onSequenced: (x) => told.push(x) },
        );
        assert.equal(failed.succeeded, false);
        assert.equal(told.length, 1, 'a failed compare is not sequenced');
      }));

      it('runs the success branch when every compare holds', T, run(async ({ store }) => {
        const p = await store.put('k', 'v1');
        const t = await store.txn({
          compare: [{ key: 'k', target: 'value', op: '=', value: 'v1' }],
          success: [
            { type: 'put', key: 'k', value: 'v2', prevKv: true },
            { type: 'put', key: 'n', value: 'new', prevKv: true },
            { type: 'range', sel: { key: 'k' } },
          ],
          failure: [{ type: 'put', key: 'f', value: 'f' }],
        });
        const R = p.revision + 1;
        assert.equal(t.succeeded, true);
        assert.equal(t.revision, R);
        assert.equal(t.results.length, 3);
        assert.deepEqual(clean(t.results[0]), { type: 'put', prevKv: kv('k', 'v1', p.revision, p.revision, 1) });
        assert.deepEqual(clean(t.results[1]), { type: 'put' });
        const r = t.results[2];
        assert.equal(r.type, 'range');
        assert.deepEqual(clean(r.type === 'range' ? r.result.kvs : []), [kv('k', 'v2', p.revision, R, 2)]);
        assert.deepEqual(keys((await store.range(ALL)).kvs), ['k', 'n']);
        assert.equal(await store.revision(), R);
      }));

      it('runs the failure branch when a compare fails', T, run(async ({ store }) => {
        const p = await store.put('k', 'v1');
        const t = await store.txn({
          compare: [{ key: 'k', target: 'version', op: '>', value: 1 }],
          success: [{ type: 'put', key: 's', value: 's' }],
          failure: [
            { type: 'put', key: 'f', value: 'f' },
            { type: 'delete', sel: { key: 'k' }, prevKv: true },
            { type: 'range', sel: { key: 'k' }, options: { countOnly: true } },
          ],
        });
        assert.equal(t.succeeded, false);
        assert.equal(t.revision, p.revision + 1);
        assert.deepEqual(clean(t.results[0]), { type: 'put' });
        assert.deepEqual(clean(t.results[1]), { type: 'delete', deleted: 1, prevKvs: [kv('k', 'v1', p.revision, p.revision, 1)] });
        assert.equal(t.results[2].type === 'range' && t.results[2].result.count, 0);
        assert.deepEqual(keys((await store.range(ALL)).kvs), ['f']);
      }));

      it('all writes of a txn share one revision', T, run(async ({ store }) => {
        const before = (await store.put('t/3', 'old')).revision;
        const rec = new WatchRecorder();
        const w = store.watch({ key: 't/', prefix: true }, {}, rec);
        const t = await store.txn({
          compare: [],
          success: [
            { type: 'put', key: 't/1', value: '1' },
            { type: 'put', key: 't/2', value: '2' },
            { type: 'delete', sel: { key: 't/3' } },
          ],
          failure: [],
        });
        const R = before + 1;
        assert.equal(t.revision, R);
        assert.equal(await store.revision(), R);
        assert.deepEqual(clean((await store.range({ key: 't/', prefix: true })).kvs), [kv('t/1', '1', R, R, 1), kv('t/2', '2', R, R, 1)]);
        assert.deepEqual(keys((await store.range({ key: 't/', prefix: true }, { revision: R - 1 })).kvs), ['t/3']);
        await rec.waitEvents(3);
        assert.deepEqual(brief(rec.events), [
          ['put', 't/1', R, '1'],
          ['put', 't/2', R, '2'],
          ['delete', 't/3', R, ''],
        ]);
        w.cancel();
        rec.assertHealthy();
      }));

      it('reads inside a txn see the earlier writes of the same txn', T, run(async ({ store }) => {
        const c1 = (await store.put('r/1', 'old')).revision;
        await store.put('r/2', 'x');
        const t = await store.txn({
          compare: [],
          success: [
            { type: 'range', sel: { key: 'r/1' } },
            { type: 'put', key: 'r/1', value: 'new' },
            { type: 'range', sel: { key: 'r/1' } },
            { type: 'delete', sel: { key: 'r/2' } },
            { type: 'range', sel: { key: 'r/', prefix: true } },
            { type: 'put', key: 'r/3', value: 'n3' },
            { type: 'range', sel: { key: 'r/', prefix: true }, options: { countOnly: true } },
          ],
          failure: [],
        });
        const R = t.revision;
        const ranges = t.results.map((r) => (r.type === 'range' ? r.result : undefined));
        assert.deepEqual(clean(ranges[0]?.kvs), [kv('r/1', 'old', c1, c1, 1)]);
        assert.deepEqual(clean(ranges[2]?.kvs), [kv('r/1', 'new', c1, R, 2)]);
        assert.deepEqual(clean(ranges[4]?.kvs), [kv('r/1', 'new', c1, R, 2)]);
        assert.equal(ranges[6]?.count, 2);
        assert.deepEqual(clean(t.results[3]), { type: 'delete', deleted: 1 });
      }));

      it('up to 128 operations run in one revision', T, run(async ({ store }) => {
        const before = await store.revision();
        const success: TxnOp[] = Array.from({ length: MAX_TXN_OPS }, (_, i) => ({ type: 'put', key: `many/${String(i).padStart(3, '0')}`, value: `${i}` }));
        const t = await store.txn({ compare: [], success, failure: [] });
        assert.equal(t.revision, before + 1);
        const r = await store.range({ key: 'many/', prefix: true });
        assert.equal(r.count, MAX_TXN_OPS);
        assert.ok(r.kvs.every((k) => k.modRevision === before + 1 && k.createRevision === before + 1));
      }));

      it('an invalid txn fails as a whole and writes nothing', T, run(async ({ store }) => {
        await store.put('d', 'existing');
        const before = await store.revision();
        const ok: TxnOp = { type: 'put', key: 'z/ok', value: 'must not be written' };
        const bad = async (success: TxnOp[], code: Parameters<typeof rejectsWith>[1], compare: Compare[] = []) => {
          await rejectsWith(store.txn({ compare, success, failure: [] }), code);
          assert.equal(await store.revision(), before, `revision after a txn failing with ${code}`);
          assert.equal((await store.range({ key: 'z/', prefix: true })).count, 0, `nothing written by a txn failing with ${code}`);
          assert.equal((await store.range({ key: 'd' })).kvs[0]?.value, 'existing');
        };
        await bad([ok, { type: 'put', key: 'd', value: '1' }, { type: 'put', key: 'd', value: '2' }], 'duplicate-key');
        await bad([ok, { type: 'put', key: 'd', value: '1' }, { type: 'delete', sel: { key: 'd' } }], 'duplicate-key');
        await bad([ok, ...Array.from({ length: MAX_TXN_OPS }, (_, i): TxnOp => ({ type: 'put', key: `z/${i}`, value: 'v' }))], 'too-many-ops');
        await bad([ok, { type: 'put', key: '', value: 'v' }], 'empty-key');
        await bad([ok, { type: 'put', key: 'z/big', value: 'x'.repeat(MAX_REQUEST_BYTES + 1) }], 'too-large');
        await bad([ok, { type: 'put', key: 'z/leased', value: 'v', lease: '987654321' }], 'lease-not-found');
        await bad([{ type: 'delete', sel: { key: 'd' } }, ok, { type: 'put', key: 'z/leased', value: 'v', lease: '987654321' }], 'lease-not-found', [
          { key: 'd', target: 'value', op: '=', value: 'existing' },
        ]);
      }));
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('watch', () => {
      it('streams live events of a prefix in revision order', T, run(async ({ store }) => {
        const c = (await store.put('w/a', 'a1')).revision;
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'w/', prefix: true }, {}, rec);
        const p1 = (await store.put('w/a', 'a2')).revision;
        await store.put('x/b', 'outside');
        const p3 = (await store.put('w/b', 'b')).revision;
        const d = (await store.delete({ key: 'w/a' })).revision;
        const t = (await store.txn({ compare: [], success: [{ type: 'put', key: 'x/d', value: 'x' }, { type: 'put', key: 'w/c', value: 'c' }], failure: [] })).revision;
        await rec.waitEvents(4);
        assert.deepEqual(clean(rec.events), [
          { type: 'put', kv: kv('w/a', 'a2', c, p1, 2) },
          { type: 'put', kv: kv('w/b', 'b', p3, p3, 1) },
          { type: 'delete', kv: kv('w/a', '', 0, d, 0) },
          { type: 'put', kv: kv('w/c', 'c', t, t, 1) },
        ]);
        await sleep(30);
        assert.equal(rec.events.length, 4, 'no extra events');
        assert.ok(rec.revision >= t);
        w.cancel();
        rec.assertHealthy();
        assert.deepEqual(rec.cancels, []);
      }));

      it('a single-key watch and a [key, end) watch see only their keys', T, run(async ({ store }) => {
        const one = new WatchRecorder();
        const span = new WatchRecorder();
        const w1 = store.watch({ key: 'k' }, {}, one);
        const w2 = store.watch({ key: 'k/2', end: 'k/4' }, {}, span);
        assert.notEqual(w1.id, w2.id, 'watcher ids are unique');
        for (const k of ['k', 'k/1', 'k/2', 'k/3', 'k/4', 'kk']) await store.put(k, k);
        await store.delete({ key: 'k', prefix: true });
        await one.waitEvents(2);
        await span.waitEvents(4);
        await sleep(30);
        assert.deepEqual(brief(one.events).map(([type, key]) => `${type} ${key}`), ['put k', 'delete k']);
        assert.deepEqual(brief(span.events).map(([type, key]) => `${type} ${key}`), ['put k/2', 'put k/3', 'delete k/2', 'delete k/3']);
        w1.cancel();
        w2.cancel();
        one.assertHealthy();
        span.assertHealthy();
      }));

      it('put and delete events carry prevKv only when asked', T, run(async ({ store }) => {
        const withPrev = new WatchRecorder();
        const without = new WatchRecorder();
        const w1 = store.watch({ key: 'pk/', prefix: true }, { prevKv: true }, withPrev);
        const w2 = store.watch({ key: 'pk/', prefix: true }, {}, without);
        const r1 = (await store.put('pk/1', 'a')).revision;
        const r2 = (await store.put('pk/1', 'b')).revision;
        const r3 = (await store.delete({ key: 'pk/1' })).revision;
        await withPrev.waitEvents(3);
        await without.waitEvents(3);
        assert.deepEqual(clean(withPrev.events), [
          { type: 'put', kv: kv('pk/1', 'a', r1, r1, 1) },
          { type: 'put', kv: kv('pk/1', 'b', r1, r2, 2), prevKv: kv('pk/1', 'a', r1, r1, 1) },
          { type: 'delete', kv: kv('pk/1', '', 0, r3, 0), prevKv: kv('pk/1', 'b', r1, r2, 2) },
        ]);
        assert.deepEqual(clean(without.events), [
          { type: 'put', kv: kv('pk/1', 'a', r1, r1, 1) },
          { type: 'put', kv: kv('pk/1', 'b', r1, r2, 2) },
          { type: 'delete', kv: kv('pk/1', '', 0, r3, 0) },
        ]);
        w1.cancel();
        w2.cancel();
      }));

      it('replays history from startRevision, then streams live events without gap or duplicate', T, run(async ({ store }) => {
        const revs: number[] = [];
        for (let i = 1; i <= 5; i++) {
          revs.push((await store.put(`h/${i}`, `v${i}`)).revision);
          await store.put(`other/${i}`, 'x');
        }
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'h/', prefix: true }, { startRevision: revs[1], prevKv: true }, rec);
        await rec.waitEvents(4);
        const live1 = (await store.put('h/6', 'v6')).revision;
        const live2 = (await store.delete({ key: 'h/1' }, {})).revision;
        await rec.waitEvents(6);
        await sleep(30);
        assert.deepEqual(brief(rec.events), [
          ['put', 'h/2', revs[1], 'v2'],
          ['put', 'h/3', revs[2], 'v3'],
          ['put', 'h/4', revs[3], 'v4'],
          ['put', 'h/5', revs[4], 'v5'],
          ['put', 'h/6', live1, 'v6'],
          ['delete', 'h/1', live2, ''],
        ]);
        assert.deepEqual(clean(rec.events[5].prevKv), kv('h/1', 'v1', revs[0], revs[0], 1), 'prevKv of a delete replayed live');
        w.cancel();
        rec.assertHealthy();
      }));

      it('replays a delete with prevKv from history', T, run(async ({ store }) => {
        const c = (await store.put('hd/1', 'v')).revision;
        const d = (await store.delete({ key: 'hd/1' })).revision;
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'hd/', prefix: true }, { startRevision: c, prevKv: true }, rec);
        await rec.waitEvents(2);
        assert.deepEqual(clean(rec.events), [
          { type: 'put', kv: kv('hd/1', 'v', c, c, 1) },
          { type: 'delete', kv: kv('hd/1', '', 0, d, 0), prevKv: kv('hd/1', 'v', c, c, 1) },
        ]);
        w.cancel();
      }));

      it('the handover from history to live loses and repeats nothing under concurrent writes', T, run(async ({ store }) => {
        const first = await pool(150, 16, (i) => store.put(`ho/${i % 40}`, `a${i}`));
        const inFlight = pool<{ revision: number; deleted?: number }>(300, 32, (i) => (i % 7 === 3 ? store.delete({ key: `ho/${i % 40}` }) : store.put(`ho/${i % 40}`, `b${i}`)));
        const rec = new WatchRecorder();
        // Concurrent writes commit in any order (a real etcd does not keep send order): start at the lowest revision.
        const w = store.watch({ key: 'ho/', prefix: true }, { startRevision: Math.min(...first.map((r) => r.revision)) }, rec);
        const second = await inFlight;
        const last = await store.put('ho/last', 'end');
        await rec.waitRevision(last.revision, 10_000);
        const expected = [...first.map((r) => r.revision), ...second.filter((r) => r.deleted === undefined || r.deleted > 0).map((r) => r.revision), last.revision].sort((a, b) => a - b);
        assert.deepEqual(rec.events.map((e) => e.kv.modRevision), expected, 'one event per write, in revision order');
        const current = new Map((await store.range({ key: 'ho/', prefix: true })).kvs.map((k) => [k.key, k.value]));
        const rebuilt = new Map<string, string>();
        for (const e of rec.events) {
          if (e.type === 'put') rebuilt.set(e.kv.key, e.kv.value);
          else rebuilt.delete(e.kv.key);
        }
        assert.deepEqual(rebuilt, current, 'the events rebuild the current state');
        w.cancel();
        rec.assertHealthy();
      }));

      it('without startRevision a watch sees only changes after it started', T, run(async ({ store }) => {
        await store.put('s/1', 'before');
        const rec = new WatchRecorder();
        const w = store.watch({ key: 's/', prefix: true }, {}, rec);
        const r = (await store.put('s/2', 'after')).revision;
        await rec.waitEvents(1);
        await sleep(30);
        assert.deepEqual(brief(rec.events), [['put', 's/2', r, 'after']]);
        w.cancel();
      }));

      it('a startRevision below the compaction point fails with compacted; one above it replays', T, run(async ({ store }) => {
        const r = [];
        for (let i = 1; i <= 4; i++) r.push((await store.put(`c/${i}`, `${i}`)).revision);
        await store.compact(r[2]);
        const below = new WatchRecorder();
        store.watch({ key: 'c/', prefix: true }, { startRevision: r[1] }, below);
        const cancel = await below.waitCancel();
        assert.equal(cancel.reason, 'compacted');
        assert.equal(cancel.compactRevision, r[2]);
        assert.equal(typeof cancel.message, 'string');
        const fromOne = new WatchRecorder();
        store.watch({ key: 'c/', prefix: true }, { startRevision: 1 }, fromOne);
        assert.deepEqual(
          [(await fromOne.waitCancel()).reason, fromOne.cancels[0].compactRevision],
          ['compacted', r[2]],
        );
        const above = new WatchRecorder();
        const w = store.watch({ key: 'c/', prefix: true }, { startRevision: r[2] + 1 }, above);
        await above.waitEvents(1);
        const r5 = (await store.put('c/5', '5')).revision;
        await above.waitEvents(2);
        assert.deepEqual(brief(above.events), [
          ['put', 'c/4', r[3], '4'],
          ['put', 'c/5', r5, '5'],
        ]);
        await sleep(30);
        assert.deepEqual(below.events, [], 'a compacted watch delivers no events');
        assert.equal(below.cancels.length, 1);
        w.cancel();
        above.assertHealthy();
        below.assertHealthy();
      }));

      it('a live watcher keeps streaming across a compaction', T, run(async ({ store }) => {
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'lc/', prefix: true }, {}, rec);
        await store.put('lc/1', '1');
        await rec.waitEvents(1);
        await store.compact(await store.revision());
        const r2 = (await store.put('lc/2', '2')).revision;
        await rec.waitEvents(2);
        assert.equal(rec.events[1].kv.modRevision, r2);
        assert.deepEqual(rec.cancels, []);
        w.cancel();
      }));

      it('sends progress notifications carrying the current revision', T, run(async ({ store, clock }) => {
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'pn/', prefix: true }, { progressNotifyMs: 100 }, rec);
        await store.put('pn/1', 'x');
        await rec.waitEvents(1);
        const current = (await store.put('elsewhere', 'y')).revision;
        await waitFor(
          () => {
            clock?.advance(100);
            return rec.progress.some((b) => b.revision === current);
          },
          `a progress notification at revision ${current}`,
          { timeoutMs: 5000, intervalMs: 20, describe: () => rec.batches },
        );
        const progress = rec.progress.find((b) => b.revision === current) as WatchBatch;
        assert.deepEqual(progress.events, []);
        assert.equal(rec.events.length, 1, 'progress notifications carry no events');
        w.cancel();
        rec.assertHealthy();
      }));

      it('cancel stops every callback and is idempotent', T, run(async ({ store, clock }) => {
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'cx/', prefix: true }, { progressNotifyMs: 50 }, rec);
        await store.put('cx/1', '1');
        await rec.waitEvents(1);
        w.cancel();
        const seen = rec.batches.length;
        w.cancel();
        for (let i = 2; i < 6; i++) await store.put(`cx/${i}`, `${i}`);
        clock?.advance(500);
        await sleep(150);
        clock?.advance(500);
        await sleep(20);
        assert.equal(rec.batches.length, seen, 'no batch after cancel()');
        assert.deepEqual(rec.cancels, [], 'a watch cancelled by its owner gets no onCancel');
      }));

      it('a watcher that does not keep up is cancelled as slow; writers and other watchers are unaffected', T, run(async ({ store }) => {
        const buffer = options.watchBufferEvents ?? 10_000;
        const total = buffer * 3 + 64;
        const keyOf = (i: number) => `sl/${i % 256}`;

        // Baseline: the same writes with no watcher (to a different prefix).
        const t0 = Date.now();
        await pool(total, 64, (i) => store.put(`base/${i % 256}`, `v${i}`));
        const baselineMs = Date.now() - t0;

        const slow = new WatchRecorder(() => new Promise<void>(() => undefined));
        const fast = new WatchRecorder();
        store.watch({ key: 'sl/', prefix: true }, {}, slow);
        const wf = store.watch({ key: 'sl/', prefix: true }, { prevKv: true }, fast);
        const t1 = Date.now();
        const results = await withTimeout(
          pool(total, 64, (i) => store.put(keyOf(i), `v${i}`)),
          Math.max(30_000, baselineMs * 10),
          'writes while a watcher is stuck (a stuck watcher must not block writers)',
        );
        const withSlowMs = Date.now() - t1;
        assert.ok(withSlowMs <= baselineMs * 5 + 1000, `writes took ${withSlowMs} ms with a stuck watcher vs ${baselineMs} ms without`);

        const cancel = await slow.waitCancel(10_000);
        assert.equal(cancel.reason, 'slow');
        assert.equal(typeof cancel.message, 'string');
        const slowBatches = slow.batches.length;

        await fast.waitEvents(total, 30_000);
        const byRevision = new Map(results.map((r, i) => [r.revision, i]));
        assert.equal(byRevision.size, total, 'every put took its own revision');
        assert.deepEqual(
          fast.events.map((e) => e.kv.modRevision),
          [...byRevision.keys()].sort((a, b) => a - b),
          'the other watcher got every event, in order',
        );
        for (const e of fast.events) {
          const i = byRevision.get(e.kv.modRevision)!;
          assert.equal(e.kv.key, keyOf(i));
          assert.equal(e.kv.value, `v${i}`);
        }
        const after = await store.put('sl/after', 'x');
        await fast.waitEvents(total + 1);
        assert.equal(fast.events[total].kv.modRevision, after.revision);
        await sleep(30);
        assert.equal(slow.batches.length, slowBatches, 'no batch after a slow cancel');
        assert.deepEqual(fast.cancels, []);
        wf.cancel();
        slow.assertHealthy();
        fast.assertHealthy();
      }));

      it('closing the store cancels watchers with reason closed; later calls fail with closed', T, run(async ({ store }) => {
        const rec = new WatchRecorder();
        store.watch({ key: 'cl/', prefix: true }, {}, rec);
        await store.put('cl/1', '1');
        await rec.waitEvents(1);
        await store.close();
        assert.equal((await rec.waitCancel()).reason, 'closed');
        await rejectsWith(store.put('cl/2', '2'), 'closed');
        await rejectsWith(store.range({ key: 'cl/1' }), 'closed');
        await rejectsWith(store.txn({ compare: [], success: [], failure: [] }), 'closed');
        rec.assertHealthy();
      }));
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('leases', () => {
      it('grant, timeToLive, keepAlive', T, run(async ({ store }) => {
        const g = await store.leaseGrant(60);
        assert.match(g.id, /^[1-9]\d*$/, 'lease ids are positive decimal strings');
        assert.equal(g.ttl, 60);
        const g2 = await store.leaseGrant(30, '4242');
        assert.deepEqual(g2, { id: '4242', ttl: 30 });
        await store.put('l/2', 'v', { lease: g.id });
        await store.put('l/1', 'v', { lease: g.id });
        await store.put('l/3', 'v');
        assert.equal((await store.range({ key: 'l/1' })).kvs[0].lease, g.id);
        assert.equal((await store.range({ key: 'l/3' })).kvs[0].lease, '0');
        const ttl = await store.leaseTimeToLive(g.id, true);
        assert.equal(ttl.id, g.id);
        assert.equal(ttl.grantedTtl, 60);
        assert.ok(ttl.ttl >= 59 && ttl.ttl <= 60, `ttl ${ttl.ttl}`);
        assert.deepEqual(ttl.keys, ['l/1', 'l/2']);
        assert.deepEqual((await store.leaseTimeToLive(g2.id, true)).keys, []);
        assert.equal(await store.leaseKeepAlive(g.id), 60);
        assert.equal((await store.leaseTimeToLive('999999')).ttl, -1, 'an unknown lease has ttl -1');
        await rejectsWith(store.leaseKeepAlive('999999'), 'lease-not-found');
        await rejectsWith(store.leaseRevoke('999999'), 'lease-not-found');
      }));

      it('revoking a lease deletes its keys in one revision', T, run(async ({ store }) => {
        const g = await store.leaseGrant(60);
        for (const k of ['lr/2', 'lr/1', 'lr/3']) await store.put(k, k, { lease: g.id });
        await store.put('lr/4', 'free');
        const before = await store.revision();
        const rec = new WatchRecorder();
        const w = store.watch({ key: 'lr/', prefix: true }, {}, rec);
        await store.leaseRevoke(g.id);
        assert.equal(await store.revision(), before + 1);
        assert.deepEqual(keys((await store.range({ key: 'lr/', prefix: true })).kvs), ['lr/4']);
        assert.deepEqual(keys((await store.range({ key: 'lr/', prefix: true }, { revision: before })).kvs), ['lr/1', 'lr/2', 'lr/3', 'lr/4']);
        await rec.waitEvents(3);
        await sleep(20);
        assert.deepEqual(
          brief(rec.events).map(([type, key, rev]) => [type, key, rev]),
          [
            ['delete', 'lr/1', before + 1],
            ['delete', 'lr/2', before + 1],
            ['delete', 'lr/3', before + 1],
          ],
        );
        assert.equal((await store.leaseTimeToLive(g.id)).ttl, -1);
        await rejectsWith(store.leaseKeepAlive(g.id), 'lease-not-found');
        await rejectsWith(store.leaseRevoke(g.id), 'lease-not-found');
        await rejectsWith(store.put('lr/5', 'v', { lease: g.id }), 'lease-not-found');
        assert.equal(await store.revision(), before + 1);
        w.cancel();
      }));

      it('revoking a lease without keys does not bump the revision', T, run(async ({ store }) => {
        await store.put('x', 'y');
        const g = await store.leaseGrant(60);
        const before = await store.revision();
        await store.leaseRevoke(g.id);
        assert.equal(await store.revision(), before);
      }));

      it('a key written again without the lease, or with another, leaves the lease', T, run(async ({ store }) => {
        const g = await store.leaseGrant(60);
        const g2 = await store.leaseGrant(60);
        await store.put('d/1', 'v', { lease: g.id });
        await store.put('d/1', 'v2');
        await store.put('d/2', 'v', { lease: g.id });
        await store.put('d/3', 'v', { lease: g.id });
        await store.put('d/3', 'v', { lease: g2.id });
        assert.deepEqual((await store.leaseTimeToLive(g.id, true)).keys, ['d/2']);
        assert.deepEqual((await store.leaseTimeToLive(g2.id, true)).keys, ['d/3']);
        await store.leaseRevoke(g.id);
        assert.deepEqual(keys((await store.range({ key: 'd/', prefix: true })).kvs), ['d/1', 'd/3']);
        await store.delete({ key: 'd/3' });
        assert.deepEqual((await store.leaseTimeToLive(g2.id, true)).keys, [], 'a deleted key leaves its lease');
      }));

      it('keys of an expired lease are deleted in one revision (fake clock)', T, async (t) => {
        const h = await factory();
        try {
          const { store, clock } = h;
          if (!clock) return t.skip('the factory gives no fake clock');
          const g = await store.leaseGrant(5);
          for (const k of ['e/3', 'e/1', 'e/2']) await store.put(k, k, { lease: g.id });
          await store.put('e/keep', 'x');
          const before = await store.revision();
          const rec = new WatchRecorder();
          const w = store.watch({ key: 'e/', prefix: true }, {}, rec);
          await advance(clock, 4000);
          await sleep(20);
          assert.equal((await store.range({ key: 'e/', prefix: true })).count, 4, 'alive before its TTL');
          const left = await store.leaseTimeToLive(g.id);
          assert.ok(left.ttl >= 0 && left.ttl <= 2, `ttl after 4 of 5 s: ${left.ttl}`);
          await advance(clock, 2000);
          await waitFor(
            async () => {
              clock.advance(100);
              return (await store.range({ key: 'e/', prefix: true })).count === 1;
            },
            'the keys of the expired lease to go',
            { timeoutMs: 3000, intervalMs: 10 },
          );
          assert.equal(await store.revision(), before + 1, 'one revision for all the lease\'s keys');
          assert.deepEqual(keys((await store.range({ key: 'e/', prefix: true })).kvs), ['e/keep']);
          await rec.waitEvents(3);
          assert.deepEqual(
            brief(rec.events).map(([type, key, rev]) => [type, key, rev]),
            ['e/1', 'e/2', 'e/3'].map((k) => ['delete', k, before + 1]),
          );
          assert.equal((await store.leaseTimeToLive(g.id)).ttl, -1);
          w.cancel();
        } finally {
          await h.cleanup();
        }
      });

      it('keepAlive postpones expiry (fake clock)', T, async (t) => {
        const h = await factory();
        try {
          const { store, clock } = h;
          if (!clock) return t.skip('the factory gives no fake clock');
          const g = await store.leaseGrant(5);
          await store.put('ka', 'v', { lease: g.id });
          await advance(clock, 3000);
          assert.equal(await store.leaseKeepAlive(g.id), 5);
          await advance(clock, 3000);
          await sleep(20);
          assert.equal((await store.range({ key: 'ka' })).count, 1, 'alive 6 s after grant, 3 s after keepAlive');
          const left = await store.leaseTimeToLive(g.id, true);
          assert.ok(left.ttl >= 1 && left.ttl <= 3, `ttl ${left.ttl}`);
          assert.deepEqual(left.keys, ['ka']);
          await advance(clock, 3000);
          await waitFor(
            async () => {
              clock.advance(100);
              return (await store.range({ key: 'ka' })).count === 0;
            },
            'the key of the expired lease to go',
            { timeoutMs: 3000, intervalMs: 10 },
          );
          await rejectsWith(store.leaseKeepAlive(g.id), 'lease-not-found');
        } finally {
          await h.cleanup();
        }
      });
    });

    // ---------------------------------------------------------------------------------------------------------------
    describe('compaction', () => {
      it('keeps the state at the compaction revision and refuses reads below it', T, run(async ({ store }) => {
        const r1 = (await store.put('a', 'a1')).revision;
        const r2 = (await store.put('a', 'a2')).revision;
        const r3 = (await store.put('b', 'b1')).revision;
        const r4 = (await store.delete({ key: 'b' })).revision;
        const r5 = (await store.put('a', 'a3')).revision;
        await store.compact(r3);
        assert.equal(await store.compactRevision(), r3);
        assert.equal(await store.revision(), r5, 'compaction does not change the revision');
        assert.deepEqual(clean((await store.range(ALL, { revision: r3 })).kvs), [kv('a', 'a2', r1, r2, 2), kv('b', 'b1', r3, r3, 1)]);
        assert.deepEqual(keys((await store.range(ALL, { revision: r4 })).kvs), ['a']);
        assert.deepEqual(clean((await store.range(ALL)).kvs), [kv('a', 'a3', r1, r5, 3)]);
        await rejectsWith(store.range({ key: 'a' }, { revision: r2 }), 'compacted', { compactRevision: r3 });
        await rejectsWith(store.range(ALL, { revision: 1 }), 'compacted', { compactRevision: r3 });
        assert.equal((await store.range(ALL, { revision: r3, countOnly: true })).count, 2);
      }));

      it('compacting past a delete forgets the deleted key', T, run(async ({ store }) => {
        await store.put('g', '1');
        const d = (await store.delete({ key: 'g' })).revision;
        await store.put('h', '1');
        await store.compact(d);
        assert.equal((await store.range({ key: 'g' }, { revision: d })).count, 0);
        await rejectsWith(store.range({ key: 'g' }, { revision: d - 1 }), 'compacted', { compactRevision: d });
      }));

      it('successive compactions keep the state at the newest compaction revision', T, run(async ({ store }) => {
        const k = (await store.put('k', 'a')).revision;
        const x = (await store.put('x', '1')).revision;
        await store.compact(x);
        await store.delete({ key: 'k' });
        await store.put('k2', 'b');
        const y = (await store.put('y', '1')).revision;
        await store.compact(y);
        await store.put('z', '1');
        assert.deepEqual(keys((await store.range(ALL, { revision: y })).kvs), ['k2', 'x', 'y'], 'a key deleted before the compaction revision stays deleted');
        assert.deepEqual(clean((await store.range({ key: 'k' }, { revision: y })).kvs), []);
        await rejectsWith(store.range({ key: 'k' }, { revision: k }), 'compacted', { compactRevision: y });
        const w = new WatchRecorder();
        const watcher = store.watch(ALL, { startRevision: y + 1 }, w);
        await w.waitEvents(1);
        assert.deepEqual(brief(w.events).map(([type, key]) => `${type} ${key}`), ['put z']);
        watcher.cancel();
      }));

      it('refuses future revisions and revisions already compacted', T, run(async ({ store }) => {
        await store.put('a', '1');
        const r = (await store.put('a', '2')).revision;
        await rejectsWith(store.compact(r + 1), 'future-revision');
        await store.compact(r - 1);
        await rejectsWith(store.compact(r - 1), 'compacted');
        await rejectsWith(store.compact(r - 2), 'compacted');
        assert.equal(await store.compactRevision(), r - 1);
        await store.compact(r);
        assert.equal(await store.compactRevision(), r);
      }));

      it('compacting at the current revision keeps every live key readable', T, run(async ({ store }) => {
        const revs = await seed(store);
        await store.put('a/2', 'changed');
        await store.delete({ key: 'b/1' });
        const before = await store.range(ALL);
        const current = await store.revision();
        await store.compact(current);
        assert.deepEqual(clean(await store.range(ALL)), clean(before));
        assert.deepEqual(clean((await store.range(ALL, { revision: current })).kvs), clean(before.kvs));
        await rejectsWith(store.range(ALL, { revision: current - 1 }), 'compacted');
        assert.equal((await store.range({ key: 'a/2' })).kvs[0].createRevision, revs['a/2'], 'createRevision survives compaction');
        assert.equal((await store.range({ key: 'a/2' })).kvs[0].version, 2, 'version survives compaction');
        const p = await store.put('a/2', 'again');
        assert.deepEqual(clean((await store.range({ key: 'a/2' })).kvs), [kv('a/2', 'again', revs['a/2'], p.revision, 3)]);
      }));
    });
  });
}
