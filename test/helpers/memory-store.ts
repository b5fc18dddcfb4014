/**
 * An in-memory Store built on the MvccModel: the reference implementation the conformance suite is checked against
 * (so a failure in the sql.js run is the store's, not the suite's), with asynchronous watch delivery, a bounded
 * per-watcher backlog (reason 'slow'), progress notifications and lease expiry on the injected clock.
 */
import { systemClock, type Clock, type TimerHandle } from '../../src/base/clock';
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
  type WatchBatch,
  type WatchEvent,
  type Watcher,
  type WatchOptions,
} from '../../src/storage/store';
import { MvccModel, selMatches } from './model';

export interface MemoryStoreOptions {
  clock?: Clock;
  watchBufferEvents?: number;
  leaseCheckMs?: number;
}

interface MemWatcher {
  id: number;
  sel: KeySelector;
  prevKv: boolean;
  /** Index into model.events of the next event to consider. */
  cursor: number;
  /** The revision the watcher has been brought up to. */
  delivered: number;
  /** The consumer returned a promise that has not settled yet. */
  waiting: boolean;
  /** A drain is scheduled. */
  scheduled: boolean;
  done: boolean;
  progressMs: number;
  progressTimer?: TimerHandle;
  cb: WatchCallbacks;
}

export class MemoryStore implements Store {
  readonly model = new MvccModel();
  private readonly clock: Clock;
  private readonly bufferEvents: number;
  private readonly leaseCheckMs: number;
  private closed = false;
  private nextWatchId = 1;
  private nextLeaseId = 7_000_000_000_000_000_000n;
  private readonly watchers = new Set<MemWatcher>();
  private leaseTimer: TimerHandle | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.bufferEvents = options.watchBufferEvents ?? 10_000;
    this.leaseCheckMs = options.leaseCheckMs ?? 500;
    this.scheduleLeaseCheck();
  }

  async range(sel: KeySelector, options?: RangeOptions): Promise<RangeResult> {
    return this.op(() => this.model.range(sel, options));
  }

  async put(key: string, value: string, options?: PutOptions): Promise<PutResult> {
    return this.write(() => this.model.put(key, value, options));
  }

  async delete(sel: KeySelector, options?: DeleteOptions): Promise<DeleteResult> {
    return this.write(() => this.model.delete(sel, options));
  }

  async txn(request: TxnRequest, opts?: TxnOptions): Promise<TxnResult> {
    return sequencedAtCommit(await this.write(() => this.model.txn(request)), opts);
  }

  async compact(revision: number): Promise<void> {
    await this.op(() => this.model.compact(revision));
    for (const w of this.watchers) this.pump(w);
  }

  async leaseGrant(ttlSeconds: number, id?: LeaseId): Promise<LeaseGrant> {
    const leaseId = id ?? String(this.nextLeaseId++);
    await this.op(() => this.model.leaseGrant(ttlSeconds, leaseId, this.clock.now()));
    return { id: leaseId, ttl: ttlSeconds };
  }

  async leaseRevoke(id: LeaseId): Promise<void> {
    await this.write(() => this.model.leaseRevoke(id));
  }

  async leaseKeepAlive(id: LeaseId): Promise<number> {
    return this.op(() => this.model.leaseKeepAlive(id, this.clock.now()));
  }

  async leaseTimeToLive(id: LeaseId, withKeys?: boolean): Promise<LeaseTimeToLive> {
    return this.op(() => this.model.leaseTimeToLive(id, !!withKeys, this.clock.now()));
  }

  async revision(): Promise<number> {
    return this.op(() => this.model.revision);
  }

  async compactRevision(): Promise<number> {
    return this.op(() => this.model.compactRevision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.leaseTimer) this.clock.clearTimeout(this.leaseTimer);
    for (const w of [...this.watchers]) this.end(w, { reason: 'closed', message: 'the store was closed' });
  }

  watch(sel: KeySelector, options: WatchOptions, cb: WatchCallbacks): Watcher {
    const start = options.startRevision && options.startRevision > 0 ? options.startRevision : this.model.revision + 1;
    const w: MemWatcher = {
      id: this.nextWatchId++,
      sel,
      prevKv: !!options.prevKv,
      cursor: this.model.events.findIndex((e) => e.revision >= start),
      delivered: start - 1,
      waiting: false,
      scheduled: false,
      done: false,
      progressMs: options.progressNotifyMs ?? 0,
      cb,
    };
    if (w.cursor < 0) w.cursor = this.model.events.length;
    this.watchers.add(w);
    setImmediate(() => {
      if (w.done) return;
      if (this.closed) return this.end(w, { reason: 'closed', message: 'the store is closed' });
      if (start < this.model.compactRevision) {
        return this.end(w, { reason: 'compacted', message: `required revision ${start} has been compacted`, compactRevision: this.model.compactRevision });
      }
      this.scheduleProgress(w);
      this.drain(w);
    });
    return {
      id: w.id,
      cancel: () => {
        w.done = true;
        this.watchers.delete(w);
        if (w.progressTimer) this.clock.clearTimeout(w.progressTimer);
      },
    };
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private async op<T>(fn: () => T): Promise<T> {
    await Promise.resolve();
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    return fn();
  }

  private async write<T>(fn: () => T): Promise<T> {
    const result = await this.op(fn);
    for (const w of this.watchers) this.pump(w);
    return result;
  }

  private backlog(w: MemWatcher): number {
    let n = 0;
    for (let i = w.cursor; i < this.model.events.length; i++) if (selMatches(w.sel, this.model.events[i].kv.key)) n++;
    return n;
  }

  /**
   * Called after every change. A watcher whose consumer is still working on a batch (its promise has not settled)
   * is cancelled once its backlog passes the limit; otherwise delivery is scheduled.
   */
  private pump(w: MemWatcher): void {
    if (w.done) return;
    if (w.waiting) {
      if (this.backlog(w) > this.bufferEvents) this.end(w, { reason: 'slow', message: `watcher is more than ${this.bufferEvents} events behind` });
      return;
    }
    if (w.scheduled) return;
    w.scheduled = true;
    setImmediate(() => {
      w.scheduled = false;
      this.drain(w);
    });
  }

  /** Deliver one batch per revision until caught up or the consumer returns a promise. */
  private drain(w: MemWatcher): void {
    const events = this.model.events;
    while (!w.done && !w.waiting) {
      while (w.cursor < events.length && !selMatches(w.sel, events[w.cursor].kv.key)) w.cursor++;
      if (w.cursor >= events.length) {
        w.delivered = Math.max(w.delivered, this.model.revision);
        return;
      }
      const rev = events[w.cursor].revision;
      if (rev <= this.model.compactRevision) {
        return this.end(w, { reason: 'compacted', message: 'watcher fell behind the compaction', compactRevision: this.model.compactRevision });
      }
      const batch: WatchEvent[] = [];
      while (w.cursor < events.length && events[w.cursor].revision === rev) {
        const e = events[w.cursor++];
        if (!selMatches(w.sel, e.kv.key)) continue;
        batch.push(w.prevKv && e.prevKv ? { type: e.type, kv: { ...e.kv }, prevKv: { ...e.prevKv } } : { type: e.type, kv: { ...e.kv } });
      }
      w.delivered = rev;
      this.call(w, { revision: rev, events: batch });
    }
  }

  private call(w: MemWatcher, batch: WatchBatch): void {
    let ret: unknown;
    try {
      ret = w.cb.onBatch(batch);
    } catch {
      /* a throwing consumer is the consumer's problem */
    }
    if (ret && typeof (ret as Promise<void>).then === 'function') {
      w.waiting = true;
      const next = () => {
        w.waiting = false;
        this.pump(w);
      };
      (ret as Promise<void>).then(next, next);
      this.pump(w);
    }
  }

  private end(w: MemWatcher, cancel: { reason: 'compacted' | 'slow' | 'closed'; message: string; compactRevision?: number }): void {
    if (w.done) return;
    w.done = true;
    this.watchers.delete(w);
    if (w.progressTimer) this.clock.clearTimeout(w.progressTimer);
    setImmediate(() => w.cb.onCancel(cancel));
  }

  private scheduleProgress(w: MemWatcher): void {
    if (!w.progressMs || w.done) return;
    w.progressTimer = this.clock.setTimeout(() => {
      if (w.done) return;
      if (!w.waiting && !w.scheduled && this.backlog(w) === 0) {
        w.delivered = this.model.revision;
        this.call(w, { revision: this.model.revision, events: [] });
      }
      this.scheduleProgress(w);
    }, w.progressMs);
  }

  private scheduleLeaseCheck(): void {
    this.leaseTimer = this.clock.setTimeout(() => {
      if (this.closed) return;
      for (const id of this.model.expired(this.clock.now())) {
        this.model.leaseRevoke(id);
      }
      for (const w of this.watchers) this.pump(w);
      this.scheduleLeaseCheck();
    }, this.leaseCheckMs);
  }
}
