/**
 * The "empty object" upstream compares a newly created object against: Go's zero value of the kind as the field
 * manager sees it. Non-pointer struct fields are present (OpenAPI marks them `default: {}`), required lists and maps
 * without omitempty are present as null; everything else is absent. This is what makes an Update manager's entry on
 * create carry `f:spec` without `".": {}` while a newly added `labels` map carries it. Without a schema the zero
 * value is `{}`, as for custom resources. Computed once per schema object and type info, deep-frozen and shared:
 * callers only read it.
 */
import { deepFreeze } from '../object';
import type { SchemaRef, TypeInfo } from './type-info';
import { isMap } from './values';

const MAX_DEPTH = 16;

const cache = new WeakMap<TypeInfo, WeakMap<object, Readonly<Record<string, unknown>>>>();

/** The zero object of `ref` (computed once per schema object and type info; deep-frozen, as it is shared). */
export function zeroObject(ref: SchemaRef, ti: TypeInfo): Readonly<Record<string, unknown>> {
  if (!ref) return zero(ref, ti, 0);
  let byRef = cache.get(ti);
  if (!byRef) cache.set(ti, (byRef = new WeakMap()));
  let z = byRef.get(ref);
  if (!z) byRef.set(ref, (z = deepFreeze(zero(ref, ti, 0))));
  return z;
}

function zero(ref: SchemaRef, ti: TypeInfo, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!ref || depth > MAX_DEPTH) return out;
  const atom = ti.atomOfSchema(ref);
  if (atom === 'deduced' || atom.t !== 'map' || atom.atomic || !atom.fields) return out;
  const required = new Set(ti.resolve(ref).required ?? []);
  for (const [name, fs] of Object.entries(atom.fields)) {
    const def = fs.default !== undefined ? fs.default : ti.resolve(fs).default;
    const fa = ti.atomOfSchema(fs);
    if (fa === 'deduced') continue;
    if (isMap(def) && Object.keys(def).length === 0 && fa.t === 'map' && fa.fields) out[name] = zero(fs, ti, depth + 1);
    else if (required.has(name) && (fa.t === 'list' || (fa.t === 'map' && !fa.fields))) out[name] = null;
  }
  return out;
}
