/**
 * Comparison of two versions of an object, as structured-merge-diff's TypedValue.Compare: which fields were added,
 * modified or removed going from `lhs` to `rhs`. Leaves (scalars, atomic lists/maps, and containers empty on both
 * sides) are compared by value; a container that appears or disappears is itself recorded as added or removed (this
 * is where the `".": {}` of an Update manager's entry comes from). `undefined` means absent; `null` is a value.
 */
import { FieldSet } from './field-set';
import { indexList } from './list-items';
import { fieldPE, type Path } from './path-element';
import { kindOf, type SchemaRef, type TypeInfo } from './type-info';
import { valuesEqual } from './values';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(lhs: unknown, rhs: unknown, ref: SchemaRef, ti: TypeInfo): Comparison {
  const c: Comparison = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  if (lhs !== undefined || rhs !== undefined) node(c, ti, [], lhs, rhs, ref);
  return c;
}

/** Removes `fields` (and everything below them) from every part of a comparison. */
export function excludeFields(c: Comparison, fields: FieldSet | undefined): Comparison {
  if (!fields) return c;
  return {
    added: c.added.recursiveDifference(fields),
    modified: c.modified.recursiveDifference(fields),
    removed: c.removed.recursiveDifference(fields),
  };
}

function leaf(c: Comparison, path: Path, l: unknown, r: unknown): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!valuesEqual(l, r)) c.modified.insert(path);
}

const isEmptyContainer = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : kindOf(v) === 'map' && Object.keys(v as object).length === 0);

function node(c: Comparison, ti: TypeInfo, path: Path, l: unknown, r: unknown, ref: SchemaRef): void {
  const { atom } = ti.atomFor(ref, r !== undefined && r !== null ? r : l);
  const kl = kindOf(l);
  const kr = kindOf(r);
  const mixed = kl !== kr && kl !== 'null' && kr !== 'null' && kl !== 'absent' && kr !== 'absent';
  if (atom.t === 'scalar' || mixed) return leaf(c, path, l, r);
  if (atom.t === 'list') {
    if (atom.rel === 'atomic' || (isEmptyContainer(l) && isEmptyContainer(r))) return leaf(c, path, l, r);
    const li = indexList(ti, atom, Array.isArray(l) ? l : []);
    const ri = indexList(ti, atom, Array.isArray(r) ? r : []);
    if (li.error || ri.error) return leaf(c, path, l, r);
    const ids = new Map(li.order.map((o) => [o.id, o.pe]));
    for (const o of ri.order) if (!ids.has(o.id)) ids.set(o.id, o.pe);
    for (const [id, pe] of ids) {
      const a = li.items.get(id);
      const b = ri.items.get(id);
      const p = [...path, pe];
      if ((a && a.length > 1) || (b && b.length > 1)) leaf(c, p, a, b);
      else node(c, ti, p, a?.[0], b?.[0], atom.elem);
    }
  } else {
    if (atom.atomic || (isEmptyContainer(l) && isEmptyContainer(r))) return leaf(c, path, l, r);
    const lm = kindOf(l) === 'map' ? (l as Record<string, unknown>) : {};
    const rm = kindOf(r) === 'map' ? (r as Record<string, unknown>) : {};
    const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
    for (const k of keys) {
      if (lm[k] === undefined && rm[k] === undefined) continue;
      const fs = ti.fieldSchema(atom, k);
      node(c, ti, [...path, fieldPE(k)], lm[k], rm[k], fs ?? undefined);
    }
  }
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}
