import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { Logger } from '../../base/logger';
import { StoreError } from '../store';
import { MvccDb, type WalBody } from './mvcc-db';
import { readWalRecord } from './raw-values';
import { logEnd, scanRecords } from './record';
import { readSnapshot } from './snapshot-read';
import { SEGMENT_RE, SNAPSHOT_RE } from './wal';

export interface Recovered {
  db: MvccDb;
  /** Segment to append to and where its log ends (zero-filled room may follow, see wal.ts). */
  walSeq: number;
  walSize: number;
  /** Bytes of WAL replayed (counts toward the next snapshot). */
  walBytes: number;
  /** Size of the snapshot the store was rebuilt from (0 without one). */
  snapshotBytes: number;
}

/**
 * Address space reserved for the in-memory database file, so sql.js does not have to copy it as it grows (see
 * sqljs-loader.ts); memory is used only as the file fills it.
 */
const DEFAULT_RESERVE = 1024 * 1024 * 1024;

const seqOf = (name: string, re: RegExp) => Number(re.exec(name)![1]);

/**
 * Rebuild the store from the newest snapshot plus the WAL segments after it. Every check happens before any file
 * is changed: a corrupt snapshot or a bad record with valid records after it fails the open and touches nothing.
 * Only then is a torn last record cut off and obsolete files removed.
 */
export function recover(SQL: SqlJsStatic, dir: string, logger: Logger, reserve?: number): Recovered {
  const names = fs.readdirSync(dir);
  const snapshots = names.filter((n) => SNAPSHOT_RE.test(n)).sort();
  const newest = snapshots[snapshots.length - 1];
  const snapSeq = newest ? seqOf(newest, SNAPSHOT_RE) : 0;
  const segments = names.filter((n) => SEGMENT_RE.test(n) && seqOf(n, SEGMENT_RE) >= snapSeq).sort();
  const onDisk = [newest, ...segments].reduce((sum, n) => sum + (n ? fs.statSync(path.join(dir, n)).size : 0), 0);

  const db = MvccDb.create(SQL, reserve ?? Math.max(DEFAULT_RESERVE, Math.ceil(onDisk * 2.5)));
  let torn: { file: string; offset: number } | undefined;
  let walBytes = 0;
  let walSize = 0;
  try {
    db.transaction(() => {
      if (newest) {
        readSnapshot(
          path.join(dir, newest),
          snapSeq,
          (header) => {
            db.setLeases(header.leases);
            db.rev = header.rev;
            db.compactRev = header.compactRev;
          },
          (rows) => db.loadRows(rows),
        );
        db.finishLoad();
      }
      segments.forEach((name, i) => {
        const file = path.join(dir, name);
        const buf = fs.readFileSync(file);
        const records = scanRecords(buf);
        const firstBad = records.findIndex((r) => !r.ok);
        if (firstBad >= 0) {
          const laterGood = records.slice(firstBad + 1).some((r) => r.ok);
          if (i !== segments.length - 1 || laterGood) {
            const bad = records[firstBad];
            throw new StoreError('corrupt', `corrupt write-ahead log ${file} at offset ${bad.offset}: ${bad.why}`);
          }
          torn = { file, offset: records[firstBad].offset };
          records.length = firstBad;
        }
        for (const rec of records) {
          try {
            db.apply(checkBody(readWalRecord(buf, rec)));
          } catch (e) {
            throw new StoreError('corrupt', `corrupt write-ahead log ${file} at offset ${rec.offset}: ${(e as Error).message}`);
          }
        }
        const end = logEnd(records);
        walBytes += end;
        walSize = end;
      });
      db.buildIndexes();
    });
  } catch (e) {
    db.close();
    throw e;
  }

  // Everything checked: now files may change.
  if (torn) {
    logger.warn(`dropping a torn record at the end of ${torn.file} (offset ${torn.offset}); it was never acknowledged`);
    fs.truncateSync(torn.file, torn.offset);
  }
  for (const n of names) {
    const obsolete =
      n.endsWith('.tmp') ||
      (SNAPSHOT_RE.test(n) && n !== newest) ||
      (SEGMENT_RE.test(n) && seqOf(n, SEGMENT_RE) < snapSeq);
    if (obsolete) fs.rmSync(path.join(dir, n), { force: true });
  }
  const lastSegment = segments[segments.length - 1];
  const walSeq = lastSegment ? seqOf(lastSegment, SEGMENT_RE) : Math.max(1, snapSeq);
  return { db, walSeq, walSize, walBytes, snapshotBytes: newest ? fs.statSync(path.join(dir, newest)).size : 0 };
}

function checkBody(body: unknown): WalBody {
  const b = body as WalBody;
  if (!b || typeof b !== 'object') throw new Error('record is not an object');
  if (b.o !== undefined) {
    if (!Array.isArray(b.o) || typeof b.r !== 'number') throw new Error('write record without revision or ops');
    for (const op of b.o) {
      const ok = Array.isArray(op) && ((op[0] === 'p' && op.length === 4) || (op[0] === 'd' && op.length === 2)) && op.slice(1).every((x) => typeof x === 'string');
      if (!ok) throw new Error('malformed operation in write record');
    }
  }
  return b;
}
