/**
 * The one store watch behind every watch cache: it watches all of `/registry/`, hands each change to the cache
 * of its storage prefix and tracks the revision the caches have caught up to, so a consistent read can wait for
 * "caught up to the store's current revision" instead of reading storage. If the store watch is cancelled (the
 * store compacted past it, or it fell behind) every cache is rebuilt and every watcher told to start over.
 */
import type { Logger } from '../../base/logger';
import type { StoredObject } from '../../api/object';
import { StatusError } from '../../api/status';
import type { Store, WatchBatch, Watcher } from '../../storage/store';
import { ResourceCache } from './resource-cache';

const ROOT = '/registry/';
const PAGE = 5000;
/**
 * Prefixes cached as stored text (decoded when read): Events, written several times per pod and rarely read —
 * upstream kube-apiserver does not cache them at all (DefaultWatchCacheSizes: events 0); we keep lists and watches
 * served from memory, at a quarter of the decoded objects' memory.
 */
const TEXT_PREFIXES = new Set(['/registry/events']);

export interface CacheRouterOptions {
  historyEvents?: number;
  logger: Logger;
}

interface Waiter {
  rev: number;
  resolve: () => void;
}

export class CacheRouter {
  private readonly caches = new Map<string, ResourceCache>();
  private rev = 0;
  private watcher?: Watcher;
  private waiters: Waiter[] = [];
  private closed = false;
  private readonly historyEvents: number;

  constructor(
    private readonly store: Store,
    private readonly opts: CacheRouterOptions,
  ) {
    this.historyEvents = opts.historyEvents ?? 10_000;
  }

  /** The revision every cache has caught up to. */
  get revision(): number {
    return this.rev;
  }

  /** Loads the given prefixes at one revision and starts following the store. */
  async start(prefixes: string[]): Promise<void> {
    const rev = await this.store.revision();
    for (const p of prefixes) this.caches.set(p, this.newCache(p, rev));
    await this.loadAll(rev);
    this.rev = rev;
    this.follow(rev);
  }

  cache(prefix: string): ResourceCache | undefined {
    return this.caches.get(prefix);
  }

  /** Adds a prefix at runtime (a CRD's resource); loads it at the current revision. */
  async addPrefix(prefix: string): Promise<ResourceCache> {
    const existing = this.caches.get(prefix);
    if (existing) return existing;
    // Stop routing while loading so no change is applied twice or missed: load at the revision we are at now,
    // buffering the batches that arrive meanwhile.
    const rev = this.rev;
    const cache = this.newCache(prefix, rev);
    const pending: WatchBatch[] = [];
    this.pendingLoads.set(prefix, pending);
    try {
      await this.loadPrefix(cache, prefix, rev);
    } finally {
      this.pendingLoads.delete(prefix);
    }
    this.caches.set(prefix, cache);
    for (const b of pending) for (const e of b.events) if (e.kv.modRevision > rev && this.prefixOf(e.kv.key) === prefix) cache.apply(e);
    return cache;
  }

  removePrefix(prefix: string): void {
    const c = this.caches.get(prefix);
    if (!c) return;
    c.terminateAll();
    this.caches.delete(prefix);
  }

  private readonly pendingLoads = new Map<string, WatchBatch[]>();
  /** Objects being written, by key: when the store echoes exactly their encoding, the cache adopts them unparsed. */
  private readonly hints = new Map<string, { value: string; obj: StoredObject }>();

  /**
   * Announces a write about to be committed: `obj` encodes to `value`. If the store's watch then brings `value` for
   * `key`, the cache takes `obj` (freezing it) instead of parsing the JSON again. The caller must not mutate `obj`
   * afterwards. `unhint` removes the announcement once the write is settled.
   */
  hint(key: string, value: string, obj: StoredObject): void {
    // Hints are consumed as their events arrive; ones whose write never happened (a failed compare) are dropped
    // wholesale once many pile up.
    if (this.hints.size >= 10_000) this.hints.clear();
    this.hints.set(key, { value, obj });
  }

  unhint(key: string, obj: StoredObject): void {
    if (this.hints.get(key)?.obj === obj) this.hints.delete(key);
  }

  /** The announced object for this change, if the stored bytes are exactly its encoding. */
  adopt(key: string, value: string): StoredObject | undefined {
    const h = this.hints.get(key);
    if (!h || h.value.length !== value.length || h.value !== value) return undefined;
    this.hints.delete(key);
    return h.obj;
  }

