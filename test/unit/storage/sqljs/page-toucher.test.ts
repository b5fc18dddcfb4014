import { strict as assert } from 'node:assert';
import { randomFillSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { MvccDb } from '../../../../src/storage/sqljs/mvcc-db';
import { PAGE_BYTES, PageToucher } from '../../../../src/storage/sqljs/page-toucher';
import { databaseFile, fileCapacity, fileReservation, loadSqlJs } from '../../../../src/storage/sqljs/sqljs-loader';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('PageToucher', () => {
  it('touches the pages up to `ahead` past the published used size, never further, and changes no byte', async () => {
    const sab = new SharedArrayBuffer(MiB);
    const bytes = new Uint8Array(sab);
    randomFillSync(bytes);
    const before = Uint8Array.from(bytes);
    const t = new PageToucher(sab, 64 * KiB);
    try {
      assert.equal(await t.waitTouched(16), true, 'the first 16 pages (64 KiB ahead of 0)');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(t.touchedPages(), 16, 'no further than 64 KiB ahead');
      t.advance(256 * KiB);
      assert.equal(await t.waitTouched(64 + 16), true);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(t.touchedPages(), 80);
      t.advance(MiB - 4 * KiB);
      assert.equal(await t.waitTouched(MiB / PAGE_BYTES), true, 'up to the end of the buffer');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(t.touchedPages(), MiB / PAGE_BYTES, 'and not past it');
      assert.deepEqual(bytes, before);
    } finally {
      await t.stop();
    }
  });

  it('keeps every value written while it touches the same pages', async () => {
    const size = 8 * MiB;
    const sab = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(sab);
    const expected = new Uint8Array(size);
    const t = new PageToucher(sab, size); // everything ahead: it touches pages while they are being written
    try {
      const chunk = new Uint8Array(PAGE_BYTES);
      for (let off = 0; off < size; off += PAGE_BYTES) {
        randomFillSync(chunk);
        chunk[0] |= 1; // the touched word itself is never zero here
        bytes.set(chunk, off);
        expected.set(chunk, off);
      }
      assert.equal(await t.waitTouched(size / PAGE_BYTES), true);
      assert.deepEqual(bytes, expected);
    } finally {
      await t.stop();
    }
  });

  it('stop ends the worker; advancing afterwards does nothing', async () => {
    const t = new PageToucher(new SharedArrayBuffer(64 * KiB), 4 * KiB);
    assert.equal(await t.waitTouched(1), true);
    await t.stop();
    t.advance(32 * KiB);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(t.touchedPages(), 1);
    await t.stop();
  });
});

describe("the store's database and its PageToucher", () => {
  const valueOf = (db: MvccDb, key: string) => db.valueOf(db.keys.get(key)?.id ?? -1);
  const value = (i: number) => `{"i":${i},"pad":"${'x'.repeat(3000)}"}`;
  async function fill(db: MvccDb, from: number, n: number): Promise<void> {
    for (let i = from; i < from + n; i++) db.transaction(() => db.apply({ r: db.rev + 1, o: [['p', `/registry/pods/ns/p${i}`, value(i), '0']] }));
  }

  it('starts once the file reaches `fromBytes` and keeps `aheadBytes` faulted in past its end', async () => {
    const SQL = await loadSqlJs();
    const db = MvccDb.create(SQL, 256 * MiB, { fromBytes: 1 * MiB, aheadBytes: 512 * KiB });
    try {
      await fill(db, 0, 100); // ~400 KB: below fromBytes
      assert.equal(db.touchedPages(), 0, 'no thread for a small file');
      await fill(db, 100, 400); // ~2 MB
      assert.ok(fileReservation(databaseFile(db.db)) instanceof SharedArrayBuffer);
      assert.equal(await db.waitTouchedAhead(512 * KiB), true, 'the pages 512 KiB past the end are faulted in');
      const ahead = await db.waitTouchedAhead(512 * KiB + 64 * KiB, 200);
      assert.equal(ahead, false, 'and not much more');
      await fill(db, 500, 200);
      assert.equal(await db.waitTouchedAhead(512 * KiB), true, 'it follows the file as it grows');
      for (const i of [0, 250, 699]) assert.ok(valueOf(db, `/registry/pods/ns/p${i}`) === value(i), `p${i} reads back`);
    } finally {
      db.close();
    }
    assert.equal(db.touchedPages(), 0, 'closed: no toucher');
  });

  it('none with touch off, and it stops when the file outgrows its reservation', async () => {
    const SQL = await loadSqlJs();
    const off = MvccDb.create(SQL, 64 * MiB, false);
    try {
      await fill(off, 0, 600);
      assert.equal(off.touchedPages(), 0);
    } finally {
      off.close();
    }
    const small = MvccDb.create(SQL, 3 * MiB, { fromBytes: 1 * MiB, aheadBytes: 256 * KiB });
    try {
      await fill(small, 0, 500);
      assert.equal(await small.waitTouchedAhead(0), true, 'started past 1 MiB');
      await fill(small, 500, 500); // ~4 MB: past the 3 MiB reservation, the file is copied into a plain buffer
      assert.ok(fileCapacity(databaseFile(small.db))! > 3 * MiB);
      assert.equal(fileReservation(databaseFile(small.db)), undefined);
      assert.equal(small.touchedPages(), 0, 'the toucher of the old buffer is gone');
      assert.ok(valueOf(small, '/registry/pods/ns/p999') === value(999), 'p999 reads back');
    } finally {
      small.close();
    }
  });
});
