/**
 * Removing fields from an object by field set, and the prune step of apply, as structured-merge-diff does them.
 *
 * removeItems drops every member of the set (a whole field, list item or map key) and recurses into children; a
 * container emptied this way becomes null, as upstream (the apply result is cleaned of such nulls afterwards).
 *
 * prune removes what the applier owned last time but no longer applies, unless someone else still owns it: remove
 * everything in the last set, add back whatever any manager (including the applier's new set) owns, then add back
 * anything removed that the applier did not own before ("dangling" items). Named struct fields count as members of a
 * set whenever something below them is, so a struct the applier populated disappears with its last owned field.
 */
import { FieldSet } from './field-set';
import { listItemPE } from './list-items';
import { fieldPE, type PathElement } from './path-element';
import { toFieldSet } from './to-field-set';
import type { SchemaRef, TypeInfo } from './type-info';
import { kindOf } from './type-info';

export function removeItems(v: unknown, set: FieldSet, ref: SchemaRef, ti: TypeInfo): unknown {
  if (set.isEmpty()) return v;
  const { atom } = ti.atomFor(ref, v);
  if (atom.t === 'scalar') return v;
  if (atom.t === 'list') {
    if (!Array.isArray(v) || v.length === 0 || atom.rel === 'atomic') return null;
    const pes = v.map((item, i) => listItemPE(ti, atom, i, item));
    if (pes.some((r) => 'error' in r)) return v;
    const out: unknown[] = [];
    v.forEach((item, i) => {
      const pe = (pes[i] as { pe: PathElement }).pe;
      if (set.hasMember(pe)) return;
      const sub = set.withPrefix(pe);
      out.push(sub.isEmpty() ? item : removeItems(item, sub, atom.elem, ti));
    });
    return out.length ? out : null;
  }
  if (kindOf(v) !== 'map' || atom.atomic) return null;
  const m = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(m)) {
    if (m[k] === undefined) continue;
    const pe = fieldPE(k);
    if (set.hasMember(pe)) continue;
    const sub = set.withPrefix(pe);
    out[k] = sub.isEmpty() ? m[k] : removeItems(m[k], sub, ti.fieldSchema(atom, k) ?? undefined, ti);
  }
  return Object.keys(out).length ? out : null;
}

/** Upstream's EnsureNamedFieldsAreMembers: a named field with something owned below it is owned too. */
export function ensureNamedFieldsAreMembers(set: FieldSet, ref: SchemaRef, ti: TypeInfo): FieldSet {
  const atom = ref ? ti.atomOfSchema(ref) : 'deduced';
  const out = FieldSet.empty();
  for (const m of set.members) out.insertMember(m);
  for (const c of set.children) {
    let childRef: SchemaRef;
    if (atom !== 'deduced' && atom.t === 'map' && c.pe.kind === 'field') {
      if (atom.fields && Object.prototype.hasOwnProperty.call(atom.fields, c.pe.name)) out.insertMember(c.pe);
      childRef = ti.fieldSchema(atom, c.pe.name) ?? undefined;
    } else if (atom !== 'deduced' && atom.t === 'list' && c.pe.kind === 'key') {
      childRef = atom.elem;
    }
    out.attach(c.pe, ensureNamedFieldsAreMembers(c.set, childRef, ti));
  }
  return out;
}

/** Upstream's Updater.prune for a single API version. */
export function prune(merged: unknown, allManaged: FieldSet, lastSet: FieldSet | undefined, ref: SchemaRef, ti: TypeInfo): unknown {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const ens = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, ref, ti);
  const setOf = (v: unknown): FieldSet => ens(toFieldSet(v === null ? undefined : v, ref, ti).set);
  const last = ens(lastSet);
  const mergedSet = setOf(merged);
  const firstCut = removeItems(merged, last, ref, ti);
  const ownedBack = removeItems(merged, mergedSet.difference(setOf(firstCut).union(ens(allManaged))), ref, ti);
  return removeItems(merged, mergedSet.difference(setOf(ownedBack)).intersection(last), ref, ti);
}
