/**
 * How list items are identified: by their key fields in a list-map (`k:{"name":"nginx"}`, a missing key field takes
 * its schema default), by their value in a set (`v:"a"`), by position in an atomic list (`i:0`). Errors are worded as
 * structured-merge-diff words them. `indexList` groups a list's items by identity, first occurrence first, so callers
 * can see duplicates.
 */
import { indexPE, keyPE, serializePE, valuePE, type KeyField, type PathElement } from './path-element';
import { kindOf, type Atom, type TypeInfo } from './type-info';

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

export function indexList(ti: TypeInfo, atom: ListAtom, list: readonly unknown[]): IndexedList {
  const out: IndexedList = { order: [], items: new Map() };
  list.forEach((item, i) => {
    const r = listItemPE(ti, atom, i, item);
    if ('error' in r) {
      out.error ??= { index: i, message: r.error };
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
