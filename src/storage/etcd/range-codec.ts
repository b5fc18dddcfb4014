/**
 * A direct decoder of etcd's RangeResponse (etcdserverpb.RangeResponse, mvccpb.KeyValue) from its protobuf bytes
 * into the Store's KeyValues, for range reads: it skips the generic decoder's intermediate objects and Buffer copies
 * (keys and values become strings straight from the received bytes), which is most of the client's cost of a large
 * range.
 *
 * Contract: the same KeyValues as decoding with etcd3's protos and then convert.ts's toKeyValue — revisions,
 * versions and counts as numbers that must be exact (else StoreError 'corrupt'), lease ids as canonical decimal
 * strings of any int64 ("0" for none), values '' when keysOnly; unknown fields are skipped as protobuf says.
 * Also reports the page's last key as bytes (where the next page starts) and the bytes of keys and values seen.
 */
import { StoreError, type KeyValue } from '../store';

export interface DecodedRange {
  /** header.revision */
  revision: number;
  kvs: KeyValue[];
  more: boolean;
  count: number;
  /** The last kv's key as received (undefined when there are none). */
  lastKey?: Buffer;
  /** The sum of the kvs' key and value byte lengths. */
  bytes: number;
}

class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** A varint as a bigint (for the rare values above 2^53 and for negatives). */
  private bigVarint(start: number): bigint {
    this.pos = start;
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw corrupt('a varint runs past the message');
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, v);
    }
    throw corrupt('a varint is longer than 10 bytes');
  }

  /** A varint as a number when it is exact (up to 2^53 - 1), else as a bigint. */
  varint(): number | bigint {
    const start = this.pos;
    let lo = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw corrupt('a varint runs past the message');
      const b = this.buf[this.pos++];
      lo += (b & 0x7f) * mul;
      if (b < 0x80) return lo;
      mul *= 128;
    }
    // 7 bytes (49 bits) were not enough: exact only through bigint
    const big = this.bigVarint(start);
    return big >= 0n && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  int(): number {
    const v = this.varint();
    if (typeof v === 'number') return v;
    throw corrupt(`etcd returned ${v.toString()}, which is not an exact integer here`);
  }

  /** The end of a length-delimited field that starts here. */
  lengthDelimited(): number {
    const len = this.int();
    const end = this.pos + len;
    if (end > this.end) throw corrupt('a field runs past the message');
    return end;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.lengthDelimited();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw corrupt(`unexpected wire type ${wireType}`);
    }
    if (this.pos > this.end) throw corrupt('a field runs past the message');
  }
}

function corrupt(message: string): StoreError {
  return new StoreError('corrupt', message.startsWith('etcd returned') ? message : `etcd's RangeResponse could not be read: ${message}`);
}

function leaseOf(v: number | bigint): string {
  if (typeof v === 'bigint' && v < 0n) throw new StoreError('invalid', `lease id ${v.toString()} is not a non-negative decimal integer`);
  return v.toString();
}

function decodeHeaderRevision(r: Reader, end: number): number {
  let revision = 0;
  while (r.pos < end) {
    const tag = r.int();
    if (tag === (3 << 3) /* revision, varint */) revision = r.int();
    else r.skip(tag & 7);
  }
  return revision;
}

function decodeKeyValue(r: Reader, end: number, keysOnly: boolean, out: DecodedRange): KeyValue {
  const buf = r.buf;
  let keyStart = 0;
  let keyEnd = 0;
  let valueStart = 0;
  let valueEnd = 0;
  const kv: KeyValue = { key: '', value: '', createRevision: 0, modRevision: 0, version: 0, lease: '0' };
  while (r.pos < end) {
    const tag = r.int();
    switch (tag) {
      case (1 << 3) | 2:
        keyEnd = r.lengthDelimited();
        keyStart = r.pos;
        r.pos = keyEnd;
        break;
      case 2 << 3:
        kv.createRevision = r.int();
        break;
      case 3 << 3:
        kv.modRevision = r.int();
        break;
      case 4 << 3:
        kv.version = r.int();
        break;
      case (5 << 3) | 2:
        valueEnd = r.lengthDelimited();
        valueStart = r.pos;
        r.pos = valueEnd;
        break;
      case 6 << 3:
        kv.lease = leaseOf(r.varint());
        break;
      default:
        r.skip(tag & 7);
    }
  }
  kv.key = buf.toString('utf8', keyStart, keyEnd);
  if (!keysOnly && valueEnd > valueStart) kv.value = buf.toString('utf8', valueStart, valueEnd);
  out.bytes += keyEnd - keyStart + (valueEnd - valueStart);
  out.lastKey = buf.subarray(keyStart, keyEnd);
  return kv;
}

/** Decode a RangeResponse message; `keysOnly` leaves values '' whatever was sent. */
export function decodeRangeResponse(buf: Buffer, keysOnly = false): DecodedRange {
  const r = new Reader(buf, 0, buf.length);
  const out: DecodedRange = { revision: 0, kvs: [], more: false, count: 0, bytes: 0 };
  while (r.pos < r.end) {
    const tag = r.int();
    switch (tag) {
      case (1 << 3) | 2: {
        const end = r.lengthDelimited();
        out.revision = decodeHeaderRevision(r, end);
        r.pos = end;
        break;
      }
      case (2 << 3) | 2: {
        const end = r.lengthDelimited();
        out.kvs.push(decodeKeyValue(r, end, keysOnly, out));
        r.pos = end;
        break;
      }
      case 3 << 3:
        out.more = r.int() !== 0;
        break;
      case 4 << 3:
        out.count = r.int();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return out;
}
