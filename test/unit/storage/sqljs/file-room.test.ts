import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FileRoom } from '../../../../src/storage/sqljs/file-room';
import { fileGrowthPatched, loadSqlJs, patchFileGrowth } from '../../../../src/storage/sqljs/sqljs-loader';

describe('sql.js file growth', () => {
  it('the installed sql.js is patched to double its in-memory files', async () => {
    await loadSqlJs();
    assert.equal(fileGrowthPatched(), true, 'sql.js changed how MEMFS grows files; update GROWTH in sqljs-loader.ts');
  });

  it('patchFileGrowth rewrites exactly one growth expression and refuses ambiguous sources', () => {
    const src = 'a;m>=g||(g=Math.max(g,m*(m<1048576?2:1.125)>>>0));b';
    assert.deepEqual(patchFileGrowth(src), { source: 'a;m>=g||(g=Math.max(g,m*2>>>0));b', patched: true });
    assert.equal(patchFileGrowth('nothing here').patched, false);
    assert.equal(patchFileGrowth(src + src).patched, false);
  });
});

describe('FileRoom', () => {
  async function db(capacity: number) {
    const SQL = await loadSqlJs();
    const empty = new SQL.Database();
    empty.exec('CREATE TABLE t (x BLOB)');
    const bytes = empty.export();
    empty.close();
    const padded = new Uint8Array(capacity);
    padded.set(bytes);
    return new SQL.Database(padded);
  }

  it('does nothing while live pages fill at most 3/4 of the buffer', async () => {
    const d = await db(4 * 1048576);
    d.exec('INSERT INTO t VALUES (randomblob(1000000))');
    const room = new FileRoom(d, 4 * 1048576);
    assert.equal(room.growIfLow(), false);
    assert.equal(room.usage().capacity, 4 * 1048576);
  });

  it('grows to twice the capacity ahead of need, leaving free pages that later writes reuse', async () => {
    const d = await db(4 * 1048576);
    d.exec('INSERT INTO t VALUES (randomblob(3500000))');
    const room = new FileRoom(d, 4 * 1048576);
    assert.equal(room.growIfLow(), true);
    const after = room.usage();
    assert.equal(after.capacity, 8 * 1048576);
    assert.ok(after.fileBytes > 4 * 1048576, 'the file reached past the old buffer');
    assert.ok(after.liveBytes < 4 * 1048576, 'the padding was freed again');
    d.exec('INSERT INTO t VALUES (randomblob(2000000))');
    assert.equal(room.usage().fileBytes, after.fileBytes, 'new rows went into free pages, the file did not grow');
    assert.equal(d.exec('SELECT count(*) FROM t')[0].values[0][0], 2);
  });
});
