/**
 * Kubernetes' resource.Quantity (apimachinery/pkg/api/resource): parsing, the canonical string form and exact
 * arithmetic. A quantity is `unscaled × 10^scale` held in a BigInt, so nothing is lost to floating point.
 *
 * Contract, as upstream:
 * - `parseQuantity` accepts `[+-]digits[.digits][suffix]` with the suffixes n u m "" k M G T P E, Ki … Ei and
 *   `e<int>`/`E<int>`; it throws `QuantityParseError` with upstream's wording otherwise. Values finer than 1n are
 *   rounded up (away from zero) to 1n; BinarySI values are capped at 2^63-1.
 * - `toString()` returns the input when upstream would keep it (its int64 fast path with an already canonical
 *   string, e.g. "500m", "1Gi", "+1"), otherwise the canonical form ("1000m" → "1", "0.5" → "500m",
 *   "1024Mi" → "1Gi", "512Ki" stays, "0.5Ki" → "512").
 * - Decimal exponents outside n…E print as `e<exp>` (upstream would print no suffix there).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([s, e]) => [e, s]));
const BIN_BY_EXP = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const NANO = -9;

/** Quantities are immutable and the same few strings recur on every write ("100m", "64Mi"): parse each once. */
const PARSED = new Map<string, Quantity>();
const PARSED_MAX = 4096;

/** 10^0 … 10^63, computed once (BigInt exponentiation allocates on every call). */
const POW10: readonly bigint[] = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i));
function pow10(n: number): bigint {
  return n < POW10.length ? POW10[n] : 10n ** BigInt(n);
}
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Divides by 10^places, rounding away from zero (inf.RoundUp). */
function roundAway(unscaled: bigint, places: number): bigint {
  if (places <= 0) return unscaled;
  const d = pow10(places);
  const q = unscaled / d;
  if (q * d === unscaled) return q;
  return unscaled < 0n ? q - 1n : q + 1n;
}

