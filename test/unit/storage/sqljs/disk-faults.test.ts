/**
 * The embedded store on a real disk that fills up (a small tmpfs, so write(2) really says ENOSPC): writes that fit in
 * the WAL's zero-filled room (wal.ts) are taken, durably; larger ones are refused
 * with StoreError 'io' naming the cause and the WAL file (a short write is continued so the real cause shows, never
 * "short write"), a refused transaction leaves no trace (revision, state, watchers), reads and watches keep working,
 * writes resume on the same open store once space returns with the next revision, and a reopen finds exactly the
 * acknowledged state. Also: a snapshot that runs out of space leaves no temporary file and the store keeps writing;
 * a WAL segment that cannot be created (no inode left) does not break the writer (it used to close its file first);
 * a failed append refuses the writes evaluated behind it too (they may have been started on its sequencing).
 * Skipped, with the reason, where mounting a tmpfs is not permitted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { SqlJsStore } from '../../../../src/storage/sqljs';
import { WAL_ROOM_BYTES } from '../../../../src/storage/sqljs/wal';
import { fill, tryMountTmpfs, umount } from '../../../helpers/reliability/disk-faults';
import { openTestStore, tempDir, walFiles } from '../../../helpers/sqljs';
import { rejectsWith, WatchRecorder } from '../../../helpers/store-assert';
import { assertSameDump, dumpStore } from '../../../helpers/store-dump';

const MiB = 1024 * 1024;

/** Run `body` with a store on a fresh tmpfs of `bytes` (and `inodes`); always close, unmount and remove. */
async function onTmpfs(t: TestContext, o: { bytes: number; inodes?: number }, body: (dir: string, reopen: () => Promise<SqlJsStore>) => Promise<void>): Promise<void> {
  const mnt = tempDir('kubelab-tmpfs-');
  const why = tryMountTmpfs(mnt, o.bytes, o.inodes);
  if (why) {
    fs.rmSync(mnt, { recursive: true, force: true });
    t.skip(why);
    return;
  }
  const dir = path.join(mnt, 'etcd');
  let store: SqlJsStore | undefined;
  try {
    await body(dir, async () => {
      await store?.close();
      store = await openTestStore(dir);
      return store;
    });
  } finally {
    await store?.close().catch(() => undefined);
    umount(mnt);
    fs.rmSync(mnt, { recursive: true, force: true });
  }
}

const value = (i: number, size = 100) => `v${i}-`.padEnd(size, 'x');

