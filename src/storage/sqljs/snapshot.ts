import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError } from '../store';
import { decodeRecords, encodeRecord } from './record';
import type { LogRow } from './schema';
import { snapshotName, syncDir } from './wal';

export interface SnapshotHeader {
  v: 1;
  rev: number;
  compactRev: number;
  leases: [string, number][];
}

const ROWS_PER_RECORD = 500;

/**
 * Write a snapshot in slices (each slice is read with `nextRows` and written before the next is read), so no
 * step blocks the event loop for long. The file appears under its final name only once complete and fsynced.
 */
export async function writeSnapshot(
  dir: string,
  seq: number,
  header: SnapshotHeader,
  nextRows: (afterId: number, limit: number) => LogRow[],
): Promise<string> {
  const final = path.join(dir, snapshotName(seq));
  const tmp = `${final}.tmp`;
  const fh = await fs.promises.open(tmp, 'w', 0o600);
  let rows = 0;
  try {
    await fh.write(encodeRecord(header));
    let after = 0;
    for (;;) {
      const slice = nextRows(after, ROWS_PER_RECORD);
      if (!slice.length) break;
      after = slice[slice.length - 1][0];
      rows += slice.length;
      await fh.write(encodeRecord({ rows: slice }));
    }
    await fh.write(encodeRecord({ end: true, rows }));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, final);
  syncDir(dir);
  return final;
}

/** Read and verify a snapshot: every record's checksum, the header first, the trailer last with the row count. */
export function readSnapshot(file: string): { header: SnapshotHeader; rowChunks: LogRow[][] } {
  const buf = fs.readFileSync(file);
  const corrupt = (offset: number, why: string) =>
    new StoreError('corrupt', `corrupt snapshot ${file} at offset ${offset}: ${why}; move it away to start from the write-ahead log alone`);
  let header: SnapshotHeader | undefined;
  const rowChunks: LogRow[][] = [];
  let rows = 0;
  let ended = false;
  for (const rec of decodeRecords(buf)) {
    if (!rec.ok) throw corrupt(rec.offset, rec.why);
    if (ended) throw corrupt(rec.offset, 'data after the trailer');
    const body = rec.body as Partial<SnapshotHeader> & { rows?: LogRow[] | number; end?: boolean };
    if (!header) {
      if (body.v !== 1 || typeof body.rev !== 'number' || !Array.isArray(body.leases)) throw corrupt(rec.offset, 'bad header');
      header = body as SnapshotHeader;
    } else if (body.end) {
      if (body.rows !== rows) throw corrupt(rec.offset, `trailer counts ${body.rows} rows, file holds ${rows}`);
      ended = true;
    } else if (Array.isArray(body.rows)) {
      rowChunks.push(body.rows);
      rows += body.rows.length;
    } else throw corrupt(rec.offset, 'unknown record');
  }
  if (!header) throw corrupt(0, 'empty file');
  if (!ended) throw corrupt(buf.length, 'the file ends before its trailer');
  return { header, rowChunks };
}
