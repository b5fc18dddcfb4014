/**
 * FieldsV1: the JSON trie stored in `metadata.managedFields[].fieldsV1`, converted to and from a FieldSet exactly as
 * structured-merge-diff does. Keys are emitted in path-element order (field names before list keys before set values
 * before indices); a node that is both a member and has children starts with `".": {}`; a member with no children
 * is `{}`. Decoding skips keys with an unknown type letter and throws on malformed ones.
 */
import { FieldSet } from './field-set';
import { comparePE, deserializePE, serializePE, UnknownPathElementType } from './path-element';
import { isMap, type JsonMap } from './values';

export function setToFieldsV1(set: FieldSet): JsonMap {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): JsonMap {
  const out: JsonMap = {};
  const members = set.members;
  const children = set.children.filter((c) => !c.set.isEmpty());
  if (includeSelf && (members.length > 0 || children.length > 0)) out['.'] = {};
  let mi = 0;
  let ci = 0;
  while (mi < members.length || ci < children.length) {
    const c = mi >= members.length ? 1 : ci >= children.length ? -1 : comparePE(members[mi]!, children[ci]!.pe);
    if (c < 0) {
      out[serializePE(members[mi++]!)] = {};
    } else if (c > 0) {
      const child = children[ci++]!;
      out[serializePE(child.pe)] = emit(child.set, false);
    } else {
      const child = children[ci++]!;
      mi++;
      out[serializePE(child.pe)] = emit(child.set, true);
    }
  }
  return out;
}

/** Parses FieldsV1; throws an Error worded like upstream's decoder on malformed input. */
export function fieldsV1ToSet(fields: unknown): FieldSet {
  if (fields === undefined || fields === null) return FieldSet.empty();
  if (!isMap(fields)) throw new Error('ReadMapCB: expect { or n, but found ' + JSON.stringify(fields).slice(0, 1));
  return read(fields).children ?? FieldSet.empty();
}

function read(obj: JsonMap): { children: FieldSet | undefined; isMember: boolean } {
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
    if (sub.children) {
      const target = (children ??= FieldSet.empty()).descend(pe);
      for (const m of sub.children.members) target.insertMember(m);
      for (const c of sub.children.children) copyInto(target.descend(c.pe), c.set);
    }
  }
  if (!children) isMember = true;
  return { children, isMember };
}

function copyInto(target: FieldSet, src: FieldSet): void {
  for (const m of src.members) target.insertMember(m);
  for (const c of src.children) copyInto(target.descend(c.pe), c.set);
}
