/**
 * EtcdStore: the Store interface (src/storage/store.ts) over a real etcd v3 cluster. etcd implements the semantics
 * itself; this class translates, validates what etcd would refuse before sending it, and adds what the etcd3 client
 * does not do (deadlines, retries across members, paging, watch resumption, exact int64s) through the modules of
 * this directory. Every method of the Store contract behaves as the embedded store's does (same conformance suite);
 * the differences are listed in index.ts.
 */
import { errors } from '../errors';
import { checkKey, checkSelector } from '../txn-validate';
import {
  StoreError,
  type DeleteOptions,
  type DeleteResult,
  type KeySelector,
  type LeaseGrant,
  type LeaseId,
  type LeaseTimeToLive,
  type PutOptions,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type Store,
  type TxnRequest,
  type TxnOptions,
  sequencedAtCommit,
  type TxnResult,
  type WatchCallbacks,
  type WatchOptions,
  type Watcher,
} from '../store';
import { compact, compactRevision } from './compact';
import type { EtcdConnection } from './connection';
import { int, toByteRange, toKeyValue } from './convert';
import { leaseGrant, leaseKeepAlive, leaseRevoke, leaseTimeToLive } from './lease';
import { rangeRead } from './range';
import { runPut, runTxn } from './txn';
import { EtcdWatch } from './watch';

export class EtcdStore implements Store {
  private readonly watchers = new Set<EtcdWatch>();
  private nextWatchId = 1;
  private closing?: Promise<void>;

  constructor(readonly conn: EtcdConnection) {}

  /** The endpoints this store talks to. */
  get endpoints(): string[] {
    return this.conn.options.endpoints;
  }

  private guard(): void {
    if (this.closing) throw errors.closed();
  }

  /** A 'compacted' error from etcd names no revision: look it up so the error carries it, as the contract wants. */
  private async withCompactRevision<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof StoreError && e.code === 'compacted' && !e.compactRevision) throw errors.compacted(await compactRevision(this.conn));
      throw e;
    }
  }

  async range(sel: KeySelector, options: RangeOptions = {}): Promise<RangeResult> {
    this.guard();
    return this.withCompactRevision(rangeRead(this.conn, sel, options));
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.guard();
    checkKey(key);
    return runPut(this.conn, key, value, options);
  }

  async delete(sel: KeySelector, options: DeleteOptions = {}): Promise<DeleteResult> {
    this.guard();
    checkSelector(sel);
    const req = { ...toByteRange(sel), prev_kv: !!options.prevKv };
    const { res } = await this.conn.call((o) => this.conn.kv.deleteRange(req as never, o));
    const revision = this.conn.noteHeader(res.header);
    const out: DeleteResult = { revision, deleted: int(res.deleted) };
    if (options.prevKv) out.prevKvs = (res.prev_kvs ?? []).map((k) => toKeyValue(k));
    return out;
  }

  async txn(request: TxnRequest, opts?: TxnOptions): Promise<TxnResult> {
    this.guard();
    return sequencedAtCommit(await runTxn(this.conn, request), opts);
  }

  watch(sel: KeySelector, options: WatchOptions, callbacks: WatchCallbacks): Watcher {
    const w = new EtcdWatch(this.nextWatchId++, this.conn, sel, options ?? {}, callbacks, this.conn.options.watchBufferEvents, (x) => this.watchers.delete(x));
    if (this.closing) {
      setImmediate(() => w.end({ reason: 'closed', message: 'the store was closed' }));
      return w;
    }
    try {
      checkSelector(sel);
    } catch (e) {
      setImmediate(() => w.end({ reason: 'closed', message: (e as Error).message }));
      return w;
    }
    this.watchers.add(w);
    w.start();
    return w;
  }

  async compact(revision: number): Promise<void> {
    this.guard();
    await compact(this.conn, revision);
  }

  async leaseGrant(ttlSeconds: number, id?: LeaseId): Promise<LeaseGrant> {
    this.guard();
    return leaseGrant(this.conn, ttlSeconds, id);
  }

  async leaseRevoke(id: LeaseId): Promise<void> {
    this.guard();
    await leaseRevoke(this.conn, id);
  }

  async leaseKeepAlive(id: LeaseId): Promise<number> {
    this.guard();
    return leaseKeepAlive(this.conn, id);
  }

  async leaseTimeToLive(id: LeaseId, withKeys?: boolean): Promise<LeaseTimeToLive> {
    this.guard();
    return leaseTimeToLive(this.conn, id, withKeys);
  }

  /** The current revision (a linearizable read: served by the leader's view of the cluster). */
  async revision(): Promise<number> {
    this.guard();
    const { res } = await this.conn.call((o) => this.conn.kv.range({ key: Buffer.from([0]), count_only: true } as never, o));
    return this.conn.noteHeader(res.header);
  }

  async compactRevision(): Promise<number> {
    this.guard();
    return compactRevision(this.conn);
  }

  async close(): Promise<void> {
    if (!this.closing) {
      for (const w of [...this.watchers]) w.end({ reason: 'closed', message: 'the store was closed' });
      this.closing = this.conn.close();
    }
    await this.closing;
  }
}
