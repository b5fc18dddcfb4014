/**
 * Step one of decoding: proto2 bytes → RawMessage (field number → wire values), with gogo's merge rules: a scalar
 * seen twice keeps the last value, repeated fields append, a message field seen twice is merged into (metav1.Time
 * and MicroTime are replaced, as their hand-written Unmarshal does), map entries are inserted one by one.
 * Errors are gogo's, word for word, naming the Go type and field:
 *   `proto: Deployment: illegal tag 0 (wire type 0)`, `proto: wrong wireType = 0 for field ObjectMeta`,
 *   `proto: PodSpec: wiretype end group for non-group`, `unexpected EOF`, `proto: integer overflow`.
 *
 * Contract: never throws anything but ProtoError; nesting is bounded by MAX_DEPTH and the number of decoded values
 * by the Budget, so hostile input cannot exhaust the stack or memory beyond its own size several times over.
 */
import { isScalar, message, type FieldDesc, type MessageDesc } from './descriptor';
import { specialMessage, REPLACED_SPECIALS } from './special';
import { ProtoError, WireReader, readKey, WIRE_BYTES, WIRE_END_GROUP, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, type FieldKey } from './wire';

/** A decoded wire value: varints as bigint, fixed64/32 as their 8/4 raw bytes, strings, bytes, messages. */
export type RawValue = bigint | string | Uint8Array | RawMessage;

export interface RawMessage {
  desc: MessageDesc;
  /** Bytes of the (last, for replaced specials) occurrence: metav1.Time treats 0 bytes as the zero time. */
  size: number;
  values: Map<number, RawValue | RawValue[] | Map<string, RawValue | undefined>>;
}

/** Nested messages deeper than this are refused (CRD schemas nest far less; gogo has no limit but Go's stack). */
export const MAX_DEPTH = 100;

/** Counts decoded values; throws once a body decodes to more than `limit`. */
export class Budget {
  private used = 0;

  constructor(readonly limit: number) {}

  spend(n = 1): void {
    this.used += n;
    if (this.used > this.limit) throw new ProtoError(`proto: the object has more than ${this.limit} values`);
  }
}

export function descOf(type: string): MessageDesc {
  return type.startsWith('@') ? specialMessage(type) : message(type);
}

function wrongWire(key: FieldKey, f: FieldDesc): never {
  throw new ProtoError(`proto: wrong wireType = ${key.wireType} for field ${f.goName}`);
}

/** Decodes one message from r's [pos, end) into `into` (merging) or a new RawMessage. */
export function decodeMessage(r: WireReader, desc: MessageDesc, depth: number, budget: Budget, into?: RawMessage): RawMessage {
  if (depth > MAX_DEPTH) throw new ProtoError(`proto: ${desc.goName}: nesting deeper than ${MAX_DEPTH} messages`);
  const msg: RawMessage = into ?? { desc, size: 0, values: new Map() };
  msg.size += r.end - r.pos;
  while (!r.done) {
    const keyStart = r.pos;
    const key = readKey(r);
    if (key.wireType === WIRE_END_GROUP) throw new ProtoError(`proto: ${desc.goName}: wiretype end group for non-group`);
    if (key.fieldNum <= 0) throw new ProtoError(`proto: ${desc.goName}: illegal tag ${key.fieldNum} (wire type ${key.raw})`);
    const f = desc.byNumber.get(key.fieldNum);
    if (!f) {
      r.skipField(keyStart);
      continue;
    }
    budget.spend();
    if (f.map) decodeMapEntry(r, key, f, msg, depth, budget);
    else if (f.repeated) decodeRepeated(r, key, f, msg, depth, budget);
    else msg.values.set(f.number, decodeSingle(r, key, f, msg.values.get(f.number) as RawValue | undefined, depth, budget));
  }
  return msg;
}

