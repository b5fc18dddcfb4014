/**
 * The embedded sql.js store: the Store conformance suite, then what only a store with a data directory has —
 * durability across close/reopen and snapshots, and the one-process-per-directory lock.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/base/clock';
import type { SqlJsStore } from '../../src/storage/sqljs';
import type { Store } from '../../src/storage/store';
import { assertDirUnchanged, deadPid, dirState, openTestStore, removeDir, snapFiles, tempDir, walFiles } from '../helpers/sqljs';
import { rejectsWith } from '../helpers/store-assert';
import { assertSameDump, dumpStore } from '../helpers/store-dump';
import { pool, waitFor } from '../helpers/wait';
import { storeConformance } from './store.conformance';
import { threadId } from 'node:worker_threads';

const WATCH_BUFFER = 256;

storeConformance(
  'sql.js',
  async () => {
    const dir = tempDir('kubelab-conformance-');
    const clock = new FakeClock();
    const store = await openTestStore(dir, { clock, watchBufferEvents: WATCH_BUFFER });
    return {
      store,
      clock,
      cleanup: async () => {
        await store.close().catch(() => undefined);
        removeDir(dir);
      },
    };
  },
  { watchBufferEvents: WATCH_BUFFER },
);

const T = { timeout: 60_000 };

/** Run fn with a fresh data directory; every store it opens through `open` is closed afterwards. */
function inDir(fn: (dir: string, open: (o?: Parameters<typeof openTestStore>[1]) => Promise<SqlJsStore>, clock: FakeClock) => Promise<void>) {
  return async () => {
    const dir = tempDir('kubelab-sqljs-');
    const clock = new FakeClock();
    const opened: SqlJsStore[] = [];
    const open = async (o: Parameters<typeof openTestStore>[1] = {}) => {
      const s = await openTestStore(dir, { clock, ...o });
      opened.push(s);
      return s;
    };
    try {
      await fn(dir, open, clock);
    } finally {
      for (const s of opened) await s.close().catch(() => undefined);
      removeDir(dir);
    }
  };
}

/** A bit of everything: puts with and without leases, deletes, txns, a revoked lease, compaction, concurrency. */
async function workload(store: Store, tag: string): Promise<string[]> {
  const l1 = await store.leaseGrant(600);
  const l2 = await store.leaseGrant(300, `77${tag.length}${tag.charCodeAt(0)}`);
  const l3 = await store.leaseGrant(100);
  for (let i = 0; i < 30; i++) await store.put(`${tag}/d/${i % 10}`, `v${i}-${'x'.repeat(i * 7)}`, i % 4 === 0 ? { lease: l1.id } : {});
  await store.delete({ key: `${tag}/d/3` });
  await store.txn({
    compare: [{ key: `${tag}/d/1`, target: 'version', op: '>', value: 0 }],
    success: [
      { type: 'put', key: `${tag}/t/1`, value: 'é✓', lease: l2.id },
      { type: 'delete', sel: { key: `${tag}/d/5` } },
    ],
    failure: [],
  });
  await store.put(`${tag}/l3/a`, 'x', { lease: l3.id });
  await store.put(`${tag}/l3/b`, 'y', { lease: l3.id });
  await store.leaseRevoke(l3.id);
  const rev = await store.revision();
  if (rev - 10 > (await store.compactRevision())) await store.compact(rev - 10);
  await pool(60, 16, (i) => store.put(`${tag}/c/${i % 7}`, `c${i}`));
  await store.delete({ key: `${tag}/c/2`, end: `${tag}/c/4` });
  await store.put(`${tag}/empty`, '');
  return [l1.id, l2.id, l3.id];
}

