/**
 * The set of fields an object (or an applied configuration) specifies, as structured-merge-diff's ToFieldSet computes
 * it: every scalar leaf, every atomic list or map as one leaf, every list item (keyed, set or positional) and every
 * key of a non-struct map; named struct fields themselves are not members. Null containers contribute nothing.
 *
 * In strict mode (the applied configuration) the walk also validates like SMD's FromUnstructured and reports errors
 * worded as upstream (`.spec.foo: field not declared in schema`, duplicates, missing list-map keys, wrong types).
 * In lenient mode (stored objects) undeclared fields are deduced, unidentifiable lists are treated as atomic, and
 * duplicated list items are owned as a whole.
 */
import { FieldSet } from './field-set';
import { indexList, type ListAtom } from './list-items';
import { fieldPE, pathString, peString, type Path } from './path-element';
import { kindOf, type Atom, type SchemaRef, type TypeInfo } from './type-info';
import { goTypeName, goV } from './values';

export interface FieldSetResult {
  set: FieldSet;
  /** Validation errors (strict mode only), each `<path>: <message>`. */
  errors: string[];
}

export function toFieldSet(value: unknown, ref: SchemaRef, ti: TypeInfo, strict = false): FieldSetResult {
  const w = new Walker(ti, strict);
  w.walk([], value, ref, true);
  return { set: w.set, errors: w.errors };
}

/** The error message upstream gives when a value does not have the shape its schema asks for. */
export function typeMismatch(atom: Atom, v: unknown): string {
  const vv = `&{${goV(v)}}`;
  if (atom.t === 'map') return `expected map, got ${vv}`;
  if (atom.t === 'list') return `expected list, got ${vv}`;
  switch (atom.scalar) {
    case 'numeric':
      return `expected numeric (int or float), got ${goTypeName(v)}`;
    case 'string':
      return `expected string, got &value.valueUnstructured{Value:${goV(v)}}`;
    case 'boolean':
      return `expected boolean, got ${vv}`;
    default:
      return `expected any scalar, got ${vv}`;
  }
}

class Walker {
  readonly set = FieldSet.empty();
  readonly errors: string[] = [];

  constructor(
    private readonly ti: TypeInfo,
    private readonly strict: boolean,
  ) {}

  private error(path: Path, msg: string): void {
    this.errors.push(path.length ? `${pathString(path)}: ${msg}` : msg);
  }

  /** `record` is false inside atomic containers, which are validated but owned as a whole. */
  walk(path: Path, v: unknown, ref: SchemaRef, record: boolean): void {
    const { atom, mismatch } = this.ti.atomFor(ref, v);
    if (mismatch && this.strict && ref) {
      const declared = this.ti.atomOfSchema(ref);
      if (declared !== 'deduced') return this.error(path, typeMismatch(declared, v));
    }
    if (atom.t === 'scalar') {
      if (this.strict && !scalarFits(atom.scalar, v)) this.error(path, typeMismatch(atom, v));
      if (record) this.set.insert(path);
      return;
    }
    if (atom.t === 'list') return this.list(path, v, atom, record);
    if (atom.atomic && record) this.set.insert(path);
    if (kindOf(v) !== 'map') return;
    const m = v as Record<string, unknown>;
    for (const key of Object.keys(m)) {
      if (m[key] === undefined) continue;
      let fs = this.ti.fieldSchema(atom, key);
      const p = [...path, fieldPE(key)];
      if (fs === null) {
        if (this.strict) {
          this.error(p, 'field not declared in schema');
          continue;
        }
        fs = undefined;
      }
      const named = !!atom.fields && Object.prototype.hasOwnProperty.call(atom.fields, key);
      this.walk(p, m[key], fs, record && !atom.atomic);
      if (record && !atom.atomic && !named) this.set.insert(p);
    }
  }

  private list(path: Path, v: unknown, atom: ListAtom, record: boolean): void {
    if (atom.rel === 'atomic' && record) this.set.insert(path);
    if (!Array.isArray(v)) return;
    const own = record && atom.rel !== 'atomic';
    const idx = indexList(this.ti, atom, v);
    if (idx.error) {
      if (this.strict) this.error(path, `element ${idx.error.index}: ${idx.error.message}`);
      else if (own) this.set.insert(path);
      return;
    }
    for (const { id, pe } of idx.order) {
      const items = idx.items.get(id)!;
      const p = [...path, pe];
      if (items.length > 1) {
        if (this.strict) this.error(path, `duplicate entries for key ${peString(pe)}`);
        else if (own) this.set.insert(p);
        continue;
      }
      this.walk(p, items[0], atom.elem, own);
      if (own) this.set.insert(p);
    }
  }
}

function scalarFits(t: string, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (t) {
    case 'numeric':
      return typeof v === 'number';
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return typeof v !== 'object';
  }
}
