/**
 * `validateCustomResource`: a custom resource checked against its CRD's structural schema the way
 * apiextensions-apiserver does it (kube-openapi's schema validator, whose errors ValidateCustomResource turns into
 * field errors):
 *   type            `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`
 *   required        `spec.foo: Required value`
 *   enum            `spec.color: Unsupported value: "pink": supported values: "red", "blue"`
 *   maximum/minimum `spec.n: Invalid value: 11: spec.n in body should be less than or equal to 10`
 *   maxLength       `spec.s: Too long: may not be more than 3 bytes`; minLength, pattern, minItems: Invalid
 *   maxItems        `spec.l: Too many: 4: must have at most 3 items`
 *   anyOf/oneOf/not `<nil>: Invalid value: "": "spec.port" must validate at least one schema (anyOf)`
 * Validators apply by the value's JSON kind, as upstream's do (a string is checked against string constraints even
 * when the type check failed). Nulls of non-nullable fields without a default count as absent, because the decoder
 * drops them before validation. Paths: `spec.items[0].name`, map keys `.key`. Formats are not checked. Pass the
 * CRD version's own openAPIV3Schema; `$ref`s (as in the published schema's metadata) are not followed.
 */
import { fieldErr, type FieldError } from '../field-errors';
import { isPlainObject } from '../object';
import { schemaResolver } from './resolver';
import type { Schema } from './schema-types';

interface VNode {
  s: Schema;
  types: string[] | undefined;
  props: [string, VNode][];
  additional: VNode | undefined;
  items: VNode | undefined;
  pattern: RegExp | undefined;
  allOf: VNode[];
  anyOf: VNode[];
  oneOf: VNode[];
  not: VNode | undefined;
}

const cache = new WeakMap<Schema, VNode>();

function compile(schema: Schema): VNode {
  const cached = cache.get(schema);
  if (cached) return cached;
  // A reference (the published schema's metadata → ObjectMeta) constrains nothing here: the CRD's own schema is what
  // upstream validates, and ObjectMeta is checked by metadata validation.
  const s = schemaResolver().resolve(schema) === schema ? schema : {};
  const n: VNode = { s, types: s.type ? [s.type] : undefined, props: [], additional: undefined, items: undefined, pattern: undefined, allOf: [], anyOf: [], oneOf: [], not: undefined };
  cache.set(schema, n);
  for (const [k, sub] of Object.entries(s.properties ?? {})) n.props.push([k, compile(sub)]);
  if (typeof s.additionalProperties === 'object') n.additional = compile(s.additionalProperties);
  if (s.items) n.items = compile(s.items);
  if (typeof s.pattern === 'string') {
    try {
      n.pattern = new RegExp(s.pattern);
    } catch {
      n.pattern = undefined;
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[key];
    if (Array.isArray(list)) n[key] = (list as Schema[]).map(compile);
  }
  if (isPlainObject(s.not)) n.not = compile(s.not as Schema);
  return n;
}

/** Go's `%v` of a float64 (strconv 'g', shortest digits: exponent form below 1e-4 and from 1e6, e.g. `1e+06`). */
export function goFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mant, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

function schemaType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const invalid = (path: string, value: unknown, msg: string): FieldError => fieldErr.invalid(path || '<nil>', value, msg);

function tooLong(path: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field: path, detail: `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` };
}

