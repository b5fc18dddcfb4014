/**
 * The Store: a key-value store with etcd v3's semantics. Only the API server (and the composition root that builds
 * it) may use it. Every implementation must pass test/conformance/store.conformance.ts.
 *
 * Contract (etcd's, exactly):
 * - One global revision. It starts at 1 for an empty store and grows by exactly one for every transaction (or
 *   single put/delete) that changes at least one key; a transaction that changes nothing does not bump it.
 * - Every live key has createRevision (revision of the put that created it since its last delete), modRevision
 *   (revision of its last change) and version (number of puts since creation; 1 after creation).
 * - Deletes leave tombstones in history: a read at an older revision still sees the old value until compacted.
 * - All writes of one transaction share one revision; a key may not be written twice in one transaction.
 * - A write resolves only after it is durable (fsynced); a read never sees an unacknowledged write.
 * - Watch replays history from startRevision then streams live events in revision order; a startRevision below
 *   the compaction point fails with StoreError 'compacted' (at the compaction point is allowed, as in etcd). A watcher that does not keep up is cancelled
 *   (reason 'slow') rather than slowing writers or other watchers.
 * - Leases: keys attached to a lease are deleted, in one revision, when the lease expires or is revoked.
 */

/** A stored key-value pair as etcd returns it. `lease` is "0" when the key has no lease. */
export interface KeyValue {
  key: string;
  /** Empty string when the range asked for keysOnly. */
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: LeaseId;
}

/** Lease ids are decimal strings: etcd's are int64 and exceed 2^53. "0" means no lease. */
export type LeaseId = string;

/** Select one key, a [key, end) interval, or every key starting with `key` (prefix). */
export interface KeySelector {
  key: string;
  /** Exclusive end of the interval; mutually exclusive with prefix. "\0" means every key >= key (etcd). */
  end?: string;
  prefix?: boolean;
}

export interface RangeOptions {
  /** Read at this past revision (0 or undefined: the current revision). */
  revision?: number;
  /** At most this many kvs (0 or undefined: no limit). `more` tells whether any were left out. */
  limit?: number;
  keysOnly?: boolean;
  /** Only count; kvs is empty. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Number of keys in the selection (ignoring limit). */
  count: number;
  more: boolean;
  /**
   * The revision the read was served at: the store's current revision for a latest read, the requested revision
   * for a read at a past revision (etcd's header carries the current one; Kubernetes wants the one it read at).
   */
  revision: number;
}

export interface PutOptions {
  lease?: LeaseId;
  prevKv?: boolean;
}

export interface PutResult {
  revision: number;
  prevKv?: KeyValue;
}

export interface DeleteOptions {
  prevKv?: boolean;
}

export interface DeleteResult {
  revision: number;
  deleted: number;
  prevKvs?: KeyValue[];
}

export type CompareTarget = 'value' | 'version' | 'createRevision' | 'modRevision' | 'lease';
export type CompareOp = '=' | '!=' | '<' | '>';

/**
 * A comparison against one key (etcd compares only `key`, or every key in [key, end) when `end` is set). A missing
 * key has version/createRevision/modRevision 0, lease "0" and no value (a value compare against it is false).
 */
export interface Compare {
  key: string;
  end?: string;
  target: CompareTarget;
  op: CompareOp;
  value: string | number;
}

export type TxnOp =
  | { type: 'put'; key: string; value: string; lease?: LeaseId; prevKv?: boolean }
  | { type: 'delete'; sel: KeySelector; prevKv?: boolean }
  | { type: 'range'; sel: KeySelector; options?: Omit<RangeOptions, 'revision'> };

export type TxnOpResult =
  | { type: 'put'; prevKv?: KeyValue }
  | { type: 'delete'; deleted: number; prevKvs?: KeyValue[] }
  | { type: 'range'; result: RangeResult };

export interface TxnRequest {
  compare: Compare[];
  success: TxnOp[];
  failure: TxnOp[];
}

export interface TxnOptions {
  onSequenced?(result: TxnResult): void;
}

