/**
 * FieldSet: structured-merge-diff's fieldpath.Set — a trie of path elements where each node holds its members (paths
 * that end there) and its children (paths that continue), both sorted by the path-element order. Set algebra follows
 * upstream exactly: a parent is not implied by its children, `parent − child = parent`, `child − parent = child`
 * (only RecursiveDifference removes whole subtrees), and no operation keeps a child node with nothing in it.
 * Operations return sets that may share nodes with their inputs — or be an input itself when nothing changes (a
 * union adding nothing, a difference removing nothing) — so the mutators (`insert`, `insertMember`, `descend`,
 * `attach`) are only for building a fresh set, and sets are never changed once built.
 */
import { comparePE as comparePEImport, type Path, type PathElement } from './path-element';

// Imports used on hot paths are bound once: under tsx (dev server, benchmarks) each call through an import binding
// is a getter call the engine does not inline, a measurable share of these walks.
const comparePE = comparePEImport;

interface Node {
  pe: PathElement;
  set: FieldSet;
}

/**
 * Position of `pe` in a sorted member list: its index when present, else `-(insertion point) - 1`. Checks the last
 * element first: sets are mostly built in order (decoding FieldsV1, walking sorted input).
 */
function findMember(arr: readonly PathElement[], pe: PathElement): number {
  let hi = arr.length;
  if (hi === 0) return -1;
  const last = comparePE(arr[hi - 1]!, pe);
  if (last < 0) return -hi - 1;
  if (last === 0) return hi - 1;
  let lo = 0;
  hi--;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = comparePE(arr[mid]!, pe);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -lo - 1;
}

/** findMember for a sorted child list. */
function findChild(arr: readonly Node[], pe: PathElement): number {
  let hi = arr.length;
  if (hi === 0) return -1;
  const last = comparePE(arr[hi - 1]!.pe, pe);
  if (last < 0) return -hi - 1;
  if (last === 0) return hi - 1;
  let lo = 0;
  hi--;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = comparePE(arr[mid]!.pe, pe);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -lo - 1;
}

export class FieldSet {
  private constructor(
    private readonly memberList: PathElement[],
    private readonly childList: Node[],
  ) {}

  static empty(): FieldSet {
    return new FieldSet([], []);
  }

  static of(...paths: Path[]): FieldSet {
    const s = FieldSet.empty();
    for (const p of paths) s.insert(p);
    return s;
  }

  get members(): readonly PathElement[] {
    return this.memberList;
  }

  get children(): readonly { pe: PathElement; set: FieldSet }[] {
    return this.childList;
  }

  /** Adds `p` (not its parents). The empty path means the whole object, which nobody owns: ignored. */
  insert(p: Path): void {
    if (p.length === 0) return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: FieldSet = this;
    for (let i = 0; i < p.length - 1; i++) s = s.descend(p[i]!);
    s.insertMember(p[p.length - 1]!);
  }

  /** Inserts a member directly (used when decoding FieldsV1). */
  insertMember(pe: PathElement): void {
    const i = findMember(this.memberList, pe);
    if (i >= 0) return;
    if (-i - 1 === this.memberList.length) this.memberList.push(pe);
    else this.memberList.splice(-i - 1, 0, pe);
  }

  /** The child set under `pe`, created when missing. */
  descend(pe: PathElement): FieldSet {
    const i = findChild(this.childList, pe);
    if (i >= 0) return this.childList[i]!.set;
    const set = FieldSet.empty();
    if (-i - 1 === this.childList.length) this.childList.push({ pe, set });
    else this.childList.splice(-i - 1, 0, { pe, set });
    return set;
  }

  hasMember(pe: PathElement): boolean {
    return findMember(this.memberList, pe) >= 0;
  }

  has(p: Path): boolean {
    if (p.length === 0) return false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: FieldSet | undefined = this;
    for (let i = 0; i < p.length - 1 && s; i++) s = s.child(p[i]!);
    return s ? s.hasMember(p[p.length - 1]!) : false;
  }

  child(pe: PathElement): FieldSet | undefined {
    const i = findChild(this.childList, pe);
    return i >= 0 ? this.childList[i]!.set : undefined;
  }

  /** The paths under `pe`, without the prefix (upstream's WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    return this.child(pe) ?? FieldSet.empty();
  }

  isEmpty(): boolean {
    return this.memberList.length === 0 && this.childList.every((n) => n.set.isEmpty());
  }

  size(): number {
    return this.memberList.length + this.childList.reduce((n, c) => n + c.set.size(), 0);
  }

  /** True when this node holds nothing at all (no members, no child nodes); cheaper than isEmpty(). */
  private get bare(): boolean {
    return this.memberList.length === 0 && this.childList.length === 0;
  }

