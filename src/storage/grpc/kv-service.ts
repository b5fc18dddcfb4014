/**
 * etcd's KV service (Range, Put, DeleteRange, Txn, Compact) over a Store. Headers carry the store's current
 * revision, as etcd's do (a Range at a past revision too). Writes that touch /registry/ are refused unless
 * allowed (registry-guard.ts). Put's ignore_value / ignore_lease are served with a compare-and-swap on the key's
 * mod revision, retried while other writers win.
 */
import type * as grpc from '@grpc/grpc-js';
import type { KeyValue, PutResult, Store } from '../store';
import { decodeUtf8, int64Number, kvToMessage, leaseIdOf, selectorFromBytes } from './codec';
import { etcdError, etcdErrors } from './grpc-error';
import { unary } from './handlers';
import { header } from './header';
import { shapeRange, storeRangeOptions } from './range-shape';
import { guardRegistry, isRegistryKey, touchesRegistry } from './registry-guard';
import {
  checkPutFlags,
  txnFromMessage,
  txnResponse,
  type DeleteRangeRequestMessage,
  type PutRequestMessage,
  type RangeRequestMessage,
  type TxnRequestMessage,
} from './txn-convert';

export interface KvServiceOptions {
  allowRegistryWrites: boolean;
}

const CAS_ATTEMPTS = 100;

function requireKey(key: string): void {
  if (key.length === 0) throw etcdError(etcdErrors.emptyKey);
}

/** A put that keeps the key's current value and/or lease (etcd's ignore_value / ignore_lease). */
async function putKeeping(store: Store, key: string, req: PutRequestMessage): Promise<PutResult> {
  const lease = leaseIdOf(req.lease);
  if (!req.ignore_lease && lease !== '0' && (await store.leaseTimeToLive(lease)).ttl === -1) throw etcdError(etcdErrors.leaseNotFound);
  const value = req.ignore_value ? undefined : decodeUtf8(req.value, 'value');
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const cur: KeyValue | undefined = (await store.range({ key })).kvs[0];
    if (!cur) throw etcdError(etcdErrors.keyNotFound);
    const newLease = req.ignore_lease ? cur.lease : lease;
    const r = await store.txn({
      compare: [{ key, target: 'modRevision', op: '=', value: cur.modRevision }],
      success: [{ type: 'put', key, value: value ?? cur.value, ...(newLease !== '0' ? { lease: newLease } : {}), prevKv: true }],
      failure: [],
    });
    if (r.succeeded) {
      const done = r.results[0];
      return { revision: r.revision, prevKv: done?.type === 'put' ? done.prevKv : undefined };
    }
  }
  throw new Error(`kubelab: put of ${key} kept losing to concurrent writers`);
}

export function kvService(store: Store, options: KvServiceOptions): Record<string, grpc.UntypedHandleCall> {
  const allow = options.allowRegistryWrites;
  return {
    Range: unary(async (req: RangeRequestMessage) => {
      const sel = selectorFromBytes(req.key, req.range_end);
      requireKey(sel.key);
      const revision = int64Number(req.revision);
      const res = await store.range(sel, { ...storeRangeOptions(req), ...(revision > 0 ? { revision } : {}) });
      const current = revision > 0 ? await store.revision() : res.revision;
      return { header: header(current), ...shapeRange(req, res) };
    }),

    Put: unary(async (req: PutRequestMessage) => {
      checkPutFlags(req);
      const key = decodeUtf8(req.key, 'key');
      requireKey(key);
      guardRegistry(allow, isRegistryKey(key));
      let r: PutResult;
      if (req.ignore_value || req.ignore_lease) {
        r = await putKeeping(store, key, req);
      } else {
        const lease = leaseIdOf(req.lease);
        r = await store.put(key, decodeUtf8(req.value, 'value'), { ...(lease !== '0' ? { lease } : {}), prevKv: !!req.prev_kv });
      }
      return { header: header(r.revision), prev_kv: req.prev_kv && r.prevKv ? kvToMessage(r.prevKv) : null };
    }),

    DeleteRange: unary(async (req: DeleteRangeRequestMessage) => {
      const sel = selectorFromBytes(req.key, req.range_end);
      requireKey(sel.key);
      guardRegistry(allow, touchesRegistry(sel));
      const r = await store.delete(sel, { prevKv: !!req.prev_kv });
      return { header: header(r.revision), deleted: r.deleted, prev_kvs: (r.prevKvs ?? []).map((kv) => kvToMessage(kv)) };
    }),

    Txn: unary(async (req: TxnRequestMessage) => {
      const { request, writesRegistry } = txnFromMessage(req);
      guardRegistry(allow, writesRegistry);
      const r = await store.txn(request);
      return txnResponse(req, r, header(r.revision));
    }),

    Compact: unary(async (req: { revision?: string | number; physical?: boolean }) => {
      await store.compact(int64Number(req.revision));
      return { header: header(await store.revision()) };
    }),
  };
}
