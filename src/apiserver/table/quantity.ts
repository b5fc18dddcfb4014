/**
 * resource.Quantity's canonical string form (`Quantity.String()`), which tables print for capacities and quota
 * usage: "1536Mi" for 1.5Gi, "1500m" for 1.5, "2k" for 2000, "0" for a missing quantity. The value is kept exactly
 * (BigInt, nano units, sub-nano precision rounded up as upstream rounds); the format follows the suffix the user
 * wrote: binary (Ki…Ei) stays binary when it is a whole number of at least 1024, decimal SI (n…E) and decimal
 * exponent (e3) keep their kind, with the exponent a multiple of three and the mantissa the smallest integer.
 * A string that is not a quantity is returned unchanged (upstream could not have stored it).
 */

const NANO = 10n ** 9n;
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const EXPONENT_SUFFIX = /^[eE][+-]?\d+$/;

type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

interface Parsed {
  /** The value in nano units. */
  nanos: bigint;
  format: Format;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b === 0n ? q : a > 0n ? q + 1n : q - 1n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ParseQuantity's grammar: sign, digits with an optional fraction, then a suffix. */
function parse(s: string): Parsed | undefined {
  let i = 0;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') negative = s[i++] === '-';
  let digits = '';
  let fraction = 0;
  let seenDot = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      digits += s[i];
      if (seenDot) fraction++;
    } else if (s[i] === '.' && !seenDot) seenDot = true;
    else break;
  }
  if (digits === '') return undefined;
  const suffix = s.slice(i);
  let exp10 = 0;
  let exp1024 = 0;
  let format: Format;
  if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    exp1024 = BINARY_SUFFIXES[suffix]!;
  } else if (suffix in DECIMAL_SUFFIXES) {
    format = 'DecimalSI';
    exp10 = DECIMAL_SUFFIXES[suffix]!;
  } else if (EXPONENT_SUFFIX.test(suffix)) {
    format = 'DecimalExponent';
    exp10 = Number(suffix.slice(1));
  } else return undefined;
  let n = BigInt(digits) * 1024n ** BigInt(exp1024);
  const shift = 9 + exp10 - fraction;
  n = shift >= 0 ? n * 10n ** BigInt(shift) : ceilDiv(n, 10n ** BigInt(-shift));
  return { nanos: negative ? -n : n, format };
}

function decimal(nanos: bigint, format: Format): string {
  let exponent = -9;
  let mantissa = nanos;
  while (mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = DECIMAL_BY_EXPONENT.get(exponent);
  return suffix === undefined ? `${mantissa}e${exponent}` : `${mantissa}${suffix}`;
}

/** Quantity.String() of a quantity as it appears in JSON (string or number); "0" when missing. */
export function quantityString(q: unknown): string {
  if (q === undefined || q === null) return '0';
  const s = typeof q === 'number' ? String(q) : typeof q === 'string' ? q.trim() : undefined;
  if (s === undefined) return '0';
  const p = parse(s);
  if (!p) return s;
  if (p.nanos === 0n) return '0';
  if (p.format === 'BinarySI') {
    const abs = p.nanos < 0n ? -p.nanos : p.nanos;
    if (abs >= 1024n * NANO && p.nanos % NANO === 0n) {
      let mantissa = p.nanos / NANO;
      let k = 0;
      while (mantissa % 1024n === 0n && k < BINARY_NAMES.length - 1) {
        mantissa /= 1024n;
        k++;
      }
      return `${mantissa}${BINARY_NAMES[k]}`;
    }
    return decimal(p.nanos, 'DecimalSI');
  }
  return decimal(p.nanos, p.format);
}
