/**
 * A tiny, obviously-correct, synchronous model of etcd v3's MVCC semantics, used as the oracle of the property test
 * and as the engine of the in-memory reference store (test/helpers/memory-store.ts). Written for clarity, not speed.
 *
 * Semantics (etcd's): one global revision starting at 1; a write that changes nothing does not bump it; deletes are
 * tombstones; compaction keeps, for every key, its state as of the compaction revision; leases delete their keys in
 * one revision (in key order) when revoked; txn validation (sizes, ops, duplicates) happens before anything runs,
 * lease existence is checked for the branch that runs.
 */
import {
  MAX_REQUEST_BYTES,
  MAX_TXN_OPS,
  StoreError,
  type Compare,
  type DeleteOptions,
  type DeleteResult,
  type KeySelector,
  type KeyValue,
  type LeaseId,
  type PutOptions,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type TxnOp,
  type TxnOpResult,
  type TxnRequest,
  type TxnResult,
  type WatchEvent,
} from '../../src/storage/store';

export interface ModelEvent extends WatchEvent {
  /** The revision of the write that produced the event (= kv.modRevision). */
  revision: number;
}

interface Entry {
  rev: number;
  /** undefined: a tombstone. */
  kv: KeyValue | undefined;
}

export interface ModelLease {
  grantedTtl: number;
  /** Clock time (ms) at which the lease expires. */
  expiresAt: number;
  keys: Set<string>;
}

/** Does `key` fall inside the selector? (end "\0" = no upper bound; prefix = startsWith; else the exact key). */
export function selMatches(sel: KeySelector, key: string): boolean {
  if (sel.prefix) return key.startsWith(sel.key);
  if (sel.end !== undefined && sel.end !== '') {
    if (compareBytes(key, sel.key) < 0) return false;
    return sel.end === '\0' || compareBytes(key, sel.end) < 0;
  }
  return key === sel.key;
}