function tooMany(path: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field: path, badValue: actual, detail: `must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}

function validate(n: VNode, v: unknown, path: string, errs: FieldError[]): void {
  const s = n.s;
  if (v === null) {
    if (n.types && !s.nullable) errs.push(fieldErr.typeInvalid(path || '<nil>', 'null', `${path} in body must be of type ${n.types.join(',')}: "null"`));
    enumCheck(s, v, path, errs);
    return;
  }
  const t = schemaType(v);
  if (n.types && !n.types.includes(t) && !(t === 'integer' && n.types.includes('number'))) {
    errs.push(fieldErr.typeInvalid(path || '<nil>', t, `${path} in body must be of type ${n.types.join(',')}: "${t}"`));
  }
  composition(n, v, path, errs);
  if (typeof v === 'string') stringChecks(n, v, path, errs);
  else if (typeof v === 'number') numberChecks(s, v, path, errs);
  else if (Array.isArray(v)) {
    if (n.items) for (let i = 0; i < v.length; i++) validate(n.items, v[i], `${path}[${i}]`, errs);
    const minItems = num(s.minItems);
    const maxItems = num(s.maxItems);
    if (minItems !== undefined && v.length < minItems) errs.push(invalid(path, v.length, `${path} in body should have at least ${minItems} items`));
    if (maxItems !== undefined && v.length > maxItems) errs.push(tooMany(path, v.length, maxItems));
  }
  enumCheck(s, v, path, errs);
  if (isPlainObject(v)) objectChecks(n, v, path, errs);
}

function stringChecks(n: VNode, v: string, path: string, errs: FieldError[]): void {
  const s = n.s;
  const maxLength = num(s.maxLength);
  const minLength = num(s.minLength);
  const length = maxLength !== undefined || minLength !== undefined ? [...v].length : 0;
  if (maxLength !== undefined && length > maxLength) errs.push(tooLong(path, maxLength));
  else if (minLength !== undefined && length < minLength) errs.push(invalid(path, v, `${path} in body should be at least ${minLength} chars long`));
  else if (n.pattern && !n.pattern.test(v)) errs.push(invalid(path, v, `${path} in body should match '${String(s.pattern)}'`));
}

function numberChecks(s: Schema, v: number, path: string, errs: FieldError[]): void {
  const multipleOf = num(s.multipleOf);
  const maximum = num(s.maximum);
  const minimum = num(s.minimum);
  if (multipleOf !== undefined && multipleOf !== 0 && !Number.isInteger(v / multipleOf)) errs.push(invalid(path, v, `${path} in body should be a multiple of ${goFloat(multipleOf)}`));
  if (maximum !== undefined && (s.exclusiveMaximum ? v >= maximum : v > maximum)) {
    errs.push(invalid(path, v, `${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${goFloat(maximum)}`));
  }
  if (minimum !== undefined && (s.exclusiveMinimum ? v <= minimum : v < minimum)) {
    errs.push(invalid(path, v, `${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${goFloat(minimum)}`));
  }
}

function enumCheck(s: Schema, v: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(s.enum) || !s.enum.length) return;
  if (v !== null && s.enum.some((e) => e !== null && deepEqual(e, v))) return;
  const values = s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  errs.push(fieldErr.notSupported(path || '<nil>', v, values));
}

/** allOf, anyOf, oneOf and not, worded as kube-openapi's schemaPropsValidator (composite errors have no field). */
function composition(n: VNode, v: unknown, path: string, errs: FieldError[]): void {
  for (const sub of n.allOf) validate(sub, v, path, errs);
  const run = (sub: VNode): FieldError[] => {
    const e: FieldError[] = [];
    validate(sub, v, path, e);
    return e;
  };
  if (n.anyOf.length) {
    const results = n.anyOf.map(run);
    if (!results.some((e) => !e.length)) errs.push(invalid('', '', `${JSON.stringify(path)} must validate at least one schema (anyOf)`), ...results[0]);
  }
  if (n.oneOf.length) {
    const results = n.oneOf.map(run);
    const valid = results.filter((e) => !e.length).length;
    if (valid !== 1) {
      const found = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      errs.push(invalid('', '', `${JSON.stringify(path)} must validate one and only one schema (oneOf). ${found}`));
      if (valid === 0) errs.push(...results[0]);
    }
  }
  if (n.not && !run(n.not).length) errs.push(invalid('', '', `${JSON.stringify(path)} must not validate the schema (not)`));
}

function objectChecks(n: VNode, v: Record<string, unknown>, path: string, errs: FieldError[]): void {
  const s = n.s;
  const keys = Object.keys(v);
  const minProps = num(s.minProperties);
  const maxProps = num(s.maxProperties);
  if (minProps !== undefined && keys.length < minProps) return void errs.push(invalid(path, keys.length, `${path} in body should have at least ${minProps} properties`));
  if (maxProps !== undefined && keys.length > maxProps) return void errs.push(tooMany(path, keys.length, maxProps));
  const child = (k: string): string => (path ? `${path}.${k}` : k);
  const props = s.properties;
  if (n.additional) {
    for (const k of keys) if (!props || !(k in props)) if (!droppedNull(n.additional, v[k])) validate(n.additional, v[k], child(k), errs);
  }
  for (const [k, sub] of n.props) if (k in v && !droppedNull(sub, v[k])) validate(sub, v[k], child(k), errs);
  for (const k of s.required ?? []) if (!(k in v) || droppedNull(n.props.find(([p]) => p === k)?.[1], v[k])) errs.push(fieldErr.required(child(k)));
}

/** The decoder drops nulls of non-nullable fields that have no default (PruneNonNullableNullsWithoutDefaults). */
function droppedNull(n: VNode | undefined, v: unknown): boolean {
  return v === null && !!n && !n.s.nullable && n.s.default === undefined;
}

export function validateCustomResource(schema: Schema, obj: unknown): FieldError[] {
  const errs: FieldError[] = [];
  validate(compile(schema), obj, '', errs);
  return errs;
}
