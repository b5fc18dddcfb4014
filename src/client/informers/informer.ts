/**
 * SharedInformer: client-go's reflector + indexer + event handlers for one resource (optionally one namespace and
 * label/field selector), over any Transport.
 *
 * - List (pages of 500) then watch from the list's resourceVersion with bookmarks and a 5–10 minute server timeout;
 *   a watch that ends is re-opened from the last resourceVersion seen; 410 Gone (as a response or an ERROR event)
 *   and any failure re-list, after an exponential backoff (800 ms doubling to 30 s, reset after a healthy watch).
 * - A re-list replaces the store: objects still present are delivered as updates, new ones as adds, vanished ones
 *   as deletes of a `DeletedFinalStateUnknown` tombstone (its `obj` is the last state seen), as upstream does.
 * - Handlers run synchronously in event order and must be cheap (enqueue a key). A handler added after the first
 *   list gets an add for every object already stored. With a resync period, a handler gets `onUpdate(o, o)` for
 *   every stored object every period (clock-driven, so tests control it).
 * Objects are the transport's (frozen, shared, in process): never modify one.
 */
import { systemClock, type Clock, type TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { isWatchStream, type Transport, type WatchStream } from '../transport';
import { Indexer, objectKey, standardIndexers, type CachedObject, type IndexFunc } from './indexer';

export interface ResourceRef {
  group: string;
  version: string;
  /** Plural resource name, e.g. `pods`. */
  resource: string;
}

export interface InformerOptions {
  transport: Transport;
  resource: ResourceRef;
  /** Only this namespace ('' or undefined: all). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  logger: Logger;
  indexers?: Readonly<Record<string, IndexFunc>>;
  /**
   * For a UI thread: after handling watch events for this long (ms, wall time), let the event loop run (setImmediate)
   * before the next one, so a burst of thousands of events never blocks it for long. Undefined: never yield.
   */
  yieldAfterMs?: number;
  /**
   * client-go's SetTransform: applied to every object before it is stored or handed to handlers (e.g. dropping
   * managedFields to save memory). It must return a new object, never modify its argument.
   */
  transform?: (obj: CachedObject) => CachedObject;
}

/** A transform that drops `metadata.managedFields` (what kube-scheduler and kube-controller-manager do to their
 * informers' objects); objects without them are returned as they are. */
export function dropManagedFields(obj: CachedObject): CachedObject {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** What a delete handler gets when the object vanished while the watch was down (its last known state). */
export interface DeletedFinalStateUnknown {
  key: string;
  obj: CachedObject;
  tombstone: true;
}

export interface EventHandlers {
  onAdd?(obj: CachedObject, isInInitialList: boolean): void;
  onUpdate?(oldObj: CachedObject, newObj: CachedObject): void;
  onDelete?(obj: CachedObject | DeletedFinalStateUnknown): void;
}

export function isTombstone(x: CachedObject | DeletedFinalStateUnknown): x is DeletedFinalStateUnknown {
  return (x as DeletedFinalStateUnknown).tombstone === true;
}

/** The object of a delete notification, tombstone or not. */
export function deletedObject(x: CachedObject | DeletedFinalStateUnknown): CachedObject {
  return isTombstone(x) ? x.obj : x;
}

export function resourcePath(r: ResourceRef, namespace?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return namespace ? `${base}/namespaces/${namespace}/${r.resource}` : `${base}/${r.resource}`;
}

const PAGE = 500;
const BACKOFF_START_MS = 800;
const BACKOFF_MAX_MS = 30_000;

interface Registration {
  handlers: EventHandlers;
  timer?: TimerHandle;
}

export class SharedInformer {
  readonly indexer: Indexer;
  private readonly clock: Clock;
  private readonly path: string;
  private readonly regs: Registration[] = [];
  private stream: WatchStream | undefined;
  private started = false;
  private stopped = false;
  private synced = false;
  private syncWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private backoffMs = 0;
  private retryTimer: TimerHandle | undefined;
  private lastRv = '';

  constructor(private readonly o: InformerOptions) {
    this.indexer = new Indexer(o.indexers ?? standardIndexers);
    this.clock = o.clock ?? systemClock;
    this.path = resourcePath(o.resource, o.namespace);
  }

  get resource(): ResourceRef {
    return this.o.resource;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion of the last list or event applied. */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  /** Registers handlers; with `resyncMs`, they also get periodic updates for every stored object. */
  addEventHandler(handlers: EventHandlers, resyncMs = 0): void {
    const reg: Registration = { handlers };
    this.regs.push(reg);
    if (this.synced) for (const o of this.indexer.list()) handlers.onAdd?.(o, true);
    if (resyncMs > 0) this.scheduleResync(reg, resyncMs);
  }

  /** Starts listing and watching (idempotent). */
  run(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.listAndWatch();
  }

  /** Resolves after the first successful list has been delivered to the handlers; rejects if stopped first. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error(`informer for ${this.path} stopped before it synced`));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream?.stop();
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    for (const r of this.regs) if (r.timer) this.clock.clearTimeout(r.timer);
    for (const w of this.syncWaiters.splice(0)) w.reject(new Error(`informer for ${this.path} stopped before it synced`));
  }

  private scheduleResync(reg: Registration, ms: number): void {
    reg.timer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      if (this.synced) for (const o of this.indexer.list()) reg.handlers.onUpdate?.(o, o);
      this.scheduleResync(reg, ms);
    }, ms);
  }

  private async listAndWatch(): Promise<void> {
    while (!this.stopped) {
      try {
        const rv = await this.list();
        if (this.stopped) return;
        await this.watchFrom(rv);
      } catch (e) {
        if (this.stopped) return;
        this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs ? this.backoffMs * 2 : BACKOFF_START_MS);
        this.o.logger.warn(`${this.path}: ${(e as Error).message}; listing again in ${this.backoffMs} ms`);
        await new Promise<void>((resolve) => (this.retryTimer = this.clock.setTimeout(resolve, this.backoffMs)));
      }
    }
  }

  private baseQuery(): Record<string, string> {
    const q: Record<string, string> = {};
    if (this.o.labelSelector) q.labelSelector = this.o.labelSelector;
    if (this.o.fieldSelector) q.fieldSelector = this.o.fieldSelector;
    return q;
  }

  private async list(): Promise<string> {
    const items: CachedObject[] = [];
    let cont = '';
    let rv = '';
    do {
      const res = await this.o.transport.request({ method: 'GET', path: this.path, query: { ...this.baseQuery(), limit: PAGE, ...(cont ? { continue: cont } : {}) } });
      if (res.status !== 200) throw new Error(`list failed: HTTP ${res.status}: ${describe(res.body)}`);
      const body = res.body as { items?: CachedObject[]; metadata?: { resourceVersion?: string; continue?: string } };
      const t = this.o.transform;
      for (const o of body.items ?? []) items.push(t ? t(o) : o);
      rv = body.metadata?.resourceVersion ?? rv;
      cont = body.metadata?.continue ?? '';
    } while (cont && !this.stopped);
    if (this.stopped) return rv;
    this.replace(items);
    this.lastRv = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w.resolve();
    }
    return rv;
  }

  private replace(items: readonly CachedObject[]): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const o of items) {
      const key = objectKey(o);
      seen.add(key);
      const old = this.indexer.upsert(o);
      for (const r of this.regs) {
        if (old) r.handlers.onUpdate?.(old, o);
        else r.handlers.onAdd?.(o, initial);
      }
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.remove(key)!;
      const tomb: DeletedFinalStateUnknown = { key, obj: old, tombstone: true };
      for (const r of this.regs) r.handlers.onDelete?.(tomb);
    }
  }

  /** Watches until the stream ends (re-opened from the last version) or needs a re-list (returns). */
  private async watchFrom(rv: string): Promise<void> {
    while (!this.stopped) {
      const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
      const w = await this.o.transport.watch({
        method: 'GET',
        path: this.path,
        query: { ...this.baseQuery(), watch: 'true', resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds },
      });
      if (!isWatchStream(w)) {
        if (w.status === 410) return;
        throw new Error(`watch failed: HTTP ${w.status}: ${describe(w.body)}`);
      }
      this.stream = w;
      if (this.stopped) {
        w.stop();
        return;
      }
      let events = 0;
      let sliceStart = performance.now();
      for await (const ev of w.events) {
        if (this.o.yieldAfterMs !== undefined && performance.now() - sliceStart > this.o.yieldAfterMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
          if (this.stopped) return;
        }
        const o = ev.object as CachedObject;
        if (ev.type === 'ERROR') {
          const code = (o as { code?: number }).code;
          w.stop();
          if (code === 410) return;
          throw new Error(`watch error: ${describe(o)}`);
        }
        const evRv = o.metadata?.resourceVersion;
        if (evRv) rv = evRv;
        this.lastRv = rv;
        events++;
        if (ev.type === 'BOOKMARK') continue;
        this.apply(ev.type, this.o.transform ? this.o.transform(o) : o);
      }
      if (events > 0) this.backoffMs = 0;
    }
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', o: CachedObject): void {
    if (type === 'DELETED') {
      this.indexer.remove(objectKey(o));
      for (const r of this.regs) r.handlers.onDelete?.(o);
      return;
    }
    const old = this.indexer.upsert(o);
    for (const r of this.regs) {
      if (old) r.handlers.onUpdate?.(old, o);
      else r.handlers.onAdd?.(o, false);
    }
  }
}

function describe(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  return JSON.stringify(body)?.slice(0, 300) ?? String(body);
}
