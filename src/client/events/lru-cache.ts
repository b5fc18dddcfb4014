/**
 * A bounded least-recently-used map (groupcache's `lru.Cache`, which the event correlator uses with 4096 entries):
 * `get` marks an entry as recently used; `add` inserts or replaces and marks it used, evicting the least recently
 * used entry when the cache grows past `maxEntries`.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`LRU cache size must be a positive integer, got ${maxEntries}`);
  }

  get(key: string): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const v = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  add(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
