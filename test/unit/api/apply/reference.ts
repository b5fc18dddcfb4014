/**
 * Straightforward reference versions of the algorithms src/api/apply implements for speed, written the plain way
 * (path arrays copied per level, FieldSet.insert per path, sets rebuilt by every operation, list items identified by
 * their FieldsV1 key, byte-wise string comparison through Buffer, nested sets copied while decoding). The property
 * tests compare the optimized code with these on random input: same results, same errors.
 */
import { FieldSet, type Path, type PathElement } from '../../../../src/api/apply';
import { listItemPE, type ListAtom } from '../../../../src/api/apply/list-items';
import { comparePE, deserializePE, fieldPE, serializePE, UnknownPathElementType } from '../../../../src/api/apply/path-element';
import { kindOf, type SchemaRef, type TypeInfo } from '../../../../src/api/apply/type-info';
import { isMap, valuesEqual } from '../../../../src/api/apply/values';

/** Go's strings.Compare on the UTF-8 encodings. */
export function refCompareStrings(a: string, b: string): number {
  const c = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Go's encoding/json: sorted keys, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function refGoJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (!isMap(x)) return x;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort(refCompareStrings)) if (x[k] !== undefined) out[k] = sort(x[k]);
    return out;
  };
  return (JSON.stringify(sort(v)) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

interface RefIndexed {
  order: { id: string; pe: PathElement }[];
  items: Map<string, unknown[]>;
  error: boolean;
}

/** List items grouped by their FieldsV1 key, first occurrence first. */
export function refIndexList(ti: TypeInfo, atom: ListAtom, list: readonly unknown[]): RefIndexed {
  const out: RefIndexed = { order: [], items: new Map(), error: false };
  list.forEach((item, i) => {
    const r = listItemPE(ti, atom, i, item);
    if ('error' in r) {
      out.error = true;
      return;
    }
    const id = serializePE(r.pe);
    const group = out.items.get(id);
    if (group) group.push(item);
    else {
      out.items.set(id, [item]);
      out.order.push({ id, pe: r.pe });
    }
  });
  return out;
}

export interface RefComparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const isEmptyContainer = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : kindOf(v) === 'map' && Object.keys(v as object).length === 0);

/** structured-merge-diff's Compare, walked the plain way. */
export function refCompare(lhs: unknown, rhs: unknown, ref: SchemaRef, ti: TypeInfo): RefComparison {
  const c = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  const leaf = (path: Path, l: unknown, r: unknown): void => {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!valuesEqual(l, r)) c.modified.insert(path);
  };
  const node = (path: Path, l: unknown, r: unknown, sref: SchemaRef): void => {
    const { atom } = ti.atomFor(sref, r !== undefined && r !== null ? r : l);
    const kl = kindOf(l);
    const kr = kindOf(r);
    const mixed = kl !== kr && kl !== 'null' && kr !== 'null' && kl !== 'absent' && kr !== 'absent';
    if (atom.t === 'scalar' || mixed) return leaf(path, l, r);
    if (atom.t === 'list') {
      if (atom.rel === 'atomic' || (isEmptyContainer(l) && isEmptyContainer(r))) return leaf(path, l, r);
      const li = refIndexList(ti, atom, Array.isArray(l) ? l : []);
      const ri = refIndexList(ti, atom, Array.isArray(r) ? r : []);
      if (li.error || ri.error) return leaf(path, l, r);
      const ids = new Map(li.order.map((o) => [o.id, o.pe]));
      for (const o of ri.order) if (!ids.has(o.id)) ids.set(o.id, o.pe);
      for (const [id, pe] of ids) {
        const a = li.items.get(id);
        const b = ri.items.get(id);
        const p = [...path, pe];
        if ((a && a.length > 1) || (b && b.length > 1)) leaf(p, a, b);
        else node(p, a?.[0], b?.[0], atom.elem);
      }
    } else {
      if (atom.atomic || (isEmptyContainer(l) && isEmptyContainer(r))) return leaf(path, l, r);
      const lm = kindOf(l) === 'map' ? (l as Record<string, unknown>) : {};
      const rm = kindOf(r) === 'map' ? (r as Record<string, unknown>) : {};
      const own = (m: Record<string, unknown>, k: string): unknown => (Object.prototype.hasOwnProperty.call(m, k) ? m[k] : undefined);
      for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
        if (own(lm, k) === undefined && own(rm, k) === undefined) continue;
        node([...path, fieldPE(k)], own(lm, k), own(rm, k), ti.fieldSchema(atom, k) ?? undefined);
      }
    }
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  };
  if (lhs !== undefined || rhs !== undefined) node([], lhs, rhs, ref);
  return c;
}

