import * as fs from 'node:fs';
import { StoreError } from '../store';
import { readRowsRecord } from './raw-values';
import { scanRecords } from './record';
import type { LogRow } from './schema';
import type { SnapshotHeader } from './snapshot';

/**
 * Read and verify a snapshot: every record's checksum first, then the header (whose sequence number, when it has one,
 * must be `seq`, the one in the file's name), the row slices (handed to onRows one
 * at a time, so the whole file is never decoded at once) and the trailer with the row count.
 */
export function readSnapshot(file: string, seq: number, onHeader: (h: SnapshotHeader) => void, onRows: (rows: LogRow[]) => void): void {
  const buf = fs.readFileSync(file);
  const corrupt = (offset: number, why: string) =>
    new StoreError('corrupt', `corrupt snapshot ${file} at offset ${offset}: ${why}; the write-ahead log before it was removed when it was written, so restore the data directory from a backup or move the directory away to start an empty cluster`);
  const records = scanRecords(buf);
  const bad = records.find((r) => !r.ok);
  if (bad) throw corrupt(bad.offset, bad.why!);
  if (!records.length) throw corrupt(0, 'empty file');
  const last = records[records.length - 1];
  let rows = 0;
  records.forEach((rec, i) => {
    let body: Partial<SnapshotHeader> & { rows?: LogRow[] | number; end?: boolean };
    try {
      body = readRowsRecord(buf, rec) as typeof body;
    } catch (e) {
      throw corrupt(rec.offset, `unparsable record: ${(e as Error).message}`);
    }
    if (i === 0) {
      if (body.v !== 1 || typeof body.rev !== 'number' || typeof body.compactRev !== 'number' || !Array.isArray(body.leases)) throw corrupt(rec.offset, 'bad header');
      // A snapshot copied or renamed over a newer one would silently open at an old revision.
      if (body.seq !== undefined && body.seq !== seq) throw corrupt(rec.offset, `the file holds snapshot ${String(body.seq)}, not ${seq} as its name says`);
      onHeader(body as SnapshotHeader);
    } else if (rec === last) {
      if (!body.end) throw corrupt(buf.length, 'the file ends before its trailer');
      if (body.rows !== rows) throw corrupt(rec.offset, `trailer counts ${body.rows} rows, the file holds ${rows}`);
    } else if (Array.isArray(body.rows)) {
      rows += body.rows.length;
      onRows(body.rows);
    } else throw corrupt(rec.offset, body.end ? 'data after the trailer' : 'unknown record');
  });
  if (records.length < 2) throw corrupt(buf.length, 'the file ends before its trailer');
}
