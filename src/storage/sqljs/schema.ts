/**
 * SQLite schema of the embedded store.
 * - log: every change ever made (until compaction), in apply order (id); deletes are tombstone rows.
 * - cur: the live keys, each pointing at its latest log row (a small pointer table, not a copy of the values).
 * - lease: granted leases and their TTL.
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
  value TEXT NOT NULL
);
CREATE UNIQUE INDEX log_key_rev ON log(key, rev);
CREATE INDEX log_rev ON log(rev);
CREATE TABLE cur (key TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
`;

export const PRAGMAS = `
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
`;

/** Columns of a log row in the order every SELECT returns them. */
export const LOG_COLUMNS = 'id, rev, key, tomb, create_rev, version, lease, prev_rev, value';

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
