/**
 * Transactions (and single puts) over etcd, including what to do when an attempt failed in a way that may have
 * committed it (deadline exceeded, connection lost, "request timed out").
 *
 * Contract:
 * - The request is validated as etcd would (txn-validate) before anything is sent; the etcd result is translated
 *   op by op (prevKv only when asked, range results with the header revision).
 * - After an ambiguous failure, before retrying, and again if the retry reports a failed compare: when the success
 *   branch puts keys and every one of them now holds exactly the value and lease the txn wrote, all at one
 *   revision R newer than any revision seen before the call (and every key the branch deletes is absent at R),
 *   the first attempt committed: the call reports success at R, with prevKvs read at R - 1 and range results read
 *   at R - 1 (ranges before the first write) or R. A branch with no put cannot be checked and is retried as is.
 * - Compares are linearizable even with both branches empty: etcd (3.4-3.5) serves a txn whose ops are all
 *   serializable ranges from the member's own store without asking the leader, and it counts "no ops" as all
 *   serializable, so a compare-only txn on a lagging follower could miss a write acknowledged just before. Such a
 *   txn gets one linearizable count-only range in its success branch; its result is dropped.
 */
import type { IResponseOp, ITxnResponse } from 'etcd3';
import { validateTxn } from '../txn-validate';
import type { KeyValue, PutOptions, PutResult, TxnOp, TxnOpResult, TxnRequest, TxnResult } from '../store';
import type { EtcdConnection } from './connection';
import { int, leaseId, toByteRange, toCompare, toKeyValue } from './convert';
import { rangeRead } from './range';

function toRequestOp(op: TxnOp): Record<string, unknown> {
  switch (op.type) {
    case 'put':
      return {
        request_put: {
          key: Buffer.from(op.key, 'utf8'),
          value: Buffer.from(op.value, 'utf8'),
          lease: leaseId(op.lease),
          prev_kv: !!op.prevKv,
        },
      };
    case 'delete':
      return { request_delete_range: { ...toByteRange(op.sel), prev_kv: !!op.prevKv } };
    case 'range': {
      const o = op.options ?? {};
      return {
        request_range: {
          ...toByteRange(op.sel),
          limit: String(o.limit && o.limit > 0 ? o.limit : 0),
          keys_only: !!o.keysOnly,
          count_only: !!o.countOnly,
        },
      };
    }
  }
}

function toOpResult(op: TxnOp, r: IResponseOp, revision: number): TxnOpResult {
  if (op.type === 'put') {
    const prev = r.response_put?.prev_kv;
    return op.prevKv && prev ? { type: 'put', prevKv: toKeyValue(prev) } : { type: 'put' };
  }
  if (op.type === 'delete') {
    const d = r.response_delete_range;
    const out: TxnOpResult = { type: 'delete', deleted: int(d?.deleted) };
    if (op.prevKv) out.prevKvs = (d?.prev_kvs ?? []).map((k) => toKeyValue(k));
    return out;
  }
  const rr = r.response_range;
  const keysOnly = !!op.options?.keysOnly;
  return {
    type: 'range',
    result: { kvs: (rr?.kvs ?? []).map((k) => toKeyValue(k, keysOnly)), count: int(rr?.count), more: !!rr?.more, revision },
  };
}

/** Run a transaction with retries and the commit check described above. */
export async function runTxn(conn: EtcdConnection, req: TxnRequest): Promise<TxnResult> {
  validateTxn(req);
  const revBefore = conn.knownRevision;
  const message = {
    compare: req.compare.map(toCompare),
    success: req.success.map(toRequestOp),
    failure: req.failure.map(toRequestOp),
  };
  if (!req.success.length && !req.failure.length) {
    message.success.push(toRequestOp({ type: 'range', sel: { key: req.compare[0]?.key ?? '\0' }, options: { countOnly: true } }));
  }
  const translate = (res: ITxnResponse): TxnResult => {
    const revision = conn.noteHeader(res.header);
    const ops = res.succeeded ? req.success : req.failure;
    return { succeeded: !!res.succeeded, revision, results: ops.map((op, i) => toOpResult(op, res.responses[i] ?? {}, revision)) };
  };
  const verify = () => committedAt(conn, req.success, revBefore);
  const { res, ambiguous } = await conn.call(async (o) => translate(await conn.kv.txn(message as never, o)), verify);
  if (ambiguous && !res.succeeded) return (await verify()) ?? res;
  return res;
}

/** A single put: validated like a one-op txn, retried with the same commit check. */
export async function runPut(conn: EtcdConnection, key: string, value: string, options: PutOptions = {}): Promise<PutResult> {
  const op: TxnOp = { type: 'put', key, value, lease: options.lease, prevKv: options.prevKv };
  validateTxn({ compare: [], success: [op], failure: [] });
  const revBefore = conn.knownRevision;
  const message = toRequestOp(op).request_put;
  const verify = async (): Promise<PutResult | undefined> => {
    const t = await committedAt(conn, [op], revBefore);
    if (!t) return undefined;
    const r = t.results[0];
    return r.type === 'put' && r.prevKv ? { revision: t.revision, prevKv: r.prevKv } : { revision: t.revision };
  };
  const { res } = await conn.call(async (o) => {
    const r = await conn.kv.put(message as never, o);
    const revision = conn.noteHeader(r.header);
    return options.prevKv && r.prev_kv ? { revision, prevKv: toKeyValue(r.prev_kv) } : { revision };
  }, verify);
  return res;
}

/** Whether the success branch `ops` was applied at some revision after revBefore; its result if so. */
async function committedAt(conn: EtcdConnection, ops: TxnOp[], revBefore: number): Promise<TxnResult | undefined> {
  const puts = ops.filter((op): op is Extract<TxnOp, { type: 'put' }> => op.type === 'put');
  if (!puts.length) return undefined;
  const now = await rangeRead(conn, { key: puts[0].key });
  const R = now.kvs[0]?.modRevision ?? 0;
  if (R <= revBefore) return undefined;
  const at = async (key: string, revision: number): Promise<KeyValue | undefined> => (await rangeRead(conn, { key }, { revision })).kvs[0];
  for (const p of puts) {
    const kv = await at(p.key, R);
    if (!kv || kv.modRevision !== R || kv.value !== p.value || kv.lease !== leaseId(p.lease)) return undefined;
  }
  for (const op of ops) {
    if (op.type === 'delete' && (await rangeRead(conn, op.sel, { revision: R, countOnly: true })).count > 0) return undefined;
  }
  const results: TxnOpResult[] = [];
  let wrote = false;
  for (const op of ops) {
    if (op.type === 'put') {
      const prev = op.prevKv ? await at(op.key, R - 1) : undefined;
      results.push(prev ? { type: 'put', prevKv: prev } : { type: 'put' });
      wrote = true;
    } else if (op.type === 'delete') {
      const before = await rangeRead(conn, op.sel, { revision: R - 1 });
      results.push(op.prevKv ? { type: 'delete', deleted: before.count, prevKvs: before.kvs } : { type: 'delete', deleted: before.count });
      wrote = true;
    } else {
      const result = await rangeRead(conn, op.sel, { ...op.options, revision: wrote ? R : R - 1 });
      results.push({ type: 'range', result: { ...result, revision: R } });
    }
  }
  conn.options.logger?.info(`etcd: a write retried after an ambiguous failure had committed at revision ${R}`);
  return { succeeded: true, revision: R, results };
}
