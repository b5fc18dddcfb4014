/**
 * Go's text for JSON values, as apimachinery's error messages print them: `%v` of decoded JSON (`map[a:1 b:[x y]]`,
 * keys sorted), `%s` of an interface value (`%!s(int64=1)` for non-strings), `%q` of a string, and the Go type names
 * `reflect.TypeOf` reports for decoded JSON. Integers are `int64` because the API server decodes patches with
 * `UnmarshalCaseSensitivePreserveInts` and converts stored objects with `ToUnstructured`.
 */
import { goQuote } from '../selectors/go-format';
import { isJsonObject } from './json-values';

/** `%v` of a float64 (`%g`, shortest digits): exponent form below 1e-4 and from 1e6 up (`1.5e+06`). */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** `fmt.Sprintf("%v", v)` for a decoded JSON value. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return isGoInt(v) ? BigInt(v).toString() : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (isJsonObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goV(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** The name `reflect.TypeOf(v).String()` gives for a decoded JSON value (`%!s(<nil>)` for nil, as `%s` prints it). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** `fmt.Sprintf("%s", v)` for an interface holding a decoded JSON value. */
export function goS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'number' || typeof v === 'boolean') return `%!s(${goTypeName(v)}=${goV(v)})`;
  return goV(v);
}

/** `fmt.Sprintf("%q", s)` (strconv.Quote, shared with the selectors' messages). */
export const goQ = goQuote;
