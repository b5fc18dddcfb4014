/**
 * FieldsV1: the JSON trie stored in `metadata.managedFields[].fieldsV1`, converted to and from a FieldSet exactly as
 * structured-merge-diff does. Keys are emitted in path-element order (field names before list keys before set values
 * before indices); a node that is both a member and has children starts with `".": {}`; a member with no children
 * is `{}`. Decoding skips keys with an unknown type letter and throws on malformed ones. decodeFieldsV1 also tells
 * whether the input is exactly the canonical encoding of its set (then it can be written back as it is, instead of
 * encoding the set again) and whether it is deep-frozen.
 */
import { FieldSet } from './field-set';
import * as pathElement from './path-element';
import { UnknownPathElementType, type PathElement } from './path-element';
import { isMap as isMapImport, type JsonMap } from './values';

// Imports used on hot paths are bound once: under tsx (dev server, benchmarks) each call through an import binding
// is a getter call the engine does not inline, a measurable share of these walks.
const { comparePE, deserializePE, serializePE } = pathElement;
const isMap = isMapImport;
const emptySet = FieldSet.empty;

export function setToFieldsV1(set: FieldSet): JsonMap {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): JsonMap {
  const out: JsonMap = {};
  const members = set.members;
  const children = set.children;
  if (includeSelf && !set.isEmpty()) out['.'] = {};
  let mi = 0;
  let ci = 0;
  while (mi < members.length || ci < children.length) {
    if (ci < children.length && children[ci]!.set.isEmpty()) {
      ci++;
      continue;
    }
    const c = mi >= members.length ? 1 : ci >= children.length ? -1 : comparePE(members[mi]!, children[ci]!.pe);
    if (c < 0) {
      out[serializePE(members[mi++]!)] = {};
    } else {
      const child = children[ci++]!;
      if (c === 0) mi++;
      out[serializePE(child.pe)] = emit(child.set, c === 0);
    }
  }
  return out;
}

/** Parses FieldsV1; throws an Error worded like upstream's decoder on malformed input. */
export function fieldsV1ToSet(fields: unknown): FieldSet {
  return decodeFieldsV1(fields).set;
}

export interface DecodedFieldsV1 {
  set: FieldSet;
  /**
   * `fields` is exactly what setToFieldsV1(set) writes — same keys in the same order, members `{}`, `"."` first and
   * `{}` — so it can stand for that encoding (JSON-identical).
   */
  canonical: boolean;
  /** Every object in `fields` is frozen (as in objects the watch cache shares), so it can never change. */
  frozen: boolean;
}

let canonical = true;
let frozen = true;

/** fieldsV1ToSet, also telling whether `fields` is the canonical encoding of the result and whether it is frozen. */
export function decodeFieldsV1(fields: unknown): DecodedFieldsV1 {
  if (fields === undefined || fields === null) return { set: FieldSet.empty(), canonical: false, frozen: false };
  if (!isMap(fields)) throw new Error('ReadMapCB: expect { or n, but found ' + JSON.stringify(fields).slice(0, 1));
  canonical = true;
  frozen = Object.isFrozen(fields);
  const set = FieldSet.empty();
  read(fields, set, true);
  return { set, canonical, frozen };
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isEmptyMap(v: unknown): boolean {
  if (!isMap(v)) return false;
  for (const k in v) if (hasOwn(v, k)) return false;
  return true;
}

/**
 * Reads the entries of `obj` into `target` (a set being built; keys that decode to the same element merge). Returns
 * whether `obj` makes its own key a member: it has `"."`, or no key of a known type (each such key records a member
 * or a non-empty child). Clears `canonical` when `obj` is not as emit() would write it, `frozen` when an object is not.
 */
function read(obj: JsonMap, target: FieldSet, top: boolean): boolean {
  let isMember = false;
  let recorded = false;
  let prev: PathElement | undefined;
  let first = true;
  for (const key in obj) {
    if (!hasOwn(obj, key)) continue;
    const val = obj[key];
    if (frozen && typeof val === 'object' && val !== null && !Object.isFrozen(val)) frozen = false;
    if (key === '.') {
      isMember = true;
      if (!first || top || !isEmptyMap(val)) canonical = false;
      first = false;
      continue;
    }
    first = false;
    let pe;
    try {
      pe = deserializePE(key);
    } catch (e) {
      if (e instanceof UnknownPathElementType) {
        canonical = false;
        continue;
      }
      throw new Error(`parsing key as path element: ${(e as Error).message}`);
    }
    if (!isMap(val)) throw new Error(`ReadMapCB: expect { or n, but found ${JSON.stringify(val)}`);
    if (canonical && ((prev !== undefined && comparePE(prev, pe) >= 0) || (pe.kind !== 'field' && serializePE(pe) !== key))) canonical = false;
    prev = pe;
    recorded = true;
    const existing = target.child(pe);
    const sub = existing ?? emptySet();
    if (read(val, sub, false)) target.insertMember(pe);
    if (!existing && !sub.isEmpty()) target.attach(pe, sub);
    else if (!existing && canonical && !isEmptyMap(val)) canonical = false; // a member is written `{}`
  }
  return isMember || !recorded;
}
