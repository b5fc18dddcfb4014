/**
 * Range reads over etcd, paged so that no single response exceeds what gRPC accepts.
 *
 * Contract: the same result as one etcd Range (kvs in key order, count of the whole selection, more when a limit
 * left keys out), but read in pages of `limit` keys at one fixed revision (the first page's), each next page
 * starting at the last key + "\0". The first page holds 128 keys; later page sizes follow the observed bytes per key (aiming at rangePageBytes), and a
 * page that still comes back too large for gRPC is read again in halves. RangeResult.revision is the store's
 * revision for a latest read and the requested revision for a read in the past.
 */
import type { IRangeResponse } from 'etcd3';
import { checkSelector } from '../txn-validate';
import type { KeySelector, KeyValue, RangeOptions, RangeResult } from '../store';
import type { EtcdConnection } from './connection';
import { int, toByteRange, toKeyValue } from './convert';
import { isMessageTooLarge } from './error-map';

const FIRST_PAGE_KEYS = 128;

export interface RangeStats {
  pages: number;
}

/** Counters of the paging (for tests and benchmarks). */
export const rangeStats: RangeStats = { pages: 0 };

export async function rangeRead(conn: EtcdConnection, sel: KeySelector, options: RangeOptions = {}): Promise<RangeResult> {
  checkSelector(sel);
  const { key, range_end } = toByteRange(sel);
  const wantLimit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const atRevision = options.revision && options.revision > 0 ? options.revision : 0;
  const base = { key, range_end, keys_only: !!options.keysOnly, count_only: !!options.countOnly };

  const readPage = async (pageKey: Buffer, limit: number, revision: number): Promise<IRangeResponse> => {
    const { res } = await conn.call((o) => conn.kv.range({ ...base, key: pageKey, limit: String(limit), revision: String(revision) } as never, o));
    conn.noteHeader(res.header);
    rangeStats.pages++;
    return res;
  };

  // countOnly and single-key reads are small: one request.
  if (options.countOnly || !range_end) {
    const limit = Number.isFinite(wantLimit) ? wantLimit : 0;
    const res = await readPage(key, limit, atRevision);
    const kvs = (res.kvs ?? []).map((k) => toKeyValue(k, !!options.keysOnly));
    return { kvs, count: int(res.count), more: !!res.more, revision: atRevision || int(res.header.revision) };
  }

  const kvs: KeyValue[] = [];
  const maxKeys = options.keysOnly ? conn.options.rangePageKeys * 10 : conn.options.rangePageKeys;
  // The first page is small (value sizes are unknown yet); later pages follow the bytes per key it showed.
  let pageKeys = Math.min(FIRST_PAGE_KEYS, maxKeys, wantLimit);
  let revision = atRevision;
  let count = 0;
  let served = 0;
  let next = key;
  for (let first = true; ; first = false) {
    const limit = Math.max(1, Math.min(pageKeys, wantLimit - kvs.length));
    let res: IRangeResponse;
    try {
      res = await readPage(next, limit, revision);
    } catch (e) {
      if (isMessageTooLarge(e) && limit > 1) {
        pageKeys = Math.max(1, Math.floor(limit / 2));
        continue;
      }
      throw e;
    }
    if (first) {
      count = int(res.count);
      served = int(res.header.revision);
      if (!revision) revision = served;
    }
    const page = res.kvs ?? [];
    let bytes = 0;
    for (const k of page) {
      kvs.push(toKeyValue(k, !!options.keysOnly));
      bytes += k.key.length + (k.value?.length ?? 0) + 64;
    }
    if (!res.more || page.length === 0 || kvs.length >= wantLimit) break;
    next = Buffer.concat([page[page.length - 1].key, Buffer.from([0])]);
    const perKey = Math.max(1, bytes / page.length);
    pageKeys = Math.max(1, Math.min(maxKeys, Math.floor(conn.options.rangePageBytes / perKey)));
  }
  return { kvs, count, more: count > kvs.length, revision: atRevision || served };
}
