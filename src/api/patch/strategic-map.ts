/**
 * Merging a patch map into a live map in strategic merge patch, as apimachinery's `mergeMap` (server side:
 * parallel lists are merged and unmatched nulls ignored):
 * - `$patch: replace` takes the patch map as is, `$patch: delete` yields `{}`, any other `$patch` value is an error;
 * - `$retainKeys: [..]` clears live keys not listed (patch keys must all be listed, else 400);
 * - `$setElementOrder/<list>` merges that list and orders it (400 when the key has no `/<list>`);
 * - `$deleteFromPrimitiveList/<list>` removes values from a live list;
 * - `null` deletes; a key missing from the live map (or of another type) takes the patch value with nested nulls and
 *   `$patch` maps dropped; maps and lists recurse by the field's patch strategy.
 * Works in place on copies made by the caller.
 */
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  MAP_TYPE,
  SLICE_TYPE,
  smpInternal,
  type SmpError,
} from './strategic-errors';
import { splitRetainKeys, type Cursor, type PatchMetaLookup } from './strategic-meta';
import {
  DIRECTIVE,
  extractToDeleteItems,
  goEq,
  normalizeElementOrder,
  partitionMapsByPresentInList,
  partitionPrimitivesByPresentInList,
  sliceElementType,
} from './strategic-order';
import { mergeSliceHandler } from './strategic-slice';
import { goTypeName, goV } from './go-format';
import { hasOwn, isJsonObject, setOwn, type JsonObject } from './json-values';

export interface SmpContext {
  lookup: PatchMetaLookup;
}

const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** `removeDirectives`: drops maps carrying `$patch` (and the key or item holding them); `keep` is false for such a map. */
export function removeDirectives(v: unknown): [unknown, boolean] {
  if (isJsonObject(v)) {
    if (hasOwn(v, DIRECTIVE)) return [null, false];
    for (const k of Object.keys(v)) {
      const [nv, keep] = removeDirectives(v[k]);
      if (keep) setOwn(v, k, nv);
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const [nv, keep] = removeDirectives(item);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  return [v, true];
}

/** `discardNullValuesFromPatch`: removes null map values at any depth (list elements stay). */
function discardNulls(v: unknown): void {
  if (isJsonObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    v.forEach(discardNulls);
  }
}

function extractKey(s: string, prefix: string, badFormat: () => SmpError): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) throw badFormat();
  return s.slice(slash + 1);
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const retained = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return goEq(left, right);
  if (!isJsonObject(left)) throw errBadArgType(MAP_TYPE, left);
  if (!isJsonObject(right)) throw errBadArgType(MAP_TYPE, right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goEq(left[mergeKey], right[mergeKey]);
}

/** The patch list's items (deletions aside) must appear in `$setElementOrder` in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < setOrder.length) {
    if (isJsonObject(nonDelete[pi]) && hasOwn(nonDelete[pi] as JsonObject, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[pi], setOrder[si], mergeKey)) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= setOrder.length) {
    throw smpInternal(`the order in patch list:\n${goV(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goV(setOrder)}`);
  }
}

/** `mergePatchIntoOriginal`: every `$setElementOrder/<list>` merges `<list>` now and puts it in order. */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, cursor: Cursor, ctx: SmpContext): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER) || !hasOwn(patch, key)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw errBadArgType(SLICE_TYPE, setOrder);
    const field = extractKey(key, SET_ELEMENT_ORDER, errBadPatchFormatForSetElementOrderList);
    const foundOriginal = hasOwn(original, field);
    const foundPatch = hasOwn(patch, field);
    const originalList = original[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType(SLICE_TYPE, originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType(SLICE_TYPE, patchList);
    const { sub, meta } = ctx.lookup.forSlice(cursor, field);
    const { strategy } = splitRetainKeys(meta.strategies);
    const live = foundOriginal ? (originalList as unknown[]) : [];
    const patched = foundPatch ? (patchList as unknown[]) : [];
    validatePatchWithSetOrderList(patched, setOrder, meta.mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = live;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patched)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(live, patched, sub, strategy, meta.mergeKey, false, ctx);
    else continue;
    const [patchItems, serverOnly] =
      meta.mergeKey === ''
        ? partitionPrimitivesByPresentInList(merged, setOrder)
        : partitionMapsByPresentInList(merged, setOrder, meta.mergeKey);
    const kind = sliceElementType(live, patched);
    setOwn(original, field, normalizeElementOrder(patchItems, serverOnly, setOrder, live, meta.mergeKey, kind));
    delete patch[field];
  }
}

/** Sets `original[k]` to the patch value as taken when there is nothing to merge with. */
function takePatchValue(original: JsonObject, k: string, patchV: unknown): void {
  discardNulls(patchV);
  const [v, keep] = removeDirectives(patchV);
  if (keep) setOwn(original, k, v);
  else delete original[k];
}

export function mergeMap(original: JsonObject | undefined, patch: JsonObject, cursor: Cursor, ctx: SmpContext): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  const target = original ?? {};
  applyRetainKeysDirective(target, patch);
  mergePatchIntoOriginal(target, patch, cursor, ctx);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      isDeleteList = true;
      const field = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST, errBadPatchFormatForPrimitiveList);
      if (field) k = field;
    }
    if (patchV === null) {
      delete target[k];
      continue;
    }
    if (!hasOwn(target, k)) {
      if (!isDeleteList) takePatchValue(target, k, patchV);
      continue;
    }
    const origV = target[k];
    if (goTypeName(origV) !== goTypeName(patchV)) {
      if (!isDeleteList) takePatchValue(target, k, patchV);
      continue;
    }
    if (isJsonObject(origV)) {
      const { sub, meta } = ctx.lookup.forStruct(cursor, k);
      const { strategy } = splitRetainKeys(meta.strategies);
      setOwn(target, k, strategy === 'replace' ? patchV : mergeMap(origV, patchV as JsonObject, sub, ctx));
    } else if (Array.isArray(origV)) {
      const { sub, meta } = ctx.lookup.forSlice(cursor, k);
      const { strategy } = splitRetainKeys(meta.strategies);
      setOwn(target, k, mergeSliceHandler(origV, patchV, sub, strategy, meta.mergeKey, isDeleteList, ctx));
    } else {
      const [v, keep] = removeDirectives(patchV);
      if (keep) setOwn(target, k, v);
      else delete target[k];
    }
  }
  return target;
}
