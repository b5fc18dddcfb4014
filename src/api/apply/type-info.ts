/**
 * How server-side apply sees a schema node (structured-merge-diff's "atom"), derived from the OpenAPI schema the way
 * kube-openapi's schema conversion does it:
 *   - objects: `properties` are named fields; `additionalProperties` (or preserve-unknown-fields) gives the type of
 *     other keys; `x-kubernetes-map-type: atomic` makes the whole map one leaf;
 *   - arrays: `x-kubernetes-list-type` atomic | set | map (+ list-map-keys); without it, a `merge` patch strategy
 *     makes a map keyed by the patch-merge-key (or a set without key); otherwise atomic;
 *   - int-or-string and plain types are scalars; a node with no type at all is "deduced" from the value (maps are
 *     granular, lists atomic), as for schemaless objects and preserve-unknown-fields.
 * `undefined` as a schema means deduced. Atoms are cached per schema object.
 */
import type { Schema, SchemaResolver } from '../openapi/schema-types';
import { isMap } from './values';

/** A schema reference: `undefined` means "deduce from the value". */
export type SchemaRef = Schema | undefined;

export type ScalarType = 'string' | 'numeric' | 'boolean' | 'untyped';

export type Atom =
  | { t: 'scalar'; scalar: ScalarType }
  | {
      t: 'map';
      /** Named fields (struct fields). */
      fields: Record<string, Schema> | undefined;
      /** Type of other keys: a schema, `undefined` = deduced, `null` = not allowed. */
      elem: Schema | undefined | null;
      atomic: boolean;
    }
  | { t: 'list'; elem: SchemaRef; rel: 'atomic' | 'set' | 'map'; keys: string[] };

export type ValueKind = 'scalar' | 'map' | 'list' | 'null' | 'absent';

export function kindOf(v: unknown): ValueKind {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (typeof v !== 'object') return 'scalar';
  return Array.isArray(v) ? 'list' : 'map';
}

const DEDUCED_MAP: Atom = { t: 'map', fields: undefined, elem: undefined, atomic: false };
const DEDUCED_LIST: Atom = { t: 'list', elem: undefined, rel: 'atomic', keys: [] };
const UNTYPED: Atom = { t: 'scalar', scalar: 'untyped' };

/** The atom structured-merge-diff deduces from a value alone. */
export function deducedAtom(v: unknown): Atom {
  const k = kindOf(v);
  return k === 'map' ? DEDUCED_MAP : k === 'list' ? DEDUCED_LIST : UNTYPED;
}

export class TypeInfo {
  private readonly cache = new WeakMap<Schema, Atom | 'deduced'>();

  constructor(private readonly resolver: SchemaResolver) {}

  resolve(s: Schema): Schema {
    const cur = this.resolver.resolve(s);
    if (cur.type || cur.properties || cur.items || !cur.allOf?.length) return cur;
    // A multi-element allOf (description/default next to a $ref): use the member that carries the shape.
    const inner = cur.allOf.map((x) => this.resolver.resolve(x)).find((x) => x.type || x.properties || x.items);
    return inner ? { ...inner, ...withoutAllOf(cur) } : cur;
  }

  /** The atom of a schema node, or 'deduced' when the schema says nothing about the shape. */
  atomOfSchema(schema: Schema): Atom | 'deduced' {
    const cached = this.cache.get(schema);
    if (cached) return cached;
    const atom = this.build(withOverlay(this.resolve(schema), schema));
    this.cache.set(schema, atom);
    return atom;
  }

  /** The atom used to walk `value` under `ref`; falls back to the value's own shape when the schema disagrees. */
  atomFor(ref: SchemaRef, value: unknown): { atom: Atom; mismatch: boolean } {
    if (!ref) return { atom: deducedAtom(value), mismatch: false };
    const a = this.atomOfSchema(ref);
    if (a === 'deduced') return { atom: deducedAtom(value), mismatch: false };
    const k = kindOf(value);
    const fits = k === 'null' || k === 'absent' || (a.t === 'scalar' ? k === 'scalar' : a.t === k);
    return fits ? { atom: a, mismatch: false } : { atom: deducedAtom(value), mismatch: true };
  }

