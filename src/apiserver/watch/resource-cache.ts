/**
 * The watch cache of one storage prefix (one resource): every live object decoded once, indexed by namespace, plus a
 * bounded history of recent changes so a watch can resume from a resourceVersion, and the watchers to notify. Fed
 * only by the CacheRouter's single store watch; lists and watches never reach storage. A cache in text mode keeps
 * each object as its stored JSON and decodes it when read (TextCachedObject; history events likewise).
 */
import { StatusError } from '../../api/status';
import type { StoredObject } from '../../api/object';
import type { WatchEvent } from '../../storage/store';
import { adoptObject, decodeStored, TextCachedObject, withResourceVersion, type CachedObject } from './cached-object';
import type { CacheEvent, CacheWatcher } from './cache-watcher';

interface Bucket {
  items: Map<string, CachedObject>;
  /** Keys in order (updates of existing keys keep it valid). */
  sorted: string[] | null;
}

export class ResourceCache {
  private readonly buckets = new Map<string, Bucket>();
  private nsOrder: string[] | null = null;
  private count = 0;
  /** history[head..] are the kept events; the slots before head are emptied and cut off now and then. */
  private history: CacheEvent[] = [];
  private head = 0;
  /** Every change with rev > horizon is in history. */
  private horizon: number;
  readonly watchers = new Set<CacheWatcher>();
  private readonly byNamespace = new Map<string, Set<CacheWatcher>>();
  private readonly byNode = new Map<string, Set<CacheWatcher>>();
  private readonly general = new Set<CacheWatcher>();

  constructor(
    readonly prefix: string,
    private readonly historyEvents: number,
    private readonly onCorrupt: (key: string, err: Error) => void,
    loadRev: number,
    /** An already-decoded object for a value this server just wrote (saves parsing it again). */
    private readonly adopt: (key: string, value: string) => StoredObject | undefined = () => undefined,
    /** Keep objects as their stored text (see TextCachedObject). */
    private readonly text = false,
  ) {
    this.horizon = loadRev;
  }

  get size(): number {
    return this.count;
  }

  /** Adds an object during the initial load (no events, no history). */
  loadKv(key: string, value: string, rev: number): void {
    const o = this.text ? this.textObject(key, value, rev, false) : this.decode(key, value, rev);
    if (o) this.put(o);
  }

  /** Applies one store change at revision `rev`; returns the cache event (undefined when nothing changed). */
  apply(e: WatchEvent): void {
    const key = e.kv.key;
    const rev = e.kv.modRevision;
    const prev = this.get(key);
    let ev: CacheEvent | undefined;
    if (e.type === 'delete') {
      if (!prev) return;
      this.remove(prev);
      ev =
        prev instanceof TextCachedObject
          ? new TextCacheEvent('DELETED', rev, prev.at(rev), prev)
          : { type: 'DELETED', rev, key, namespace: prev.namespace, obj: withResourceVersion(prev.obj, rev), prev: prev.obj };
    } else {
      let o: CachedObject | undefined;
      if (this.text) o = this.textObject(key, e.kv.value, rev, true);
      else {
        const mine = this.adopt(key, e.kv.value);
        o = mine ? adoptObject(key, mine, rev) : this.decode(key, e.kv.value, rev);
      }
      if (!o) return;
      if (prev) this.remove(prev);
      this.put(o);
      const type = prev ? 'MODIFIED' : 'ADDED';
      ev = o instanceof TextCachedObject ? new TextCacheEvent(type, rev, o, prev) : { type, rev, key, namespace: o.namespace, obj: o.obj, prev: prev?.obj };
    }
    this.record(ev);
    this.dispatch(ev);
  }

  get(key: string): CachedObject | undefined {
    const ns = this.namespaceOfKey(key);
    return this.buckets.get(ns)?.items.get(key);
  }

  /** Objects in key order, of one namespace or all. */
  list(namespace?: string): CachedObject[] {
    if (namespace !== undefined) {
      const b = this.buckets.get(namespace);
      return b ? this.sortedOf(b) : [];
    }
    if (!this.nsOrder) this.nsOrder = [...this.buckets.keys()].sort((a, b) => cmp(a + '/', b + '/'));
    const out: CachedObject[] = [];
    for (const ns of this.nsOrder) {
      const b = this.buckets.get(ns);
      if (b) for (const o of this.sortedOf(b)) out.push(o);
    }
    return out;
  }

