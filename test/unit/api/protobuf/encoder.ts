/**
 * A tiny proto2 writer for tests: hand-built messages (field by field, exactly the bytes a test wants, malformed ones
 * included) and the `k8s\0` + runtime.Unknown envelope around them.
 */

export type Bytes = Buffer;

export function varint(v: number | bigint): Bytes {
  let n = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return Buffer.from(out);
}

export function key(field: number, wire: number): Bytes {
  return varint((BigInt(field) << 3n) | BigInt(wire));
}

/** A varint field (int32/int64/bool/enum); negative numbers as 64-bit two's complement, as Go writes int32 too. */
export function int(field: number, v: number | bigint | boolean): Bytes {
  return Buffer.concat([key(field, 0), varint(typeof v === 'boolean' ? (v ? 1 : 0) : v)]);
}

export function bytes(field: number, b: Bytes | string): Bytes {
  const data = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  return Buffer.concat([key(field, 2), varint(data.length), data]);
}

export const str = bytes;

/** An embedded message field from its already-encoded parts. */
export function msg(field: number, ...parts: Bytes[]): Bytes {
  return bytes(field, Buffer.concat(parts));
}

export function double(field: number, v: number): Bytes {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return Buffer.concat([key(field, 1), b]);
}

/** A map entry `{1: key, 2: value}` with a string key and an encoded value part (or none). */
export function entry(field: number, k: string, ...value: Bytes[]): Bytes {
  return msg(field, str(1, k), ...value);
}

export const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** `k8s\0` + Unknown{TypeMeta{apiVersion, kind}, raw}. */
export function envelope(apiVersion: string, kind: string, ...raw: Bytes[]): Bytes {
  const typeMeta = Buffer.concat([apiVersion ? str(1, apiVersion) : Buffer.alloc(0), kind ? str(2, kind) : Buffer.alloc(0)]);
  return Buffer.concat([MAGIC, msg(1, typeMeta), bytes(2, Buffer.concat(raw))]);
}

/** ObjectMeta with a name (field 1 of every top-level object). */
export function meta(name: string, ...more: Bytes[]): Bytes {
  return msg(1, str(1, name), ...more);
}
