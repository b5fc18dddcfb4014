/**
 * Upstream's hashutil.DeepHashObject (md5 of go-spew's `%#v` rendering of a Go value), for the orderings that
 * depend on it: Endpoints subsets and ports (RepackSubsets/SortSubsets) and EndpointSlice ports (portsInOrder).
 * Go values are described by a small type schema (struct field order, named types, pointers, slices) so the
 * rendering is byte-for-byte spew's: `(v1.EndpointPort){Name:(string)http Port:(int32)80 …}`, nil pointers as
 * `(*string)<nil>`, nil slices as `([]T)<nil>`, slice elements without their type.
 */
import { createHash } from 'node:crypto';

export type GoType =
  | { k: 'string'; name: string }
  | { k: 'int'; name: string }
  | { k: 'bool'; name: string }
  | { k: 'ptr'; elem: GoType }
  | { k: 'slice'; elem: GoType }
  | { k: 'struct'; name: string; fields: readonly (readonly [goName: string, jsonName: string, type: GoType])[] };

export const goString = (name = 'string'): GoType => ({ k: 'string', name });
export const goInt = (name: string): GoType => ({ k: 'int', name });
export const goBool = (): GoType => ({ k: 'bool', name: 'bool' });
export const goPtr = (elem: GoType): GoType => ({ k: 'ptr', elem });
export const goSlice = (elem: GoType): GoType => ({ k: 'slice', elem });
export const goStruct = (name: string, fields: readonly (readonly [string, string, GoType])[]): GoType => ({ k: 'struct', name, fields });

function typeName(t: GoType): string {
  switch (t.k) {
    case 'ptr':
      return `*${typeName(t.elem)}`;
    case 'slice':
      return `[]${typeName(t.elem)}`;
    default:
      return t.name;
  }
}

/** A JSON value absent or null is Go's zero value (nil for pointers and slices). */
function render(v: unknown, t: GoType, showType: boolean, out: string[]): void {
  if (t.k === 'ptr') {
    const nil = v === undefined || v === null;
    if (nil) {
      out.push(showType ? `(${typeName(t)})<nil>` : '<nil>');
      return;
    }
    out.push(showType ? `(*${typeName(t.elem)})` : '<*>');
    render(v, t.elem, false, out);
    return;
  }
  if (showType) out.push(`(${typeName(t)})`);
  switch (t.k) {
    case 'string':
      out.push(typeof v === 'string' ? v : '');
      return;
    case 'int':
      out.push(String(typeof v === 'number' ? Math.trunc(v) : 0));
      return;
    case 'bool':
      out.push(v === true ? 'true' : 'false');
      return;
    case 'slice': {
      if (!Array.isArray(v)) {
        out.push('<nil>');
        return;
      }
      out.push('[');
      v.forEach((e, i) => {
        if (i > 0) out.push(' ');
        render(e, t.elem, false, out);
      });
      out.push(']');
      return;
    }
    case 'struct': {
      const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
      out.push('{');
      t.fields.forEach(([goName, jsonName, ft], i) => {
        if (i > 0) out.push(' ');
        out.push(`${goName}:`);
        render(o[jsonName], ft, true, out);
      });
      out.push('}');
    }
  }
}

/** go-spew `%#v` of a top-level (non-pointer) value of type `t`. */
export function spewGoValue(v: unknown, t: GoType): string {
  const out: string[] = [];
  render(v, t, true, out);
  return out.join('');
}

/** md5 digest of the rendering (DeepHashObject + hasher.Sum). */
export function deepHash(v: unknown, t: GoType): Buffer {
  return createHash('md5').update(spewGoValue(v, t)).digest();
}

/** DeepHashObjectToString: the digest in hex. */
export function deepHashString(v: unknown, t: GoType): string {
  return deepHash(v, t).toString('hex');
}
