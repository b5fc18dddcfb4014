/**
 * Conversions between etcd's wire messages and the Store's types.
 *
 * Keys and values: the Store holds strings, so gRPC bytes are decoded as UTF-8 and encoded back the same way.
 * Binary (non-UTF-8) keys and values are NOT supported: they are refused with INVALID_ARGUMENT rather than
 * silently changed. The one exception is a range end that is the byte-wise "prefix end" of its key (what every
 * etcd client sends for a prefix, e.g. "a\xc3\xc0" for the key "a\xc3\xbf"): it is understood as "every key
 * starting with key", whatever its bytes.
 *
 * int64 fields arrive as decimal strings (see proto.ts); revisions become numbers, lease ids stay decimal strings.
 */
import { isUtf8 } from 'node:buffer';
import { prefixEnd } from '../keys';
import type { KeySelector, KeyValue, LeaseId } from '../store';
import { invalidArgument } from './grpc-error';

export type Bytes = Buffer | Uint8Array;

/** mvccpb.KeyValue as handed to the encoder. */
export interface KeyValueMessage {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
  lease: string;
}

const EMPTY = Buffer.alloc(0);

function asBuffer(b: Bytes | null | undefined): Buffer {
  if (!b) return EMPTY;
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Decode a bytes field as UTF-8, refusing anything that is not valid UTF-8. */
export function decodeUtf8(b: Bytes | null | undefined, field: string): string {
  const buf = asBuffer(b);
  if (!isUtf8(buf)) {
    throw invalidArgument(`kubelab: ${field} is not valid UTF-8; this etcd endpoint stores text only (binary keys and values are not supported)`);
  }
  return buf.toString('utf8');
}

/** etcd's prefix end of a byte string: the last byte below 0xff incremented, the rest dropped; [0] if none. */
export function bytePrefixEnd(key: Bytes): Buffer {
  const buf = Buffer.from(asBuffer(key));
  for (let i = buf.length - 1; i >= 0; i--) {
    if (buf[i]! < 0xff) {
      buf[i]!++;
      return buf.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * The Store selector for etcd's (key, range_end): no end = one key; end "\0" = every key >= key; an end that is
 * the prefix end of key = every key with that prefix; otherwise [key, end). An empty key is left for the Store to
 * refuse with etcd's "key is not provided", except with end "\0" (etcd's "from the start").
 */
export function selectorFromBytes(key: Bytes | null | undefined, rangeEnd: Bytes | null | undefined, what = 'key'): KeySelector {
  const k = decodeUtf8(key, what);
  const end = asBuffer(rangeEnd);
  if (end.length === 0) return { key: k };
  if (end.length === 1 && end[0] === 0) return { key: k, end: '\0' };
  if (k.length > 0 && end.equals(bytePrefixEnd(asBuffer(key)))) return { key: k, prefix: true };
  return { key: k, end: decodeUtf8(end, 'range_end') };
}

/** A selector as (key, end) only, for the Store's Compare (which has no prefix flag). */
export function intervalOf(sel: KeySelector): { key: string; end?: string } {
  if (!sel.prefix) return sel.end === undefined ? { key: sel.key } : { key: sel.key, end: sel.end };
  return { key: sel.key, end: prefixEnd(sel.key) ?? '\0' };
}

export function kvToMessage(kv: KeyValue, keysOnly = false): KeyValueMessage {
  return {
    key: Buffer.from(kv.key, 'utf8'),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: keysOnly ? EMPTY : Buffer.from(kv.value, 'utf8'),
    lease: kv.lease,
  };
}

/** An int64 field (decimal string or number) as a JavaScript number; revisions and counts fit in 2^53. */
export function int64Number(v: string | number | null | undefined): number {
  if (v === null || v === undefined || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw invalidArgument(`kubelab: ${String(v)} is not an integer`);
  return n;
}

/** A lease id field as the Store's decimal string ("0" = no lease). */
export function leaseIdOf(v: string | number | null | undefined): LeaseId {
  if (v === null || v === undefined || v === '') return '0';
  try {
    return BigInt(v).toString();
  } catch {
    throw invalidArgument(`kubelab: lease id ${String(v)} is not an integer`);
  }
}
