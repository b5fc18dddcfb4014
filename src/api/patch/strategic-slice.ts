/**
 * Merging two lists in strategic merge patch, as apimachinery's `mergeSliceHandler`/`mergeSlice`:
 * - strategy `merge`: lists of scalars become the de-duplicated union; lists of maps merge items by the merge key,
 *   honouring `{$patch: delete, <key>: v}` (removes every item with that key) and `{$patch: replace}` (the list becomes
 *   the other patch items); `$patch: merge` is an error ("merging lists cannot yet be specified in the patch");
 * - a `$deleteFromPrimitiveList/<field>` list removes its values whatever the strategy;
 * - any other strategy replaces the list with the patch list as sent.
 * The result keeps the patch's order for patched items and the live order for the others.
 *
 * Go slices share backing arrays: deleting from the live list shifts it in place and appends may write into the
 * freed tail, which the `$setElementOrder` step later reads. `GoSlice` reproduces that on the (already copied) live
 * array so the order computed from it is upstream's.
 */
import { errBadArgType, errBadPatchType, errNoMergeKey, SLICE_TYPE, smpInternal } from './strategic-errors';
import type { Cursor } from './strategic-meta';
import {
  deduplicateScalars,
  DIRECTIVE,
  findMapByKey,
  isMapKind,
  normalizeElementOrder,
  partitionMapsByPresentInList,
  partitionPrimitivesByPresentInList,
  sliceElementType,
} from './strategic-order';
import { mergeMap, type SmpContext } from './strategic-map';
import { hasOwn, type JsonObject } from './json-values';

/** A Go slice: a view of the first `len` elements of `arr`, whose length is the capacity. */
class GoSlice {
  constructor(
    public arr: unknown[],
    public len: number,
  ) {}

  items(): unknown[] {
    return this.arr.slice(0, this.len);
  }

  /** `append(s[:i], s[i+1:]...)`: shifts in place; the old last slot keeps its value. */
  deleteAt(i: number): void {
    for (let j = i; j < this.len - 1; j++) this.arr[j] = this.arr[j + 1];
    this.len--;
  }

  /** `append(s, v)`: in place while there is capacity, else into a new array. */
  append(v: unknown): void {
    if (this.len < this.arr.length) this.arr[this.len] = v;
    else this.arr = [...this.arr.slice(0, this.len), v];
    this.len++;
  }
}

function deleteMatchingEntries(s: GoSlice, mergeKey: string, value: unknown): void {
  for (;;) {
    const hit = findMapByKey(s.items(), mergeKey, value);
    if (!hit) return;
    s.deleteAt(hit.index);
  }
}

/** Handles `$patch` items; returns the live list to merge into and the remaining patch items. */
function mergeSliceWithSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string): [GoSlice, unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      deleteMatchingEntries(original, mergeKey, item[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw smpInternal('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  return replace ? [new GoSlice(plain, plain.length), []] : [original, plain];
}

function mergeSliceWithoutSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string, cursor: Cursor, ctx: SmpContext): void {
  for (const v of patch) {
    const item = v as JsonObject;
    if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const hit = findMapByKey(original.items(), mergeKey, item[mergeKey]);
    if (hit) original.arr[hit.index] = mergeMap(hit.map, item, cursor, ctx);
    else original.append(v);
  }
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  return current.filter((v) => !toDelete.includes(v));
}

function mergeSlice(original: unknown[], patch: unknown[], cursor: Cursor, mergeKey: string, ctx: SmpContext, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType(original, patch);
  let merged: unknown[];
  let serverOrder = original;
  let patchOrder = patch;
  if (!isMapKind(kind)) {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars(patch.length ? [...original, ...patch] : original);
  } else {
    if (mergeKey === '') throw smpInternal('cannot merge lists without merge key for struct');
    const [live, rest] = mergeSliceWithSpecialElements(new GoSlice(original, original.length), patch, mergeKey);
    serverOrder = live.items();
    patchOrder = rest;
    mergeSliceWithoutSpecialElements(live, rest, mergeKey, cursor, ctx);
    merged = live.items();
  }
  const [patchItems, serverOnly] =
    mergeKey === '' ? partitionPrimitivesByPresentInList(merged, patchOrder) : partitionMapsByPresentInList(merged, patchOrder, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey, kind);
}

/** `mergeSliceHandler`: merges when the strategy is `merge` or the patch is a deletion list, else takes the patch. */
export function mergeSliceHandler(
  original: unknown,
  patch: unknown,
  cursor: Cursor,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  ctx: SmpContext,
): unknown[] {
  if (!Array.isArray(original)) throw errBadArgType(SLICE_TYPE, original);
  if (!Array.isArray(patch)) throw errBadArgType(SLICE_TYPE, patch);
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, cursor, mergeKey, ctx, isDeleteList);
  return patch;
}
