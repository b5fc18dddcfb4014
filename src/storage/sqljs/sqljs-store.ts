import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemClock, type Clock } from '../../base/clock';
import { silentLogger, type Logger } from '../../base/logger';
import { errors } from '../errors';
import { toInterval } from '../keys';
import type {
  DeleteOptions, DeleteResult, KeySelector, LeaseGrant, LeaseId, LeaseTimeToLive, PutOptions, PutResult,
  RangeOptions, RangeResult, TxnOptions, TxnRequest, TxnResult, WatchCallbacks, Watcher, WatchOptions,
} from '../store';
import { StoreError } from '../store';
import { checkSelector, validateTxn } from '../txn-validate';
import { AutoCompactor } from './compactor';
import { LeaseExpiry } from './lease-expiry';
import { addJob, MAX_LEASE_TTL, newLeaseId, type Batch, type Done, type Job, type Revisions } from './jobs';
import type { AppliedEvent, MvccDb, WalBody } from './mvcc-db';
import type { SqlJsStore, SqlJsStoreOptions, SqlJsStoreStats } from './options';
import { Overlay } from './overlay';
import { writeSnapshot } from './snapshot';
import { SEGMENT_RE, SNAPSHOT_RE, syncDir, WalWriter } from './wal';
import { WatchHub } from './watch-hub';
import { IdleRoomGrower } from './idle-room-grower';

/**
 * The embedded store. Writes go through a group-commit pipeline: each job is evaluated on arrival against the
 * overlay (durable state plus every write evaluated before it) into the open batch, which gathers while one WAL
 * append (write + fdatasync) is in flight; when that completes, the open batch's append starts, then the finished
 * batch is applied to SQLite, acknowledged and sent to watchers. An idle store starts the append at the end of the
 * event-loop turn its first job arrived in (schedulePump). Since outcomes are known on arrival, a txn can tell its
 * caller it is sequenced (TxnOptions.onSequenced) long before it is durable: whatever the caller writes next joins
 * the same or a later batch, and a failed append refuses the open batch with it.
 */
export class SqlJsStoreImpl implements SqlJsStore {
  private readonly overlay: Overlay;
  private readonly hub: WatchHub;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** The batch gathering evaluated jobs for the next append. */
  private open: Batch | undefined;
  private writing: Batch | undefined;
  private batchSeq = 0;
  /** The revision the next write gets and the compaction revision with every evaluated job counted. */
  private readonly revs: Revisions;
  private closing: Promise<void> | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly leaseExpiry: LeaseExpiry;
  private readonly compactor: AutoCompactor;
  private snapshotWaiters: Waiter[] = [];
  private snapshotRunning: Promise<void> | undefined;
  private readonly snapshotWalBytes: number;
  private counters = { batches: 0, fsyncs: 0 };
  private pumpScheduled = false;
  private readonly roomGrower: IdleRoomGrower;

  constructor(
    private readonly db: MvccDb,
    private readonly wal: WalWriter,
    readonly dataDir: string,
    private readonly releaseLock: () => void,
    private readonly options: SqlJsStoreOptions,
    private lastSnapshotBytes = 0, // of the newest snapshot on disk
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.overlay = new Overlay(db);
    this.hub = new WatchHub(db, this.clock, options.watchBufferEvents ?? 10_000);
    this.revs = { next: db.rev + 1, compact: db.compactRev };
    this.snapshotWalBytes = options.snapshotWalBytes ?? 64 * 1024 * 1024;
    this.compactor = new AutoCompactor(db, this.clock, this.logger, options.compaction ?? {}, (rev) => this.compact(rev));
    this.compactor.resume();
    this.leaseExpiry = new LeaseExpiry(this.clock, this.logger, options.leaseCheckMs ?? 500, (id) => this.leaseRevoke(id));
    this.leaseExpiry.start(db.leases);
    this.roomGrower = new IdleRoomGrower(this.clock, this.logger, db.room, () => !!(this.writing || this.open || this.snapshotRunning));
  }

  // ---- reads -------------------------------------------------------------------------------------------------------

