/**
 * One label requirement (apimachinery labels.Requirement): key, operator and values, built through
 * `newRequirement`, which validates exactly as labels.NewRequirement does and words failures the same way
 * (`values[0][app]: Invalid value: "a b": a valid label must be ...`). Matching is allocation-free except for
 * Gt/Lt against label values longer than 15 digits.
 */
import { goQuote, goSorted, goStringSlice } from './go-format';
import { isQualifiedName, isValidLabelValue } from './label-validation';

/** selection.Operator values, spelled as upstream spells them. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** A selector could not be built; `message` is upstream's text (the API server returns it as a 400). */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/** utilerrors aggregate text: one message as is, several (deduplicated) as `[a, b]`. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

const INT_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64); undefined where Go returns an error. */
export function parseInt64(s: string): bigint | undefined {
  if (!INT_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

export class LabelRequirement {
  /** For In/NotIn with many values. */
  private readonly valueSet: ReadonlySet<string> | undefined;
  /** For Gt/Lt. */
  private readonly bound: bigint | undefined;
  private readonly smallBound: number | undefined;

  /** Use `newRequirement`; this constructor does not validate. */
  constructor(
    readonly key: string,
    readonly operator: LabelOperator,
    readonly values: readonly string[],
  ) {
    this.valueSet = values.length > 6 ? new Set(values) : undefined;
    const b = operator === 'gt' || operator === 'lt' ? parseInt64(values[0] ?? '') : undefined;
    this.bound = b;
    this.smallBound = b !== undefined && b >= -(2n ** 53n) && b <= 2n ** 53n ? Number(b) : undefined;
  }

  private hasValue(v: string): boolean {
    if (this.valueSet) return this.valueSet.has(v);
    const vs = this.values;
    for (let i = 0; i < vs.length; i++) if (vs[i] === v) return true;
    return false;
  }

  private compare(v: string): boolean {
    if (this.values.length !== 1 || this.bound === undefined) return false;
    let cmp: number;
    if (v.length <= 15 && this.smallBound !== undefined) {
      if (!INT_RE.test(v)) return false;
      const n = Number(v);
      cmp = n > this.smallBound ? 1 : n < this.smallBound ? -1 : 0;
    } else {
      const n = parseInt64(v);
      if (n === undefined) return false;
      cmp = n > this.bound ? 1 : n < this.bound ? -1 : 0;
    }
    return this.operator === 'gt' ? cmp > 0 : cmp < 0;
  }

  /** Requirement.Matches; `labels` undefined behaves as an empty set. */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const has = labels !== undefined && labels !== null && hasOwn(labels, this.key);
    switch (this.operator) {
      case 'in':
      case '=':
      case '==':
        return has && this.hasValue(labels![this.key]);
      case 'notin':
      case '!=':
        return !has || !this.hasValue(labels![this.key]);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt':
        return has && this.compare(labels![this.key]);
    }
  }

  /** Requirement.String: `x in (a,b)`, `!x`, `x!=a`, `x>1` … (values sorted on output). */
  toString(): string {
    const key = this.key;
    switch (this.operator) {
      case 'exists':
        return key;
      case '!':
        return `!${key}`;
      case 'in':
      case 'notin':
        return `${key} ${this.operator} (${this.valuesText()})`;
      case 'gt':
        return `${key}>${this.valuesText()}`;
      case 'lt':
        return `${key}<${this.valuesText()}`;
      default:
        return `${key}${this.operator}${this.valuesText()}`;
    }
  }

  private valuesText(): string {
    return this.values.length === 1 ? this.values[0] : goSorted(this.values).join(',');
  }
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function invalid(field: string, bad: string, detail: string): string {
  return `${field}: Invalid value: ${bad}: ${detail}`;
}

/**
 * labels.NewRequirement. `values` null stands for a Go nil slice (it only changes how the value prints in an
 * error). `path` is the field path option (empty = none). Throws SelectorError with upstream's aggregate text.
 */
export function newRequirement(key: string, op: LabelOperator, values: readonly string[] | null, path = ''): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalid(child(path, 'key'), goQuote(key), keyErrs.join('; ')));
  const vals = values ?? [];
  const valuePath = child(path, 'values');
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalid(valuePath, goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalid(valuePath, goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalid(valuePath, goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalid(valuePath, goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(invalid(`${valuePath}[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  vals.forEach((v, i) => {
    const m = isValidLabelValue(v);
    if (m.length) errs.push(invalid(`${valuePath}[${i}][${key}]`, goQuote(v), m.join('; ')));
  });
  if (errs.length) throw new SelectorError(aggregate(errs));
  return new LabelRequirement(key, op, [...vals]);
}