  /** atomFor's atom alone (no allocation): the schema's atom when the value fits it, else the value's own shape. */
  atomOf(ref: SchemaRef, value: unknown): Atom {
    if (!ref) return deducedAtom(value);
    const a = this.atomOfSchema(ref);
    if (a === 'deduced') return deducedAtom(value);
    const k = kindOf(value);
    const fits = k === 'null' || k === 'absent' || (a.t === 'scalar' ? k === 'scalar' : a.t === k);
    return fits ? a : deducedAtom(value);
  }

  /** The schema of field `name` in a map atom: named field, element type, or `null` when not declared. */
  fieldSchema(atom: Extract<Atom, { t: 'map' }>, name: string): Schema | undefined | null {
    if (atom.fields && Object.prototype.hasOwnProperty.call(atom.fields, name)) return atom.fields[name]!;
    return atom.elem;
  }

  /** The resolved `default` of a named field (used for list-map keys the item omits). */
  fieldDefault(elem: SchemaRef, name: string): unknown {
    if (!elem) return undefined;
    const a = this.atomOfSchema(elem);
    if (a === 'deduced' || a.t !== 'map' || !a.fields?.[name]) return undefined;
    const f = a.fields[name]!;
    return f.default !== undefined ? f.default : this.resolve(f).default;
  }

  private build(s: Schema): Atom | 'deduced' {
    if (s['x-kubernetes-int-or-string']) return UNTYPED;
    if (s.type === 'array' || (!s.type && s.items)) return this.buildList(s);
    if (s.type === 'object' || (!s.type && (s.properties || s.additionalProperties !== undefined))) {
      const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
      let elem: Schema | undefined | null;
      if (isMap(s.additionalProperties)) elem = s.additionalProperties as Schema;
      else if (s.additionalProperties === true || preserve) elem = undefined;
      else if (s.additionalProperties === false) elem = null;
      else elem = s.properties ? null : undefined;
      return { t: 'map', fields: s.properties, elem, atomic: s['x-kubernetes-map-type'] === 'atomic' };
    }
    if (s.type === 'string') return { t: 'scalar', scalar: 'string' };
    if (s.type === 'integer' || s.type === 'number') return { t: 'scalar', scalar: 'numeric' };
    if (s.type === 'boolean') return { t: 'scalar', scalar: 'boolean' };
    return 'deduced';
  }

  private buildList(s: Schema): Atom {
    const elem = s.items;
    const lt = s['x-kubernetes-list-type'];
    if (lt === 'map') return { t: 'list', elem, rel: 'map', keys: [...(s['x-kubernetes-list-map-keys'] ?? [])] };
    if (lt === 'set') return { t: 'list', elem, rel: 'set', keys: [] };
    if (lt === 'atomic') return { t: 'list', elem, rel: 'atomic', keys: [] };
    const strategy = s['x-kubernetes-patch-strategy'] ?? '';
    if (strategy.split(',').includes('merge')) {
      const key = s['x-kubernetes-patch-merge-key'];
      return key ? { t: 'list', elem, rel: 'map', keys: [key] } : { t: 'list', elem, rel: 'set', keys: [] };
    }
    return { t: 'list', elem, rel: 'atomic', keys: [] };
  }
}

const OVERLAY = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
] as const;

/** Extensions written next to a $ref (on the wrapper) still apply to the referenced schema. */
function withOverlay(resolved: Schema, wrapper: Schema): Schema {
  if (resolved === wrapper || !OVERLAY.some((k) => wrapper[k] !== undefined)) return resolved;
  const out: Schema = { ...resolved };
  for (const k of OVERLAY) if (wrapper[k] !== undefined) (out as Record<string, unknown>)[k] = wrapper[k];
  return out;
}

function withoutAllOf(s: Schema): Schema {
  const rest = { ...s };
  delete rest.allOf;
  return rest;
}