  /** Changes after `rev`, oldest first; throws 410 Expired when some of them are no longer kept. */
  changesSince(rev: number): CacheEvent[] {
    if (rev < this.horizon) throw StatusError.expired(`too old resource version: ${rev} (${this.horizon + 1})`);
    const h = this.history;
    let lo = this.head;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h[mid].rev <= rev) lo = mid + 1;
      else hi = mid;
    }
    return h.slice(lo);
  }

  addWatcher(w: CacheWatcher): void {
    this.watchers.add(w);
    if (w.filter.namespace) addTo(this.byNamespace, w.filter.namespace, w);
    else if (w.filter.nodeName !== undefined) addTo(this.byNode, w.filter.nodeName, w);
    else this.general.add(w);
  }

  removeWatcher(w: CacheWatcher): void {
    this.watchers.delete(w);
    if (w.filter.namespace) removeFrom(this.byNamespace, w.filter.namespace, w);
    else if (w.filter.nodeName !== undefined) removeFrom(this.byNode, w.filter.nodeName, w);
    else this.general.delete(w);
  }

  /** Ends every watcher (used when the cache is rebuilt or the server stops). */
  terminateAll(): void {
    for (const w of [...this.watchers]) w.stop();
  }

  private dispatch(ev: CacheEvent): void {
    if (this.watchers.size === 0) return;
    for (const w of this.general) w.deliver(ev);
    const nsW = this.byNamespace.get(ev.namespace);
    if (nsW) for (const w of nsW) w.deliver(ev);
    if (this.byNode.size) {
      const cur = nodeNameOf(ev.obj);
      const prev = ev.prev ? nodeNameOf(ev.prev) : undefined;
      const a = this.byNode.get(cur);
      if (a) for (const w of a) w.deliver(ev);
      if (prev !== undefined && prev !== cur) {
        const b = this.byNode.get(prev);
        if (b) for (const w of b) w.deliver(ev);
      }
    }
  }

  private record(ev: CacheEvent): void {
    this.history.push(ev);
    if (this.history.length - this.head > this.historyEvents) {
      this.horizon = this.history[this.head].rev;
      // let the evicted event (and the objects only it holds) go now, not when the array is next cut
      (this.history as (CacheEvent | undefined)[])[this.head] = undefined;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.history.length) {
        this.history = this.history.slice(this.head);
        this.head = 0;
      }
    }
  }

  private decode(key: string, value: string, rev: number): CachedObject | undefined {
    try {
      return decodeStored(key, value, rev);
    } catch (err) {
      this.onCorrupt(key, err as Error);
      return undefined;
    }
  }

  /**
   * A text-mode object. Its JSON is checked here unless this server just wrote exactly this value (a write's hint is
   * consumed either way: the object it announces is not kept).
   */
  private textObject(key: string, value: string, rev: number, written: boolean): TextCachedObject | undefined {
    if (!written || !this.adopt(key, value)) {
      try {
        const o = JSON.parse(value) as unknown;
        if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not a JSON object');
      } catch (err) {
        this.onCorrupt(key, err as Error);
        return undefined;
      }
    }
    const rest = key.slice(this.prefix.length + 1);
    const slash = rest.indexOf('/');
    return new TextCachedObject(key, slash < 0 ? '' : rest.slice(0, slash), slash < 0 ? rest : rest.slice(slash + 1), rev, value);
  }

  private namespaceOfKey(key: string): string {
    const rest = key.slice(this.prefix.length + 1);
    const slash = rest.indexOf('/');
    return slash < 0 ? '' : rest.slice(0, slash);
  }

  private put(o: CachedObject): void {
    const ns = this.namespaceOfKey(o.key);
    let b = this.buckets.get(ns);
    if (!b) {
      b = { items: new Map(), sorted: null };
      this.buckets.set(ns, b);
      this.nsOrder = null;
    }
    if (!b.items.has(o.key)) {
      this.count++;
      b.sorted = null;
    }
    b.items.set(o.key, o);
  }

  private remove(o: CachedObject): void {
    const ns = this.namespaceOfKey(o.key);
    const b = this.buckets.get(ns);
    if (!b || !b.items.delete(o.key)) return;
    this.count--;
    b.sorted = null;
    if (b.items.size === 0) {
      this.buckets.delete(ns);
      this.nsOrder = null;
    }
  }

  private sortedOf(b: Bucket): CachedObject[] {
    if (!b.sorted) b.sorted = [...b.items.keys()].sort(cmp);
    const out: CachedObject[] = new Array(b.sorted.length);
    for (let i = 0; i < b.sorted.length; i++) out[i] = b.items.get(b.sorted[i]) as CachedObject;
    return out;
  }
}

/** A change of a text-mode cache: the objects are decoded when a watcher reads them. */
class TextCacheEvent implements CacheEvent {
  readonly key: string;
  readonly namespace: string;

  constructor(
    readonly type: CacheEvent['type'],
    readonly rev: number,
    private readonly cur: CachedObject,
    private readonly before: CachedObject | undefined,
  ) {
    this.key = cur.key;
    this.namespace = cur.namespace;
  }

  get obj(): Readonly<StoredObject> {
    return this.cur.obj;
  }

  get prev(): Readonly<StoredObject> | undefined {
    return this.before?.obj;
  }
}

function nodeNameOf(o: Readonly<StoredObject>): string {
  const spec = o.spec as { nodeName?: string } | undefined;
  return spec?.nodeName ?? '';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s && s.delete(v) && s.size === 0) m.delete(k);
}