/** One scalar or message value of type `type` whose key is `key`. `prev` is merged into for messages. */
function decodeValue(r: WireReader, key: FieldKey, f: FieldDesc, type: string, prev: RawValue | undefined, depth: number, budget: Budget): RawValue {
  if (!isScalar(type)) {
    if (key.wireType !== WIRE_BYTES) wrongWire(key, f);
    const [start, end] = r.delimited();
    const sub = new WireReader(r.buf, start, end);
    const merge = prev !== undefined && typeof prev === 'object' && 'desc' in prev && !REPLACED_SPECIALS.has(type) ? prev : undefined;
    return decodeMessage(sub, descOf(type), depth + 1, budget, merge);
  }
  switch (type) {
    case 'string':
    case 'bytes': {
      if (key.wireType !== WIRE_BYTES) wrongWire(key, f);
      const [start, end] = r.delimited();
      return type === 'string' ? Buffer.from(r.buf.buffer, r.buf.byteOffset + start, end - start).toString('utf8') : r.buf.subarray(start, end);
    }
    case 'double':
    case 'float': {
      const wire = type === 'double' ? WIRE_FIXED64 : WIRE_FIXED32;
      if (key.wireType !== wire) wrongWire(key, f);
      const view = type === 'double' ? r.fixed64() : r.fixed32();
      return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    }
    default:
      if (key.wireType !== WIRE_VARINT) wrongWire(key, f);
      return r.varint();
  }
}

function decodeSingle(r: WireReader, key: FieldKey, f: FieldDesc, prev: RawValue | undefined, depth: number, budget: Budget): RawValue {
  return decodeValue(r, key, f, f.type, prev, depth, budget);
}

function decodeRepeated(r: WireReader, key: FieldKey, f: FieldDesc, msg: RawMessage, depth: number, budget: Budget): void {
  const push = (v: RawValue): void => {
    const list = msg.values.get(f.number) as RawValue[] | undefined;
    if (list) list.push(v);
    else msg.values.set(f.number, [v]);
  };
  const packable = isScalar(f.type) && f.type !== 'string' && f.type !== 'bytes';
  if (packable && key.wireType === WIRE_BYTES) {
    // gogo accepts the packed form of a repeated number too; an empty one leaves the slice nil.
    const [start, end] = r.delimited();
    const sub = new WireReader(r.buf, start, end);
    const elemKey: FieldKey = { ...key, wireType: f.type === 'double' ? WIRE_FIXED64 : f.type === 'float' ? WIRE_FIXED32 : WIRE_VARINT };
    while (!sub.done) {
      budget.spend();
      push(decodeValue(sub, elemKey, f, f.type, undefined, depth, budget));
    }
    return;
  }
  push(decodeValue(r, key, f, f.type, undefined, depth, budget));
}

/** A map entry `{ key = 1; value = 2; }`; unknown entry fields are skipped, a missing value is the zero value. */
function decodeMapEntry(r: WireReader, key: FieldKey, f: FieldDesc, msg: RawMessage, depth: number, budget: Budget): void {
  if (key.wireType !== WIRE_BYTES) wrongWire(key, f);
  let map = msg.values.get(f.number) as Map<string, RawValue | undefined> | undefined;
  if (!map) {
    map = new Map();
    msg.values.set(f.number, map);
  }
  const [start, end] = r.delimited();
  const entry = new WireReader(r.buf, start, end);
  let k = '';
  let v: RawValue | undefined;
  while (!entry.done) {
    const keyStart = entry.pos;
    const ek = readKey(entry);
    if (ek.fieldNum === 1) {
      // gogo reads the key as a length-delimited string whatever the wire type says.
      const [s, e] = entry.delimited();
      k = Buffer.from(entry.buf.buffer, entry.buf.byteOffset + s, e - s).toString('utf8');
    } else if (ek.fieldNum === 2) {
      const asBytes: FieldKey = isScalar(f.type) && f.type !== 'string' && f.type !== 'bytes' ? ek : { ...ek, wireType: WIRE_BYTES };
      v = decodeValue(entry, asBytes, f, f.type, undefined, depth, budget);
    } else {
      entry.skipField(keyStart);
    }
  }
  map.set(k, v);
}