/** etcd orders keys and compares values bytewise (UTF-8). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const copy = (kv: KeyValue): KeyValue => ({ ...kv });

export class MvccModel {
  revision = 1;
  compactRevision = 0;
  readonly events: ModelEvent[] = [];
  readonly leases = new Map<LeaseId, ModelLease>();
  private readonly hist = new Map<string, Entry[]>();

  // ---- reads -----------------------------------------------------------------------------------------------------

  /** The live kv of key at revision rev (default: latest). */
  get(key: string, rev = this.revision): KeyValue | undefined {
    const entries = this.hist.get(key);
    if (!entries) return undefined;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].rev <= rev) return entries[i].kv && copy(entries[i].kv!);
    }
    return undefined;
  }

  /** Live kvs matching sel at revision rev, sorted by key. */
  select(sel: KeySelector, rev = this.revision): KeyValue[] {
    const out: KeyValue[] = [];
    for (const key of this.hist.keys()) {
      if (!selMatches(sel, key)) continue;
      const kv = this.get(key, rev);
      if (kv) out.push(kv);
    }
    return out.sort((a, b) => compareBytes(a.key, b.key));
  }

  range(sel: KeySelector, options: RangeOptions = {}): RangeResult {
    const rev = options.revision && options.revision > 0 ? options.revision : this.revision;
    if (rev > this.revision) throw new StoreError('future-revision', `required revision ${rev} is a future revision`);
    if (rev < this.compactRevision) throw new StoreError('compacted', `required revision ${rev} has been compacted`, this.compactRevision);
    return shape(this.select(sel, rev), options, this.revision);
  }

  // ---- writes ----------------------------------------------------------------------------------------------------

  put(key: string, value: string, options: PutOptions = {}): PutResult {
    checkPut(key, value);
    this.checkLease(options.lease);
    const w = this.begin();
    const prev = w.put(key, value, options.lease ?? '0');
    const revision = this.commit(w);
    return options.prevKv && prev ? { revision, prevKv: prev } : { revision };
  }

  delete(sel: KeySelector, options: DeleteOptions = {}): DeleteResult {
    checkKey(sel.key);
    const w = this.begin();
    const prevKvs = w.delete(sel);
    const revision = this.commit(w);
    return options.prevKv ? { revision, deleted: prevKvs.length, prevKvs } : { revision, deleted: prevKvs.length };
  }

  txn(req: TxnRequest): TxnResult {
    if (req.compare.length > MAX_TXN_OPS || req.success.length > MAX_TXN_OPS || req.failure.length > MAX_TXN_OPS) {
      throw new StoreError('too-many-ops', `too many operations in txn request (limit ${MAX_TXN_OPS})`);
    }
    validateBranch(req.success);
    validateBranch(req.failure);
    const succeeded = req.compare.every((c) => this.compareHolds(c));
    const ops = succeeded ? req.success : req.failure;
    for (const op of ops) if (op.type === 'put') this.checkLease(op.lease);
    const w = this.begin();
    const results: TxnOpResult[] = ops.map((op): TxnOpResult => {
      switch (op.type) {
        case 'put': {
          const prev = w.put(op.key, op.value, op.lease ?? '0');
          return op.prevKv && prev ? { type: 'put', prevKv: prev } : { type: 'put' };
        }
        case 'delete': {
          const prevKvs = w.delete(op.sel);
          return op.prevKv ? { type: 'delete', deleted: prevKvs.length, prevKvs } : { type: 'delete', deleted: prevKvs.length };
        }
        case 'range':
          return { type: 'range', result: shape(w.select(op.sel), op.options ?? {}, w.changed() ? this.revision + 1 : this.revision) };
      }
    });
    const revision = this.commit(w);
    return { succeeded, revision, results };
  }

  compact(rev: number): void {
    if (rev > this.revision) throw new StoreError('future-revision', `required revision ${rev} is a future revision`);
    if (rev <= this.compactRevision) throw new StoreError('compacted', `required revision ${rev} has been compacted`, this.compactRevision);
    this.compactRevision = rev;
    for (const [key, entries] of this.hist) {
      let i = -1;
      for (let j = entries.length - 1; j >= 0; j--) {
        if (entries[j].rev <= rev) {
          i = j;
          break;
        }
      }
      if (i < 0) continue;
      let kept = entries.slice(i);
      if (!kept[0].kv) kept = kept.slice(1);
      if (kept.length) this.hist.set(key, kept);
      else this.hist.delete(key);
    }
  }

  // ---- leases ----------------------------------------------------------------------------------------------------

  leaseGrant(ttl: number, id: LeaseId, now: number): void {
    if (this.leases.has(id)) throw new StoreError('invalid', `lease ${id} already exists`);
    this.leases.set(id, { grantedTtl: ttl, expiresAt: now + ttl * 1000, keys: new Set() });
  }

  /** Revoke: delete the lease's keys in one revision (key order). Returns the revision after. */
  leaseRevoke(id: LeaseId): number {
    const lease = this.leases.get(id);
    if (!lease) throw new StoreError('lease-not-found', `lease ${id} not found`);
    const w = this.begin();
    for (const key of [...lease.keys].sort(compareBytes)) w.delete({ key });
    this.leases.delete(id);
    return this.commit(w);
  }

  leaseKeepAlive(id: LeaseId, now: number): number {
    const lease = this.leases.get(id);
    if (!lease) throw new StoreError('lease-not-found', `lease ${id} not found`);
    lease.expiresAt = now + lease.grantedTtl * 1000;
    return lease.grantedTtl;
  }

  leaseTimeToLive(id: LeaseId, withKeys: boolean, now: number): { id: LeaseId; ttl: number; grantedTtl: number; keys: string[] } {
    const lease = this.leases.get(id);
    if (!lease) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    return {
      id,
      ttl: Math.max(0, Math.ceil((lease.expiresAt - now) / 1000)),
      grantedTtl: lease.grantedTtl,
      keys: withKeys ? [...lease.keys].sort(compareBytes) : [],
    };
  }

  /** Ids of leases expired at `now`. */
  expired(now: number): LeaseId[] {
    return [...this.leases].filter(([, l]) => l.expiresAt <= now).map(([id]) => id);
  }

  // ---- watch support ---------------------------------------------------------------------------------------------

  /** Events at revisions >= from, matching sel, in order (prevKv included; strip it if the watcher did not ask). */
  eventsFrom(from: number, sel: KeySelector): ModelEvent[] {
    return this.events.filter((e) => e.revision >= from && selMatches(sel, e.kv.key));
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private checkLease(lease: LeaseId | undefined): void {
    if (lease && lease !== '0' && !this.leases.has(lease)) throw new StoreError('lease-not-found', `lease ${lease} not found`);
  }

  private compareHolds(c: Compare): boolean {
    if (c.end !== undefined && c.end !== '') {
      const kvs = this.select({ key: c.key, end: c.end });
      if (!kvs.length) return c.target === 'value' ? false : compareOne(c, undefined);
      return kvs.every((kv) => compareOne(c, kv));
    }
    const kv = this.get(c.key);
    if (!kv && c.target === 'value') return false;
    return compareOne(c, kv);
  }

  private begin(): WriteCtx {
    return new WriteCtx(this, this.revision + 1);
  }

  private commit(w: WriteCtx): number {
    if (!w.changed()) return this.revision;
    const rev = this.revision + 1;
    for (const [key, kv] of w.changes) {
      const prev = this.get(key);
      if (prev && prev.lease !== '0') this.leases.get(prev.lease)?.keys.delete(key);
      if (kv && kv.lease !== '0') this.leases.get(kv.lease)?.keys.add(key);
      let entries = this.hist.get(key);
      if (!entries) this.hist.set(key, (entries = []));
      entries.push({ rev, kv: kv && copy(kv) });
    }
    this.events.push(...w.events);
    this.revision = rev;
    return rev;
  }
}

