/**
 * Bad data in the data directory: a torn last WAL record is dropped with a warning; a damaged record in the middle
 * of the WAL or a damaged newest snapshot fails the open with the file and byte offset and changes no file; bad
 * requests (oversized values, empty keys) write nothing; a LOCK file without a usable pid is handled sanely.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { memoryLogger } from '../../../src/base/logger';
import type { SqlJsStore } from '../../../src/storage/sqljs';
import { MAX_REQUEST_BYTES, StoreError } from '../../../src/storage/store';
import { assertDirUnchanged, dirState, openTestStore, recordLines, removeDir, snapFiles, tempDir, walFiles } from '../../helpers/sqljs';
import { rejectsWith } from '../../helpers/store-assert';

const T = { timeout: 30_000 };
const N = 10;

/** Run fn in a fresh directory; stores opened through `open` are closed afterwards. */
function inDir(fn: (dir: string, open: (o?: Parameters<typeof openTestStore>[1]) => Promise<SqlJsStore>) => Promise<void>) {
  return async () => {
    const dir = tempDir('kubelab-corrupt-');
    const opened: SqlJsStore[] = [];
    try {
      await fn(dir, async (o) => {
        const s = await openTestStore(dir, o);
        opened.push(s);
        return s;
      });
    } finally {
      for (const s of opened) await s.close().catch(() => undefined);
      removeDir(dir);
    }
  };
}

/** Write keys k/0..k/N-1, one put (one WAL record) each, at revisions 2..N+1; close. */
async function writeKeys(open: () => Promise<SqlJsStore>): Promise<void> {
  const store = await open();
  for (let i = 0; i < N; i++) assert.equal((await store.put(`k/${i}`, `value-${i}-${'z'.repeat(40)}`)).revision, i + 2);
  await store.close();
}

function newestWal(dir: string): string {
  const w = walFiles(dir);
  assert.ok(w.length > 0, 'a WAL segment exists');
  return path.join(dir, w[w.length - 1]);
}

/** The WAL records that are writes (body.o), with their revision. */
function writeRecords(file: string) {
  return recordLines(file)
    .filter((r) => r.body && typeof r.body === 'object' && 'o' in (r.body as object))
    .map((r) => ({ ...r, rev: (r.body as { r: number }).r }));
}

/** Flip one bit of the byte at pos (never producing or destroying a newline). */
function flipByte(file: string, pos: number): void {
  const buf = fs.readFileSync(file);
  assert.notEqual(buf[pos], 0x0a, 'not flipping a newline');
  buf[pos] ^= buf[pos] === 0x0b ? 0x02 : 0x01;
  fs.writeFileSync(file, buf);
}

/** A byte in the middle of a record's JSON text. */
const midJson = (r: { offset: number; line: Buffer }) => r.offset + 9 + Math.floor((r.line.length - 9) / 2);

async function assertKeys(store: SqlJsStore, count: number): Promise<void> {
  const r = await store.range({ key: 'k/', prefix: true });
  assert.equal(r.count, count, `keys present: ${r.kvs.map((k) => k.key).join(', ')}`);
  for (let i = 0; i < count; i++) {
    const kv = r.kvs.find((k) => k.key === `k/${i}`);
    assert.ok(kv, `k/${i} is intact`);
    assert.equal(kv.modRevision, i + 2);
    assert.equal(kv.value, `value-${i}-${'z'.repeat(40)}`);
  }
}