describe('sql.js store: durability', () => {
  it('reopen after close keeps state, revisions, history, compaction point and leases', T, inDir(async (dir, open) => {
    let store = await open();
    const leases = await workload(store, 'a');
    const before = await dumpStore(store, leases);
    assert.ok(before.compactRevision > 0 && before.events.length > 50, 'the workload compacts and leaves history');
    await store.close();

    store = await open();
    assertSameDump(await dumpStore(store, leases), before);
    const p = await store.put('after', 'x');
    assert.equal(p.revision, before.revision + 1, 'revisions continue');
    assert.equal(await store.leaseKeepAlive(leases[0]), 600, 'leases survive');
    await store.leaseRevoke(leases[0]);
    assert.deepEqual((await store.range({ key: 'a/d/', prefix: true })).kvs.map((k) => k.lease).filter((l) => l !== '0'), [], 'the lease still knows its keys');
    const again = await dumpStore(store, leases);
    await store.close();

    store = await open();
    assertSameDump(await dumpStore(store, leases), again, 'after a second reopen');
  }));

  it('snapshot, then more writes, then reopen: equals the state before close', T, inDir(async (dir, open) => {
    let store = await open();
    const leases = await workload(store, 'a');
    await store.snapshot();
    const snaps = snapFiles(dir);
    assert.equal(snaps.length, 1, `one snapshot file (${fs.readdirSync(dir).join(', ')})`);
    const snapSeq = Number(/\d{16}/.exec(snaps[0])![0]);
    assert.ok(walFiles(dir).every((n) => Number(/\d{16}/.exec(n)![0]) >= snapSeq), 'WAL segments covered by the snapshot are gone');
    assert.equal(store.stats().snapshots, 1);
    leases.push(...(await workload(store, 'b')));
    const before = await dumpStore(store, leases);
    await store.close();

    store = await open();
    assertSameDump(await dumpStore(store, leases), before);

    // a second snapshot on top, with nothing written after it
    await store.put('x', 'y');
    await store.snapshot();
    assert.equal(snapFiles(dir).length, 1, 'older snapshots are removed');
    const before2 = await dumpStore(store, leases);
    await store.close();
    store = await open();
    assertSameDump(await dumpStore(store, leases), before2);
  }));

  it('automatic snapshots under concurrent writes lose nothing', T, inDir(async (dir, open) => {
    let store = await open({ snapshotWalBytes: 8 * 1024 });
    await pool(600, 32, (i) => (i % 9 === 8 ? store.delete({ key: `auto/${(i * 7) % 50}` }) : store.put(`auto/${i % 50}`, `value ${i} ${'p'.repeat(i % 90)}`)));
    const before = await dumpStore(store);
    assert.ok(store.stats().snapshots >= 1, 'snapshots were taken');
    await store.close();
    assert.ok(snapFiles(dir).length >= 1);
    store = await open({ snapshotWalBytes: 8 * 1024 });
    assertSameDump(await dumpStore(store), before);
  }));

  it('an automatic snapshot waits until the WAL since the last one is as large as that snapshot', T, inDir(async (dir, open) => {
    let store = await open({ snapshotWalBytes: 8 * 1024 });
    const value = (i: number) => `v${i} ${'x'.repeat(2000)}`;
    for (let i = 0; i < 100; i++) await store.put(`big/${i}`, value(i));
    await store.snapshot();
    const [snap] = snapFiles(dir);
    const snapBytes = fs.statSync(path.join(dir, snap)).size;
    assert.ok(snapBytes > 200_000, `snapshot of ${snapBytes} bytes`);
    // 40 puts: far past snapshotWalBytes, well short of the snapshot's size — no snapshot.
    for (let i = 0; i < 40; i++) await store.put(`big/${i}`, value(1000 + i));
    assert.ok(store.stats().walBytes > 8 * 1024 && store.stats().walBytes < snapBytes, `WAL ${store.stats().walBytes}`);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(snapFiles(dir), [snap], 'no snapshot before the WAL reaches the snapshot size');
    // Past the snapshot's size: the next one is taken.
    for (let i = 0; i < 120; i++) await store.put(`big/${i % 100}`, value(2000 + i));
    await waitFor(() => (snapFiles(dir)[0] !== snap ? true : undefined), 'a new snapshot', { timeoutMs: 5000 });
    const before = await dumpStore(store);
    await store.close();
    // The size of the snapshot a store was rebuilt from counts too.
    store = await open({ snapshotWalBytes: 8 * 1024 });
    assertSameDump(await dumpStore(store), before);
    const [reopened] = snapFiles(dir);
    await store.put('after/reopen', value(0));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(snapFiles(dir), [reopened], 'a reopened store does not snapshot after one small write');
    await store.close();
  }));

  it('a read sees a write only once it is durable', T, inDir(async (dir, open) => {
    const store = await open();
    await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const fsyncsBefore = store.stats().fsyncs;
        const write = store.put(`dr/${i}`, 'v');
        for (;;) {
          const r = await store.range({ key: `dr/${i}` });
          if (r.count) {
            assert.ok(store.stats().fsyncs > fsyncsBefore, `dr/${i} was readable before any fsync after its put`);
            break;
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
        await write;
      }),
    );
  }));
});

