import * as fs from 'node:fs';
import { silentLogger } from '../../base/logger';
import { acquireLock } from './lock';
import type { SqlJsStore, SqlJsStoreOptions } from './options';
import { recover } from './recovery';
import { loadSqlJs } from './sqljs-loader';
import { SqlJsStoreImpl } from './sqljs-store';
import { WalWriter } from './wal';

export type { SqlJsStore, SqlJsStoreOptions, SqlJsStoreStats } from './options';

/**
 * Open (or create) the embedded store in options.dataDir: lock the directory, load the newest snapshot, replay
 * the write-ahead log after it, and start accepting writes.
 */
export async function openSqlJsStore(options: SqlJsStoreOptions): Promise<SqlJsStore> {
  const logger = options.logger ?? silentLogger;
  const SQL = await loadSqlJs(options.wasmDir);
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const release = acquireLock(options.dataDir, logger);
  try {
    const started = Date.now();
    const { db, walSeq, walSize, walBytes, snapshotBytes } = recover(SQL, options.dataDir, logger);
    const wal = new WalWriter(options.dataDir, walSeq, walSize);
    wal.bytesSinceSnapshot = walBytes;
    logger.info(`store opened at revision ${db.rev} (${db.keys.size} keys) in ${Date.now() - started} ms`);
    return new SqlJsStoreImpl(db, wal, options.dataDir, release, options, snapshotBytes);
  } catch (e) {
    release();
    throw e;
  }
}
