/**
 * Path elements as structured-merge-diff models them: a field name, the key fields of a list-map item, the value of a
 * set item, or the index of an atomic-list item. Holds their total order (field < key < value < index), their
 * FieldsV1 spelling (`f:spec`, `k:{"name":"nginx"}`, `v:"a"`, `i:0`) and their human spelling used in conflict
 * messages (`.spec`, `[name="nginx"]`, `[="a"]`, `[0]`).
 */
import { compareStrings, compareValues, goJson, valueToString } from './values';

export interface KeyField {
  name: string;
  value: unknown;
}

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: readonly KeyField[] }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

export type Path = readonly PathElement[];

export const fieldPE = (name: string): PathElement => ({ kind: 'field', name });
export const valuePE = (value: unknown): PathElement => ({ kind: 'value', value });
export const indexPE = (index: number): PathElement => ({ kind: 'index', index });

/** A key element; fields are sorted by name as upstream requires. */
export function keyPE(fields: KeyField[]): PathElement {
  return { kind: 'key', fields: [...fields].sort((a, b) => compareStrings(a.name, b.name)) };
}

const ORDER = { field: 0, key: 1, value: 2, index: 3 } as const;

function compareKeys(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const c = compareStrings(a[i]!.name, b[i]!.name) || compareValues(a[i]!.value, b[i]!.value);
    if (c !== 0) return c;
  }
}

export function comparePE(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return ORDER[a.kind] < ORDER[b.kind] ? -1 : 1;
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key':
      return compareKeys(a.fields, (b as typeof a).fields);
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index': {
      const j = (b as typeof a).index;
      return a.index < j ? -1 : a.index > j ? 1 : 0;
    }
  }
}

export const peEquals = (a: PathElement, b: PathElement): boolean => comparePE(a, b) === 0;

/** The FieldsV1 key of an element. */
export function serializePE(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return 'f:' + pe.name;
    case 'key':
      return 'k:{' + pe.fields.map((f) => `${goJson(f.name)}:${goJson(f.value)}`).join(',') + '}';
    case 'value':
      return 'v:' + goJson(pe.value);
    case 'index':
      return 'i:' + String(pe.index);
  }
}

/** Thrown for keys upstream skips silently (a type letter it does not know). */
export class UnknownPathElementType extends Error {}

/** Parses a FieldsV1 key; throws on a malformed one (upstream's DeserializePathElement). */
export function deserializePE(s: string): PathElement {
  if (s.length < 2) throw new Error('key must be 2 characters long:');
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return fieldPE(body);
    case 'v':
      return valuePE(parseJson(body));
    case 'k': {
      const obj = parseJson(body);
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`invalid key: ${body}`);
      return keyPE(Object.entries(obj as Record<string, unknown>).map(([name, value]) => ({ name, value })));
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return indexPE(Number.parseInt(body, 10));
    }
    default:
      throw new UnknownPathElementType('unknown path element type');
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new Error(`parsing JSON: ${(e as Error).message}`);
  }
}

/** The human spelling of one element (upstream's PathElement.String). */
export function peString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return '.' + pe.name;
    case 'key':
      return '[' + pe.fields.map((f) => `${f.name}=${valueToString(f.value)}`).join(',') + ']';
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** `.spec.template.spec.containers[name="nginx"].image` */
export function pathString(p: Path): string {
  return p.map(peString).join('');
}
