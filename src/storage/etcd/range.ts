/**
 * Range reads over etcd, paged so that no single response exceeds what gRPC accepts.
 *
 * Contract: the same result as one etcd Range (kvs in key order, count of the whole selection, more when a limit
 * left keys out), but read in pages of `limit` keys at one fixed revision (the first page's), each next page
 * starting at the last key + "\0". RangeResult.revision is the store's revision for a latest read and the requested
 * revision for a read in the past.
 *
 * Paging costs little (each page is one more linearizable read, a few ms): the first page holds 128 keys (value
 * sizes are unknown yet); every later page's size follows the bytes per key seen so far, aiming at rangePageBytes
 * for the second page and twice the previous page's aim for each one after it (so a large range takes few pages),
 * never above half of maxReceiveBytes nor rangePageKeys keys (ten times that keys-only). Each page is requested as
 * soon as the previous one has arrived. A page that still comes back too large for gRPC is read again in halves,
 * and no later page asks for more keys.
 *
 * Responses are decoded by range-codec.ts straight into KeyValues (not through etcd3's generic decoder); the call
 * itself goes through the connection pool like every other (deadline, retries, member failover, auth metadata).
 */
import type * as grpc from '@grpc/grpc-js';
import { castGrpcError, EtcdInvalidAuthTokenError } from 'etcd3';
import { checkSelector } from '../txn-validate';
import type { KeySelector, KeyValue, RangeOptions, RangeResult } from '../store';
import type { EtcdConnection } from './connection';
import { toByteRange } from './convert';
import { isMessageTooLarge } from './error-map';
import { decodeRangeResponse, type DecodedRange } from './range-codec';

const FIRST_PAGE_KEYS = 128;
/** Bytes a key costs in a response beyond its key and value (revisions, version, lease, framing). */
const KEY_OVERHEAD = 64;

export interface RangeStats {
  pages: number;
}

/** Counters of the paging (for tests and benchmarks). */
export const rangeStats: RangeStats = { pages: 0 };

interface RangeMethod {
  (...args: unknown[]): unknown;
  path: string;
  requestSerialize(req: unknown): Buffer;
}

type UnaryClient = grpc.Client & { range: RangeMethod };

/** One Range call on some member, its answer decoded by range-codec.ts. */
function callRange(conn: EtcdConnection, req: Record<string, unknown>, keysOnly: boolean, options: grpc.CallOptions): Promise<DecodedRange> {
  const attempt = (): Promise<DecodedRange> =>
    conn.pool.withConnection('KV', ({ client, metadata }) => {
      const c = client as UnaryClient;
      return new Promise<DecodedRange>((resolve, reject) => {
        const decode = (buf: Buffer) => decodeRangeResponse(buf, keysOnly);
        c.makeUnaryRequest(c.range.path, c.range.requestSerialize, decode, req, metadata, options, (err, res) => {
          if (err) reject(castGrpcError(err));
          else resolve(res as DecodedRange);
        });
      });
    });
  return attempt().catch((e: unknown) => {
    // An expired auth token: fetch a new one once (as etcd3's own calls do), then try again.
    if (!(e instanceof EtcdInvalidAuthTokenError)) throw e;
    (conn.pool as unknown as { authenticator?: { invalidateMetadata?(): void } }).authenticator?.invalidateMetadata?.();
    return attempt();
  });
}

interface Page {
  res: DecodedRange;
  /** The limit the page was read with in the end; set only when it had to be halved (it was too large). */
  halvedTo?: number;
}

export async function rangeRead(conn: EtcdConnection, sel: KeySelector, options: RangeOptions = {}): Promise<RangeResult> {
  checkSelector(sel);
  const { key, range_end } = toByteRange(sel);
  const keysOnly = !!options.keysOnly;
  const wantLimit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const atRevision = options.revision && options.revision > 0 ? options.revision : 0;
  const base = { key, range_end, keys_only: keysOnly, count_only: !!options.countOnly };

  const readPage = async (pageKey: Buffer, limit: number, revision: number): Promise<DecodedRange> => {
    const req = { ...base, key: pageKey, limit: String(limit), revision: String(revision) };
    const { res } = await conn.call((o) => callRange(conn, req, keysOnly, o));
    if (res.revision > conn.knownRevision) conn.knownRevision = res.revision;
    rangeStats.pages++;
    return res;
  };

  // countOnly and single-key reads are small: one request.
  if (options.countOnly || !range_end) {
    const res = await readPage(key, Number.isFinite(wantLimit) ? wantLimit : 0, atRevision);
    return { kvs: res.kvs, count: res.count, more: res.more, revision: atRevision || res.revision };
  }

  /** One page; read again with half the keys while it is too large for gRPC. */
  const readFitting = async (pageKey: Buffer, limit: number, revision: number): Promise<Page> => {
    for (let halved = false; ; halved = true) {
      try {
        const res = await readPage(pageKey, limit, revision);
        return halved ? { res, halvedTo: limit } : { res };
      } catch (e) {
        if (!isMessageTooLarge(e) || limit <= 1) throw e;
        limit = Math.max(1, Math.floor(limit / 2));
      }
    }
  };

  // Well below what gRPC accepts, whatever rangePageBytes says.
  const maxPageBytes = conn.options.maxReceiveBytes / 2;
  let pageBytes = Math.min(conn.options.rangePageBytes, maxPageBytes);
  const maxKeys = keysOnly ? conn.options.rangePageKeys * 10 : conn.options.rangePageKeys;
  let kvs: KeyValue[] = [];
  let seenKeys = 0;
  let seenBytes = 0;
  const first = await readFitting(key, Math.min(FIRST_PAGE_KEYS, maxKeys, wantLimit), atRevision);
  const { count, revision: served } = first.res;
  const revision = atRevision || served;
  let pageKeysCap = maxKeys;
  for (let page: Page | undefined = first; page; ) {
    const { res } = page;
    seenKeys += res.kvs.length;
    seenBytes += res.bytes + KEY_OVERHEAD * res.kvs.length;
    // A page that had to be halved caps every later one.
    if (page.halvedTo !== undefined) pageKeysCap = Math.min(pageKeysCap, page.halvedTo);
    kvs = kvs.length ? kvs.concat(res.kvs) : res.kvs;
    const left = wantLimit - kvs.length;
    if (!res.more || !res.lastKey || left <= 0) break;
    if (page !== first) pageBytes = Math.min(maxPageBytes, pageBytes * 2);
    const limit = Math.max(1, Math.min(pageKeysCap, Math.floor(pageBytes / Math.max(1, seenBytes / seenKeys)), left));
    page = await readFitting(Buffer.concat([res.lastKey, Buffer.from([0])]), limit, revision);
  }
  return { kvs, count, more: count > kvs.length, revision: atRevision || served };
}