  async range(sel: KeySelector, options: RangeOptions = {}): Promise<RangeResult> {
    this.checkOpen();
    checkSelector(sel);
    const db = this.db;
    const rev = options.revision && options.revision > 0 ? options.revision : 0;
    if (rev > db.rev) throw errors.futureRevision();
    if (rev && rev < db.compactRev) throw errors.compacted(db.compactRev);
    const iv = toInterval(sel);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const r = !rev || rev === db.rev
      ? db.rangeLatest(iv, limit, !!options.keysOnly, !!options.countOnly)
      : db.rangeAt(rev, iv, limit, !!options.keysOnly, !!options.countOnly);
    return { ...r, revision: rev || db.rev };
  }

  async revision(): Promise<number> {
    this.checkOpen();
    return this.db.rev;
  }

  async compactRevision(): Promise<number> {
    this.checkOpen();
    return this.db.compactRev;
  }

  // ---- writes ------------------------------------------------------------------------------------------------------

  async put(key: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    const r = await this.txn({ compare: [], success: [{ type: 'put', key, value, lease: options.lease, prevKv: options.prevKv }], failure: [] });
    const op = r.results[0] as { prevKv?: PutResult['prevKv'] };
    return op.prevKv ? { revision: r.revision, prevKv: op.prevKv } : { revision: r.revision };
  }

  async delete(sel: KeySelector, options: DeleteOptions = {}): Promise<DeleteResult> {
    const r = await this.txn({ compare: [], success: [{ type: 'delete', sel, prevKv: options.prevKv }], failure: [] });
    const op = r.results[0] as { deleted: number; prevKvs?: DeleteResult['prevKvs'] };
    return op.prevKvs ? { revision: r.revision, deleted: op.deleted, prevKvs: op.prevKvs } : { revision: r.revision, deleted: op.deleted };
  }

  txn(req: TxnRequest, opts?: TxnOptions): Promise<TxnResult> {
    return this.enqueue((done) => {
      validateTxn(req);
      return { kind: 'txn', req, done, onSequenced: opts?.onSequenced };
    });
  }

  compact(revision: number): Promise<void> {
    return this.enqueue((done) => {
      if (!Number.isInteger(revision) || revision < 1) throw errors.invalid(`invalid compaction revision ${revision}`);
      return { kind: 'compact', rev: revision, done };
    });
  }

