import { errors } from '../errors';
import { compareKeys, toInterval } from '../keys';
import type { Compare, KeyValue, TxnOp, TxnOpResult, TxnRequest, TxnResult } from '../store';
import type { WalBody, WalOp } from './mvcc-db';
import type { Overlay } from './overlay';

/**
 * Run a validated transaction against the overlay (durable state + pending writes). Writes go into the overlay
 * under `batch` and into the returned WAL body at revision `rev`; nothing is written when the txn changes nothing.
 */
export function evaluateTxn(req: TxnRequest, overlay: Overlay, batch: number, rev: number): { body?: WalBody; result: TxnResult } {
  const succeeded = req.compare.every((c) => compareHolds(c, overlay));
  const ops = succeeded ? req.success : req.failure;
  for (const op of ops) {
    if (op.type === 'put' && op.lease && op.lease !== '0' && overlay.leaseTtl(op.lease) === undefined) throw errors.leaseNotFound();
  }
  const wal: WalOp[] = [];
  const results: TxnOpResult[] = [];
  for (const op of ops) results.push(runOp(op, overlay, batch, rev, wal));
  const revision = wal.length ? rev : rev - 1;
  if (wal.length) {
    for (const r of results) if (r.type === 'range') r.result.revision = revision;
  }
  return { body: wal.length ? { r: rev, o: wal } : undefined, result: { succeeded, revision, results } };
}

function runOp(op: TxnOp, overlay: Overlay, batch: number, rev: number, wal: WalOp[]): TxnOpResult {
  switch (op.type) {
    case 'put': {
      const prev = op.prevKv ? overlay.get(op.key) : overlay.meta(op.key);
      const lease = op.lease || '0';
      const kv: KeyValue = {
        key: op.key,
        value: op.value,
        createRevision: prev ? prev.createRevision : rev,
        modRevision: rev,
        version: prev ? prev.version + 1 : 1,
        lease,
      };
      overlay.set(op.key, kv, batch);
      wal.push(['p', op.key, op.value, lease]);
      return op.prevKv && prev ? { type: 'put', prevKv: prev as KeyValue } : { type: 'put' };
    }
    case 'delete': {
      const kvs = overlay.range(toInterval(op.sel), !op.prevKv);
      for (const kv of kvs) {
        overlay.set(kv.key, null, batch);
        wal.push(['d', kv.key]);
      }
      return op.prevKv ? { type: 'delete', deleted: kvs.length, prevKvs: kvs } : { type: 'delete', deleted: kvs.length };
    }
    case 'range': {
      const o = op.options ?? {};
      const all = overlay.range(toInterval(op.sel), !!o.keysOnly || !!o.countOnly);
      const limit = o.limit && o.limit > 0 ? o.limit : 0;
      const more = limit > 0 && all.length > limit;
      const kvs = o.countOnly ? [] : more ? all.slice(0, limit) : all;
      return { type: 'range', result: { kvs, count: all.length, more: o.countOnly ? false : more, revision: rev - 1 } };
    }
  }
}

function compareHolds(c: Compare, overlay: Overlay): boolean {
  const targets = c.end ? overlay.range(toInterval({ key: c.key, end: c.end }), c.target !== 'value') : [];
  if (c.end) {
    if (!targets.length) return c.target === 'value' ? false : compareOne(c, undefined);
    return targets.every((kv) => compareOne(c, kv));
  }
  if (c.target === 'value') {
    const kv = overlay.get(c.key);
    return kv ? compareOne(c, kv) : false;
  }
  return compareOne(c, overlay.meta(c.key));
}

function compareOne(c: Compare, kv: Partial<KeyValue> | undefined): boolean {
  let cmp: number;
  switch (c.target) {
    case 'value':
      cmp = compareKeys(kv?.value ?? '', String(c.value));
      break;
    case 'lease': {
      const a = BigInt(kv?.lease ?? '0');
      const b = BigInt(c.value);
      cmp = a < b ? -1 : a > b ? 1 : 0;
      break;
    }
    default: {
      const field = c.target === 'version' ? 'version' : c.target === 'createRevision' ? 'createRevision' : 'modRevision';
      const a = (kv?.[field] as number | undefined) ?? 0;
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
