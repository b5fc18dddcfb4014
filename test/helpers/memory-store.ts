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
  type TxnResult,
  type WatchCallbacks,
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
  busy: boolean;
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

  async txn(request: TxnRequest): Promise<TxnResult> {
    return this.write(() => this.model.txn(request));
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
      busy: false,
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
      this.pump(w);
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

  private pump(w: MemWatcher): void {
    if (w.done) return;
    // A watcher stuck in its consumer still falls behind: its backlog is checked on every write.
    if (this.backlog(w) > this.bufferEvents) {
      return this.end(w, { reason: 'slow', message: `watcher is more than ${this.bufferEvents} events behind` });
    }
    if (w.busy) return;
    if (w.delivered + 1 <= this.model.compactRevision && this.backlog(w) > 0) {
      return this.end(w, { reason: 'compacted', message: 'watcher fell behind the compaction', compactRevision: this.model.compactRevision });
    }
    const events = this.model.events;
    while (w.cursor < events.length && !selMatches(w.sel, events[w.cursor].kv.key)) w.cursor++;
    if (w.cursor >= events.length) {
      if (this.model.revision > w.delivered) w.delivered = this.model.revision;
      return;
    }
    const rev = events[w.cursor].revision;
    const batch: WatchEvent[] = [];
    while (w.cursor < events.length && events[w.cursor].revision === rev) {
      const e = events[w.cursor++];
      if (!selMatches(w.sel, e.kv.key)) continue;
      batch.push(w.prevKv && e.prevKv ? { type: e.type, kv: { ...e.kv }, prevKv: { ...e.prevKv } } : { type: e.type, kv: { ...e.kv } });
    }
    w.delivered = rev;
    this.deliver(w, { revision: rev, events: batch });
  }

  private deliver(w: MemWatcher, batch: { revision: number; events: WatchEvent[] }): void {
    w.busy = true;
    setImmediate(() => {
      if (w.done) return;
      let ret: unknown;
      try {
        ret = w.cb.onBatch(batch);
      } catch {
        /* a throwing consumer is the consumer's problem */
      }
      const next = () => {
        w.busy = false;
        this.pump(w);
      };
      if (ret && typeof (ret as Promise<void>).then === 'function') {
        (ret as Promise<void>).then(next, next);
      } else next();
    });
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
      if (!w.busy && this.backlog(w) === 0) {
        w.delivered = this.model.revision;
        this.deliver(w, { revision: this.model.revision, events: [] });
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
