/**
 * SortedNames: a folder's child names in sorted order (Array.prototype.sort's default: UTF-16 code units), cached.
 *
 * Contract: `get(names)` returns the sorted names, sorting `names()` only when no cached order exists. `edit(name,
 * add)` reports one insertion or removal: with a cached order it is merged by binary search + splice, unless more
 * than MAX_EDITS_BEFORE_RESORT edits arrived since the last read, in which case the cache is dropped and the next
 * read sorts once (a bulk change is cheaper to re-sort than to splice). The caller must report every change.
 */

/** After this many edits since the last read, a folder's sorted list is dropped and re-sorted on demand. */
export const MAX_EDITS_BEFORE_RESORT = 64;

/** Inserts or removes `name` in a sorted array (default sort order: UTF-16 code units). */
function editSorted(sorted: string[], name: string, add: boolean): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  if (add) sorted.splice(lo, 0, name);
  else if (sorted[lo] === name) sorted.splice(lo, 1);
}

/** One sorted name list, cached: kept up to date by binary insertion for a few edits, else rebuilt lazily. */
export class SortedNames {
  private sorted: string[] | undefined;
  private edits = 0;

  get(names: () => Iterable<string>): string[] {
    this.sorted ??= [...names()].sort();
    this.edits = 0;
    return this.sorted;
  }

  edit(name: string, add: boolean): void {
    if (!this.sorted) return;
    if (++this.edits > MAX_EDITS_BEFORE_RESORT) this.sorted = undefined;
    else editSorted(this.sorted, name, add);
  }
}
