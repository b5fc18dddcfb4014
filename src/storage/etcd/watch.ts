/**
 * One Store watcher over one etcd watch stream.
 *
 * Contract (the Store's, on top of etcd's watch):
 * - Events arrive in revision order; a batch's revision is the revision of its last event (progress
 *   notifications carry the revision etcd reports, never below one already delivered).
 * - When the stream breaks (member killed, "no leader", network), the watch is created again on a surviving member
 *   from the last delivered event's revision + 1, with backoff, and events already delivered are dropped: no gap,
 *   no duplicate. A start (or resume) below the compaction point ends the watch with reason 'compacted'.
 * - onBatch may return a promise: the next batch waits for it. More than `bufferEvents` undelivered events end the
 *   watch with reason 'slow' (writers and other watchers are never held up).
 * - progressNotifyMs: when no batch was delivered for that long, a progress request is sent and its answer is
 *   delivered as an empty batch.
 * - After cancel() (or any end) no callback runs; onCancel runs at most once, and never after cancel().
 */
import type { IWatchResponse } from 'etcd3';
import type { KeySelector, WatchBatch, WatchCallbacks, WatchCancel, WatchEvent, Watcher, WatchOptions } from '../store';
import { errors } from '../errors';
import type { EtcdConnection } from './connection';
import { int, toByteRange, toKeyValue } from './convert';
import { messageOf } from './error-map';

interface WatchStream {
  write(msg: unknown): boolean;
  on(event: 'data', fn: (r: IWatchResponse) => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
  removeAllListeners(): unknown;
  on(event: 'error', fn: () => void): unknown;
  cancel(): void;
}

export class EtcdWatch implements Watcher {
  private ended = false;
  private stream?: WatchStream;
  /** The next revision to ask for when (re)creating the watch. */
  private resumeRev: number;
  private lastBatchRev = 0;
  private readonly queue: WatchBatch[] = [];
  private queuedEvents = 0;
  private pumping = false;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private progressTimer?: NodeJS.Timeout;
  private lastDeliveryAt = Date.now();
  private progressPending = false;

  constructor(
    readonly id: number,
    private readonly conn: EtcdConnection,
    private readonly sel: KeySelector,
    private readonly options: WatchOptions,
    private readonly cb: WatchCallbacks,
    private readonly bufferEvents: number,
    private readonly onEnd: (w: EtcdWatch) => void,
  ) {
    this.resumeRev = options.startRevision && options.startRevision > 0 ? options.startRevision : conn.knownRevision + 1;
    const every = options.progressNotifyMs;
    if (every && every > 0) {
      this.progressTimer = setInterval(() => this.maybeRequestProgress(every), Math.max(10, Math.floor(every / 2)));
      this.progressTimer.unref?.();
    }
  }

  start(): void {
    void this.open();
  }

  cancel(): void {
    this.finish();
  }

  /** End the watch with a reason the watcher did not ask for (slow, compacted, closed). */
  end(cancel: WatchCancel): void {
    if (this.ended) return;
    this.finish();
    try {
      this.cb.onCancel(cancel);
    } catch (e) {
      this.conn.options.logger?.warn(`watch ${this.id}: onCancel threw: ${messageOf(e)}`);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.progressTimer);
    this.queue.length = 0;
    this.dropStream();
    this.onEnd(this);
  }

  private dropStream(): void {
    const s = this.stream;
    this.stream = undefined;
    if (!s) return;
    s.removeAllListeners();
    s.on('error', () => undefined);
    try {
      s.cancel();
    } catch {
      // already gone
    }
  }

