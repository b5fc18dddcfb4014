/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`) as gopkg.in/evanphx/json-patch.v4's `MergePatch`
 * applies it for the API server: `null` deletes a key, objects merge recursively, anything else replaces. Like the
 * library, nulls are pruned from values that are put in place of a non-object (also null elements of arrays), while an
 * array that replaces an object is taken as sent.
 *
 * Whole-body cases, as upstream: a `null` or scalar patch is 400 "Invalid JSON Patch"; an array patch yields the
 * array with its nulls pruned (the API server then fails to decode it into the object). Neither argument is mutated.
 */
import { cloneJson, getOwn, isJsonObject, setOwn, type JsonObject } from './json-values';
import { patchBadRequest, patchInternal } from './patch-errors';

function pruneNulls(v: unknown): unknown {
  if (isJsonObject(v)) pruneDocNulls(v);
  else if (Array.isArray(v)) pruneAryNulls(v);
  return v;
}

function pruneDocNulls(doc: JsonObject): JsonObject {
  for (const k of Object.keys(doc)) {
    if (doc[k] === null) delete doc[k];
    else pruneNulls(doc[k]);
  }
  return doc;
}

function pruneAryNulls(ary: unknown[]): unknown[] {
  const kept = ary.filter((v) => v !== null);
  kept.forEach(pruneNulls);
  ary.splice(0, ary.length, ...kept);
  return ary;
}

function merge(cur: unknown, patch: unknown): unknown {
  if (!isJsonObject(cur)) return pruneNulls(patch);
  if (!isJsonObject(patch)) return patch;
  mergeDocs(cur, patch);
  return cur;
}

function mergeDocs(doc: JsonObject, patch: JsonObject): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = getOwn(doc, k);
    setOwn(doc, k, cur === undefined || cur === null ? pruneNulls(v) : merge(cur, v));
  }
}

/** Applies a merge patch (already parsed) to `doc` and returns the result; throws StatusError 400 for a bad patch. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) throw patchBadRequest('Invalid JSON Patch');
  if (Array.isArray(patch)) return pruneAryNulls(cloneJson(patch));
  if (!isJsonObject(patch)) throw patchBadRequest('Invalid JSON Patch');
  if (doc === null || doc === undefined) throw patchInternal('Invalid JSON Document');
  const p = cloneJson(patch);
  if (!isJsonObject(doc)) return pruneDocNulls(p);
  const d = cloneJson(doc);
  mergeDocs(d, p);
  return d;
}
