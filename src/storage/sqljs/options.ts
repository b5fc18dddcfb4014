import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { Store } from '../store';

export interface CompactionOptions {
  /** Keep at least this much history by time (default 5 minutes). */
  minRetentionMs?: number;
  /** Keep at least this many revisions of history (default 1,000). */
  minRetentionRevisions?: number;
  /** How often the automatic compactor looks (default 60 s). 0 turns automatic compaction off. */
  intervalMs?: number;
  /** Rows removed per step; one step never blocks the event loop for long (default 1,000). */
  stepRows?: number;
}

export interface SqlJsStoreOptions {
  /** Directory holding LOCK, wal-*.log segments and snap-*.kls snapshots. Created if missing. */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /**
   * Take a snapshot (and start a new WAL segment) once the WAL since the last one holds this many bytes (default
   * 64 MiB) and at least as many as that snapshot.
   */
  snapshotWalBytes?: number;
  compaction?: CompactionOptions;
  /** A watcher with more undelivered events than this is cancelled with reason 'slow' (default 10,000). */
  watchBufferEvents?: number;
  /** How often lease expiry is checked, in ms (default 500, as etcd). */
  leaseCheckMs?: number;
  /** Directory holding sql-wasm.wasm (default: resolved from the sql.js package, or beside the bundle). */
  wasmDir?: string;
}

export interface SqlJsStoreStats {
  revision: number;
  compactRevision: number;
  keys: number;
  historyRows: number;
  walBytes: number;
  walSegments: number;
  snapshots: number;
  watchers: number;
  leases: number;
  batches: number;
  fsyncs: number;
}

/** The embedded store: the Store contract plus what the CLI, tests and benchmarks need. */
export interface SqlJsStore extends Store {
  /** Write a snapshot now and drop the WAL segments it covers. Resolves when the snapshot is durable. */
  snapshot(): Promise<void>;
  stats(): SqlJsStoreStats;
  readonly dataDir: string;
}
