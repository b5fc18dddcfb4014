/**
 * etcd's TxnRequest (as decoded) → the Store's TxnRequest, and the Store's TxnResult → etcd's TxnResponse.
 *
 * Not supported (UNIMPLEMENTED, nothing written): a nested txn (request_txn), a range at a past revision inside a
 * txn, and put's ignore_value / ignore_lease inside a txn. Sorting, revision filters and keys_only of ranges inside
 * a txn are applied as in a plain Range (range-shape.ts).
 */
import type { Compare, CompareOp, CompareTarget, TxnOp, TxnRequest, TxnResult } from '../store';
import { decodeUtf8, int64Number, intervalOf, kvToMessage, leaseIdOf, selectorFromBytes, type Bytes } from './codec';
import { etcdError, etcdErrors, invalidArgument, unimplemented } from './grpc-error';
import type { ResponseHeader } from './header';
import { shapeRange, storeRangeOptions, type RangeShapeRequest } from './range-shape';
import { opWritesRegistry } from './registry-guard';

export interface RangeRequestMessage extends RangeShapeRequest {
  key?: Bytes;
  range_end?: Bytes;
  revision?: string | number;
}

export interface PutRequestMessage {
  key?: Bytes;
  value?: Bytes;
  lease?: string | number;
  prev_kv?: boolean;
  ignore_value?: boolean;
  ignore_lease?: boolean;
}

export interface DeleteRangeRequestMessage {
  key?: Bytes;
  range_end?: Bytes;
  prev_kv?: boolean;
}

export interface RequestOpMessage {
  request_range?: RangeRequestMessage | null;
  request_put?: PutRequestMessage | null;
  request_delete_range?: DeleteRangeRequestMessage | null;
  request_txn?: unknown;
}

export interface CompareMessage {
  result?: string | number;
  target?: string | number;
  key?: Bytes;
  version?: string | number;
  create_revision?: string | number;
  mod_revision?: string | number;
  value?: Bytes;
  lease?: string | number;
  range_end?: Bytes;
}

export interface TxnRequestMessage {
  compare?: CompareMessage[];
  success?: RequestOpMessage[];
  failure?: RequestOpMessage[];
}

const OPS: Record<string, CompareOp> = { Equal: '=', Greater: '>', Less: '<', NotEqual: '!=' };

export function compareFromMessage(c: CompareMessage): Compare {
  const op = OPS[String(c.result ?? 'Equal')];
  if (!op) throw invalidArgument(`kubelab: unknown compare result ${String(c.result)}`);
  const range = intervalOf(selectorFromBytes(c.key, c.range_end));
  let target: CompareTarget;
  let value: string | number;
  switch (String(c.target ?? 'Version')) {
    case 'Version':
      [target, value] = ['version', int64Number(c.version)];
      break;
    case 'Create':
      [target, value] = ['createRevision', int64Number(c.create_revision)];
      break;
    case 'Mod':
      [target, value] = ['modRevision', int64Number(c.mod_revision)];
      break;
    case 'Value':
      [target, value] = ['value', decodeUtf8(c.value, 'compare value')];
      break;
    case 'Lease':
      [target, value] = ['lease', leaseIdOf(c.lease)];
      break;
    default:
      throw invalidArgument(`kubelab: unknown compare target ${String(c.target)}`);
  }
  return { ...range, target, op, value };
}

/** Refuse what etcd refuses in a put before it runs (value/lease given together with ignore_*). */
export function checkPutFlags(p: PutRequestMessage): void {
  if (p.ignore_value && p.value && p.value.length > 0) throw etcdError(etcdErrors.valueProvided);
  if (p.ignore_lease && leaseIdOf(p.lease) !== '0') throw etcdError(etcdErrors.leaseProvided);
}

export function opFromMessage(m: RequestOpMessage): TxnOp {
  if (m.request_put) {
    const p = m.request_put;
    checkPutFlags(p);
    if (p.ignore_value || p.ignore_lease) throw unimplemented('kubelab: ignore_value and ignore_lease are not supported inside a txn');
    const lease = leaseIdOf(p.lease);
    return {
      type: 'put',
      key: decodeUtf8(p.key, 'key'),
      value: decodeUtf8(p.value, 'value'),
      ...(lease !== '0' ? { lease } : {}),
      prevKv: !!p.prev_kv,
    };
  }
  if (m.request_delete_range) {
    const d = m.request_delete_range;
    return { type: 'delete', sel: selectorFromBytes(d.key, d.range_end), prevKv: !!d.prev_kv };
  }
  if (m.request_range) {
    const r = m.request_range;
    if (int64Number(r.revision) > 0) throw unimplemented('kubelab: a range at a past revision inside a txn is not supported');
    return { type: 'range', sel: selectorFromBytes(r.key, r.range_end), options: storeRangeOptions(r) };
  }
  if (m.request_txn) throw unimplemented('kubelab: nested transactions (request_txn) are not supported');
  throw invalidArgument('kubelab: empty request in txn');
}

export interface ConvertedTxn {
  request: TxnRequest;
  /** Whether either branch writes a key under /registry/. */
  writesRegistry: boolean;
}

export function txnFromMessage(m: TxnRequestMessage): ConvertedTxn {
  const request: TxnRequest = {
    compare: (m.compare ?? []).map(compareFromMessage),
    success: (m.success ?? []).map(opFromMessage),
    failure: (m.failure ?? []).map(opFromMessage),
  };
  const writesRegistry = [...request.success, ...request.failure].some(opWritesRegistry);
  return { request, writesRegistry };
}

/** etcd's TxnResponse for a Store result; `m` is the request (its range ops shape their results). */
export function txnResponse(m: TxnRequestMessage, result: TxnResult, head: ResponseHeader) {
  const ops = (result.succeeded ? m.success : m.failure) ?? [];
  const sub = { revision: result.revision };
  return {
    header: head,
    succeeded: result.succeeded,
    responses: result.results.map((r, i) => {
      switch (r.type) {
        case 'put':
          return { response_put: { header: sub, prev_kv: r.prevKv ? kvToMessage(r.prevKv) : null } };
        case 'delete':
          return { response_delete_range: { header: sub, deleted: r.deleted, prev_kvs: (r.prevKvs ?? []).map((kv) => kvToMessage(kv)) } };
        case 'range':
          return { response_range: { header: sub, ...shapeRange(ops[i]?.request_range ?? {}, r.result) } };
      }
    }),
  };
}
