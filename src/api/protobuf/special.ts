/**
 * The API types whose JSON is not their struct fields (they implement json.Marshaler upstream), with the wire
 * messages gogo reads them from and the JSON a Go client emits for them:
 * - resource.Quantity {1: string}: the canonical quantity string (ParseQuantity's errors on a bad one); zero "0";
 * - metav1.Time / MicroTime (Timestamp {1: seconds, 2: nanos}): RFC3339 / RFC3339Micro, zero (or 0 bytes) → null;
 * - metav1.Duration {1: duration ns}: "1h0m0s";
 * - intstr.IntOrString {1: type, 2: intVal, 3: strVal}: the number or the string;
 * - runtime.RawExtension, metav1.FieldsV1, apiextensions JSON {1: raw}: the raw JSON itself (absent → null);
 * - apiextensions JSONSchemaPropsOrArray / OrBool / OrStringArray: a schema, a list, or a boolean.
 *
 * Contract: `specialJson` throws ProtoError only (with Go's wording where Go would fail to marshal).
 */
import { parseQuantity, QuantityParseError } from '../quantity';
import { messageDesc, type MessageDesc } from './descriptor';
import { formatDuration, formatMicroTime, formatTime } from './go-format';
import type { RawMessage, RawValue } from './raw-decode';
import { ProtoError } from './wire';

const SCHEMA = 'apiextensions/v1.JSONSchemaProps';

const SPECIALS: Record<string, MessageDesc> = {
  '@Quantity': messageDesc('resource.Quantity', [[1, 'string', 'string', '']]),
  '@Time': messageDesc('v1.Timestamp', [[1, 'seconds', 'int64', ''], [2, 'nanos', 'int32', '']]),
  '@MicroTime': messageDesc('v1.Timestamp', [[1, 'seconds', 'int64', ''], [2, 'nanos', 'int32', '']]),
  '@Duration': messageDesc('v1.Duration', [[1, 'duration', 'int64', '']]),
  '@IntOrString': messageDesc('intstr.IntOrString', [[1, 'type', 'int64', ''], [2, 'intVal', 'int32', ''], [3, 'strVal', 'string', '']]),
  '@RawExtension': messageDesc('runtime.RawExtension', [[1, 'raw', 'bytes', '']]),
  '@FieldsV1': messageDesc('v1.FieldsV1', [[1, 'Raw', 'bytes', '']]),
  '@JSON': messageDesc('v1.JSON', [[1, 'raw', 'bytes', '']]),
  '@SchemaOrArray': messageDesc('v1.JSONSchemaPropsOrArray', [[1, 'schema', SCHEMA, 'p'], [2, 'jSONSchemas', SCHEMA, 'r', 'JSONSchemas']]),
  '@SchemaOrBool': messageDesc('v1.JSONSchemaPropsOrBool', [[1, 'allows', 'bool', ''], [2, 'schema', SCHEMA, 'p']]),
  '@SchemaOrStringArray': messageDesc('v1.JSONSchemaPropsOrStringArray', [[1, 'schema', SCHEMA, 'p'], [2, 'property', 'string', 'r']]),
  // A named []string (authentication/v1 and authorization/v1 ExtraValue): a message wrapping `repeated string items`.
  '@ExtraValue': messageDesc('v1.ExtraValue', [[1, 'items', 'string', 'r']]),
  // Wire-only: the envelope (runtime.Unknown) every protobuf body is wrapped in; never converted to JSON.
  '@Unknown': messageDesc('runtime.Unknown', [[1, 'typeMeta', '@TypeMeta', '', 'TypeMeta'], [2, 'raw', 'bytes', ''], [3, 'contentEncoding', 'string', ''], [4, 'contentType', 'string', '']]),
  '@TypeMeta': messageDesc('runtime.TypeMeta', [[1, 'apiVersion', 'string', '', 'APIVersion'], [2, 'kind', 'string', '']]),
};

/** Specials whose Unmarshal replaces the whole value (hand-written upstream) instead of merging into it. */
export const REPLACED_SPECIALS: ReadonlySet<string> = new Set(['@Time', '@MicroTime']);

