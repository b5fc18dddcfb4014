/**
 * FieldSet: structured-merge-diff's fieldpath.Set — a trie of path elements where each node holds its members (paths
 * that end there) and its children (paths that continue), both sorted by the path-element order. Set algebra follows
 * upstream exactly: a parent is not implied by its children, `parent − child = parent`, `child − parent = child`
 * (only RecursiveDifference removes whole subtrees), and no operation keeps a child node with nothing in it.
 * Operations return new sets that may share nodes with their inputs, so the mutators (`insert`, `insertMember`,
 * `descend`, `attach`) are only for building a fresh set.
 */
import { comparePE, type Path, type PathElement } from './path-element';

interface Node {
  pe: PathElement;
  set: FieldSet;
}

function search<T>(arr: readonly T[], pe: PathElement, get: (t: T) => PathElement): { i: number; found: boolean } {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = comparePE(get(arr[mid]!), pe);
    if (c === 0) return { i: mid, found: true };
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return { i: lo, found: false };
}

const idPE = (pe: PathElement): PathElement => pe;
const nodePE = (n: Node): PathElement => n.pe;

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
    const last = p[p.length - 1]!;
    const { i, found } = search(s.memberList, last, idPE);
    if (!found) s.memberList.splice(i, 0, last);
  }

  /** Inserts a member directly (used when decoding FieldsV1). */
  insertMember(pe: PathElement): void {
    const { i, found } = search(this.memberList, pe, idPE);
    if (!found) this.memberList.splice(i, 0, pe);
  }

  /** The child set under `pe`, created when missing. */
  descend(pe: PathElement): FieldSet {
    const { i, found } = search(this.childList, pe, nodePE);
    if (found) return this.childList[i]!.set;
    const set = FieldSet.empty();
    this.childList.splice(i, 0, { pe, set });
    return set;
  }

  hasMember(pe: PathElement): boolean {
    return search(this.memberList, pe, idPE).found;
  }

  has(p: Path): boolean {
    if (p.length === 0) return false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: FieldSet | undefined = this;
    for (let i = 0; i < p.length - 1 && s; i++) s = s.child(p[i]!);
    return s ? s.hasMember(p[p.length - 1]!) : false;
  }

  child(pe: PathElement): FieldSet | undefined {
    const { i, found } = search(this.childList, pe, nodePE);
    return found ? this.childList[i]!.set : undefined;
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

  union(o: FieldSet): FieldSet {
    const members = mergeSorted(this.memberList, o.memberList, idPE);
    const children: Node[] = [];
    walk(this.childList, o.childList, (a, b) => {
      if (a && b) children.push({ pe: a.pe, set: a.set.union(b.set) });
      else children.push((a ?? b)!);
    });
    return new FieldSet(members, children);
  }

  intersection(o: FieldSet): FieldSet {
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
    const members = this.memberList.filter((pe) => !o.hasMember(pe));
    const children: Node[] = [];
    walk(this.childList, o.childList, (a, b) => {
      if (!a) return;
      if (!b) return void children.push(a);
      const s = a.set.difference(b.set);
      if (!s.isEmpty()) children.push({ pe: a.pe, set: s });
    });
    return new FieldSet(members, children);
  }

  /** Removes every member of `o` together with everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const members = this.memberList.filter((pe) => !o.hasMember(pe));
    const children: Node[] = [];
    for (const a of this.childList) {
      if (o.hasMember(a.pe)) continue;
      const b = o.child(a.pe);
      if (!b) {
        children.push(a);
        continue;
      }
      const s = a.set.recursiveDifference(b);
      if (!s.isEmpty()) children.push({ pe: a.pe, set: s });
    }
    return new FieldSet(members, children);
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
    const { i, found } = search(this.childList, pe, nodePE);
    if (found) this.childList[i] = { pe, set };
    else this.childList.splice(i, 0, { pe, set });
  }
}

function mergeSorted<T>(a: readonly T[], b: readonly T[], get: (t: T) => PathElement): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = comparePE(get(a[i]!), get(b[j]!));
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
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
