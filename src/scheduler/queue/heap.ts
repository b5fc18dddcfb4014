/**
 * A keyed binary heap (upstream pkg/scheduler/backend/heap): items are identified by a string key, ordered by a
 * `less` function; at most one item per key.
 *
 * Contract:
 * - `addOrUpdate(item)` inserts the item, or replaces the item with the same key and restores the order (so an item
 *   whose sort fields changed can be re-added to move it).
 * - `peek()` / `pop()` return the item for which `less` holds against every other (the head); undefined when empty.
 * - `get` / `has` / `delete` by key are O(1) / O(1) / O(log n).
 * - `less` must be a strict weak order; ties are broken by insertion sequence (first inserted first), so equal items
 *   come out FIFO, deterministically.
 */
export class Heap<T> {
  private readonly items: { item: T; key: string; seq: number }[] = [];
  private readonly index = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i]!.item;
  }

  addOrUpdate(item: T): void {
    const key = this.keyOf(item);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i]!.item = item;
      this.fix(i);
      return;
    }
    this.items.push({ item, key, seq: ++this.seq });
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const removed = this.items[i]!.item;
    this.removeAt(i);
    return removed;
  }

  peek(): T | undefined {
    return this.items[0]?.item;
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const head = this.items[0]!.item;
    this.removeAt(0);
    return head;
  }

  /** Every item, in no particular order. */
  list(): T[] {
    return this.items.map((e) => e.item);
  }

  private removeAt(i: number): void {
    const last = this.items.length - 1;
    this.index.delete(this.items[i]!.key);
    if (i !== last) {
      this.items[i] = this.items[last]!;
      this.index.set(this.items[i]!.key, i);
    }
    this.items.pop();
    if (i < this.items.length) this.fix(i);
  }

  private before(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    if (this.less(a.item, b.item)) return true;
    if (this.less(b.item, a.item)) return false;
    return a.seq < b.seq;
  }

  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i]!;
    const b = this.items[j]!;
    this.items[i] = b;
    this.items[j] = a;
    this.index.set(b.key, i);
    this.index.set(a.key, j);
  }

  /** Moves item i toward the root; true if it moved. */
  private up(i: number): boolean {
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== start;
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && this.before(r, l) ? r : l;
      if (!this.before(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }
}