describe('sqljs store on a full disk', () => {
  it('refuses writes naming ENOSPC and the WAL file, leaves no trace, serves reads, resumes when space returns', async (t) => {
    await onTmpfs(t, { bytes: 2 * MiB }, async (dir, reopen) => {
      let store = await reopen();
      for (let i = 0; i < 20; i++) await store.put(`k/${i}`, value(i));
      const lease = await store.leaseGrant(60);
      const filler = path.join(path.dirname(dir), 'filler');
      fill(filler);
      // The WAL's zero-filled room (wal.ts) still takes writes that fit in it, durably: space already taken.
      const inRoom = await store.put('k/in-room', value(7, 1000));
      const rec = new WatchRecorder();
      const w = store.watch({ key: 'k/', prefix: true }, {}, rec);
      const before = await dumpStore(store, [lease.id]);

      const wal = walFiles(dir)[0];
      const big = WAL_ROOM_BYTES + 64 * 1024;
      const err = await rejectsWith(store.put('k/big', value(0, big)), 'io', { messageIncludes: [/ENOSPC: no space left on device/, path.join(dir, wal)] });
      assert.doesNotMatch(err.message, /short write/);
      await rejectsWith(store.txn({ compare: [], success: [{ type: 'put', key: 'k/a', value: value(1, big) }, { type: 'delete', sel: { key: 'k/0' } }], failure: [] }), 'io');
      assert.equal(await store.leaseKeepAlive(lease.id), 60, 'lease keep-alives need no write');
      assertSameDump(await dumpStore(store, [lease.id]), before, 'after refused writes');
      assert.equal(rec.events.length, 0, 'no event for refused writes');

      fs.rmSync(filler);
      const r = await store.put('k/after', value(99));
      assert.equal(r.revision, before.revision + 1, 'the next write takes the next revision: refused ones used none');
      await rec.waitRevision(r.revision, 5000);
      assert.deepEqual(rec.events.map((e) => [e.type, e.kv.key, e.kv.modRevision]), [['put', 'k/after', r.revision]]);
      rec.assertHealthy();
      w.cancel();

      const expected = await dumpStore(store);
      store = await reopen();
      assertSameDump(await dumpStore(store), expected, 'after reopening');
      assert.equal((await store.range({ key: 'k/in-room' })).kvs[0].modRevision, inRoom.revision);
    });
  });

  it('a snapshot that runs out of space leaves no temporary file; writes go on and a later snapshot works', async (t) => {
    await onTmpfs(t, { bytes: 2 * MiB }, async (dir, reopen) => {
      let store = await reopen();
      for (let i = 0; i < 30; i++) await store.put(`k/${i % 10}`, value(i, 20_000));
      const filler = path.join(path.dirname(dir), 'filler');
      fill(filler);
      await rejectsWith(store.snapshot(), 'io', { messageIncludes: ['snapshot failed', /ENOSPC/] });
      assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
      fs.rmSync(filler);
      await store.put('k/after', 'x');
      await store.snapshot();
      const expected = await dumpStore(store);
      store = await reopen();
      assertSameDump(await dumpStore(store), expected, 'after reopening');
    });
  });

  it('a WAL segment that cannot be created (no inode left) fails the snapshot, not the writer', async (t) => {
    await onTmpfs(t, { bytes: 8 * MiB, inodes: 64 }, async (dir, reopen) => {
      let store = await reopen();
      await store.put('k/1', 'a');
      const extra: string[] = [];
      for (let i = 0; ; i++) {
        const f = path.join(path.dirname(dir), `inode-${i}`);
        try {
          fs.writeFileSync(f, '');
        } catch (e) {
          assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
          break;
        }
        extra.push(f);
      }
      await rejectsWith(store.snapshot(), 'io', { messageIncludes: ['cannot start a new WAL segment', /ENOSPC/] });
      const r = await store.put('k/2', 'b');
      assert.equal((await store.range({ key: 'k/2' })).kvs[0].modRevision, r.revision);
      for (const f of extra) fs.rmSync(f);
      await store.snapshot();
      await store.put('k/3', 'c');
      const expected = await dumpStore(store);
      store = await reopen();
      assertSameDump(await dumpStore(store), expected, 'after reopening');
    });
  });

  it('a failed append refuses the writes evaluated behind it too: a write started once a refused one was sequenced never lands', async (t) => {
    await onTmpfs(t, { bytes: 2 * MiB }, async (dir, reopen) => {
      let store = await reopen();
      await store.put('k/0', value(0));
      const before = await dumpStore(store);
      fill(path.join(path.dirname(dir), 'filler'));
      let sameBatch: Promise<unknown> | undefined;
      const big = store.txn(
        { compare: [], success: [{ type: 'put', key: 'k/big', value: value(1, WAL_ROOM_BYTES + 64 * 1024) }], failure: [] },
        { onSequenced: () => (sameBatch = store.put('k/same', value(2))) },
      );
      // The big write's append starts at the end of this turn; a write started after that waits for the next batch.
      await new Promise((r) => setImmediate(r));
      const behind = store.put('k/behind', value(3));
      assert.ok(sameBatch, 'the big write was sequenced');
      await Promise.all([rejectsWith(big, 'io', { messageIncludes: [/ENOSPC/] }), rejectsWith(sameBatch, 'io'), rejectsWith(behind, 'io')]);
      assertSameDump(await dumpStore(store), before, 'after the refused writes');
      const after = await store.put('k/after', value(4));
      assert.equal(after.revision, before.revision + 1, 'the refused writes used no revision');
      const expected = await dumpStore(store);
      store = await reopen();
      assertSameDump(await dumpStore(store), expected, 'after reopening');
    });
  });
});