  private async open(): Promise<void> {
    if (this.ended) return;
    let stream: WatchStream;
    try {
      stream = await this.conn.openStream<WatchStream>('Watch', 'watch');
    } catch (e) {
      this.retryLater(e);
      return;
    }
    if (this.ended) {
      stream.on('error', () => undefined);
      stream.cancel();
      return;
    }
    this.stream = stream;
    stream.on('data', (r) => this.onResponse(stream, r));
    stream.on('error', (e) => this.onBroken(stream, e));
    stream.on('end', () => this.onBroken(stream, new Error('watch stream ended')));
    const { key, range_end } = toByteRange(this.sel);
    stream.write({
      create_request: { key, range_end, start_revision: String(this.resumeRev), prev_kv: !!this.options.prevKv, progress_notify: false },
    });
  }

  private onBroken(stream: WatchStream, e: unknown): void {
    if (this.ended || stream !== this.stream) return;
    this.dropStream();
    this.retryLater(e);
  }

  private retryLater(e: unknown): void {
    if (this.ended) return;
    if (this.conn.isClosed) {
      this.end({ reason: 'closed', message: 'the store was closed' });
      return;
    }
    const delay = Math.min(1000, 25 * 2 ** this.failures++);
    this.conn.options.logger?.debug(`watch ${this.id}: stream broke (${messageOf(e)}); resuming from ${this.resumeRev} in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => void this.open(), delay);
  }

  private onResponse(stream: WatchStream, r: IWatchResponse): void {
    if (this.ended || stream !== this.stream) return;
    const compactRevision = int(r.compact_revision);
    if (compactRevision > 0) {
      this.end({ reason: 'compacted', message: errors.compacted(compactRevision).message, compactRevision });
      return;
    }
    if (r.canceled) {
      this.onBroken(stream, new Error(r.cancel_reason || 'watch canceled by the server'));
      return;
    }
    if (r.created) {
      this.failures = 0;
      this.conn.noteHeader(r.header);
      return;
    }
    const headerRev = this.conn.noteHeader(r.header);
    const events: WatchEvent[] = [];
    for (const e of r.events ?? []) {
      const kv = toKeyValue(e.kv);
      if (kv.modRevision < this.resumeRev) continue; // delivered before a reconnection
      const ev: WatchEvent = { type: e.type === 'Delete' ? 'delete' : 'put', kv };
      if (this.options.prevKv && e.prev_kv) ev.prevKv = toKeyValue(e.prev_kv);
      events.push(ev);
    }
    if (events.length) {
      const rev = events[events.length - 1].kv.modRevision;
      this.resumeRev = rev + 1;
      this.enqueue({ revision: Math.max(rev, this.lastBatchRev), events });
    } else if (!r.events?.length && this.progressPending) {
      this.progressPending = false;
      if (headerRev >= this.lastBatchRev && headerRev >= this.resumeRev - 1) this.enqueue({ revision: headerRev, events: [] });
    }
  }

  private maybeRequestProgress(every: number): void {
    if (this.ended || !this.stream || this.progressPending) return;
    if (Date.now() - this.lastDeliveryAt < every || this.queue.length) return;
    this.progressPending = true;
    this.stream.write({ progress_request: {} });
  }

  private enqueue(batch: WatchBatch): void {
    this.lastBatchRev = Math.max(this.lastBatchRev, batch.revision);
    this.queue.push(batch);
    this.queuedEvents += batch.events.length;
    if (this.queuedEvents > this.bufferEvents) {
      const from = this.queue[0]?.events[0]?.kv.modRevision ?? this.resumeRev;
      this.end({
        reason: 'slow',
        message: `watcher fell behind by more than ${this.bufferEvents} events; watch again from revision ${from}`,
      });
      return;
    }
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.ended && this.queue.length) {
        const batch = this.queue.shift()!;
        this.queuedEvents -= batch.events.length;
        this.lastDeliveryAt = Date.now();
        try {
          const r = this.cb.onBatch(batch) as unknown;
          if (r && typeof (r as Promise<void>).then === 'function') await r;
        } catch (e) {
          this.conn.options.logger?.warn(`watch ${this.id}: onBatch threw: ${messageOf(e)}`);
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
