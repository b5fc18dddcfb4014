/**
 * The "empty object" upstream compares a newly created object against: Go's zero value of the kind as the field
 * manager sees it. Non-pointer struct fields are present (OpenAPI marks them `default: {}`), required lists and maps
 * without omitempty are present as null; everything else is absent. This is what makes an Update manager's entry on
 * create carry `f:spec` without `".": {}` while a newly added `labels` map carries it. Without a schema the zero
 * value is `{}`, as for custom resources.
 */
import type { SchemaRef, TypeInfo } from './type-info';
import { isMap } from './values';

const MAX_DEPTH = 16;

export function zeroObject(ref: SchemaRef, ti: TypeInfo): Record<string, unknown> {
  return zero(ref, ti, 0);
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
