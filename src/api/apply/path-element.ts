/**
 * Path elements as structured-merge-diff models them: a field name, the key fields of a list-map item, the value of a
 * set item, or the index of an atomic-list item. Holds their total order (field < key < value < index), their
 * FieldsV1 spelling (`f:spec`, `k:{"name":"nginx"}`, `v:"a"`, `i:0`) and their human spelling used in conflict
 * messages (`.spec`, `[name="nginx"]`, `[="a"]`, `[0]`). Elements are immutable: parsed ones are shared, and
 * FieldsV1 keys are computed once for them (bounded caches).
 */
import { compareStrings as compareStringsImport, compareValues as compareValuesImport, goJson as goJsonImport, valueToString } from './values';

// Imports used on hot paths are bound once: under tsx (dev server, benchmarks) each call through an import binding
// is a getter call the engine does not inline, a measurable share of these walks.
const compareStrings = compareStringsImport;
const compareValues = compareValuesImport;
const goJson = goJsonImport;

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
  if (a === b) return 0;
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

/** FieldsV1 keys of shared elements (those from deserializePE), computed once. */
const keysOf = new Map<PathElement, string>();

/**
 * `f:<name>` keys by field name: the same few names recur, and a key string made once is already flat and in the
 * engine's string table when it is used as a property name again. Bounded: starts over when full.
 */
const fieldKeys = new Map<string, string>();
const FIELD_KEYS_MAX = 16384;

/** The FieldsV1 key of an element. */
export function serializePE(pe: PathElement): string {
  if (pe.kind !== 'field') return keysOf.get(pe) ?? serializeUncached(pe);
  let key = fieldKeys.get(pe.name);
  if (key === undefined) {
    if (fieldKeys.size >= FIELD_KEYS_MAX) fieldKeys.clear();
    key = 'f:' + pe.name;
    fieldKeys.set(pe.name, key);
  }
  return key;
}

function serializeUncached(pe: PathElement): string {
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

/**
 * Elements parsed from FieldsV1 keys, shared: the same keys recur across objects of a kind (`f:metadata`,
 * `k:{"name":"nginx"}`), so parsing each once saves most of decoding. Elements are immutable, so sharing is safe.
 * Bounded: the table starts over when full.
 */
const shared = new Map<string, PathElement>();
const SHARED_MAX = 16384;

function share(key: string, pe: PathElement): PathElement {
  if (shared.size >= SHARED_MAX) {
    shared.clear();
    keysOf.clear();
  }
  shared.set(key, pe);
  if (pe.kind !== 'field') keysOf.set(pe, serializeUncached(pe));
  return pe;
}

/** Parses a FieldsV1 key; throws on a malformed one (upstream's DeserializePathElement). Results are shared. */
export function deserializePE(s: string): PathElement {
  return shared.get(s) ?? share(s, parsePE(s));
}

function parsePE(s: string): PathElement {
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
