/**
 * The list plumbing of strategic merge patch, as apimachinery's strategicpatch does it: element type checks, scalar
 * de-duplication, partitioning merged items into "in the patch" and "server only", and the ordering rule
 * (`$setElementOrder` > order in the patch list > order in the live list) built on Go's stable sort.
 * Values compare as Go's `==` on decoded JSON: scalars by value, nil (missing or null) equal to nil.
 */
import { goTypeName, goV } from './go-format';
import { goSliceStable } from './go-sort';
import { hasOwn, isJsonObject, type JsonObject } from './json-values';
import { errBadArgType, errNoListOfLists, errNoMergeKey, MAP_TYPE, smpInternal } from './strategic-errors';

export const DIRECTIVE = '$patch';

/** Go `==` between two decoded JSON values held in interfaces (maps and slices never equal). */
export function goEq(a: unknown, b: unknown): boolean {
  const an = a === undefined ? null : a;
  const bn = b === undefined ? null : b;
  return an === bn && (an === null || typeof an !== 'object');
}

/** `sliceElementType`: the Go type shared by every element (`map[string]interface {}` for objects). */
export function sliceElementType(...slices: unknown[][]): string {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const cur = goTypeName(v);
      if (prev === undefined) {
        prev = cur;
        if (Array.isArray(v)) throw errNoListOfLists();
      } else if (prev !== cur) {
        throw smpInternal(`list element types are not identical: ${goV(slices)}`);
      }
    }
  }
  if (prev === undefined) throw smpInternal('no elements in any of the given slices');
  return prev;
}

export function isMapKind(kind: string): boolean {
  return kind === MAP_TYPE;
}

/** Go's in-place "clever" de-duplication (moves the last element into a duplicate's slot); returns the kept prefix. */
export function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEq(s[i], s[j])) {
        s[j] = s[length];
        length--;
        j--;
      }
    }
  }
  return s.slice(0, length + 1);
}

/** `findMapInSliceBasedOnKeyValue`. */
export function findMapByKey(list: unknown[], key: string, value: unknown): { map: JsonObject; index: number } | undefined {
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (!isJsonObject(v)) throw smpInternal(`value for key ${k} is not a map`);
    if (hasOwn(v, key) && goEq(v[key], value)) return { map: v, index: k };
  }
  return undefined;
}

export function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(partitionBy.map((v) => (v === undefined ? null : v)));
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) (inPatch.has(v === undefined ? null : v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

export function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) {
    if (!isJsonObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMapByKey(partitionBy, mergeKey, v[mergeKey]) ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

export function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw errBadArgType(MAP_TYPE, item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** `extractToDeleteItems`: items without and with `$patch: delete`. */
export function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of list) {
    if (!isJsonObject(v)) throw errBadArgType(MAP_TYPE, v);
    (hasOwn(v, DIRECTIVE) && v[DIRECTIVE] === 'delete' ? toDelete : nonDelete).push(v);
  }
  return [nonDelete, toDelete];
}

/** Position of `item` in `list` (by merge key for maps, by value otherwise), or -1. */
function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: string): number {
  // A loop, not findIndex with closures: this runs for every comparison of every sorted list.
  const byKey = isMapKind(kind);
  const wanted = byKey ? (isJsonObject(item) ? item[mergeKey] : undefined) : item;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (goEq(wanted, byKey ? (isJsonObject(v) ? v[mergeKey] : undefined) : v)) return i;
  }
  return -1;
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (isMapKind(kind)) {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  goSliceStable(items, (i, j) => {
    const ii = indexIn(order, items[i], mergeKey, kind);
    if (ii >= 0) {
      const ij = indexIn(order, items[j], mergeKey, kind);
      if (ij >= 0) return ii < ij;
    }
    return true;
  });
  return [...items, ...toDelete];
}

/** Inserts `left` (server-only items) into `right` (patch items) by their order in the live list. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  let i = 0;
  let j = 0;
  const s: unknown[] = [];
  while (i < left.length && j < right.length) {
    const li = indexIn(serverOrder, left[i], mergeKey, kind);
    const ri = indexIn(serverOrder, right[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) s.push(left[i++]);
    else s.push(right[j++]);
  }
  return [...s, ...left.slice(i), ...right.slice(j)];
}

/** `normalizeElementOrder`: patch items in `patchOrder`, server-only items in `serverOrder`, then interleaved. */
export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: string,
): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}