describe('sql.js store: one process per data directory', () => {
  it('a second open of a directory in use fails with locked, names the pid, and touches nothing', T, inDir(async (dir, open) => {
    const store = await open();
    await store.put('k', 'v');
    const before = dirState(dir);
    await rejectsWith(openTestStore(dir), 'locked', { messageIncludes: [String(process.pid)] });
    assertDirUnchanged(dir, before, 'a refused open');
    await store.put('k2', 'v');
    assert.equal((await store.range({ key: 'k', prefix: true })).count, 2, 'the owner is unaffected');
  }));

  it('a LOCK naming another live process fails the open with that pid and touches nothing', T, inDir(async (dir, open) => {
    const store = await open();
    await store.put('k', 'v');
    await store.close();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dir, 'LOCK'), `${holder.pid}\n`);
      const before = dirState(dir);
      await rejectsWith(openTestStore(dir), 'locked', { messageIncludes: [String(holder.pid)] });
      assertDirUnchanged(dir, before, 'a refused open');
    } finally {
      holder.kill('SIGKILL');
    }
  }));

  it('a LOCK left by a dead process is taken over', T, inDir(async (dir, open) => {
    let store = await open();
    const p = await store.put('k', 'v');
    await store.close();
    fs.writeFileSync(path.join(dir, 'LOCK'), `${await deadPid()}\n`);
    store = await open();
    assert.equal(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8').trim(), `${process.pid}\n${threadId}`, 'LOCK now names this process and thread');
    assert.equal((await store.range({ key: 'k' })).kvs[0]?.modRevision, p.revision);
    await rejectsWith(openTestStore(dir), 'locked', { messageIncludes: [String(process.pid)] });
  }));

  it('a LOCK with this process\'s pid but no store open on it here is stale and taken over', T, inDir(async (dir, open) => {
    const store = await open();
    await store.put('k', 'v');
    await store.close();
    fs.writeFileSync(path.join(dir, 'LOCK'), `${process.pid}\n`);
    const again = await open();
    assert.equal((await again.range({ key: 'k' })).count, 1);
  }));

  it('a LOCK with this process\'s pid and another thread\'s id is held (a worker thread of this process has it open)', T, inDir(async (dir, open) => {
    const store = await open();
    await store.close();
    fs.writeFileSync(path.join(dir, 'LOCK'), `${process.pid}\n${threadId + 1000}\n`);
    await rejectsWith(openTestStore(dir), 'locked', { messageIncludes: [`in use by process ${process.pid}`] });
  }));

  it('close releases the directory at once', T, inDir(async (dir, open) => {
    for (let i = 0; i < 3; i++) {
      const store = await open();
      await store.put('k', `${i}`);
      await store.close();
    }
    const store = await open();
    assert.equal((await store.range({ key: 'k' })).kvs[0].version, 3);
  }));
});
