import { compareKeys, inInterval, type KeyInterval } from '../keys';
import type { KeyValue } from '../store';
import type { MvccDb } from './mvcc-db';
import { metaToKv } from './mvcc-db';

/** A write that was evaluated but is not yet durable: the key's new state (null = deleted) and its batch. */
interface Pending {
  kv: KeyValue | null;
  batch: number;
}

/**
 * The store as the next transaction must see it: applied (durable) state plus every evaluated write still on its
 * way to disk. Only the commit pipeline reads through it; clients read applied state only.
 */
export class Overlay {
  private readonly keys = new Map<string, Pending>();
  private readonly leases = new Map<string, { ttl: number | null; batch: number }>();

  constructor(private readonly db: MvccDb) {}

  get(key: string): KeyValue | undefined {
    const p = this.keys.get(key);
    if (p) return p.kv ?? undefined;
    const meta = this.db.keys.get(key);
    return meta ? metaToKv(key, meta, this.db.valueOf(meta.id)) : undefined;
  }

  /** Like get, but without reading the value from SQLite (compares on revisions need no value). */
  meta(key: string): Pick<KeyValue, 'createRevision' | 'modRevision' | 'version' | 'lease'> | undefined {
    const p = this.keys.get(key);
    if (p) return p.kv ?? undefined;
    const m = this.db.keys.get(key);
    return m && { createRevision: m.createRev, modRevision: m.modRev, version: m.version, lease: m.lease };
  }

  range(iv: KeyInterval, keysOnly: boolean): KeyValue[] {
    if (iv.single) {
      const kv = this.get(iv.from);
      return kv ? [keysOnly ? { ...kv, value: '' } : kv] : [];
    }
    const base = this.db.rangeLatest(iv, 0, keysOnly, false).kvs;
    let touched = false;
    const merged = new Map<string, KeyValue>();
    for (const kv of base) merged.set(kv.key, kv);
    for (const [key, p] of this.keys) {
      if (!inInterval(key, iv)) continue;
      touched = true;
      if (p.kv) merged.set(key, keysOnly ? { ...p.kv, value: '' } : p.kv);
      else merged.delete(key);
    }
    if (!touched) return base;
    return [...merged.values()].sort((a, b) => compareKeys(a.key, b.key));
  }

  set(key: string, kv: KeyValue | null, batch: number): void {
    this.keys.set(key, { kv, batch });
  }

  leaseTtl(id: string): number | undefined {
    const p = this.leases.get(id);
    if (p) return p.ttl ?? undefined;
    return this.db.leases.get(id);
  }

  setLease(id: string, ttl: number | null, batch: number): void {
    this.leases.set(id, { ttl, batch });
  }

  /** Keys currently attached to a lease, pending writes included, sorted (etcd revokes in key order). */
  leaseKeys(id: string): string[] {
    const out = new Set<string>();
    for (const key of this.db.leaseKeys.get(id) ?? []) {
      const p = this.keys.get(key);
      if (!p) out.add(key);
    }
    for (const [key, p] of this.keys) if (p.kv && p.kv.lease === id) out.add(key);
    return [...out].sort(compareKeys);
  }

  /** Forget the pending writes of a batch (applied, or failed), unless a later batch overwrote them. */
  drop(batch: number): void {
    for (const [key, p] of this.keys) if (p.batch === batch) this.keys.delete(key);
    for (const [id, p] of this.leases) if (p.batch === batch) this.leases.delete(id);
  }
}
