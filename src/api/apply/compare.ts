/**
 * Comparison of two versions of an object, as structured-merge-diff's TypedValue.Compare: which fields were added,
 * modified or removed going from `lhs` to `rhs`. Leaves (scalars, atomic lists/maps, and containers empty on both
 * sides) are compared by value; a container that appears or disappears is itself recorded as added or removed (this
 * is where the `".": {}` of an Update manager's entry comes from). `undefined` means absent; `null` is a value.
 *
 * Keys are looked up as own properties only (a key named like an Object.prototype member, e.g. a `toString`
 * label, is an ordinary key).
 *
 * The walk keeps one shared path stack and builds the three sets node by node along it (a set's node for a prefix is
 * created only when something below it is recorded), so no path is ever copied. Values that are the same JS value
 * on both sides (the same object, e.g. subtrees a patch left untouched) cannot differ and are skipped.
 */
import { FieldSet } from './field-set';
import { indexList as indexListImport } from './list-items';
import { fieldPE as fieldPEImport, type PathElement } from './path-element';
import { kindOf as kindOfImport, type SchemaRef, type TypeInfo } from './type-info';
import { valuesEqual as valuesEqualImport } from './values';

// Imports used on hot paths are bound once: under tsx (dev server, benchmarks) each call through an import binding
// is a getter call the engine does not inline, a measurable share of these walks.
const indexList = indexListImport;
const fieldPE = fieldPEImport;
const kindOf = kindOfImport;
const valuesEqual = valuesEqualImport;

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(lhs: unknown, rhs: unknown, ref: SchemaRef, ti: TypeInfo): Comparison {
  const w = new Walk(ti);
  if (lhs !== undefined || rhs !== undefined) w.node(lhs, rhs, ref);
  return { added: w.added.set, modified: w.modified.set, removed: w.removed.set };
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

/** A set being built along the walk: `nodes[d]` is its node for the first d path elements, once created. */
class Builder {
  readonly set = FieldSet.empty();
  readonly nodes: (FieldSet | undefined)[] = [this.set];

  /** Inserts path[0..depth) (a no-op for the empty path, which nobody owns). */
  insert(path: readonly PathElement[], depth: number): void {
    if (depth === 0) return;
    let d = depth - 1;
    while (this.nodes[d] === undefined) d--;
    let s = this.nodes[d]!;
    for (; d < depth - 1; d++) {
      s = s.descend(path[d]!);
      this.nodes[d + 1] = s;
    }
    s.insertMember(path[depth - 1]!);
  }
}

const isEmptyContainer = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : kindOf(v) === 'map' && hasNoKeys(v as object));

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function hasNoKeys(o: object): boolean {
  for (const k in o) if (hasOwn(o, k)) return false;
  return true;
}

/** Not a list or map (undefined included). */
const isLeafValue = (v: unknown): boolean => typeof v !== 'object' || v === null;

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

class Walk {
  readonly added = new Builder();
  readonly modified = new Builder();
  readonly removed = new Builder();
  private readonly path: PathElement[] = [];
  private depth = 0;

  constructor(private readonly ti: TypeInfo) {}

  private push(pe: PathElement): void {
    this.path[this.depth++] = pe;
    this.added.nodes[this.depth] = undefined;
    this.modified.nodes[this.depth] = undefined;
    this.removed.nodes[this.depth] = undefined;
  }

  private leaf(l: unknown, r: unknown): void {
    if (l === undefined) this.added.insert(this.path, this.depth);
    else if (r === undefined) this.removed.insert(this.path, this.depth);
    else if (!valuesEqual(l, r)) this.modified.insert(this.path, this.depth);
  }

