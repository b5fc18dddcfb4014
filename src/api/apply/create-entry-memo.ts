/**
 * The managedFields entry of a create, remembered by the object's shape. On create, upstream compares the new object
 * against the kind's zero object (zero-object.ts): that holds only empty structs and nulls, so the manager's field
 * set depends on which keys are present at each level and what kind of value each holds (absent, null, scalar, map,
 * list; empty or not), but not on scalar values — except inside lists, where keys (`k:{"name":"nginx"}`), set
 * members (`v:"a"`) and duplicates come from item values. The shape key therefore spells maps' keys and value kinds
 * and every list in full; objects with the same key (the pods of one ReplicaSet, a kubelet's Events) get the same
 * FieldsV1, computed once and deep-frozen, and only the entry's time is new. Keys are cached per schema resolver and
 * kind schema, with the manager identifier and reset fields in the key; values that are not plain JSON (class
 * instances, functions, bigints, symbols) or very large shapes are not remembered.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import { deepFreeze } from '../object';
import type { Schema, SchemaResolver } from '../openapi/schema-types';

/** Longest shape key remembered (characters); larger objects are computed every time. */
const MAX_KEY = 16_384;
/** Shapes remembered per kind schema; the cache starts over when full. */
const MAX_SHAPES = 256;

const NO_SCHEMA: object = {};
const memo = new WeakMap<SchemaResolver, WeakMap<object, Map<string, ManagedFieldsEntry | null>>>();

const OBJECT_PROTO = Object.prototype;

/**
 * The shape of `v` (see above), or undefined when `v` holds something that is not plain JSON. Keys and strings are
 * length-prefixed, so no spelling of one shape is a prefix-shift of another.
 */
function shape(v: unknown, inList: boolean): string | undefined {
  switch (typeof v) {
    case 'undefined':
      return 'u';
    case 'string':
      return inList ? `s${v.length}:${v}` : 's';
    case 'number':
      return inList ? `n${v};` : 'n';
    case 'boolean':
      return inList ? (v ? 't' : 'f') : 'b';
    case 'object': {
      if (v === null) return 'z';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const x = shape(v[i], true);
          if (x === undefined) return undefined;
          out += x;
        }
        return out + ']';
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== OBJECT_PROTO && proto !== null) return undefined;
      let out = '{';
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        // An undefined value is an absent key for the comparison (inside lists it is an item's value).
        if (x === undefined && !inList) continue;
        const sx = shape(x, inList);
        if (sx === undefined) return undefined;
        out += `${k.length}:${k}${sx}`;
      }
      return out + '}';
    }
    default:
      return undefined;
  }
}

/**
 * The key under which a create of `obj` by the manager `id` is remembered, or undefined when it is not remembered.
 */
export function createShapeKey(id: string, resetFields: readonly (readonly string[])[] | undefined, obj: unknown): string | undefined {
  const sh = shape(obj, false);
  if (sh === undefined || sh.length > MAX_KEY) return undefined;
  return `${id}|${resetFields?.length ? JSON.stringify(resetFields) : ''}|${sh}`;
}

function shapesOf(resolver: SchemaResolver, schema: Schema | undefined): Map<string, ManagedFieldsEntry | null> {
  let bySchema = memo.get(resolver);
  if (!bySchema) memo.set(resolver, (bySchema = new WeakMap()));
  const s = schema ?? NO_SCHEMA;
  let shapes = bySchema.get(s);
  if (!shapes) bySchema.set(s, (shapes = new Map()));
  return shapes;
}

/**
 * The remembered entry for `key` (its time is the first create's: callers replace it), null when such a create
 * records no entry, undefined when not remembered.
 */
export function rememberedCreateEntry(resolver: SchemaResolver, schema: Schema | undefined, key: string): ManagedFieldsEntry | null | undefined {
  return shapesOf(resolver, schema).get(key);
}

/** Remembers what a create with `key` recorded (its only entry, or none); the entry's FieldsV1 is deep-frozen. */
export function rememberCreateEntry(resolver: SchemaResolver, schema: Schema | undefined, key: string, entries: ManagedFieldsEntry[] | undefined): void {
  if (entries && entries.length !== 1) return;
  const shapes = shapesOf(resolver, schema);
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  const entry = entries?.[0];
  if (entry) deepFreeze(entry.fieldsV1);
  shapes.set(key, entry ? Object.freeze({ ...entry }) : null);
}