class WriteCtx {
  readonly changes = new Map<string, KeyValue | undefined>();
  readonly events: ModelEvent[] = [];

  constructor(
    private readonly m: MvccModel,
    private readonly rev: number,
  ) {}

  changed(): boolean {
    return this.events.length > 0;
  }

  current(key: string): KeyValue | undefined {
    return this.changes.has(key) ? this.changes.get(key) && copy(this.changes.get(key)!) : this.m.get(key);
  }

  select(sel: KeySelector): KeyValue[] {
    const keys = new Set<string>([...this.m.select(sel).map((kv) => kv.key), ...[...this.changes.keys()].filter((k) => selMatches(sel, k))]);
    return [...keys]
      .map((k) => this.current(k))
      .filter((kv): kv is KeyValue => !!kv)
      .sort((a, b) => compareBytes(a.key, b.key));
  }

  put(key: string, value: string, lease: LeaseId): KeyValue | undefined {
    const prev = this.current(key);
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : this.rev,
      modRevision: this.rev,
      version: prev ? prev.version + 1 : 1,
      lease: lease || '0',
    };
    this.changes.set(key, kv);
    this.events.push(prev ? { revision: this.rev, type: 'put', kv: copy(kv), prevKv: prev } : { revision: this.rev, type: 'put', kv: copy(kv) });
    return prev;
  }

  delete(sel: KeySelector): KeyValue[] {
    const kvs = this.select(sel);
    for (const prev of kvs) {
      this.changes.set(prev.key, undefined);
      this.events.push({
        revision: this.rev,
        type: 'delete',
        kv: { key: prev.key, value: '', createRevision: 0, modRevision: this.rev, version: 0, lease: '0' },
        prevKv: prev,
      });
    }
    return kvs;
  }
}

function shape(all: KeyValue[], options: Omit<RangeOptions, 'revision'>, revision: number): RangeResult {
  const limit = options.limit && options.limit > 0 ? options.limit : 0;
  if (options.countOnly) return { kvs: [], count: all.length, more: false, revision };
  const more = limit > 0 && all.length > limit;
  const kvs = (more ? all.slice(0, limit) : all).map((kv) => (options.keysOnly ? { ...kv, value: '' } : kv));
  return { kvs, count: all.length, more, revision };
}

function compareOne(c: Compare, kv: KeyValue | undefined): boolean {
  let cmp: number;
  switch (c.target) {
    case 'value':
      cmp = compareBytes(kv?.value ?? '', String(c.value));
      break;
    case 'lease': {
      const a = BigInt(kv?.lease ?? '0');
      const b = BigInt(c.value);
      cmp = a < b ? -1 : a > b ? 1 : 0;
      break;
    }
    default: {
      const a = kv ? kv[c.target] : 0;
      const b = Number(c.value);
      cmp = a < b ? -1 : a > b ? 1 : 0;
    }
  }
  switch (c.op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '>':
      return cmp > 0;
  }
}

function checkKey(key: string): void {
  if (key === '') throw new StoreError('empty-key', 'key is not provided');
}

function checkPut(key: string, value: string): void {
  checkKey(key);
  if (Buffer.byteLength(value, 'utf8') > MAX_REQUEST_BYTES) throw new StoreError('too-large', 'request is too large');
}

function validateBranch(ops: TxnOp[]): void {
  const puts = new Set<string>();
  const deletes: KeySelector[] = [];
  for (const op of ops) {
    if (op.type === 'put') {
      checkPut(op.key, op.value);
      if (puts.has(op.key)) throw new StoreError('duplicate-key', `duplicate key ${op.key} given in txn request`);
      puts.add(op.key);
    } else {
      checkKey(op.sel.key);
      if (op.type === 'delete') deletes.push(op.sel);
    }
  }
  for (const key of puts) {
    if (deletes.some((sel) => selMatches(sel, key))) throw new StoreError('duplicate-key', `duplicate key ${key} given in txn request`);
  }
}