  node(l: unknown, r: unknown, ref: SchemaRef): void {
    if (l === r && l !== undefined) return; // the same value on both sides: nothing below can differ
    if (l === undefined && r !== undefined) return this.addedNode(r, ref);
    if (isLeafValue(l) && isLeafValue(r) && l !== undefined && r !== undefined) {
      // Two scalars (or nulls) are compared as leaves whatever the schema says.
      if (l !== r) this.modified.insert(this.path, this.depth);
      return;
    }
    const ti = this.ti;
    const atom = ti.atomOf(ref, r !== undefined && r !== null ? r : l);
    const kl = kindOf(l);
    const kr = kindOf(r);
    const mixed = kl !== kr && kl !== 'null' && kr !== 'null' && kl !== 'absent' && kr !== 'absent';
    if (atom.t === 'scalar' || mixed) return this.leaf(l, r);
    if (atom.t === 'list') {
      if (atom.rel === 'atomic' || (isEmptyContainer(l) && isEmptyContainer(r))) return this.leaf(l, r);
      const li = indexList(ti, atom, Array.isArray(l) ? l : []);
      const ri = indexList(ti, atom, Array.isArray(r) ? r : []);
      if (li.error || ri.error) return this.leaf(l, r);
      for (const o of li.order) this.item(li.items.get(o.id), ri.items.get(o.id), o.pe, atom.elem);
      for (const o of ri.order) if (!li.items.has(o.id)) this.item(undefined, ri.items.get(o.id), o.pe, atom.elem);
    } else {
      if (atom.atomic || (isEmptyContainer(l) && isEmptyContainer(r))) return this.leaf(l, r);
      const lm = kl === 'map' ? (l as Record<string, unknown>) : EMPTY;
      const rm = kr === 'map' ? (r as Record<string, unknown>) : EMPTY;
      for (const k of Object.keys(lm)) {
        const rv = hasOwn(rm, k) ? rm[k] : undefined;
        if (lm[k] === undefined && rv === undefined) continue;
        this.push(fieldPE(k));
        this.node(lm[k], rv, ti.fieldSchema(atom, k) ?? undefined);
        this.depth--;
      }
      for (const k of Object.keys(rm)) {
        if (rm[k] === undefined || hasOwn(lm, k)) continue;
        this.push(fieldPE(k));
        this.node(undefined, rm[k], ti.fieldSchema(atom, k) ?? undefined);
        this.depth--;
      }
    }
    if (l === undefined) this.added.insert(this.path, this.depth);
    else if (r === undefined) this.removed.insert(this.path, this.depth);
  }

  /** node(undefined, r, ref) for a defined `r`: everything at and below the path is added. */
  private addedNode(r: unknown, ref: SchemaRef): void {
    if (isLeafValue(r)) return this.added.insert(this.path, this.depth);
    const ti = this.ti;
    const atom = ti.atomOf(ref, r === null ? undefined : r);
    if (atom.t === 'list') {
      if (atom.rel !== 'atomic' && Array.isArray(r) && r.length > 0) {
        const ri = indexList(ti, atom, r);
        if (!ri.error) {
          for (const o of ri.order) {
            const b = ri.items.get(o.id)!;
            this.push(o.pe);
            if (b.length > 1) this.added.insert(this.path, this.depth);
            else if (b[0] === undefined) this.node(undefined, undefined, atom.elem);
            else this.addedNode(b[0], atom.elem);
            this.depth--;
          }
        }
      }
    } else if (atom.t === 'map' && !atom.atomic && kindOf(r) === 'map') {
      const rm = r as Record<string, unknown>;
      for (const k of Object.keys(rm)) {
        const v = rm[k];
        if (v === undefined) continue;
        this.push(fieldPE(k));
        this.addedNode(v, ti.fieldSchema(atom, k) ?? undefined);
        this.depth--;
      }
    }
    this.added.insert(this.path, this.depth);
  }

  private item(a: unknown[] | undefined, b: unknown[] | undefined, pe: PathElement, elem: SchemaRef): void {
    this.push(pe);
    if ((a && a.length > 1) || (b && b.length > 1)) this.leaf(a, b);
    else this.node(a?.[0], b?.[0], elem);
    this.depth--;
  }
}
