/**
 * WAL and snapshot records whose stored values are written raw (outside the record's JSON): they read back exactly,
 * whatever the value holds (newlines, NUL, quotes, any Unicode), a value UTF-8 cannot carry stays in the JSON, old
 * (all-JSON) records read as before, and a damaged or torn raw record is caught like any other.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { encodeWalRecord, encodeRowsRecord, readRowsRecord, readWalRecord } from '../../../../src/storage/sqljs/raw-values';
import { encodeRawRecord, encodeRecord, logEnd, scanRecords } from '../../../../src/storage/sqljs/record';
import type { WalBody } from '../../../../src/storage/sqljs/mvcc-db';
import type { LogRow } from '../../../../src/storage/sqljs/schema';

const pod = JSON.stringify({ kind: 'Pod', metadata: { name: 'p', labels: { 'a"b': 'c\\d' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const odd = ['', 'line\nbreak', 'nul\u0000byte', 'é ü 日本 🚀', '"quoted"', '\\', '!0000000', '\n\n\n'];

function readAll(buf: Buffer, read: (b: Buffer, r: ReturnType<typeof scanRecords>[number]) => unknown): unknown[] {
  const recs = scanRecords(buf);
  assert.ok(recs.every((r) => r.ok), 'every record checks');
  assert.equal(logEnd(recs), buf.length);
  return recs.map((r) => read(buf, r));
}

test('a write record with raw values reads back exactly, one record whatever its values hold', () => {
  const body: WalBody = { r: 7, o: [['p', '/registry/pods/ns/p', pod, '0'], ['d', '/registry/x'], ...odd.map((v, i): ['p', string, string, string] => ['p', `k/${i}`, v, '42'])] };
  const buf = encodeWalRecord(body);
  assert.equal(buf[8], 0x21, 'a raw record');
  assert.ok(!buf.includes(Buffer.from('\\"kind\\"')), 'the value is not escaped');
  assert.deepEqual(readAll(buf, readWalRecord), [body]);
});

test('a value with a lone surrogate stays in the JSON, next to raw ones', () => {
  const body: WalBody = { r: 8, o: [['p', 'a', 'x\ud800y', '0'], ['p', 'b', pod, '0']] };
  assert.deepEqual(readAll(encodeWalRecord(body), readWalRecord), [body]);
  const only: WalBody = { r: 9, o: [['p', 'a', '\udc00', '0']] };
  const buf = encodeWalRecord(only);
  assert.equal(buf[8], 0x20, 'an all-JSON record');
  assert.deepEqual(readAll(buf, readWalRecord), [only]);
});

test('records without values (deletes, leases, compaction) and old all-JSON records read as before', () => {
  const bodies: WalBody[] = [{ r: 3, o: [['d', 'k']] }, { lg: ['5', 60] }, { lr: '5' }, { c: 2 }];
  const buf = Buffer.concat([...bodies.map(encodeWalRecord), encodeRecord({ r: 4, o: [['p', 'k', pod, '0']] })]);
  assert.deepEqual(readAll(buf, readWalRecord), [...bodies, { r: 4, o: [['p', 'k', pod, '0']] }]);
});

test('snapshot rows: values raw, the rows given to the encoder left as they were', () => {
  const rows: LogRow[] = [[1, 2, 'k/a', 0, 2, 1, '0', 0, pod], [2, 3, 'k/b', 1, 0, 0, '0', 2, ''], [3, 4, 'k/c', 0, 4, 1, '7', 0, 'x\ud800'], ...odd.map((v, i): LogRow => [10 + i, 5, `k/${i}`, 0, 5, 1, '0', 0, v])];
  const before = structuredClone(rows);
  const buf = encodeRowsRecord(rows);
  assert.deepEqual(rows, before);
  assert.deepEqual(readAll(buf, readRowsRecord), [{ rows: before }]);
  assert.deepEqual(readAll(encodeRecord({ v: 1, rev: 4 }), readRowsRecord), [{ v: 1, rev: 4 }], 'header records stay JSON');
});

test('a raw record cut anywhere is a torn tail after the records before it', () => {
  const first = encodeWalRecord({ r: 1, o: [['p', 'a', pod, '0']] });
  const second = encodeWalRecord({ r: 2, o: [['p', 'b', `${pod}\n${pod}`, '0']] });
  for (let cut = 1; cut < second.length; cut++) {
    const recs = scanRecords(Buffer.concat([first, second.subarray(0, cut)]));
    assert.ok(recs[0].ok, `cut ${cut}: the first record holds`);
    assert.ok(recs.slice(1).every((r) => !r.ok) && recs.length >= 2, `cut ${cut}: the rest is bad`);
    assert.equal(logEnd(recs), first.length, `cut ${cut}`);
  }
});

test('a damaged raw record before good ones is seen as damage, not as a torn tail', () => {
  const a = encodeWalRecord({ r: 1, o: [['p', 'a', pod, '0']] });
  const b = encodeWalRecord({ r: 2, o: [['p', 'b', pod, '0']] });
  for (const at of [0, 5, 8, 9, 12, 16, 17, 40, a.length - 3]) {
    const bad = Buffer.from(a);
    bad[at] ^= at === 8 ? 0x40 : 0x01; // at 8: the '!' becomes 'a', a malformed classic header
    const recs = scanRecords(Buffer.concat([bad, b]));
    assert.ok(!recs[0].ok, `byte ${at}: the damaged record fails`);
    assert.ok(recs[recs.length - 1].ok, `byte ${at}: the good record after it is still found`);
  }
});

test('raw records whose placeholders do not match their strings are refused', () => {
  const bad = [
    encodeRawRecord({ r: 1, o: [['p', 'a', 1, '0']] }, ['x', 'y']),
    encodeRawRecord({ r: 1, o: [['p', 'a', 0, '0']] }, ['x', 'y']),
    encodeRawRecord({ r: 1, o: [['p', 'a', 0, '0'], ['p', 'b', 0, '0']] }, ['x']),
    encodeRawRecord({ r: 1 }, ['x']),
  ];
  for (const buf of bad) assert.throws(() => readAll(buf, readWalRecord), /raw/);
  assert.throws(() => readAll(encodeRawRecord({ rows: [[1, 2, 'k', 0, 2, 1, '0', 0, 3]] }, ['v']), readRowsRecord), /raw record refers/);
});

test('property: any write record reads back equal', () => {
  const op = fc.oneof(
    fc.tuple(fc.constant('p' as const), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ maxLength: 4 })),
    fc.tuple(fc.constant('d' as const), fc.string({ unit: 'binary' })),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1 }), fc.array(op, { minLength: 1, maxLength: 6 }), (r, o) => {
      const body: WalBody = { r, o };
      assert.deepEqual(readAll(encodeWalRecord(body), readWalRecord), [body]);
    }),
    { numRuns: 300 },
  );
});