  leaseGrant(ttlSeconds: number, id?: LeaseId): Promise<LeaseGrant> {
    return this.enqueue((done) => {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LEASE_TTL) {
        throw errors.invalid(`etcdserver: lease TTL must be an integer from 1 to ${MAX_LEASE_TTL} seconds, not ${ttlSeconds}`);
      }
      if (id !== undefined && id !== '0' && !/^[1-9]\d{0,18}$/.test(id)) throw errors.invalid(`invalid lease id ${id}`);
      const leaseId = id && id !== '0' ? id : newLeaseId((x) => this.overlay.leaseTtl(x) !== undefined);
      return { kind: 'grant', id: leaseId, ttl: ttlSeconds, done };
    });
  }

  leaseRevoke(id: LeaseId): Promise<void> {
    return this.enqueue((done) => ({ kind: 'revoke', id: String(id), done }));
  }

  async leaseKeepAlive(id: LeaseId): Promise<number> {
    this.checkOpen();
    const ttl = this.db.leases.get(id);
    if (ttl === undefined || !this.leaseExpiry.keepAlive(id, ttl)) throw errors.leaseNotFound();
    return ttl;
  }

  async leaseTimeToLive(id: LeaseId, withKeys = false): Promise<LeaseTimeToLive> {
    this.checkOpen();
    const ttl = this.db.leases.get(id);
    if (ttl === undefined) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    return { id, ttl: this.leaseExpiry.secondsLeft(id), grantedTtl: ttl, keys: withKeys ? [...(this.db.leaseKeys.get(id) ?? [])].sort() : [] };
  }

  watch(sel: KeySelector, options: WatchOptions, callbacks: WatchCallbacks): Watcher {
    try {
      this.checkOpen();
      checkSelector(sel);
    } catch (e) {
      setImmediate(() => callbacks.onCancel({ reason: 'closed', message: (e as Error).message }));
      return { id: 0, cancel: () => undefined };
    }
    return this.hub.watch(sel, options ?? {}, callbacks);
  }

  // ---- the commit pipeline -----------------------------------------------------------------------------------------

  private enqueue<T>(make: (done: Done<T>) => Job): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed || this.closing) return reject(errors.closed());
      let job: Job;
      try {
        job = make({ resolve, reject } as Done<T>);
      } catch (e) {
        return reject(e);
      }
      this.evaluate(job);
      this.schedulePump();
    });
  }

  /**
   * Evaluates a job into the open batch (the one the next append will write), in arrival order against the overlay,
   * so its outcome and revision are known now; a txn that succeeded tells its onSequenced here.
   */
  private evaluate(job: Job): void {
    addJob((this.open ??= { id: ++this.batchSeq, jobs: [], results: [], bufs: [] }), job, this.overlay, this.revs);
  }

  /**
   * Group commit from idle: with no append in flight, the open batch is written at the end of this event-loop turn,
   * so the writes one turn produces (a burst of requests) share one append and fdatasync instead of the first going
   * alone. While an append is in flight, jobs gather in the open batch anyway (durable() writes it).
   */
  private schedulePump(): void {
    if (this.writing || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Closes the open batch and starts its append (nothing else may be in flight). */
  private pump(): void {
    while (!this.writing && this.open) {
      const batch = this.open;
      this.open = undefined;
      this.counters.batches++;
      if (!batch.bufs.length) {
        this.settle(batch, []);
        continue;
      }
      this.writing = batch;
      this.wal.append(batch.bufs.length === 1 ? batch.bufs[0] : Buffer.concat(batch.bufs)).then(
        () => this.durable(batch),
        (e) => this.failed(batch, e as Error),
      );
      batch.bufs = [];
    }
    if (!this.writing && !this.open) this.wakeIdle();
  }

  private durable(batch: Batch): void {
    this.counters.fsyncs++;
    this.writing = undefined;
    const snapshotDue = this.snapshotWaiters.length > 0 && !this.snapshotRunning;
    if (!snapshotDue) this.pump();
    const events: AppliedEvent[] = [];
    try {
      this.db.transaction(() => {
        for (const r of batch.results) if (r.body) this.db.apply(r.body, events);
      });
    } catch (e) {
      this.logger.error(`applying a durable batch failed; the store stops accepting writes until reopened: ${(e as Error).message}`);
      this.closed = true;
    }
    this.overlay.drop(batch.id);
    this.afterApply(batch);
    this.settle(batch, events);
    if (this.closed || this.closing) this.roomGrower.stop();
    else this.roomGrower.wrote();
    if (snapshotDue) {
      this.startSnapshot();
      this.pump();
    } else if (!this.snapshotRunning && this.wal.bytesSinceSnapshot > Math.max(this.snapshotWalBytes, this.lastSnapshotBytes)) {
      // A snapshot rewrites every row: taken once the WAL has grown as large as the last one (as Redis rewrites its AOF).
      this.snapshot().catch((e) => this.logger.error(`snapshot failed: ${(e as Error).message}`));
    }
  }

  /**
   * A failed append fails its batch and the open batch too: the open batch's jobs were evaluated on top of the
   * failed writes (and may have been started because one of them was sequenced), so none of them may land.
   */
  private failed(batch: Batch, error: Error): void {
    this.writing = undefined;
    const behind = this.open;
    this.open = undefined;
    this.overlay.drop(batch.id);
    if (behind) this.overlay.drop(behind.id);
    this.revs.next = this.db.rev + 1;
    this.revs.compact = this.db.compactRev;
    const jobs = behind ? [...batch.jobs, ...behind.jobs] : batch.jobs;
    this.logger.error(`write failed, ${jobs.length} requests refused: ${error.message}`);
    for (const job of jobs) job.done.reject(error);
    this.pump();
  }

  private afterApply(batch: Batch): void {
    for (const r of batch.results) {
      const b: WalBody | undefined = r.body;
      if (!b) continue;
      if (b.lg) this.leaseExpiry.granted(b.lg[0], b.lg[1]);
      if (b.lr !== undefined) this.leaseExpiry.revoked(b.lr);
      if (b.c !== undefined) {
        this.hub.compacted();
        this.compactor.physical(b.c);
      }
    }
  }

  private settle(batch: Batch, events: AppliedEvent[]): void {
    batch.jobs.forEach((job, i) => {
      const r = batch.results[i];
      if (r.error) job.done.reject(r.error);
      else (job.done as Done<unknown>).resolve(r.value);
    });
    this.hub.notify(events);
  }

  // ---- snapshots ---------------------------------------------------------------------------------------------------

  snapshot(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.closed) return reject(errors.closed());
      this.snapshotWaiters.push({ resolve, reject });
      if (!this.writing && !this.snapshotRunning) this.startSnapshot();
    });
  }

  /** At a quiet point (no append in flight): start a new segment, then write the snapshot in the background. */
  private startSnapshot(): void {
    const waiters = this.snapshotWaiters;
    this.snapshotWaiters = [];
    const db = this.db;
    const started = Date.now();
    let seq: number;
    try {
      seq = this.wal.rotate();
    } catch (e) {
      for (const w of waiters) w.reject(new StoreError('io', `snapshot: cannot start a new WAL segment: ${(e as Error).message}`));
      return;
    }
    const header = { v: 1 as const, rev: db.rev, compactRev: db.compactRev, leases: [...db.leases] };
    const maxId = db.lastId();
    this.snapshotRunning = writeSnapshot(this.dataDir, seq, header, (after, limit) => db.snapshotRows(after, maxId, limit))
      .then((file) => {
        this.lastSnapshotBytes = fs.statSync(file, { throwIfNoEntry: false })?.size ?? this.lastSnapshotBytes;
        this.removeObsolete(seq);
        this.logger.info(`snapshot at revision ${header.rev} written in ${Date.now() - started} ms`);
        for (const w of waiters) w.resolve();
      })
      .catch((e: Error) => {
        for (const w of waiters) w.reject(new StoreError('io', `snapshot failed: ${e.message}`));
      })
      .finally(() => {
        this.snapshotRunning = undefined;
        if (this.snapshotWaiters.length && !this.writing) this.startSnapshot();
      });
  }

  private removeObsolete(seq: number): void {
    for (const n of fs.readdirSync(this.dataDir)) {
      const s = SEGMENT_RE.exec(n) ?? SNAPSHOT_RE.exec(n);
      if (s && Number(s[1]) < seq) fs.rmSync(path.join(this.dataDir, n), { force: true });
    }
    syncDir(this.dataDir);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------------

  stats(): SqlJsStoreStats {
    const names = fs.existsSync(this.dataDir) ? fs.readdirSync(this.dataDir) : [];
    return {
      revision: this.db.rev,
      compactRevision: this.db.compactRev,
      keys: this.db.keys.size,
      historyRows: this.closed ? 0 : this.db.historyRows(),
      walBytes: this.wal.bytesSinceSnapshot,
      walSegments: names.filter((n) => SEGMENT_RE.test(n)).length,
      snapshots: names.filter((n) => SNAPSHOT_RE.test(n)).length,
      watchers: this.hub.size,
      leases: this.db.leases.size,
      ...this.counters,
    };
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.roomGrower.stop();
    this.leaseExpiry.stop();
    this.compactor.stop();
    if (this.writing || this.open) await new Promise<void>((r) => this.idleWaiters.push(r));
    while (this.snapshotRunning) await this.snapshotRunning.catch(() => undefined);
    await this.compactor.idle();
    this.closed = true;
    this.hub.closeAll();
    for (const w of this.snapshotWaiters) w.reject(errors.closed());
    this.snapshotWaiters = [];
    this.wal.close();
    this.db.close();
    this.releaseLock();
  }

  private wakeIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private checkOpen(): void {
    if (this.closed) throw errors.closed();
  }
}

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
}