/** For backends whose earliest ordering point is the commit: tell `opts.onSequenced` about a committed result. */
export function sequencedAtCommit(result: TxnResult, opts: TxnOptions | undefined): TxnResult {
  if (result.succeeded && opts?.onSequenced) {
    try {
      opts.onSequenced(result);
    } catch {
      // the caller's problem; the write itself succeeded
    }
  }
  return result;
}

export interface TxnResult {
  succeeded: boolean;
  /** The store's revision after the transaction (unchanged when it wrote nothing). */
  revision: number;
  results: TxnOpResult[];
}

export type WatchEventType = 'put' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For a delete: the key with modRevision = the delete's revision, empty value, version 0. */
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchOptions {
  /** First revision to deliver (0 or undefined: only events after the current revision). */
  startRevision?: number;
  prevKv?: boolean;
  /** Send a progress notification (an empty batch with the current revision) this often when idle, in ms. */
  progressNotifyMs?: number;
}

export interface WatchBatch {
  /** The store revision this batch brings the watcher up to. */
  revision: number;
  /** Empty for a progress notification. */
  events: WatchEvent[];
}

/** Why a watch ended without the watcher asking. */
export interface WatchCancel {
  reason: 'compacted' | 'slow' | 'closed';
  message: string;
  /** For 'compacted': the compaction revision. */
  compactRevision?: number;
}

export interface Watcher {
  readonly id: number;
  /** Stop the watch. Idempotent; no callback runs after it returns. */
  cancel(): void;
}

export interface WatchCallbacks {
  onBatch(batch: WatchBatch): void;
  onCancel(cancel: WatchCancel): void;
}

export interface LeaseGrant {
  id: LeaseId;
  ttl: number;
}

export interface LeaseTimeToLive {
  id: LeaseId;
  /** Seconds left; -1 when the lease does not exist (etcd). */
  ttl: number;
  grantedTtl: number;
  keys: string[];
}

export type StoreErrorCode =
  | 'compacted'
  | 'future-revision'
  | 'lease-not-found'
  | 'too-large'
  | 'empty-key'
  | 'duplicate-key'
  | 'too-many-ops'
  | 'closed'
  | 'io'
  | 'locked'
  | 'corrupt'
  | 'invalid';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For 'compacted': the compaction revision. */
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** etcd's request limit: values (and whole requests) above this are refused. */
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
/** etcd's default limit of operations per transaction. */
export const MAX_TXN_OPS = 128;

export interface Store {
  range(sel: KeySelector, options?: RangeOptions): Promise<RangeResult>;
  put(key: string, value: string, options?: PutOptions): Promise<PutResult>;
  delete(sel: KeySelector, options?: DeleteOptions): Promise<DeleteResult>;
  /**
   * Runs a transaction. `opts.onSequenced`, when given, is called with the result of a transaction whose compares
   * succeeded, as early as the store can promise that every write started after the call lands after this one and
   * is refused if this one is lost; a backend without such a point calls it when the write is committed. Its
   * errors are ignored.
   */
  txn(request: TxnRequest, opts?: TxnOptions): Promise<TxnResult>;
  /** Start a watch. Errors (e.g. compacted) arrive through onCancel, asynchronously, never thrown. */
  watch(sel: KeySelector, options: WatchOptions, callbacks: WatchCallbacks): Watcher;
  /**
   * Drop history below `revision`: reads at older revisions and watches starting below it then fail with
   * 'compacted'; a read at `revision` itself still works. Compacting to or below the current compaction point
   * fails with 'compacted', above the current revision with 'future-revision'.
   */
  compact(revision: number): Promise<void>;
  leaseGrant(ttlSeconds: number, id?: LeaseId): Promise<LeaseGrant>;
  leaseRevoke(id: LeaseId): Promise<void>;
  /** Reset the lease's TTL; returns the new TTL, or fails with 'lease-not-found'. */
  leaseKeepAlive(id: LeaseId): Promise<number>;
  leaseTimeToLive(id: LeaseId, withKeys?: boolean): Promise<LeaseTimeToLive>;
  /** The current (latest committed) revision. */
  revision(): Promise<number>;
  /** The compaction revision (0 when nothing was compacted). */
  compactRevision(): Promise<number>;
  /** Flush, stop timers, release the data directory. Pending writes finish first. */
  close(): Promise<void>;
}