  /** Resolves once the caches have seen revision `rev`; 504 Timeout after `timeoutMs`. */
  waitFor(rev: number, timeoutMs = 3000): Promise<void> {
    if (rev <= this.rev) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const e = StatusError.timeout(`Too large resource version: ${rev}, current: ${this.rev}`, 1);
        e.status.details!.causes = [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }];
        reject(e);
      }, timeoutMs);
      const waiter: Waiter = {
        rev,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits until the caches reflect everything the store has committed (a consistent read). */
  async sync(): Promise<void> {
    await this.waitFor(await this.store.revision(), 10_000);
  }

  close(): void {
    this.closed = true;
    this.watcher?.cancel();
    for (const c of this.caches.values()) c.terminateAll();
  }

  private newCache(prefix: string, rev: number): ResourceCache {
    return new ResourceCache(
      prefix,
      this.historyEvents,
      (key, err) => this.opts.logger.error(`skipping ${key}: stored value is not JSON: ${err.message}`),
      rev,
      (key, value) => this.adopt(key, value),
      TEXT_PREFIXES.has(prefix),
    );
  }

  private async loadAll(rev: number): Promise<void> {
    let from = ROOT;
    for (;;) {
      const r = await this.store.range({ key: from, end: prefixEndOf(ROOT) }, { revision: rev, limit: PAGE });
      for (const kv of r.kvs) {
        const c = this.caches.get(this.prefixOf(kv.key));
        if (c) c.loadKv(kv.key, kv.value, kv.modRevision);
      }
      if (!r.more || r.kvs.length === 0) return;
      from = r.kvs[r.kvs.length - 1].key + '\0';
    }
  }

  private async loadPrefix(cache: ResourceCache, prefix: string, rev: number): Promise<void> {
    let from = prefix + '/';
    const end = prefixEndOf(prefix + '/');
    for (;;) {
      const r = await this.store.range({ key: from, end }, { revision: rev, limit: PAGE });
      for (const kv of r.kvs) if (this.prefixOf(kv.key) === prefix) cache.loadKv(kv.key, kv.value, kv.modRevision);
      if (!r.more || r.kvs.length === 0) return;
      from = r.kvs[r.kvs.length - 1].key + '\0';
    }
  }

  /** The cache prefix a key belongs to: the longest registered `/registry/a/b` or `/registry/a`. */
  private prefixOf(key: string): string {
    const i2 = key.indexOf('/', ROOT.length);
    if (i2 < 0) return '';
    const i3 = key.indexOf('/', i2 + 1);
    if (i3 >= 0) {
      const two = key.slice(0, i3);
      if (this.caches.has(two) || this.pendingLoads.has(two)) return two;
    }
    return key.slice(0, i2);
  }

  private follow(fromRev: number): void {
    this.watcher = this.store.watch({ key: ROOT, end: prefixEndOf(ROOT) }, { startRevision: fromRev + 1, progressNotifyMs: 1000 }, {
      onBatch: (b) => this.onBatch(b),
      onCancel: (c) => {
        if (this.closed || c.reason === 'closed') return;
        this.opts.logger.warn(`store watch cancelled (${c.reason}: ${c.message}); rebuilding the watch cache`);
        void this.rebuild();
      },
    });
  }

  private onBatch(b: WatchBatch): void {
    for (const e of b.events) {
      const p = this.prefixOf(e.kv.key);
      const c = this.caches.get(p);
      if (c) c.apply(e);
      else {
        const pending = this.pendingLoads.get(p);
        if (pending) pending.push({ revision: b.revision, events: [e] });
      }
    }
    if (b.revision > this.rev) this.rev = b.revision;
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.rev <= this.rev);
      if (ready.length) {
        this.waiters = this.waiters.filter((w) => w.rev > this.rev);
        for (const w of ready) w.resolve();
      }
    }
  }

  private async rebuild(): Promise<void> {
    const prefixes = [...this.caches.keys()];
    for (const c of this.caches.values()) c.terminateAll();
    this.caches.clear();
    try {
      await this.start(prefixes);
    } catch (e) {
      this.opts.logger.error(`rebuilding the watch cache failed: ${(e as Error).message}`);
    }
  }
}

function prefixEndOf(p: string): string {
  return p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);
}