describe('WAL damage', () => {
  for (const [name, damage] of [
    ['cut in the middle of the last record', (file: string, last: { offset: number; line: Buffer }) => fs.truncateSync(file, last.offset + Math.floor(last.line.length / 2))],
    ['cut just before the last newline', (file: string, last: { offset: number; line: Buffer }) => fs.truncateSync(file, last.offset + last.line.length)],
    ['a bad checksum on the last record', (file: string, last: { offset: number; line: Buffer }) => flipByte(file, midJson(last))],
    ['a damaged checksum field on the last record', (file: string, last: { offset: number; line: Buffer }) => flipByte(file, last.offset + 3)],
  ] as const) {
    it(`a torn last record (${name}) is dropped with a warning; everything before it is intact`, T, inDir(async (dir, open) => {
      await writeKeys(open);
      const file = newestWal(dir);
      const records = writeRecords(file);
      const last = records[records.length - 1];
      assert.equal(last.rev, N + 1, 'the last WAL record is the last put');
      damage(file, last);

      const log = memoryLogger();
      let store = await open({ logger: log.logger });
      const warnings = log.records.filter((r) => r.level === 'warn');
      assert.ok(warnings.length > 0, `a warning is logged (got: ${JSON.stringify(log.records.map((r) => r.message))})`);
      assert.ok(warnings.some((r) => r.message.includes(path.basename(file))), 'the warning names the WAL file');
      assert.equal(await store.revision(), N, 'the torn write is gone');
      await assertKeys(store, N - 1);

      // the store carries on, and what it writes next is readable after another reopen
      assert.equal((await store.put('after', 'x')).revision, N + 1);
      await store.close();
      const log2 = memoryLogger();
      store = await open({ logger: log2.logger });
      assert.equal(await store.revision(), N + 1);
      assert.equal((await store.range({ key: 'after' })).kvs[0]?.value, 'x');
      await assertKeys(store, N - 1);
      assert.deepEqual(log2.records.filter((r) => r.level === 'warn').map((r) => r.message), [], 'nothing torn the second time');
    }));
  }

  it('a checksum failure in a middle record fails the open with the file and offset, and changes no file', T, inDir(async (dir, open) => {
    await writeKeys(open);
    const file = newestWal(dir);
    const victim = writeRecords(file)[4];
    flipByte(file, midJson(victim));
    const before = dirState(dir);
    await rejectsWith(open(), 'corrupt', { messageIncludes: [file, `offset ${victim.offset}`] });
    assertDirUnchanged(dir, before, 'a failed open');
    // and again: the failure is stable
    await rejectsWith(open(), 'corrupt', { messageIncludes: [file, `offset ${victim.offset}`] });
    assertDirUnchanged(dir, before, 'a second failed open');
  }));

  it('a damaged checksum field in the middle fails the open the same way', T, inDir(async (dir, open) => {
    await writeKeys(open);
    const file = newestWal(dir);
    const victim = writeRecords(file)[1];
    flipByte(file, victim.offset + 7);
    const before = dirState(dir);
    await rejectsWith(open(), 'corrupt', { messageIncludes: [file, `offset ${victim.offset}`] });
    assertDirUnchanged(dir, before, 'a failed open');
  }));

  it('a record with a valid checksum but an impossible body in the middle fails the open', T, inDir(async (dir, open) => {
    await writeKeys(open);
    const file = newestWal(dir);
    const records = writeRecords(file);
    const victim = records[3];
    for (const body of ['{"r":999,"o":[["p","k/x","v","0"]]}', 'not json at all']) {
      const json = Buffer.from(body);
      const forged = Buffer.concat([Buffer.from(crc32(json).toString(16).padStart(8, '0') + ' '), json, Buffer.from('\n')]);
      const buf = fs.readFileSync(file);
      const end = victim.offset + victim.line.length + 1;
      fs.writeFileSync(file, Buffer.concat([buf.subarray(0, victim.offset), forged, buf.subarray(end)]));
      const before = dirState(dir);
      await rejectsWith(open(), 'corrupt', { messageIncludes: [file, `offset ${victim.offset}`] });
      assertDirUnchanged(dir, before, `a failed open (${body})`);
      fs.writeFileSync(file, buf);
    }
  }));
});

describe('snapshot damage', () => {
  async function withSnapshot(open: () => Promise<SqlJsStore>, dir: string): Promise<string> {
    const store = await open();
    for (let i = 0; i < 600; i++) await store.put(`s/${i % 150}`, `v${i}`);
    await store.snapshot();
    for (let i = 0; i < 5; i++) await store.put(`after/${i}`, 'x');
    await store.close();
    const snaps = snapFiles(dir);
    assert.equal(snaps.length, 1);
    return path.join(dir, snaps[0]);
  }

  it('an intact snapshot plus WAL opens (control case)', T, inDir(async (dir, open) => {
    await withSnapshot(open, dir);
    const store = await open();
    assert.equal((await store.range({ key: 's/', prefix: true })).count, 150);
    assert.equal((await store.range({ key: 'after/', prefix: true })).count, 5);
  }));

  it('a flipped byte in the newest snapshot fails the open with the file and offset, and changes no file', T, inDir(async (dir, open) => {
    const file = await withSnapshot(open, dir);
    const lines = recordLines(file);
    assert.ok(lines.length >= 3, 'the snapshot has several records');
    const victim = lines[Math.floor(lines.length / 2)];
    flipByte(file, midJson(victim));
    const before = dirState(dir);
    await rejectsWith(open(), 'corrupt', { messageIncludes: [file, `offset ${victim.offset}`] });
    assertDirUnchanged(dir, before, 'a failed open');
  }));

  it('an older snapshot copied over a newer one fails the open instead of opening at the old revision', T, inDir(async (dir, open) => {
    const first = await withSnapshot(open, dir);
    const old = fs.readFileSync(first);
    const store = await open();
    for (let i = 0; i < 5; i++) await store.put(`later/${i}`, 'y');
    await store.snapshot();
    await store.close();
    const snaps = snapFiles(dir);
    assert.equal(snaps.length, 1, 'the first snapshot was replaced');
    const newest = path.join(dir, snaps[0]);
    assert.notEqual(newest, first);
    fs.writeFileSync(newest, old);
    const before = dirState(dir);
    await rejectsWith(open(), 'corrupt', { messageIncludes: [newest, 'offset 0', 'not ', 'as its name says'] });
    assertDirUnchanged(dir, before, 'a failed open');
  }));

  it('a damaged first (header) record fails the open', T, inDir(async (dir, open) => {
    const file = await withSnapshot(open, dir);
    flipByte(file, midJson(recordLines(file)[0]));
    const before = dirState(dir);
    await rejectsWith(open(), 'corrupt', { messageIncludes: [file, 'offset 0'] });
    assertDirUnchanged(dir, before, 'a failed open');
  }));

  for (const [name, cut] of [
    ['to half its size', (size: number) => Math.floor(size / 2)],
    ['by its last byte', (size: number) => size - 1],
    ['to nothing', () => 0],
  ] as const) {
    it(`a newest snapshot truncated ${name} fails the open with the file and an offset, and changes no file`, T, inDir(async (dir, open) => {
      const file = await withSnapshot(open, dir);
      fs.truncateSync(file, cut(fs.statSync(file).size));
      const before = dirState(dir);
      await rejectsWith(open(), 'corrupt', { messageIncludes: [file, /offset \d+/] });
      assertDirUnchanged(dir, before, 'a failed open');
    }));
  }

  it('a snapshot whose last record was dropped (a whole line) fails the open', T, inDir(async (dir, open) => {
    const file = await withSnapshot(open, dir);
    const lines = recordLines(file);
    const last = lines[lines.length - 1];
    fs.truncateSync(file, last.offset);
    const before = dirState(dir);
    await rejectsWith(open(), 'corrupt', { messageIncludes: [file, /offset \d+/] });
    assertDirUnchanged(dir, before, 'a failed open');
  }));
});

