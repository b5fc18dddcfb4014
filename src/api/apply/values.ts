/**
 * JSON value helpers with structured-merge-diff's semantics: the total order of values (numbers < strings < booleans
 * < lists < maps < null), deep equality, and the two ways upstream prints a value — Go's JSON encoding (sorted map
 * keys, `<`, `>`, `&` escaped) used inside FieldsV1 keys, and `value.ToString` used in conflict paths (`"nginx"`, 80).
 * Pure functions over plain JSON data; nothing here knows about schemas.
 */
import { isPlainObject as isPlainObjectImport } from '../object';

// Imports used on hot paths are bound once: under tsx (dev server, benchmarks) each call through an import binding
// is a getter call the engine does not inline, a measurable share of these walks.
const isPlainObject = isPlainObjectImport;

export type JsonMap = Record<string, unknown>;

export { isPlainObject as isMap };

/** 0 number, 1 string, 2 boolean, 3 list, 4 map, 5 null/other — upstream's ordering of kinds. */
function rank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (isPlainObject(v)) return 4;
  return 5;
}

/** Byte-wise (UTF-8) string comparison, as Go's strings.Compare. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 code-unit order is UTF-8 byte order as long as the first difference involves no surrogate: the common
  // prefix encodes to the same bytes, and for non-surrogate units code-unit order is code-point order.
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) {
    // One is a prefix of the other; a trailing lone high surrogate would encode as U+FFFD: let Buffer decide.
    if (i > 0 && isSurrogate(a.charCodeAt(i - 1))) return compareUtf8(a, b);
    return a.length < b.length ? -1 : 1;
  }
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (isSurrogate(x) || isSurrogate(y) || (i > 0 && isSurrogate(a.charCodeAt(i - 1)))) return compareUtf8(a, b);
  return x < y ? -1 : 1;
}

const isSurrogate = (u: number): boolean => u >= 0xd800 && u <= 0xdfff;

function compareUtf8(a: string, b: string): number {
  const c = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** structured-merge-diff's value.Compare: a total order over JSON values. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length === lb.length ? 0 : la.length < lb.length ? -1 : 1;
    }
    case 4: {
      const ma = a as JsonMap;
      const mb = b as JsonMap;
      const ka = Object.keys(ma).sort(compareStrings);
      const kb = Object.keys(mb).sort(compareStrings);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareStrings(ka[i]!, kb[i]!) || compareValues(ma[ka[i]!], mb[kb[i]!]);
        if (c !== 0) return c;
      }
      return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
    }
    default:
      return 0;
  }
}

/** Deep equality of JSON values (map key order does not matter; list order does). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/** Go's encoding/json output: map keys sorted, HTML characters and U+2028/2029 escaped. */
export function goJson(v: unknown): string {
  if (typeof v === 'string') return goEscape(JSON.stringify(v));
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  return goEscape(JSON.stringify(sortKeys(v)) ?? 'null');
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;

function goEscape(json: string): string {
  if (!GO_ESCAPED.test(json)) return json;
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort(compareStrings)) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
  return out;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrintable(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

const SHORT_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** Go's strconv.Quote (what `%q` prints). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (isGoPrintable(ch)) out += ch;
    else if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

/** Go's `%v` of a float64/int64 decoded from JSON. */
export function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // strconv.FormatFloat(f, 'g', -1, 64): exponent form below 1e-4 or from 1e21, two-digit exponent minimum.
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = n.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    return `${mant}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

/** structured-merge-diff's value.ToString, used to print key and set values in paths. */
export function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(valueToString).join(',') + ']';
  if (isPlainObject(v)) {
    return '{' + Object.keys(v).map((k) => `${k}=${valueToString(v[k])}`).join(',') + '}';
  }
  return String(v);
}

/** Go's `%T` of a value decoded from JSON into interface{}. */
export function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isPlainObject(v)) return 'map[string]interface {}';
  return '<nil>';
}

/** Go's `%v` of a value decoded from JSON into interface{}. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(goV).join(' ') + ']';
  if (isPlainObject(v)) {
    return 'map[' + Object.keys(v).sort(compareStrings).map((k) => `${k}:${goV(v[k])}`).join(' ') + ']';
  }
  return String(v);
}
