/**
 * Go's `%#v` rendering of the values upstream puts in field errors, so messages read exactly as kube-apiserver's:
 * `Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels``. A `GoRepr` badValue
 * carries that text in `goString`; the field-error formatter prints it verbatim (strings, numbers and booleans need
 * no wrapper: upstream prints them as `"x"`, `5`, `true`).
 */
import { arr, obj, str, strMap, strs } from './access';
import { isPlainObject } from '../../api/object';
import { goQuote } from '../../api/selectors/go-format';

export class GoRepr {
  /** `omit`: upstream's field.OmitValueType — the message shows no value at all ("Invalid value: <detail>"). */
  constructor(
    readonly goString: string,
    readonly omit = false,
  ) {}

  toString(): string {
    return this.goString;
  }

  toJSON(): string {
    return this.goString;
  }
}

/** The badValue that upstream prints as nothing (field.OmitValueType{}). */
export const OMIT_VALUE = new GoRepr('', true);

export function isGoRepr(v: unknown): v is GoRepr {
  return typeof v === 'object' && v !== null && typeof (v as { goString?: unknown }).goString === 'string';
}

/** Go's %q for a string (strconv.Quote, shared with the selectors' messages). */
export { goQuote };

/** `map[string]string{"a":"1", "b":"2"}` with keys sorted, or `map[string]string(nil)` for an absent map. */
export function goStringMap(m: unknown, type = 'map[string]string'): GoRepr {
  if (!isPlainObject(m)) return new GoRepr(`${type}(nil)`);
  const s = strMap(m);
  const body = Object.keys(s)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(s[k])}`)
    .join(', ');
  return new GoRepr(`${type}{${body}}`);
}

/** `[]string{"a", "b"}`, or `[]string(nil)` for an absent list. */
export function goStringSlice(v: unknown, type = '[]string'): GoRepr {
  if (!Array.isArray(v)) return new GoRepr(`${type}(nil)`);
  return new GoRepr(`${type}{${strs(v).map(goQuote).join(', ')}}`);
}

/** intstr.IntOrString as a value (upstream's pointer-receiver String() is not used for values). */
export function goIntOrString(v: unknown): GoRepr {
  if (typeof v === 'string') return new GoRepr(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  const n = typeof v === 'number' ? v : 0;
  return new GoRepr(`intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`);
}

function requirement(r: unknown): string {
  const o = obj(r);
  const values = Array.isArray(o.values) ? goStringSlice(o.values).goString : '[]string(nil)';
  return `v1.LabelSelectorRequirement{Key:${goQuote(str(o.key))}, Operator:${goQuote(str(o.operator))}, Values:${values}}`;
}

/** metav1.LabelSelector (dereferenced): `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`. */
export function goLabelSelector(sel: unknown): GoRepr {
  const o = obj(sel);
  const labels = goStringMap(o.matchLabels).goString;
  const exprs = Array.isArray(o.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${arr(o.matchExpressions).map(requirement).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoRepr(`v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`);
}

/**
 * A pointer field inside a `%#v` struct: `(*T)(nil)`, or — since Go prints the address of a set pointer, which no
 * client can depend on — a fixed stand-in address.
 */
export function goPointer(type: string, present: boolean): string {
  return `(*${type})(${present ? '0xc000000000' : 'nil'})`;
}

/** A struct literal from already rendered fields: `rbac.RoleRef{APIGroup:"…", Kind:"…", Name:"…"}`. */
export function goStruct(type: string, fields: [string, string][]): GoRepr {
  return new GoRepr(`${type}{${fields.map(([k, v]) => `${k}:${v}`).join(', ')}}`);
}