interface Parts {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** upstream parseQuantityString, step for step (including its quirks: "1.G" is accepted). */
function splitQuantity(str: string): Parts {
  let pos = 0;
  const end = str.length;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: '', suffix: '' };
  pos = i;
  if (!num) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  i = pos;
  while (i < end && 'eEinumkKMGTP'.includes(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (i = pos; i < end; i++) if (!isDigit(str[i])) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  if (s in DEC_SUFFIX) return { base: 10, exponent: DEC_SUFFIX[s], format: 'DecimalSI' };
  if (s in BIN_SUFFIX) return { base: 2, exponent: BIN_SUFFIX[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?\d+$/.test(s.slice(1))) {
    const exponent = Number(s.slice(1));
    if (Math.abs(exponent) > 10000) throw new QuantityParseError(QUANTITY_NUMERIC_ERROR);
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityParseError(QUANTITY_SUFFIX_ERROR);
}

export class Quantity {
  private constructor(
    /** The value is unscaled × 10^scale. */
    readonly unscaled: bigint,
    readonly scale: number,
    readonly format: QuantityFormat,
    private readonly cached?: string,
  ) {}

  private whole?: bigint;
  private milli?: bigint;

  static parse(str: string): Quantity {
    const hit = PARSED.get(str);
    if (hit) return hit;
    const q = Quantity.parseUncached(str);
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    PARSED.set(str, q);
    return q;
  }

  private static parseUncached(str: string): Quantity {
    if (str.length === 0) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', '0');
    const p = splitQuantity(str);
    const { base, exponent, format } = interpretSuffix(p.suffix);
    // upstream's int64 fast path decides whether the input string is kept verbatim
    let scale = 0;
    let precision: number;
    let mantissa = 1n;
    if (format === 'BinarySI') {
      if (exponent >= 0 && p.denom.length === 0) {
        mantissa = 1n << BigInt(exponent);
        precision = 15 - p.num.length - Math.trunc((exponent * 3) / 10) - 1;
      } else precision = -1;
    } else {
      scale = exponent;
      precision = 18 - (p.num.length + p.denom.length);
    }
    if (precision >= 0 && scale - p.denom.length >= NANO) {
      scale -= p.denom.length;
      const shifted = p.num + p.denom;
      const value = BigInt(shifted);
      let result = value * mantissa;
      if (result <= INT64_MAX) {
        if (!p.positive) result = -result;
        const keep =
          format === 'BinarySI' ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return new Quantity(result, scale, format, keep ? str : undefined);
      }
    }
    let unscaled = BigInt(p.num + p.denom);
    let sc = -p.denom.length;
    if (base === 10) sc += exponent;
    else unscaled *= 1n << BigInt(exponent);
    if (sc < NANO && unscaled !== 0n) {
      unscaled = roundAway(unscaled, NANO - sc);
      sc = NANO;
    }
    let fmt = format;
    if (fmt === 'BinarySI') {
      const q = new Quantity(unscaled, sc, fmt);
      if (q.cmp(new Quantity(INT64_MAX, 0, fmt)) > 0) {
        unscaled = INT64_MAX;
        sc = 0;
      } else if (q.cmp(new Quantity(1n, 0, fmt)) < 0 && unscaled > 0n) fmt = 'DecimalSI';
    }
    return new Quantity(p.positive ? unscaled : -unscaled, sc, fmt);
  }

  static fromInt(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, 0, format);
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  cmp(o: Quantity): -1 | 0 | 1 {
    if (this.scale === o.scale) return this.unscaled < o.unscaled ? -1 : this.unscaled > o.unscaled ? 1 : 0;
    const s = Math.min(this.scale, o.scale);
    const a = this.unscaled * pow10(this.scale - s);
    const b = o.unscaled * pow10(o.scale - s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Quantity): boolean {
    return this.cmp(o) === 0;
  }

  add(o: Quantity): Quantity {
    if (this.scale === o.scale) return new Quantity(this.unscaled + o.unscaled, this.scale, this.format);
    const s = Math.min(this.scale, o.scale);
    return new Quantity(this.unscaled * pow10(this.scale - s) + o.unscaled * pow10(o.scale - s), s, this.format);
  }

  sub(o: Quantity): Quantity {
    return this.add(o.neg());
  }

  neg(): Quantity {
    return new Quantity(-this.unscaled, this.scale, this.format);
  }

  /** The value rounded away from zero to a multiple of 10^scale (upstream RoundUp); keeps the string when exact. */
  roundUp(scale: number): Quantity {
    if (this.scale >= scale) return this;
    const r = roundAway(this.unscaled, scale - this.scale);
    if (r * pow10(scale - this.scale) === this.unscaled) return this;
    return new Quantity(r, scale, this.format);
  }

  /** The value at 10^scale, rounded away from zero (ScaledValue). */
  scaledValue(scale: number): bigint {
    if (this.scale >= scale) return this.unscaled * pow10(this.scale - scale);
    return roundAway(this.unscaled, scale - this.scale);
  }

  /** Whole units, rounded up (Value()); remembered, as admission asks each parsed quantity again per request. */
  value(): bigint {
    return (this.whole ??= this.scaledValue(0));
  }

  /** Thousandths, rounded up (MilliValue()); remembered like value(). */
  milliValue(): bigint {
    return (this.milli ??= this.scaledValue(-3));
  }

  /** A JS number approximation (for ratios and display only). */
  toNumber(): number {
    return Number(this.unscaled) * 10 ** this.scale;
  }

  toString(): string {
    return this.cached ?? this.canonical();
  }

  toJSON(): string {
    return this.toString();
  }

  /** CanonicalizeBytes: the form upstream serializes when it has no cached string. */
  canonical(): string {
    if (this.unscaled === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const inByteRange = this.cmp(Quantity.fromInt(-1024)) > 0 && this.cmp(Quantity.fromInt(1024)) < 0;
      const exact = this.scale >= 0 || this.unscaled % pow10(-this.scale) === 0n;
      if (inByteRange || !exact) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let n = this.scaledValue(0);
      let times = 0;
      while (times < 6 && n % 1024n === 0n) {
        n /= 1024n;
        times++;
      }
      return `${n}${BIN_BY_EXP[times]}`;
    }
    let n = this.unscaled;
    let e = this.scale;
    while (n % 10n === 0n) {
      n /= 10n;
      e++;
    }
    const r = e % 3;
    if (r === 1 || r === -2) {
      n *= 10n;
      e -= 1;
    } else if (r === 2 || r === -1) {
      n *= 100n;
      e -= 2;
    }
    if (format === 'DecimalExponent') return e === 0 ? `${n}` : `${n}e${e}`;
    const suffix = DEC_BY_EXP.get(e);
    return suffix !== undefined ? `${n}${suffix}` : `${n}e${e}`;
  }
}

export function parseQuantity(str: string): Quantity {
  return Quantity.parse(str);
}

/** A quantity from JSON (string or number), or undefined when it does not parse. */
export function tryParseQuantity(v: unknown): Quantity | undefined {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else return undefined;
  try {
    return Quantity.parse(s);
  } catch {
    return undefined;
  }
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.cmp(b);
}

/** Whether a bigint fits Go's int64 (upstream's cheap path; exposed for callers that mirror int64 checks). */
export function fitsInt64(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}