  union(o: FieldSet): FieldSet {
    if (o === this || o.bare) return this;
    if (this.bare) return o;
    const members = mergeSorted(this.memberList, o.memberList);
    const children: Node[] = [];
    let same = members === this.memberList;
    walk(this.childList, o.childList, (a, b) => {
      if (a && b) {
        const set = a.set.union(b.set);
        if (set === a.set) children.push(a);
        else {
          children.push({ pe: a.pe, set });
          same = false;
        }
      } else {
        if (!a) same = false;
        children.push((a ?? b)!);
      }
    });
    return same ? this : new FieldSet(members, children);
  }

  intersection(o: FieldSet): FieldSet {
    if (this.bare || o.bare) return FieldSet.empty();
    const members = this.memberList.filter((pe) => o.hasMember(pe));
    const children: Node[] = [];
    walk(this.childList, o.childList, (a, b) => {
      if (!a || !b) return;
      const s = a.set.intersection(b.set);
      if (!s.isEmpty()) children.push({ pe: a.pe, set: s });
    });
    return new FieldSet(members, children);
  }

  difference(o: FieldSet): FieldSet {
    if (this.bare || o.bare) return this;
    const members = o.memberList.length ? this.memberList.filter((pe) => !o.hasMember(pe)) : this.memberList;
    let same = members.length === this.memberList.length;
    const children: Node[] = [];
    walk(this.childList, o.childList, (a, b) => {
      if (!a) return;
      if (!b) return void children.push(a);
      const s = a.set.difference(b.set);
      if (s === a.set) children.push(a);
      else {
        same = false;
        if (!s.isEmpty()) children.push({ pe: a.pe, set: s });
      }
    });
    return same ? this : new FieldSet(members, children);
  }

  /** Removes every member of `o` together with everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    if (this.bare || o.bare) return this;
    const members = o.memberList.length ? this.memberList.filter((pe) => !o.hasMember(pe)) : this.memberList;
    let same = members.length === this.memberList.length;
    const children: Node[] = [];
    for (const a of this.childList) {
      if (o.hasMember(a.pe)) {
        same = false;
        continue;
      }
      const b = o.child(a.pe);
      if (!b) {
        children.push(a);
        continue;
      }
      const s = a.set.recursiveDifference(b);
      if (s === a.set) children.push(a);
      else {
        same = false;
        if (!s.isEmpty()) children.push({ pe: a.pe, set: s });
      }
    }
    return same ? this : new FieldSet(members, children);
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  /** Every member path in upstream's order: this node's members, then each child's paths (preorder). */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = this.memberList.map((pe) => [...prefix, pe]);
    for (const c of this.childList) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** Puts `set` under `pe`, replacing any child there (for building sets node by node). */
  attach(pe: PathElement, set: FieldSet): void {
    const i = findChild(this.childList, pe);
    if (i >= 0) this.childList[i] = { pe, set };
    else if (-i - 1 === this.childList.length) this.childList.push({ pe, set });
    else this.childList.splice(-i - 1, 0, { pe, set });
  }
}

/** The sorted union of two sorted lists; `a` itself when `b` adds nothing. */
function mergeSorted(a: readonly PathElement[], b: readonly PathElement[]): PathElement[] {
  const out: PathElement[] = [];
  let i = 0;
  let j = 0;
  let added = false;
  while (i < a.length && j < b.length) {
    const c = comparePE(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) {
      out.push(b[j++]!);
      added = true;
    } else {
      out.push(a[i++]!);
      j++;
    }
  }
  if (j < b.length) added = true;
  if (!added) return a as PathElement[];
  return out.concat(a.slice(i), b.slice(j));
}

/** Visits both sorted child lists in order, pairing nodes with equal elements. */
function walk(a: readonly Node[], b: readonly Node[], fn: (x: Node | undefined, y: Node | undefined) => void): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i >= a.length) fn(undefined, b[j++]);
    else if (j >= b.length) fn(a[i++], undefined);
    else {
      const c = comparePE(a[i]!.pe, b[j]!.pe);
      if (c < 0) fn(a[i++], undefined);
      else if (c > 0) fn(undefined, b[j++]);
      else fn(a[i++], b[j++]);
    }
  }
}
