import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FileRoom } from '../../../../src/storage/sqljs/file-room';
import { MvccDb } from '../../../../src/storage/sqljs/mvcc-db';
import {
  claimFile, databaseFile, fileCapacity, fileGrowthPatched, fileReservation, growFile, loadSqlJs, patchFileGrowth, releaseFile,
} from '../../../../src/storage/sqljs/sqljs-loader';

const MiB = 1024 * 1024;

/** Resident memory of this process (bytes), from /proc. */
function rss(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(m![1]) * 1024;
}

describe('sql.js file growth', () => {
  it('the installed sql.js is patched to grow its in-memory files through growFile', async () => {
    await loadSqlJs();
    assert.equal(fileGrowthPatched(), true, 'sql.js changed how MEMFS grows files; update GROWTH in sqljs-loader.ts');
  });

  it('patchFileGrowth rewrites exactly one growth statement and refuses ambiguous sources', () => {
    const stmt = '(g=Math.max(g,m*(m<1048576?2:1.125)>>>0),m&&(g=\nMath.max(g,256)),m=a.Ua.subarray(0,a.Wa),a.Ua=new Uint8Array(g),a.Ua.set(m))';
    const src = `a;m>=g||${stmt};b`;
    assert.deepEqual(patchFileGrowth(src), { source: 'a;m>=g||(a.Ua=__kubelabGrowFile(a.name,a.Ua,a.Wa,g));b', patched: true });
    assert.equal(patchFileGrowth('nothing here').patched, false);
    assert.equal(patchFileGrowth(src + src).patched, false);
  });

  it('growFile doubles unclaimed files and keeps their bytes', () => {
    const old = Uint8Array.from([1, 2, 3, 4]);
    const grown = growFile('not-claimed', old, 3, 5);
    assert.equal(grown.length, 256);
    assert.deepEqual([...grown.subarray(0, 4)], [1, 2, 3, 0]);
    assert.equal(growFile('not-claimed', new Uint8Array(1000), 1000, 1001).length, 2000);
  });

  it('a claimed file gets its reservation once, then doubles; an impossible reservation falls back to doubling', () => {
    claimFile('claimed', 4, 64 * MiB);
    const first = growFile('claimed', Uint8Array.from([9, 9, 9, 9]), 4, 8);
    assert.equal(first.length, 64 * MiB);
    assert.equal(fileCapacity('claimed'), 64 * MiB);
    assert.deepEqual([...first.subarray(0, 5)], [9, 9, 9, 9, 0]);
    assert.equal(first.buffer, fileReservation('claimed'), 'the reservation is shared (page-toucher.ts)');
    assert.ok(first.buffer instanceof SharedArrayBuffer);
    assert.equal(growFile('claimed', first, 64 * MiB, 64 * MiB + 1).length, 128 * MiB);
    assert.equal(fileCapacity('claimed'), 128 * MiB);
    assert.equal(fileReservation('claimed'), undefined, 'outgrown: the file no longer lives in it');
    releaseFile('claimed');
    assert.equal(fileCapacity('claimed'), undefined);

    claimFile('too-big', 4, 2 ** 53);
    assert.equal(growFile('too-big', new Uint8Array(4), 4, 8).length, 256);
    assert.equal(fileCapacity('too-big'), 256);
    releaseFile('too-big');
  });

  it("the store's database reserves its buffer at the first growth without making it resident", async () => {
    const SQL = await loadSqlJs();
    const reserve = 512 * MiB;
    const before = rss();
    const db = MvccDb.create(SQL, reserve);
    try {
      const name = databaseFile(db.db);
      db.db.exec('CREATE TABLE t (x BLOB)');
      db.db.exec('INSERT INTO t VALUES (randomblob(3000000))');
      assert.equal(fileCapacity(name), reserve, 'the first growth took the reservation');
      const grown = rss() - before;
      assert.ok(grown < 64 * MiB, `RSS grew by ${Math.round(grown / MiB)} MiB for a 3 MB file in a ${reserve / MiB} MiB reservation`);
      const u = db.room.usage();
      assert.equal(u.capacity, reserve);
      assert.ok(u.fileBytes > 3000000 && u.fileBytes < 4 * MiB, `file ${u.fileBytes} bytes`);
      assert.equal(db.room.growIfLow(), false, 'plenty of room: nothing to grow');
      db.db.exec('INSERT INTO t VALUES (randomblob(1000))');
      assert.equal(db.db.exec('SELECT count(*), sum(length(x)) FROM t')[0].values[0].join(','), '2,3001000');
    } finally {
      db.close();
    }
  });
});

describe('FileRoom', () => {
  /** A database whose file is `capacity` bytes (zero padding after the schema), claimed for its capacity. */
  async function db(capacity: number) {
    const SQL = await loadSqlJs();
    const empty = new SQL.Database();
    empty.exec('CREATE TABLE t (x BLOB)');
    const bytes = empty.export();
    empty.close();
    const padded = new Uint8Array(capacity);
    padded.set(bytes);
    const d = new SQL.Database(padded);
    const name = databaseFile(d);
    claimFile(name, capacity);
    return { d, capacity: () => fileCapacity(name) ?? 0, release: () => (d.close(), releaseFile(name)) };
  }

  it('does nothing while live pages fill at most 3/4 of the buffer', async () => {
    const { d, capacity, release } = await db(4 * MiB);
    d.exec('INSERT INTO t VALUES (randomblob(1000000))');
    const room = new FileRoom(d, capacity);
    assert.equal(room.growIfLow(), false);
    assert.equal(room.usage().capacity, 4 * MiB);
    release();
  });

  it('grows to twice the capacity ahead of need, leaving free pages that later writes reuse', async () => {
    const { d, capacity, release } = await db(4 * MiB);
    d.exec('INSERT INTO t VALUES (randomblob(3500000))');
    const room = new FileRoom(d, capacity);
    assert.equal(room.growIfLow(), true);
    const after = room.usage();
    assert.equal(after.capacity, 8 * MiB);
    assert.ok(after.fileBytes > 4 * MiB, 'the file reached past the old buffer');
    assert.ok(after.liveBytes < 4 * MiB, 'the padding was freed again');
    d.exec('INSERT INTO t VALUES (randomblob(2000000))');
    assert.equal(room.usage().fileBytes, after.fileBytes, 'new rows went into free pages, the file did not grow');
    assert.equal(d.exec('SELECT count(*) FROM t')[0].values[0][0], 2);
    release();
  });
});
