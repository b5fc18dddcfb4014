/**
 * Field paths and tolerant JSON accessors for validation. Objects reach validation as decoded JSON; a missing or
 * mistyped field reads as Go's zero value (`""`, `0`, `false`, empty map/list), which is how upstream's typed structs
 * see them. Paths print as apimachinery's field.Path does: `spec.containers[0].image`, `metadata.labels[app]`.
 */
import { isPlainObject } from '../../api/object';

export type Obj = Record<string, unknown>;

export function child(path: string, ...names: string[]): string {
  let p = path;
  for (const n of names) p = p ? `${p}.${n}` : n;
  return p;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

export function obj(v: unknown): Obj {
  return isPlainObject(v) ? v : {};
}

/** The nested object, or undefined when absent (Go's nil pointer). */
export function optObj(v: unknown): Obj | undefined {
  return isPlainObject(v) ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function objs(v: unknown): Obj[] {
  return arr(v).map(obj);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function strs(v: unknown): string[] {
  return arr(v).map(str);
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** A number when present (Go's non-nil *int32), else undefined. */
export function optNum(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

export function bool(v: unknown): boolean {
  return v === true;
}

/** A map[string]string; a non-string value (which decoding would have refused) reads as its JSON text. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) out[k] = typeof val === 'string' ? val : val === null || val === undefined ? '' : (JSON.stringify(val) ?? '');
  return out;
}

/** A map when present (non-nil), else undefined. */
export function optStrMap(v: unknown): Record<string, string> | undefined {
  return isPlainObject(v) ? strMap(v) : undefined;
}

/** Go zero values: absent, null, "", 0, false, [] and {} are all "not set". */
export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.values(v).every(isZero);
  return false;
}

/**
 * apimachinery's Semantic.DeepEqual over JSON: nil and empty lists/maps are equal, and a field set to its zero value
 * equals an absent one (typed Go structs cannot tell them apart for non-pointer fields).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

export function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort();
}

/** Entries sorted by key in byte order (upstream iterates maps randomly; a stable order keeps messages stable). */
export function sortedEntries(o: unknown): [string, unknown][] {
  return Object.entries(obj(o)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
