/**
 * How list items are identified: by their key fields in a list-map (`k:{"name":"nginx"}`, a missing key field takes
 * its schema default), by their value in a set (`v:"a"`), by position in an atomic list (`i:0`). Errors are worded as
 * structured-merge-diff words them. `indexList` groups a list's items by identity, first occurrence first, so callers
 * can see duplicates.
 */
import * as pathElement from './path-element';
import type { KeyField, PathElement } from './path-element';
import { kindOf as kindOfImport, type Atom, type TypeInfo } from './type-info';

// Imports used on hot paths are bound once: under tsx (dev server, benchmarks) each call through an import binding
// is a getter call the engine does not inline, a measurable share of these walks.
const { indexPE, keyPE, serializePE, valuePE } = pathElement;
const kindOf = kindOfImport;

export type ListAtom = Extract<Atom, { t: 'list' }>;

export type ItemId = { pe: PathElement } | { error: string };

export function listItemPE(ti: TypeInfo, atom: ListAtom, index: number, item: unknown): ItemId {
  if (atom.rel === 'atomic') return { pe: indexPE(index) };
  const k = kindOf(item);
  if (atom.rel === 'map' && atom.keys.length > 0) {
    if (k === 'null') return { error: 'associative list with keys may not have a null element' };
    if (k !== 'map') return { error: 'associative list with keys may not have non-map elements' };
    const m = item as Record<string, unknown>;
    const fields: KeyField[] = [];
    for (const name of atom.keys) {
      let value = m[name];
      if (value === undefined) value = ti.fieldDefault(atom.elem, name);
      if (value === undefined) {
        return { error: `associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)` };
      }
      fields.push({ name, value });
    }
    return { pe: keyPE(fields) };
  }
  if (k === 'map') return { error: "associative list without keys has an element that's a map type" };
  if (k === 'list') return { error: 'not supported: associative list with lists as elements' };
  if (k === 'null') return { error: "associative list without keys has an element that's an explicit null" };
  return { pe: valuePE(item) };
}

export interface IndexedList {
  /** Distinct identities in first-occurrence order. */
  order: { id: string; pe: PathElement }[];
  /** All items with a given identity (more than one means duplicates). */
  items: Map<string, unknown[]>;
  /** First error met, with the item index, when an item could not be identified. */
  error?: { index: number; message: string };
}

const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * An item's identity string (unique within its list) and its element. Items are the same item exactly when their
 * FieldsV1 keys are equal; for scalar identities JSON.stringify tells the same apart (Go's encoding differs from it
 * only by escaping HTML characters, a bijection), so the FieldsV1 key is not computed here: these ids start with `#`.
 * Other identities are the FieldsV1 key itself (`k:…`, `v:…`, `i:…`).
 */
function identify(ti: TypeInfo, atom: ListAtom, index: number, item: unknown): { id: string; pe: PathElement } | { error: string } {
  if (atom.rel === 'map' && atom.keys.length > 0 && kindOf(item) === 'map') {
    const m = item as Record<string, unknown>;
    const keys = atom.keys;
    if (keys.length === 1) {
      const name = keys[0]!;
      let value = m[name];
      if (value === undefined) value = ti.fieldDefault(atom.elem, name);
      if (!isScalar(value)) return generic(ti, atom, index, item);
      const pe: PathElement = { kind: 'key', fields: [{ name, value }] };
      return { id: '#' + JSON.stringify(value), pe };
    }
    const fields: KeyField[] = [];
    let id = '#';
    for (const name of keys) {
      let value = m[name];
      if (value === undefined) value = ti.fieldDefault(atom.elem, name);
      if (!isScalar(value)) return generic(ti, atom, index, item);
      fields.push({ name, value });
      id += JSON.stringify(value) + ',';
    }
    return { id, pe: keyPE(fields) };
  }
  if ((atom.rel === 'set' || (atom.rel === 'map' && atom.keys.length === 0)) && isScalar(item)) {
    return { id: '#' + JSON.stringify(item), pe: valuePE(item) };
  }
  return generic(ti, atom, index, item);
}

function generic(ti: TypeInfo, atom: ListAtom, index: number, item: unknown): { id: string; pe: PathElement } | { error: string } {
  const r = listItemPE(ti, atom, index, item);
  return 'error' in r ? r : { id: serializePE(r.pe), pe: r.pe };
}

export function indexList(ti: TypeInfo, atom: ListAtom, list: readonly unknown[]): IndexedList {
  const out: IndexedList = { order: [], items: new Map() };
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const r = identify(ti, atom, i, item);
    if ('error' in r) {
      out.error ??= { index: i, message: r.error };
      continue;
    }
    const group = out.items.get(r.id);
    if (group) group.push(item);
    else {
      out.items.set(r.id, [item]);
      out.order.push(r);
    }
  }
  return out;
}