export function specialMessage(type: string): MessageDesc {
  const d = Object.hasOwn(SPECIALS, type) ? SPECIALS[type] : undefined;
  if (!d) throw new Error(`protobuf descriptor: unknown special type ${type}`);
  return d;
}

/** Converts a nested JSONSchemaProps (supplied by the caller to keep this module free of the generic converter). */
export type SchemaToJson = (raw: RawMessage) => unknown;

function int(raw: RawMessage | undefined, n: number, bits: 32 | 64): bigint {
  const v = raw?.values.get(n);
  return typeof v === 'bigint' ? BigInt.asIntN(bits, v) : 0n;
}

function str(raw: RawMessage | undefined, n: number): string | undefined {
  const v = raw?.values.get(n);
  return typeof v === 'string' ? v : undefined;
}

function bytes(raw: RawMessage | undefined, n: number): Uint8Array | undefined {
  const v = raw?.values.get(n);
  return v instanceof Uint8Array ? v : undefined;
}

function sub(raw: RawMessage | undefined, n: number): RawMessage | undefined {
  const v = raw?.values.get(n);
  return v !== undefined && typeof v === 'object' && 'desc' in v ? v : undefined;
}

function list(raw: RawMessage | undefined, n: number): RawValue[] {
  const v = raw?.values.get(n);
  return Array.isArray(v) ? v : [];
}

/** What a json.Marshaler returning raw bytes yields: Go re-validates them, so invalid JSON fails the marshal. */
function rawJson(data: Uint8Array, goType: string): unknown {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = text.trim() === '' ? 'unexpected end of JSON input' : (e as Error).message;
    throw new ProtoError(`json: error calling MarshalJSON for type ${goType}: ${why}`);
  }
}

/** The JSON of special `type` decoded as `raw` (undefined: the field was absent, i.e. Go's zero value). */
export function specialJson(type: string, raw: RawMessage | undefined, schema: SchemaToJson): unknown {
  switch (type) {
    case '@Quantity': {
      const s = str(raw, 1);
      if (s === undefined) return '0';
      try {
        return parseQuantity(s).toString();
      } catch (e) {
        if (e instanceof QuantityParseError) throw new ProtoError(e.message);
        throw e;
      }
    }
    case '@Time':
    case '@MicroTime': {
      if (!raw || raw.size === 0) return null;
      const f = type === '@Time' ? formatTime : formatMicroTime;
      return f(int(raw, 1, 64), int(raw, 2, 32)) ?? null;
    }
    case '@Duration':
      return formatDuration(int(raw, 1, 64));
    case '@IntOrString': {
      const t = int(raw, 1, 64);
      if (t === 0n) return Number(int(raw, 2, 32));
      if (t === 1n) return str(raw, 3) ?? '';
      throw new ProtoError('json: error calling MarshalJSON for type *intstr.IntOrString: impossible IntOrString.Type');
    }
    case '@RawExtension':
    case '@FieldsV1': {
      const b = bytes(raw, 1);
      return b === undefined ? null : rawJson(b, type === '@RawExtension' ? 'runtime.RawExtension' : '*v1.FieldsV1');
    }
    case '@JSON': {
      const b = bytes(raw, 1);
      return b === undefined || b.length === 0 ? null : rawJson(b, 'v1.JSON');
    }
    case '@SchemaOrArray': {
      const many = list(raw, 2);
      if (many.length > 0) return many.map((m) => schema(m as RawMessage));
      const one = sub(raw, 1);
      return one ? schema(one) : null;
    }
    case '@SchemaOrBool': {
      const one = sub(raw, 2);
      if (one) return schema(one);
      return int(raw, 1, 64) !== 0n;
    }
    case '@ExtraValue': {
      const items = list(raw, 1);
      return items.length ? items.slice() : null;
    }
    case '@SchemaOrStringArray': {
      const props = list(raw, 2);
      if (props.length > 0) return props.slice();
      const one = sub(raw, 1);
      return one ? schema(one) : null;
    }
    default:
      throw new Error(`protobuf descriptor: unknown special type ${type}`);
  }
}
