import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeRowsRecord } from './raw-values';
import { encodeRecord } from './record';
import type { LogRow } from './schema';
import { snapshotName, syncDir } from './wal';

export interface SnapshotHeader {
  v: 1;
  rev: number;
  compactRev: number;
  leases: [string, number][];
  /** The sequence number in the file's name (absent in snapshots written before it was recorded). */
  seq?: number;
}

const ROWS_PER_RECORD = 500;

/**
 * Write a snapshot in slices (each slice is read with `nextRows` and written before the next is read), so no
 * step blocks the event loop for long. The file appears under its final name only once complete and fsynced; a
 * failed write removes its temporary file.
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
    try {
      await fh.write(encodeRecord({ ...header, seq }));
      let after = 0;
      for (;;) {
        const slice = nextRows(after, ROWS_PER_RECORD);
        if (!slice.length) break;
        after = slice[slice.length - 1][0];
        rows += slice.length;
        await fh.write(encodeRowsRecord(slice));
      }
      await fh.write(encodeRecord({ end: true, rows }));
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, final);
  } catch (e) {
    // A half-written snapshot (disk full, read-only) must not keep holding the space it took.
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  syncDir(dir);
  return final;
}
