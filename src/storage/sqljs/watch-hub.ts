import type { Clock, TimerHandle } from '../../base/clock';
import { inInterval, toInterval, type KeyInterval } from '../keys';
import type { KeySelector, KeyValue, WatchBatch, WatchCallbacks, WatchCancel, WatchEvent, Watcher, WatchOptions } from '../store';
import type { AppliedEvent, MvccDb } from './mvcc-db';
import { toKv } from './mvcc-db';

const REPLAY_ROWS = 1000;

/**
 * Fans applied changes out to watchers. Delivery is asynchronous and per watcher: a consumer that returns a
 * Promise from onBatch gets the next batch only after it settles; one whose backlog passes the buffer limit is
 * cancelled ('slow'). Writers and other watchers never wait for anyone.
 */
export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();
  private seq = 0;

  constructor(
    readonly db: MvccDb,
    readonly clock: Clock,
    readonly bufferEvents: number,
  ) {}

  get size(): number {
    return this.watchers.size;
  }

  watch(sel: KeySelector, options: WatchOptions, callbacks: WatchCallbacks): Watcher {
    const w = new HubWatcher(++this.seq, this, toInterval(sel), options, callbacks);
    this.watchers.add(w);
    w.start();
    return w;
  }

  remove(w: HubWatcher): void {
    this.watchers.delete(w);
  }

  /** Called right after a batch was applied (synchronously, so no event can slip between replay and live). */
  notify(events: AppliedEvent[]): void {
    if (!events.length) return;
    const prevCache = new Map<number, KeyValue | undefined>();
    for (const w of this.watchers) w.offer(events, prevCache);
  }

  /** Compaction moved: watchers still replaying below it are cancelled. */
  compacted(): void {
    for (const w of this.watchers) w.checkCompacted();
  }

  closeAll(): void {
    for (const w of [...this.watchers]) w.end({ reason: 'closed', message: 'the store was closed' });
  }
}

class HubWatcher implements Watcher {
  private state: 'replaying' | 'live' | 'ended' = 'live';
  private readonly queue: WatchBatch[] = [];
  private queued = 0;
  private busy = false;
  private scheduled = false;
  /** Next revision this watcher must receive. */
  private nextRev: number;
  private replayId = 0;
  private progressTimer: TimerHandle | undefined;
  private lastSent = 0;

  constructor(
    readonly id: number,
    private readonly hub: WatchHub,
    private readonly iv: KeyInterval,
    private readonly options: WatchOptions,
    private readonly cb: WatchCallbacks,
  ) {
    const db = hub.db;
    this.nextRev = options.startRevision && options.startRevision > 0 ? options.startRevision : db.rev + 1;
  }

  start(): void {
    const db = this.hub.db;
    if (this.nextRev < db.compactRev) {
      const compactRevision = db.compactRev;
      this.state = 'ended';
      this.hub.remove(this);
      setImmediate(() => this.cb.onCancel({ reason: 'compacted', message: 'etcdserver: mvcc: required revision has been compacted', compactRevision }));
      return;
    }
    if (this.nextRev <= db.rev) {
      this.state = 'replaying';
      this.replayId = db.firstIdAtOrAfter(this.nextRev);
      this.schedule();
    }
    this.armProgress();
  }

  cancel(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.queue.length = 0;
    if (this.progressTimer) this.hub.clock.clearTimeout(this.progressTimer);
    this.hub.remove(this);
  }

  end(why: WatchCancel): void {
    if (this.state === 'ended') return;
    this.cancel();
    setImmediate(() => this.cb.onCancel(why));
  }

  checkCompacted(): void {
    if (this.state === 'replaying' && this.nextRev < this.hub.db.compactRev) {
      const compactRevision = this.hub.db.compactRev;
      this.end({ reason: 'compacted', message: 'etcdserver: mvcc: required revision has been compacted', compactRevision });
    }
  }

  offer(events: AppliedEvent[], prevCache: Map<number, KeyValue | undefined>): void {
    if (this.state !== 'live') return;
    let out: WatchEvent[] | undefined;
    for (const ev of events) {
      if (ev.kv.modRevision < this.nextRev || !inInterval(ev.kv.key, this.iv)) continue;
      const we: WatchEvent = { type: ev.type, kv: ev.kv };
      if (this.options.prevKv && ev.prevId) {
        if (!prevCache.has(ev.prevId)) prevCache.set(ev.prevId, this.hub.db.rowById(ev.prevId));
        const prev = prevCache.get(ev.prevId);
        if (prev) we.prevKv = prev;
      }
      (out ??= []).push(we);
    }
    if (!out) return;
    const revision = out[out.length - 1].kv.modRevision;
    this.nextRev = revision + 1;
    this.push({ revision, events: out });
  }

  private push(batch: WatchBatch): void {
    this.queue.push(batch);
    this.queued += batch.events.length;
    if (this.queued > this.hub.bufferEvents) {
      this.end({
        reason: 'slow',
        message: `watcher fell behind by more than ${this.hub.bufferEvents} events; watch again from revision ${this.lastSent + 1}`,
      });
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.busy || this.state === 'ended') return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (!this.busy && this.state !== 'ended') {
      const batch = this.queue.shift();
      if (!batch) {
        if (this.state === 'replaying') {
          this.replayStep();
          if (this.queue.length) continue;
        }
        return;
      }
      this.queued -= batch.events.length;
      this.lastSent = batch.revision;
      let r: unknown;
      try {
        r = this.cb.onBatch(batch);
      } catch {
        r = undefined;
      }
      if (r && typeof (r as Promise<void>).then === 'function') {
        this.busy = true;
        (r as Promise<void>).then(
          () => this.resume(),
          () => this.resume(),
        );
      }
    }
  }

  private resume(): void {
    this.busy = false;
    this.schedule();
  }

  /** Read the next slice of history; switch to live once caught up (synchronously, so nothing is missed). */
  private replayStep(): void {
    const db = this.hub.db;
    if (this.nextRev < db.compactRev) return this.checkCompacted();
    const rows = this.replayId ? db.historyFrom(this.replayId, REPLAY_ROWS) : [];
    const events: WatchEvent[] = [];
    for (const row of rows) {
      this.replayId = row[0] + 1;
      if (row[1] < this.nextRev) continue;
      this.nextRev = row[1];
      if (!inInterval(row[2], this.iv)) continue;
      const deleted = row[3] === 1;
      const kv = deleted ? { key: row[2], value: '', createRevision: 0, modRevision: row[1], version: 0, lease: '0' } : toKv(row, false);
      const we: WatchEvent = { type: deleted ? 'delete' : 'put', kv };
      if (this.options.prevKv && row[7]) {
        const prev = db.rowAt(row[2], row[7]);
        if (prev) we.prevKv = prev;
      }
      events.push(we);
    }
    if (events.length) {
      const revision = events[events.length - 1].kv.modRevision;
      this.queue.push({ revision, events });
      this.queued += events.length;
    }
    if (rows.length < REPLAY_ROWS) {
      this.state = 'live';
      this.nextRev = Math.max(this.nextRev, db.rev + 1);
    }
  }

  private armProgress(): void {
    const every = this.options.progressNotifyMs;
    if (!every || this.state === 'ended') return;
    this.progressTimer = this.hub.clock.setTimeout(() => {
      if (this.state === 'live' && this.queue.length === 0 && !this.busy) {
        const revision = this.hub.db.rev;
        this.lastSent = revision;
        this.queue.push({ revision, events: [] });
        this.schedule();
      }
      this.armProgress();
    }, every);
  }
}
