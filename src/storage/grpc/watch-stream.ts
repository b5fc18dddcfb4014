/**
 * One etcd Watch stream (bidirectional) over a Store: create, cancel and progress requests in, watch responses out,
 * as etcd's serverWatchStream does it.
 *
 * - create: a "created" response (header = the current revision, which is also where a watch without
 *   start_revision starts), then the events. A watch_id the client picks is honoured; one already in use answers
 *   created+canceled with watch_id -1. Watch ids the server picks count up from 0 per stream.
 * - filters (Noput, Nodelete) drop events; a batch left empty is not sent. prev_kv adds the previous key-value.
 * - progress_notify: empty responses carrying the current revision when idle (every progressNotifyMs).
 * - a watch that starts below the compaction point: created, then {canceled, compact_revision} (etcd's shape; the
 *   cancel_reason additionally carries etcd's "required revision has been compacted" message). A watcher the store
 *   cancels as too slow, or because it closed, is answered canceled with the store's message as cancel_reason.
 * - cancel: {canceled} for a known id (an unknown id gets no answer, as in etcd); progress request: one response with
 *   watch_id -1 and the current revision.
 * Back-pressure: while the HTTP/2 stream will not take more, onBatch returns a promise, so the store holds (and
 * eventually cancels, as slow) this watcher instead of buffering without bound. Requests are handled in order.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Store, WatchBatch, WatchCancel, WatchEvent, Watcher } from '../store';
import { int64Number, kvToMessage, selectorFromBytes, type Bytes } from './codec';
import { etcdErrors, toGrpcError } from './grpc-error';
import { header } from './header';

export interface WatchCreateMessage {
  key?: Bytes;
  range_end?: Bytes;
  start_revision?: string | number;
  progress_notify?: boolean;
  filters?: (string | number)[];
  prev_kv?: boolean;
  watch_id?: string | number;
  fragment?: boolean;
}

export interface WatchRequestMessage {
  create_request?: WatchCreateMessage | null;
  cancel_request?: { watch_id?: string | number } | null;
  progress_request?: object | null;
}

export const DUPLICATE_WATCH_ID = 'mvcc: duplicate watch ID provided on the WatchStream';
const INVALID_WATCH_ID = -1;

interface Entry {
  watcher?: Watcher;
}

export class WatchStream {
  private readonly watchers = new Map<number, Entry>();
  private nextId = 0;
  private queue: Promise<void> = Promise.resolve();
  private lastRevision = 0;
  private closed = false;
  private drained: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly call: grpc.ServerDuplexStream<WatchRequestMessage, unknown>,
    private readonly progressNotifyMs: number,
    private readonly onClose: (s: WatchStream) => void,
  ) {
    call.on('data', (req: WatchRequestMessage) => {
      this.queue = this.queue.then(() => this.handle(req)).catch((e) => this.fail(e));
    });
    call.on('end', () => {
      this.close();
      call.end();
    });
    call.on('error', () => this.close());
    call.on('cancelled', () => this.close());
    call.on('close', () => this.close());
  }

  /** Cancel every watcher of this stream; no response is sent after this. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.watchers.values()) e.watcher?.cancel();
    this.watchers.clear();
    this.onClose(this);
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    this.call.emit('error', toGrpcError(e));
    this.close();
  }

  private send(msg: object): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.call.write(msg)) return undefined;
    this.drained ??= new Promise<void>((resolve) => {
      const done = () => {
        this.drained = undefined;
        this.call.off('drain', done);
        this.call.off('close', done);
        resolve();
      };
      this.call.on('drain', done);
      this.call.on('close', done);
    });
    return this.drained;
  }

  private head(revision: number) {
    this.lastRevision = Math.max(this.lastRevision, revision);
    return header(revision);
  }

  private async handle(req: WatchRequestMessage): Promise<void> {
    if (this.closed) return;
    if (req.create_request) return this.create(req.create_request);
    if (req.cancel_request) {
      const id = int64Number(req.cancel_request.watch_id);
      const entry = this.watchers.get(id);
      if (!entry) return;
      entry.watcher?.cancel();
      this.watchers.delete(id);
      this.send({ header: this.head(await this.store.revision()), watch_id: id, canceled: true });
      return;
    }
    if (req.progress_request) {
      this.send({ header: this.head(await this.store.revision()), watch_id: INVALID_WATCH_ID });
    }
  }

  private async create(c: WatchCreateMessage): Promise<void> {
    const revision = await this.store.revision();
    const refuse = (reason: string) =>
      this.send({ header: this.head(revision), watch_id: INVALID_WATCH_ID, created: true, canceled: true, cancel_reason: reason });
    let id = int64Number(c.watch_id);
    if (id !== 0 && this.watchers.has(id)) return void refuse(DUPLICATE_WATCH_ID);
    let sel;
    try {
      sel = selectorFromBytes(c.key, c.range_end);
    } catch (e) {
      return void refuse(toGrpcError(e).message);
    }
    if (id === 0) {
      while (this.watchers.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    }
    const entry: Entry = {};
    this.watchers.set(id, entry);
    this.send({ header: this.head(revision), watch_id: id, created: true });
    const start = int64Number(c.start_revision);
    const filters = new Set((c.filters ?? []).map(String));
    const keep = (e: WatchEvent) => !(e.type === 'put' ? filters.has('Noput') : filters.has('Nodelete'));
    const prevKv = !!c.prev_kv;
    const progress = !!c.progress_notify;
    entry.watcher = this.store.watch(
      sel,
      { startRevision: start > 0 ? start : revision + 1, prevKv, ...(progress ? { progressNotifyMs: this.progressNotifyMs } : {}) },
      {
        onBatch: (b: WatchBatch) => {
          if (this.watchers.get(id) !== entry) return undefined;
          if (b.events.length === 0) return progress ? this.send({ header: this.head(b.revision), watch_id: id }) : undefined;
          const events = b.events.filter(keep);
          if (!events.length) return undefined;
          return this.send({
            header: this.head(b.revision),
            watch_id: id,
            events: events.map((e) => ({
              type: e.type === 'put' ? 'Put' : 'Delete',
              kv: kvToMessage(e.kv),
              prev_kv: prevKv && e.prevKv ? kvToMessage(e.prevKv) : null,
            })),
          });
        },
        onCancel: (why: WatchCancel) => {
          if (this.watchers.get(id) !== entry) return;
          this.watchers.delete(id);
          this.send({
            header: this.head(this.lastRevision),
            watch_id: id,
            canceled: true,
            compact_revision: why.reason === 'compacted' ? (why.compactRevision ?? 0) : 0,
            cancel_reason: why.reason === 'compacted' ? etcdErrors.compacted : why.message,
          });
        },
      },
    );
  }
}

/** The Watch service: one WatchStream per call; close() ends them all. */
export function watchService(store: Store, progressNotifyMs: number) {
  const streams = new Set<WatchStream>();
  return {
    handlers: {
      Watch: ((call: grpc.ServerDuplexStream<WatchRequestMessage, unknown>) => {
        streams.add(new WatchStream(store, call, progressNotifyMs, (s) => streams.delete(s)));
      }) as grpc.UntypedHandleCall,
    },
    close(): void {
      for (const s of [...streams]) s.close();
    },
  };
}