describe('refused requests write nothing', () => {
  it('oversized values and empty keys are refused; the WAL does not change', T, inDir(async (dir, open) => {
    const store = await open();
    await store.put('keep', 'x');
    const rev = await store.revision();
    const before = dirState(dir);
    const walBytes = store.stats().walBytes;
    const big = 'x'.repeat(MAX_REQUEST_BYTES + 1);
    await rejectsWith(store.put('big', big), 'too-large', { messageIncludes: [] });
    await rejectsWith(store.put('', 'v'), 'empty-key');
    await rejectsWith(store.txn({ compare: [], success: [{ type: 'put', key: 'a', value: 'v' }, { type: 'put', key: 'big', value: big }], failure: [] }), 'too-large');
    await rejectsWith(store.txn({ compare: [], success: [{ type: 'put', key: 'a', value: 'v' }, { type: 'put', key: '', value: 'v' }], failure: [] }), 'empty-key');
    // multi-byte characters count as bytes: 0.8 Mi of 2-byte characters is over 1.5 MiB
    await rejectsWith(store.put('wide', 'é'.repeat(Math.ceil((MAX_REQUEST_BYTES + 2) / 2))), 'too-large');
    assert.equal(await store.revision(), rev);
    assert.equal(store.stats().walBytes, walBytes);
    assertDirUnchanged(dir, before, 'refused requests');
    await store.close();
    const again = await open();
    assert.equal(await again.revision(), rev);
    assert.deepEqual((await again.range({ key: '\0', end: '\0' })).kvs.map((k) => k.key), ['keep']);
  }));
});

describe('LOCK file oddities', () => {
  for (const [name, content] of [
    ['empty', ''],
    ['garbage', 'hello\u0000\u00ff not a pid'],
    ['a pid that cannot exist', '99999999999\n'],
    ['a negative number', '-1\n'],
  ] as const) {
    it(`a LOCK holding ${name} is taken over with a warning`, T, inDir(async (dir, open) => {
      await writeKeys(open);
      fs.writeFileSync(path.join(dir, 'LOCK'), content);
      const log = memoryLogger();
      const store = await open({ logger: log.logger });
      await assertKeys(store, N);
      assert.equal(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8').trim().split('\n')[0], String(process.pid));
      assert.ok(log.records.some((r) => r.level === 'warn' && r.message.includes('LOCK')), 'the take-over is logged');
    }));
  }

  it('a LOCK that cannot be read (a directory) fails the open with a StoreError and is left alone', T, inDir(async (dir, open) => {
    await writeKeys(open);
    fs.mkdirSync(path.join(dir, 'LOCK'));
    const before = dirState(dir);
    let err: unknown;
    try {
      await open();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    assert.ok(['locked', 'io'].includes(err.code), `code ${err.code}`);
    assert.ok(err.message.includes('LOCK') || err.message.includes(dir), `the message says what is wrong: ${err.message}`);
    assertDirUnchanged(dir, before, 'a failed open');
    assert.ok(fs.statSync(path.join(dir, 'LOCK')).isDirectory());
  }));
});