/** FieldsV1 → FieldSet: each nested object read into its own set, then copied into the parent's. */
export function refFieldsV1ToSet(fields: unknown): FieldSet {
  if (fields === undefined || fields === null) return FieldSet.empty();
  if (!isMap(fields)) throw new Error('ReadMapCB: expect { or n, but found ' + JSON.stringify(fields).slice(0, 1));
  const copyInto = (target: FieldSet, src: FieldSet): void => {
    for (const m of src.members) target.insertMember(m);
    for (const ch of src.children) copyInto(target.descend(ch.pe), ch.set);
  };
  const read = (obj: Record<string, unknown>): { children: FieldSet | undefined; isMember: boolean } => {
    let children: FieldSet | undefined;
    let isMember = false;
    for (const [key, val] of Object.entries(obj)) {
      if (key === '.') {
        isMember = true;
        continue;
      }
      let pe;
      try {
        pe = deserializePE(key);
      } catch (e) {
        if (e instanceof UnknownPathElementType) continue;
        throw new Error(`parsing key as path element: ${(e as Error).message}`);
      }
      if (!isMap(val)) throw new Error(`ReadMapCB: expect { or n, but found ${JSON.stringify(val)}`);
      const sub = read(val);
      if (sub.isMember) (children ??= FieldSet.empty()).insertMember(pe);
      if (sub.children) copyInto((children ??= FieldSet.empty()).descend(pe), sub.children);
    }
    return { children, isMember: isMember || !children };
  };
  return read(fields).children ?? FieldSet.empty();
}

/** Set operations rebuilt from the member paths (a set is exactly its member paths). */
export const refSet = {
  union: (a: FieldSet, b: FieldSet): FieldSet => FieldSet.of(...a.paths(), ...b.paths()),
  intersection: (a: FieldSet, b: FieldSet): FieldSet => FieldSet.of(...a.paths().filter((p) => b.has(p))),
  difference: (a: FieldSet, b: FieldSet): FieldSet => FieldSet.of(...a.paths().filter((p) => !b.has(p))),
  recursiveDifference: (a: FieldSet, b: FieldSet): FieldSet =>
    FieldSet.of(...a.paths().filter((p) => !p.some((_, i) => b.has(p.slice(0, i + 1))))),
};

/** dropNullFields as a full copy. */
export function refDropNullFields(v: unknown, ref: SchemaRef, ti: TypeInfo): unknown {
  const { atom } = ti.atomFor(ref, v);
  if (atom.t === 'scalar') return v;
  if (atom.t === 'list') return Array.isArray(v) && atom.elem ? v.map((x) => refDropNullFields(x, atom.elem, ti)) : v;
  if (kindOf(v) !== 'map') return v;
  const m = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(m)) {
    const fs = ti.fieldSchema(atom, k);
    const named = !!atom.fields && Object.prototype.hasOwnProperty.call(atom.fields, k);
    if (m[k] === null && named && fs && !ti.resolve(fs).nullable && !fs.nullable) continue;
    // defineProperty: a key spelled `__proto__` is an own key (as JSON.parse makes it), not the prototype.
    if (m[k] !== undefined) Object.defineProperty(out, k, { value: fs ? refDropNullFields(m[k], fs, ti) : m[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Member paths in order, spelled as FieldsV1 keys (for readable assertion failures). */
export const spell = (s: FieldSet): string[] => s.paths().map((p) => p.map(serializePE).join(' '));

export { comparePE };
