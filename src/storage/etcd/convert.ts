/**
 * Conversions between the Store's types and etcd's protobuf messages (as etcd3 loads them: snake_case fields,
 * int64 as decimal strings, bytes as Buffers).
 *
 * - Revisions, versions and counts become numbers and must be safe integers (otherwise StoreError 'corrupt').
 * - Lease ids stay decimal strings end to end (etcd's are int64 and exceed 2^53); "0" is no lease.
 * - Selectors become [key, range_end) byte ranges exactly as etcd defines them (prefix end: last byte below 0xff
 *   incremented; range_end "\0": every key from key on).
 */
import type { IKeyValue } from 'etcd3';
import { StoreError, type Compare, type KeySelector, type KeyValue, type LeaseId } from '../store';

/** An int64 from etcd as a number; refuses values a number cannot hold exactly. */
export function int(v: string | number | undefined | null): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new StoreError('corrupt', `etcd returned ${String(v)}, which is not an exact integer here`);
  return n;
}

/** A lease id as the canonical decimal string ("0" for none); refuses anything but a non-negative int64. */
export function leaseId(v: string | number | undefined | null): LeaseId {
  // the common case on every key read (no lease) skips the BigInt
  if (v === undefined || v === null || v === '' || v === '0') return '0';
  const s = String(v);
  if (!/^\d+$/.test(s)) throw new StoreError('invalid', `lease id ${s} is not a non-negative decimal integer`);
  const big = BigInt(s);
  if (big > 0x7fffffffffffffffn) throw new StoreError('invalid', `lease id ${s} does not fit in int64`);
  return big.toString();
}

export function toKeyValue(k: IKeyValue, keysOnly = false): KeyValue {
  return {
    key: k.key.toString('utf8'),
    value: keysOnly ? '' : k.value.toString('utf8'),
    createRevision: int(k.create_revision),
    modRevision: int(k.mod_revision),
    version: int(k.version),
    lease: leaseId(k.lease),
  };
}

/** The byte after which no key starts with prefix (etcd's GetPrefixRangeEnd); [0] when every byte is 0xff. */
export function prefixEndBytes(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return Buffer.from([0]);
}

export interface ByteRange {
  key: Buffer;
  /** Absent for one key (an empty range_end on the wire is not read as "none" by every etcd). */
  range_end?: Buffer;
}

export function toByteRange(sel: KeySelector): ByteRange {
  const key = Buffer.from(sel.key, 'utf8');
  if (sel.prefix) return { key: key.length ? key : Buffer.from([0]), range_end: prefixEndBytes(key) };
  if (sel.end === undefined || sel.end === '') return { key };
  return { key, range_end: Buffer.from(sel.end, 'utf8') };
}

const RESULT = { '=': 'Equal', '!=': 'NotEqual', '<': 'Less', '>': 'Greater' } as const;
const TARGET = { version: 'Version', createRevision: 'Create', modRevision: 'Mod', value: 'Value', lease: 'Lease' } as const;

/** A Store compare as etcd's Compare message. */
export function toCompare(c: Compare): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: Buffer.from(c.key, 'utf8'),
    result: RESULT[c.op],
    target: TARGET[c.target],
  };
  if (c.end !== undefined && c.end !== '') out.range_end = Buffer.from(c.end, 'utf8');
  if (c.target !== 'value' && c.target !== 'lease' && !Number.isSafeInteger(Number(c.value))) {
    throw new StoreError('invalid', `compare ${c.target} needs an integer, got ${String(c.value)}`);
  }
  switch (c.target) {
    case 'value':
      out.value = Buffer.from(String(c.value), 'utf8');
      break;
    case 'lease':
      out.lease = leaseId(c.value);
      break;
    case 'version':
      out.version = String(c.value);
      break;
    case 'createRevision':
      out.create_revision = String(c.value);
      break;
    case 'modRevision':
      out.mod_revision = String(c.value);
      break;
  }
  return out;
}
