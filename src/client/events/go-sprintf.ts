/**
 * `fmt.Sprintf` for event messages: verbs %v %s %d %q %t %x %f (width, precision and the `-`, `0`, `+` flags are not
 * supported) and %%; Go's error texts for a missing argument (`%!d(MISSING)`), a wrong type (`%!d(string=x)`),
 * an unknown verb (`%!z(int=1)`) and extra arguments (`%!(EXTRA int=1, string=a)`). `%v` of an Error is its message;
 * `%v` of a plain object or array is Go's `map[k:v]` / `[a b]` text of decoded JSON.
 */
import { goQuote } from '../../api/selectors/go-format';
import { goV } from '../../api/patch/go-format';

function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (v instanceof Error) return '*errors.errorString';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

function valueText(v: unknown): string {
  if (v instanceof Error) return v.message;
  if (typeof v === 'bigint') return v.toString();
  return goV(v);
}

function bad(verb: string, v: unknown): string {
  return v === null || v === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goType(v)}=${valueText(v)})`;
}

function formatOne(verb: string, v: unknown): string {
  switch (verb) {
    case 'v':
      return valueText(v);
    case 's':
      if (typeof v === 'string') return v;
      if (v instanceof Error) return v.message;
      if (Array.isArray(v) || (typeof v === 'object' && v !== null)) return valueText(v);
      return bad(verb, v);
    case 'q':
      return typeof v === 'string' ? goQuote(v) : v instanceof Error ? goQuote(v.message) : bad(verb, v);
    case 'd':
      if (typeof v === 'bigint') return v.toString();
      return typeof v === 'number' && Number.isInteger(v) ? String(v) : bad(verb, v);
    case 'x':
      if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return v.toString(16);
      return typeof v === 'string' ? Buffer.from(v, 'utf8').toString('hex') : bad(verb, v);
    case 't':
      return typeof v === 'boolean' ? String(v) : bad(verb, v);
    case 'f':
      return typeof v === 'number' ? v.toFixed(6) : bad(verb, v);
    default:
      return bad(verb, v);
  }
}

export function goSprintf(format: string, ...args: unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    if (i + 1 >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = format[++i];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[next++]);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args.slice(next).map((a) => (a === null || a === undefined ? '<nil>' : `${goType(a)}=${valueText(a)}`)).join(', ')})`;
  }
  return out;
}
