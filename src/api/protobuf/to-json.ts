/**
 * Step two of decoding: RawMessage → the JSON object Go's encoding/json would print for the same Go struct, i.e.
 * what kubectl sends when it talks JSON. Per field, by the Go facts in the descriptor:
 * - present: pointers, slices and maps are written as decoded (a pointer to 0 stays `0`); a non-pointer scalar with
 *   omitempty is dropped when zero (gogo sends `hostNetwork: false`, kubectl's JSON does not);
 * - absent: omitempty scalars, pointers, slices, maps are dropped; without omitempty they are written as Go's zero
 *   value (`""`, `0`, `false`, or `null` for nil pointers/slices/maps); a non-pointer struct is always written, as
 *   its zero value (`status: {}`, `creationTimestamp: null`), because omitempty never omits a struct;
 * - inline (embedded) structs merge their fields into the parent; `json:"-"` fields are dropped.
 * Bytes are base64 (standard, padded), int64 become numbers (as JSON.parse would read Go's digits).
 *
 * Contract: throws ProtoError only; every written value is charged to the Budget.
 */
import { isScalar, isSpecial, type FieldDesc, type MessageDesc } from './descriptor';
import { descOf, type Budget, type RawMessage, type RawValue } from './raw-decode';
import { specialJson } from './special';
import { ProtoError } from './wire';

type Json = unknown;

const EMPTY = new Uint8Array(0);

function float(v: Uint8Array, double: boolean): number {
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const n = double ? view.getFloat64(0, true) : view.getFloat32(0, true);
  if (!Number.isFinite(n)) throw new ProtoError(`json: unsupported value: ${Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'}`);
  if (double) return n;
  // Go prints a float32 with the fewest digits that round-trip as float32.
  for (let p = 1; p <= 9; p++) {
    const short = Number(n.toPrecision(p));
    if (Math.fround(short) === n) return short;
  }
  return n;
}

function scalarJson(type: string, v: RawValue): Json {
  switch (type) {
    case 'string':
      return v as string;
    case 'bytes':
      return Buffer.from((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).byteLength).toString('base64');
    case 'bool':
      return (v as bigint) !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, v as bigint));
    case 'uint32':
      return Number(BigInt.asUintN(32, v as bigint));
    case 'int64':
      return Number(BigInt.asIntN(64, v as bigint));
    case 'uint64':
      return Number(v as bigint);
    case 'double':
    case 'float':
      return float(v as Uint8Array, type === 'double');
    default:
      throw new Error(`protobuf descriptor: unknown scalar ${type}`);
  }
}

function scalarZero(type: string): Json {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'bytes':
      return null; // a nil []byte
    default:
      return 0;
  }
}

function isZeroScalar(type: string, j: Json): boolean {
  if (type === 'bytes') return j === '';
  return j === '' || j === 0 || j === false;
}

export class JsonWriter {
  constructor(private readonly budget: Budget) {}

  /** One value of element type `type` (scalar, special or message). */
  value(type: string, v: RawValue | undefined): Json {
    this.budget.spend();
    if (isScalar(type)) return v === undefined ? scalarZero(type) : scalarJson(type, v);
    const raw = v as RawMessage | undefined;
    if (isSpecial(type)) return specialJson(type, raw, (m) => this.value(m.desc.name, m));
    const out: Record<string, Json> = {};
    this.fields(descOf(type), raw, out);
    return out;
  }

  /** Writes the JSON fields of `desc` (decoded as `raw`, or its zero value) into `out`. */
  fields(desc: MessageDesc, raw: RawMessage | undefined, out: Record<string, Json>): void {
    for (const f of desc.fields) {
      if (f.hidden) continue;
      const v = raw?.values.get(f.number);
      if (f.inline) {
        this.fields(descOf(f.type), v as RawMessage | undefined, out);
        continue;
      }
      const j = v === undefined ? this.absent(f) : this.present(f, v);
      if (j !== undefined) out[f.json] = j;
    }
  }

  /** A field that was on the wire; undefined means "omit". */
  private present(f: FieldDesc, v: RawValue | RawValue[] | Map<string, RawValue | undefined>): Json {
    if (f.map) {
      const m: Record<string, Json> = {};
      for (const [k, x] of v as Map<string, RawValue | undefined>) {
        // gogo starts a []byte map value as []byte{}, so a missing one is "" rather than null.
        const j = this.value(f.type, x === undefined && f.type === 'bytes' ? EMPTY : x);
        Object.defineProperty(m, k, { value: j, enumerable: true, writable: true, configurable: true });
      }
      return m;
    }
    if (f.repeated) return (v as RawValue[]).map((x) => this.value(f.type, x));
    const j = this.value(f.type, v as RawValue);
    if (!f.pointer && f.omitempty && isScalar(f.type) && isZeroScalar(f.type, j)) return undefined;
    return j;
  }

  /** A field that was not on the wire: Go's zero value, or omitted. */
  private absent(f: FieldDesc): Json {
    if (f.pointer || f.repeated || f.map || f.type === 'bytes') return f.omitempty ? undefined : null;
    if (isScalar(f.type)) return f.omitempty ? undefined : scalarZero(f.type);
    return this.value(f.type, undefined); // a struct: never omitted
  }
}
