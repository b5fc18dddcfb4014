/**
 * Indexer: client-go's thread-safe store with indexes (cache.Indexer), for one resource. Objects are kept by
 * `namespace/name` (`name` for cluster-scoped: MetaNamespaceKeyFunc); each named index maps an index value to the
 * keys of the objects whose IndexFunc returns it. Objects are treated as immutable (the in-process transport hands
 * out frozen objects shared with the API server's watch cache): callers copy before changing one.
 *
 * The standard indexes every informer has: namespace, owner uid (`metadata.ownerReferences[].uid`), node name
 * (`spec.nodeName`, Pods) and label (`key=value` for each label).
 */
import type { ObjectMeta } from '../../api/object';

export type CachedObject = Readonly<Record<string, unknown> & { metadata?: Readonly<ObjectMeta> }>;
export type IndexFunc = (obj: CachedObject) => readonly string[];

export const NAMESPACE_INDEX = 'namespace';
export const OWNER_INDEX = 'owner';
export const NODE_INDEX = 'node';
export const LABEL_INDEX = 'label';

export const standardIndexers: Readonly<Record<string, IndexFunc>> = {
  [NAMESPACE_INDEX]: (o) => [o.metadata?.namespace ?? ''],
  [OWNER_INDEX]: (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid).filter((u): u is string => typeof u === 'string' && u !== ''),
  [NODE_INDEX]: (o) => {
    const n = (o.spec as { nodeName?: unknown } | undefined)?.nodeName;
    return typeof n === 'string' && n ? [n] : [];
  },
  [LABEL_INDEX]: (o) => Object.entries(o.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`),
};

/** MetaNamespaceKeyFunc. */
export function objectKey(o: CachedObject): string {
  const ns = o.metadata?.namespace;
  const name = o.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** SplitMetaNamespaceKey. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export class Indexer {
  private readonly items = new Map<string, CachedObject>();
  /** index name → index value → key → object (objects kept in the index so lookups need no second map access). */
  private readonly indices = new Map<string, Map<string, Map<string, CachedObject>>>();
  private readonly fns: [Map<string, Map<string, CachedObject>>, IndexFunc][] = [];

  constructor(indexers: Readonly<Record<string, IndexFunc>> = standardIndexers) {
    for (const [name, fn] of Object.entries(indexers)) {
      const index = new Map<string, Map<string, CachedObject>>();
      this.indices.set(name, index);
      this.fns.push([index, fn]);
    }
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): CachedObject | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string, name: string): CachedObject | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): CachedObject[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Objects whose index `name` contains `value`; throws for an unknown index. */
  byIndex(name: string, value: string): CachedObject[] {
    const objs = this.indexed(name, value);
    return objs ? [...objs.values()] : [];
  }

  indexKeys(name: string, value: string): ReadonlySet<string> {
    return new Set(this.indexed(name, value)?.keys());
  }

  private indexed(name: string, value: string): Map<string, CachedObject> | undefined {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index with name ${name} does not exist`);
    return index.get(value);
  }

  /** Adds or replaces; returns the previous object under the same key. */
  upsert(o: CachedObject): CachedObject | undefined {
    const key = objectKey(o);
    const old = this.items.get(key);
    this.items.set(key, o);
    for (const [index, fn] of this.fns) {
      const values = fn(o);
      if (old) {
        const before = fn(old);
        if (sameValues(before, values)) {
          // The usual update (status, annotations): same index values, only the object is new.
          for (const v of values) index.get(v)!.set(key, o);
          continue;
        }
        unindexValues(index, key, before);
      }
      for (const v of values) {
        let objs = index.get(v);
        if (!objs) index.set(v, (objs = new Map()));
        objs.set(key, o);
      }
    }
    return old;
  }

  /** Removes by key; returns what was stored. */
  remove(key: string): CachedObject | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    for (const [index, fn] of this.fns) unindexValues(index, key, fn(old));
    this.items.delete(key);
    return old;
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function unindexValues(index: Map<string, Map<string, CachedObject>>, key: string, values: readonly string[]): void {
  for (const v of values) {
    const objs = index.get(v);
    if (!objs) continue;
    objs.delete(key);
    if (!objs.size) index.delete(v);
  }
}
