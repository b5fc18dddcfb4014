/**
 * Merging an applied configuration into the live object, as structured-merge-diff's TypedValue.Merge (keep-RHS):
 * leaves take the configuration's value; granular maps merge key by key; list-maps and sets merge item by item, in an
 * order that keeps the live order for items the configuration does not mention and follows the configuration's order
 * for the items it does; atomic lists and maps are replaced whole. A null container in the configuration has no
 * opinion about its contents (the live content stays); a null leaf replaces the live value. Nothing is removed here —
 * removal of fields the applier stopped specifying is the updater's prune step.
 */
import { indexList } from './list-items';
import { kindOf, type SchemaRef, type TypeInfo } from './type-info';

export function mergeObjects(lhs: unknown, rhs: unknown, ref: SchemaRef, ti: TypeInfo): unknown {
  return merge(ti, lhs, rhs, ref);
}

const isEmptyContainer = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : kindOf(v) === 'map' && Object.keys(v as object).length === 0);

function merge(ti: TypeInfo, l: unknown, r: unknown, ref: SchemaRef): unknown {
  if (r === undefined) return l;
  if (l === undefined) return r;
  const { atom } = ti.atomFor(ref, r !== null ? r : l);
  const kl = kindOf(l);
  const kr = kindOf(r);
  if (atom.t === 'scalar' || (kl !== kr && kl !== 'null' && kr !== 'null')) return r;
  if (atom.t === 'list') {
    if (atom.rel === 'atomic' || (isEmptyContainer(l) && isEmptyContainer(r))) return r;
    const lhs = Array.isArray(l) ? l : [];
    const rhs = Array.isArray(r) ? r : [];
    const li = indexList(ti, atom, lhs);
    const ri = indexList(ti, atom, rhs);
    if (li.error || ri.error) return r === null ? l : r;
    return mergeItems(li, ri, (a, b) => merge(ti, a, b, atom.elem));
  }
  if (atom.atomic || (isEmptyContainer(l) && isEmptyContainer(r))) return r;
  const lm = kl === 'map' ? (l as Record<string, unknown>) : {};
  const rm = kr === 'map' ? (r as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(lm)) {
    if (lm[k] === undefined) continue;
    const fs = ti.fieldSchema(atom, k);
    const v = merge(ti, lm[k], rm[k], fs ?? undefined);
    if (v !== undefined) out[k] = v;
  }
  for (const k of Object.keys(rm)) {
    if (rm[k] === undefined || Object.prototype.hasOwnProperty.call(lm, k)) continue;
    out[k] = rm[k];
  }
  return out;
}

type Indexed = ReturnType<typeof indexList>;

/**
 * Upstream's item order: walk both lists; an item only in the live list stays where it is; items shared with the
 * configuration come out in the configuration's order; items only in the configuration come where it puts them.
 * Duplicated live items the configuration names are replaced by its single item.
 */
function mergeItems(li: Indexed, ri: Indexed, mergeOne: (l: unknown, r: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  const shared = ri.order.filter((o) => li.items.has(o.id)).map((o) => o.id);
  let next: string | undefined = shared.shift();
  const lo = li.order;
  const ro = ri.order;
  const take = (id: string, fromLive: boolean): void => {
    const l = li.items.get(id);
    const r = ri.items.get(id);
    if (!r) out.push(...(fromLive ? l! : []));
    else if (!l || l.length === 1) out.push(mergeOne(l?.[0], r[0]));
    else out.push(r[0]);
  };
  let i = 0;
  let j = 0;
  while (i < lo.length || j < ro.length) {
    if (i < lo.length && j < ro.length) {
      const id = lo[i]!.id;
      if (id === ro[j]!.id) {
        take(id, true);
        i++;
        j++;
        next = shared.shift();
        continue;
      }
      if (ri.items.has(id) && next !== undefined && next !== id) {
        i++;
        continue;
      }
    }
    if (i < lo.length && !ri.items.has(lo[i]!.id)) {
      take(lo[i]!.id, true);
      i++;
      continue;
    }
    if (j < ro.length) {
      const id = ro[j]!.id;
      take(id, false);
      j++;
      if (next === id) next = shared.shift();
      continue;
    }
    // Only live items already emitted through the configuration remain.
    i++;
  }
  return out;
}

/**
 * Drops null values of named (struct) fields whose schema is not nullable, recursively — what converting the merged
 * value back into an API object does upstream (a null struct field, list or scalar is simply unset). Nulls inside
 * granular maps and schemaless content are kept. Keys whose value is undefined are dropped too. Parts with nothing to
 * drop are returned as they are (callers copy the final result).
 */
export function dropNullFields(v: unknown, ref: SchemaRef, ti: TypeInfo): unknown {
  const atom = ti.atomOf(ref, v);
  if (atom.t === 'scalar') return v;
  if (atom.t === 'list') {
    if (!Array.isArray(v) || !atom.elem) return v;
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = dropNullFields(v[i], atom.elem, ti);
      if (x !== v[i] && !out) out = v.slice(0, i);
      if (out) out.push(x);
    }
    return out ?? v;
  }
  if (kindOf(v) !== 'map') return v;
  const m = v as Record<string, unknown>;
  const keys = Object.keys(m);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const val = m[k];
    let x: unknown = val;
    if (val === null) {
      const fs = ti.fieldSchema(atom, k);
      const named = !!atom.fields && Object.prototype.hasOwnProperty.call(atom.fields, k);
      if (named && fs && !ti.resolve(fs).nullable && !fs.nullable) x = undefined;
    } else if (typeof val === 'object') {
      // (scalars come back as they are whatever their schema)
      const fs = ti.fieldSchema(atom, k);
      if (fs) x = dropNullFields(val, fs, ti);
    }
    if (x !== val || x === undefined) {
      if (!out) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]!] = m[keys[j]!];
      }
    }
    if (out && x !== undefined) out[k] = x;
  }
  return out ?? m;
}
