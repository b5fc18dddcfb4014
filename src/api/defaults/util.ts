/**
 * Small in-place helpers for defaulters working on decoded JSON: read or create nested objects, set a field only
 * when it is absent (Go's nil/zero), and round resource lists up to milli-units in their canonical form
 * (SetDefaults_ResourceList), leaving unparsable quantities for validation to report.
 */
import { isPlainObject } from '../object';
import { tryParseQuantity } from '../quantity';

export type Obj = Record<string, unknown>;

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The object at `o[k]`, created when absent (or replaced when not an object). */
export function ensure(o: Obj, k: string): Obj {
  if (!isPlainObject(o[k])) o[k] = {};
  return o[k] as Obj;
}

/** The object at `o[k]`, or undefined. */
export function sub(o: Obj, k: string): Obj | undefined {
  return isPlainObject(o[k]) ? (o[k] as Obj) : undefined;
}

export function list(o: Obj, k: string): Obj[] {
  const v = o[k];
  return Array.isArray(v) ? (v.filter(isPlainObject) as Obj[]) : [];
}

/** Sets `o[k] = value` when the field is absent or null. */
export function setDefault(o: Obj, k: string, value: unknown): void {
  if (!isSet(o[k])) o[k] = value;
}

/** Sets a string field when it is absent or empty (Go's "" zero value). */
export function setDefaultString(o: Obj, k: string, value: string): void {
  if (!isSet(o[k]) || o[k] === '') o[k] = value;
}

/** SetDefaults_ResourceList: round up to milli-units; the value is then written in canonical form. */
export function roundResourceList(o: Obj | undefined, k: string): void {
  if (!o || !isPlainObject(o[k])) return;
  const rl = o[k] as Obj;
  for (const [name, raw] of Object.entries(rl)) {
    const q = tryParseQuantity(raw);
    const canonical = q?.roundUp(-3).toString();
    if (canonical !== undefined && canonical !== raw) rl[name] = canonical;
  }
}

/** Embedded ObjectMeta serializes `creationTimestamp: null` upstream (a struct field Go cannot omit). */
export function templateMetadata(template: Obj): void {
  const meta = ensure(template, 'metadata');
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
}
