/**
 * Patch metadata lookups for strategic merge patch, driven by OpenAPI schemas but answering as apimachinery's
 * `PatchMetaFromStruct` does — the API server merges built-in kinds against their Go structs:
 * - a field is found by exact name, then case-insensitively (Go's JSON field matching);
 * - a missing field is `unable to find api field in struct <Type> for the json field "<key>"` (the Go type name is
 *   the last segment of the schema's `$ref`, e.g. `PodSpec`); schemas with no properties behave like such a struct
 *   (RawExtension, JSON);
 * - merging objects inside a map-valued field (`additionalProperties`) fails as upstream:
 *   `merging an object in json but data type is not struct, instead is: map`;
 * - `x-kubernetes-patch-strategy` (split on `,`) and `x-kubernetes-patch-merge-key` give the strategies and key.
 * An undefined cursor is schemaless (like `PatchMetaFromOpenAPI` with a nil schema): no strategies, never an error.
 */
import type { Schema, SchemaResolver } from '../openapi/schema-types';
import { goQ, goV } from './go-format';
import { smpInternal } from './strategic-errors';

/** Where the merge is in the schema: the schema of the current object (unresolved, so its `$ref` names it). */
export type Cursor = { schema: Schema } | undefined;

export interface PatchMeta {
  strategies: string[];
  mergeKey: string;
}

export interface Lookup {
  sub: Cursor;
  meta: PatchMeta;
}

const NO_META: Lookup = { sub: undefined, meta: { strategies: [], mergeKey: '' } };

function refOf(s: Schema): string | undefined {
  if (s.$ref) return s.$ref;
  if (s.allOf?.length === 1) return s.allOf[0]!.$ref;
  return undefined;
}

/** The Go kind `reflect` would report for values of this (resolved) schema. */
function goKind(s: Schema): string {
  if (s.properties) return 'struct';
  switch (s.type) {
    case 'array':
      return 'slice';
    case 'string':
      return 'string';
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
  }
  if (s.additionalProperties) return 'map';
  return 'struct';
}

function strategiesOf(s: Schema): string[] | undefined {
  const v = s['x-kubernetes-patch-strategy'];
  return typeof v === 'string' ? v.split(',') : undefined;
}

function mergeKeyOf(s: Schema): string | undefined {
  const v = s['x-kubernetes-patch-merge-key'];
  return typeof v === 'string' ? v : undefined;
}

export class PatchMetaLookup {
  constructor(private readonly resolver: SchemaResolver) {}

  /** The Go type name of the struct at `cursor` (`PodSpec`), as upstream's messages print it. */
  typeName(cursor: Cursor): string {
    if (!cursor) return '';
    const ref = refOf(cursor.schema);
    if (ref) return ref.slice(ref.lastIndexOf('/') + 1).split('.').pop() ?? '';
    const gvk = this.resolver.resolve(cursor.schema)['x-kubernetes-group-version-kind'];
    return gvk?.[0]?.kind ?? '';
  }

  /** `LookupPatchMetadataForStruct(key)`: the field's schema and its patch metadata. */
  forStruct(cursor: Cursor, key: string): Lookup {
    if (!cursor) return NO_META;
    const resolved = this.resolver.resolve(cursor.schema);
    const kind = goKind(resolved);
    if (kind !== 'struct') throw smpInternal(`merging an object in json but data type is not struct, instead is: ${kind}`);
    const props = resolved.properties ?? {};
    let field = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
    if (!field) {
      const folded = key.toLowerCase();
      const name = Object.keys(props).find((p) => p.toLowerCase() === folded);
      field = name === undefined ? undefined : props[name];
    }
    if (!field) throw smpInternal(`unable to find api field in struct ${this.typeName(cursor)} for the json field ${goQ(key)}`);
    const resolvedField = this.resolver.resolve(field);
    const strategies = strategiesOf(field) ?? strategiesOf(resolvedField) ?? [''];
    const mergeKey = mergeKeyOf(field) ?? mergeKeyOf(resolvedField) ?? '';
    return { sub: { schema: field }, meta: { strategies, mergeKey } };
  }

  /** `LookupPatchMetadataForSlice(key)`: like `forStruct`, but the cursor moves to the list's item schema. */
  forSlice(cursor: Cursor, key: string): Lookup {
    if (!cursor) return NO_META;
    const { sub, meta } = this.forStruct(cursor, key);
    const list = this.resolver.resolve(sub!.schema);
    if (list.type !== 'array') throw smpInternal('expected slice or array type, but got: struct');
    if (!list.items) return { sub: undefined, meta };
    if (this.resolver.resolve(list.items).type === 'array') throw smpInternal('unexpected slice of slice');
    return { sub: { schema: list.items }, meta };
  }
}

/** `extractRetainKeysPatchStrategy`: whether `retainKeys` is among the strategies, and the other strategy. */
export function splitRetainKeys(strategies: string[]): { retainKeys: boolean; strategy: string } {
  if (strategies.length === 0) return { retainKeys: false, strategy: '' };
  if (strategies.length === 1) {
    return strategies[0] === 'retainKeys' ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: strategies[0]! };
  }
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return { retainKeys: true, strategy: strategies[1]! };
    if (strategies[1] === 'retainKeys') return { retainKeys: true, strategy: strategies[0]! };
  }
  throw smpInternal(`unexpected patch strategy: ${goV(strategies)}`);
}
