/**
 * The proto2 wire format as gogo-protobuf's generated Unmarshal code reads it: varints (at most 10 bytes, the 10th
 * byte's high bits dropped), fixed32/64, length-delimited fields and the skipping of unknown fields (groups
 * included). Failures throw ProtoError with gogo's words, so callers can show what a real API server would:
 *   `unexpected EOF`, `proto: integer overflow`, `proto: negative length found during unmarshaling`,
 *   `proto: illegal wireType 6`, `proto: unexpected end of group`.
 *
 * Contract: never reads outside [start, end) of its buffer; every loop consumes at least one byte per iteration.
 */

export class ProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoError';
  }
}

export const UNEXPECTED_EOF = 'unexpected EOF';
export const INT_OVERFLOW = 'proto: integer overflow';
export const INVALID_LENGTH = 'proto: negative length found during unmarshaling';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const TWO_63 = 2n ** 63n;

export class WireReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A uint64 varint exactly as gogo decodes it (bits past 64 are dropped, an 11th byte overflows). */
  varint(): bigint {
    // Fast path: up to 7 bytes fit a double exactly.
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new ProtoError(UNEXPECTED_EOF);
      const b = this.buf[this.pos++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return BigInt(n);
      mul *= 128;
    }
    let v = BigInt(n);
    for (let shift = 49n; ; shift += 7n) {
      if (shift >= 64n) throw new ProtoError(INT_OVERFLOW);
      if (this.pos >= this.end) throw new ProtoError(UNEXPECTED_EOF);
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, v);
    }
  }

  /** A varint read into Go's `int` (int64): used for lengths. */
  length(): number {
    const v = this.varint();
    if (v >= TWO_63) throw new ProtoError(INVALID_LENGTH); // negative as int64
    const next = BigInt(this.pos) + v;
    if (next > BigInt(this.end)) throw new ProtoError(UNEXPECTED_EOF);
    return Number(v);
  }

  /** A length-delimited payload: its [start, end) within the buffer; the reader moves past it. */
  delimited(): [number, number] {
    const n = this.length();
    const start = this.pos;
    this.pos += n;
    return [start, start + n];
  }

  fixed64(): DataView {
    if (this.end - this.pos < 8) throw new ProtoError(UNEXPECTED_EOF);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return view;
  }

  fixed32(): DataView {
    if (this.end - this.pos < 4) throw new ProtoError(UNEXPECTED_EOF);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4);
    this.pos += 4;
    return view;
  }

  /** Skips one unknown field whose key starts at `keyStart` (gogo's skipGenerated, groups included). */
  skipField(keyStart: number): void {
    this.pos = keyStart;
    let depth = 0;
    while (this.pos < this.end) {
      const wire = Number(this.varint() & 7n);
      switch (wire) {
        case WIRE_VARINT:
          for (let i = 0; ; i++) {
            if (i >= 10) throw new ProtoError(INT_OVERFLOW);
            if (this.pos >= this.end) throw new ProtoError(UNEXPECTED_EOF);
            if (this.buf[this.pos++] < 0x80) break;
          }
          break;
        case WIRE_FIXED64:
          if (this.end - this.pos < 8) throw new ProtoError(UNEXPECTED_EOF);
          this.pos += 8;
          break;
        case WIRE_BYTES:
          this.delimited();
          break;
        case WIRE_START_GROUP:
          depth++;
          break;
        case WIRE_END_GROUP:
          if (depth === 0) throw new ProtoError('proto: unexpected end of group');
          depth--;
          break;
        case WIRE_FIXED32:
          if (this.end - this.pos < 4) throw new ProtoError(UNEXPECTED_EOF);
          this.pos += 4;
          break;
        default:
          throw new ProtoError(`proto: illegal wireType ${wire}`);
      }
      if (depth === 0) return;
    }
    throw new ProtoError(UNEXPECTED_EOF);
  }
}

/** A field key as gogo splits it: fieldNum is `int32(wire >> 3)`, so it can come out zero or negative. */
export interface FieldKey {
  fieldNum: number;
  wireType: number;
  /** The whole key, printed by gogo's "illegal tag" error. */
  raw: bigint;
}

export function readKey(r: WireReader): FieldKey {
  const raw = r.varint();
  return { raw, fieldNum: Number(BigInt.asIntN(32, raw >> 3n)), wireType: Number(raw & 7n) };
}
