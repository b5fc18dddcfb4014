/**
 * The WAL's zero-filled room (src/storage/sqljs/wal.ts): records are written into zeros made durable by an earlier
 * append, so an fdatasync never depends on a file-size change reaching the file system's journal. Checked here:
 * the room exists from the first write and is kept ahead as the log grows; the zeros after the last record read as
 * the log's end (reopen, rotation, old segments keep theirs); zeros with records after them are damage (the open
 * fails naming the file and offset); a torn record before the zeros is dropped as before.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { logEnd, scanRecords } from '../../../../src/storage/sqljs/record';
import { WAL_ROOM_BYTES } from '../../../../src/storage/sqljs/wal';
import { memoryLogger } from '../../../../src/base/logger';
import { openTestStore, recordLines, removeDir, tempDir, walFiles } from '../../../helpers/sqljs';
import { rejectsWith } from '../../../helpers/store-assert';

const size = (f: string) => fs.statSync(f).size;
const lastRecordEnd = (f: string) => logEnd(scanRecords(fs.readFileSync(f)));

describe('WAL zero-filled room', () => {
  it('is there from the first write and kept ahead of the log as it grows', async () => {
    const dir = tempDir();
    try {
      const store = await openTestStore(dir);
      const wal = path.join(dir, walFiles(dir)[0]);
      assert.ok(size(wal) >= WAL_ROOM_BYTES, `a new segment starts with its room (${size(wal)} bytes)`);
      for (let i = 0; i < 40; i++) await store.put(`k/${i}`, 'x'.repeat(20_000));
      const end = lastRecordEnd(wal);
      assert.ok(end > WAL_ROOM_BYTES, `the log outgrew the first room (${end})`);
      assert.ok(size(wal) - end >= WAL_ROOM_BYTES / 2, `room kept ahead: ${size(wal)} bytes for a log of ${end}`);
      assert.ok(fs.readFileSync(wal).subarray(end).every((b) => b === 0), 'the room is zeros');
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('the zeros read as the end of the log: reopen, rotate, reopen again', async () => {
    const dir = tempDir();
    try {
      let store = await openTestStore(dir);
      for (let i = 0; i < 5; i++) await store.put(`k/${i}`, `v${i}`);
      await store.close();
      store = await openTestStore(dir);
      assert.equal((await store.put('k/5', 'v5')).revision, 7, 'the next revision after the zeros');
      await store.snapshot();
      await store.put('k/6', 'v6');
      await store.close();
      assert.equal(walFiles(dir).length, 1, 'the old segment went with the snapshot');
      store = await openTestStore(dir);
      const r = await store.range({ key: 'k/', prefix: true });
      assert.deepEqual(r.kvs.map((kv) => [kv.key, kv.value, kv.modRevision]), [0, 1, 2, 3, 4, 5, 6].map((i) => [`k/${i}`, `v${i}`, i + 2]));
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('a segment before the last one keeps its zeros and is read to its last record', async () => {
    const dir = tempDir();
    try {
      let store = await openTestStore(dir);
      await store.put('a', '1');
      await store.put('b', '2');
      await store.close();
      // What a rotation leaves: the first segment ends in its zeros, the next holds the later record, then zeros.
      const first = path.join(dir, walFiles(dir)[0]);
      const last = recordLines(first).filter((l) => l.body).pop()!;
      const buf = fs.readFileSync(first);
      const moved = Buffer.from(buf.subarray(last.offset, last.offset + last.line.length + 1));
      buf.fill(0, last.offset);
      fs.writeFileSync(first, buf);
      fs.writeFileSync(path.join(dir, 'wal-0000000000000002.log'), Buffer.concat([moved, Buffer.alloc(4096)]));
      store = await openTestStore(dir);
      assert.deepEqual((await store.range({ key: 'a', end: 'c' })).kvs.map((kv) => [kv.value, kv.modRevision]), [['1', 2], ['2', 3]]);
      assert.equal((await store.put('c', '3')).revision, 4);
      await store.close();
      store = await openTestStore(dir);
      assert.equal((await store.range({ key: 'c' })).kvs[0].value, '3', 'appended to the last segment');
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('zeros with a record after them are damage: the open fails naming the file and the offset', async () => {
    const dir = tempDir();
    try {
      const store = await openTestStore(dir);
      for (let i = 0; i < 3; i++) await store.put(`k/${i}`, `v${i}`);
      await store.close();
      const wal = path.join(dir, walFiles(dir)[0]);
      const lines = recordLines(wal).filter((l) => l.body);
      const second = lines[lines.length - 2];
      const buf = fs.readFileSync(wal);
      buf.fill(0, second.offset, second.offset + second.line.length + 1);
      fs.writeFileSync(wal, buf);
      await rejectsWith(openTestStore(dir), 'corrupt', { messageIncludes: [wal, `offset ${second.offset}`, 'zeroed bytes'] });
    } finally {
      removeDir(dir);
    }
  });

  it('a torn last record followed by the room is dropped with a warning, and the room comes back', async () => {
    const dir = tempDir();
    try {
      let store = await openTestStore(dir);
      for (let i = 0; i < 3; i++) await store.put(`k/${i}`, `v${i}`);
      await store.close();
      const wal = path.join(dir, walFiles(dir)[0]);
      const lines = recordLines(wal).filter((l) => l.body);
      const last = lines[lines.length - 1];
      const buf = fs.readFileSync(wal);
      buf.fill(0, last.offset + Math.floor(last.line.length / 2), last.offset + last.line.length + 1); // its second half never landed
      fs.writeFileSync(wal, buf);
      const log = memoryLogger();
      store = await openTestStore(dir, { logger: log.logger });
      assert.ok(log.records.some((r) => r.level === 'warn' && r.message.includes('torn record')), 'a warning');
      assert.equal(await store.revision(), 3, 'the torn put is gone');
      assert.equal((await store.put('k/9', 'v9')).revision, 4);
      assert.ok(size(wal) - lastRecordEnd(wal) >= WAL_ROOM_BYTES / 2, 'room made again at the open');
      await store.close();
      store = await openTestStore(dir);
      assert.equal((await store.range({ key: 'k/9' })).kvs[0].value, 'v9');
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('scanRecords: zeros to the end of the buffer end the log; zeros before data are a bad record', () => {
    const good = Buffer.from('a3a6bf43 {}\n');
    assert.deepEqual(scanRecords(Buffer.concat([good, Buffer.alloc(100)])).map((r) => r.ok), [true]);
    const bad = scanRecords(Buffer.concat([good, Buffer.alloc(10), good, Buffer.alloc(5)]));
    assert.deepEqual(bad.map((r) => [r.offset, r.ok]), [[0, true], [12, false], [22, true]]);
    assert.equal(logEnd(bad), 12);
    assert.deepEqual(scanRecords(Buffer.alloc(4096)), []);
  });
});
