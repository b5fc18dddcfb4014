/**
 * What Go's JSON decoder (sigs.k8s.io/json, as kube-apiserver uses it) says about a JSON scalar that does not fit the
 * Go field it is decoded into. `desc` is the decoder's description of the value (`string`, `bool`, `number`, and
 * `number 1.5` for numbers that do not fit an integer type) and `goType` the target's Go type; callers add the struct
 * context. `custom` is a complete message from a type with its own decoder (resource.Quantity, base64 []byte,
 * metav1.Time's time.Parse).
 * JSON null always decodes (to the zero value), so it is never an error.
 */
import { QUANTITY_FORMAT_ERROR, QuantityParseError, parseQuantity } from '../quantity';
import type { FieldNode } from './field-nodes';
import { RFC3339, RFC3339_MICRO, goTimeParseError } from './go-time';

export interface GoValueError {
  desc: string;
  goType: string;
  custom?: string;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 9223372036854775808;

/** Go's name for a JSON value's kind in decode errors. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

function fitsInt(v: number, bits: 32 | 64): boolean {
  if (!Number.isInteger(v)) return false;
  return bits === 32 ? v >= INT32_MIN && v <= INT32_MAX : v >= -INT64_LIMIT && v < INT64_LIMIT;
}

export function goValueError(n: FieldNode, v: unknown): GoValueError | undefined {
  if (v === null || v === undefined) return undefined;
  const t = typeof v;
  switch (n.kind) {
    case 'string':
      return t === 'string' ? undefined : { desc: jsonKind(v), goType: n.goType };
    case 'boolean':
      return t === 'boolean' ? undefined : { desc: jsonKind(v), goType: n.goType };
    case 'number':
      return t === 'number' ? undefined : { desc: jsonKind(v), goType: n.goType };
    case 'integer':
      if (t === 'number') return fitsInt(v as number, n.bits) ? undefined : { desc: `number ${String(v)}`, goType: n.goType };
      return { desc: jsonKind(v), goType: n.goType };
    case 'intOrString':
      // IntOrString decodes strings as StrVal and everything else into an int32 IntVal.
      if (t === 'string') return undefined;
      if (t === 'number') return fitsInt(v as number, 32) ? undefined : { desc: `number ${String(v)}`, goType: 'int32' };
      return { desc: jsonKind(v), goType: 'int32' };
    case 'time': {
      // metav1.Time and MicroTime decode a JSON string, then time.Parse it; the parse error is returned as is.
      if (t !== 'string') return { desc: jsonKind(v), goType: 'string' };
      const err = goTimeParseError(n.goType.endsWith('MicroTime') ? RFC3339_MICRO : RFC3339, v as string);
      return err ? { desc: '', goType: '', custom: err } : undefined;
    }
    case 'quantity':
      return quantityError(v);
    case 'bytes':
      if (t !== 'string') return { desc: jsonKind(v), goType: n.goType };
      return base64Error(v as string);
    default:
      return undefined;
  }
}

function quantityError(v: unknown): GoValueError | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return { desc: '', goType: '', custom: QUANTITY_FORMAT_ERROR };
  try {
    parseQuantity(String(v).trim());
    return undefined;
  } catch (e) {
    const message = e instanceof QuantityParseError ? e.message : QUANTITY_FORMAT_ERROR;
    return { desc: '', goType: '', custom: message };
  }
}

const B64 = /^[A-Za-z0-9+/]$/;
const isNewline = (c: string | undefined): boolean => c === '\r' || c === '\n';

/** Go's base64.StdEncoding.Decode error offsets (`illegal base64 data at input byte N`), quantum by quantum. */
function base64Error(src: string): GoValueError | undefined {
  let si = 0;
  while (si < src.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return illegal(si - j);
      }
      const c = src[si++];
      if (B64.test(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2) return illegal(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return illegal(src.length);
        if (src[si] !== '=') return illegal(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? illegal(si) : undefined;
    }
  }
  return undefined;
}

function illegal(at: number): GoValueError {
  return { desc: '', goType: '', custom: `illegal base64 data at input byte ${at}` };
}
