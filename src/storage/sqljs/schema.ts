/**
 * SQLite schema of the embedded store.
 * - log: every change ever made (until compaction), in apply order (id); deletes are tombstone rows.
 * - cur: the live keys, each pointing at its latest log row (a small pointer table, not a copy of the values).
 * Values are written as UTF-8 BLOBs (binding a string makes sql.js encode it character by character) and read
 * back as TEXT.
 * The revision counter and compaction point live in the WAL/snapshot records, not here.
 */
export const SCHEMA = `
CREATE TABLE log (
  id INTEGER PRIMARY KEY,
  rev INTEGER NOT NULL,
  key TEXT NOT NULL,
  tomb INTEGER NOT NULL,
  create_rev INTEGER NOT NULL,
  version INTEGER NOT NULL,
  lease TEXT NOT NULL,
  prev_rev INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE TABLE cur (key TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
`;

/** Built after a bulk load (recovery), which is faster than keeping them up to date row by row. */
export const INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS log_key_rev ON log(key, rev);
CREATE INDEX IF NOT EXISTS log_rev ON log(rev);
`;

export const PRAGMAS = `
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -8192;
`;

/** Columns of a log row in the order every SELECT returns them. */
/** Values are read back with CAST AS TEXT: sql.js decodes TEXT natively but copies a BLOB byte by byte in JS. */
export const LOG_COLUMNS = 'id, rev, key, tomb, create_rev, version, lease, prev_rev, CAST(value AS TEXT)';

export type LogRow = [
  id: number,
  rev: number,
  key: string,
  tomb: number,
  createRev: number,
  version: number,
  lease: string,
  prevRev: number,
  value: string,
];
