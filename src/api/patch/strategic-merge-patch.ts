/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as the API server applies it
 * (apimachinery `strategicpatch.StrategicMergeMapPatch`, server options), driven by the kind's OpenAPI schema:
 * lists merge by `x-kubernetes-patch-merge-key` when `x-kubernetes-patch-strategy` contains `merge` (scalar lists
 * become a union, e.g. finalizers), other lists are replaced, `null` deletes, and the directives `$patch`,
 * `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` work as upstream.
 *
 * `schema` undefined means schemaless (every list replaced, no errors from lookups): upstream refuses SMP for custom
 * resources before getting here (415, see content-type.ts). Errors are StatusErrors as upstream's patch handler
 * makes them (see strategic-errors.ts); a patch body that is not an object is 400 like upstream's decoder.
 * Neither `doc` nor `patch` is mutated.
 */
import type { Schema, SchemaResolver } from '../openapi/schema-types';
import { cloneJson, isJsonObject } from './json-values';
import { patchBadRequest } from './patch-errors';
import { SmpError } from './strategic-errors';
import { mergeMap } from './strategic-map';
import { PatchMetaLookup } from './strategic-meta';

function jsonKindWord(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

/** Applies `patch` (already parsed) to `doc` and returns the merged copy; throws StatusError (400, 422 or 500). */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: Schema | undefined, resolver: SchemaResolver): unknown {
  if (patch === null || patch === undefined) return cloneJson(doc);
  if (!isJsonObject(patch)) throw patchBadRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  const original = isJsonObject(doc) ? cloneJson(doc) : {};
  try {
    return mergeMap(original, cloneJson(patch), schema ? { schema } : undefined, { lookup: new PatchMetaLookup(resolver) });
  } catch (e) {
    if (e instanceof SmpError) throw e.toStatusError();
    throw e;
  }
}
