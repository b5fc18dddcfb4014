/**
 * RegistryTree: the model behind the Registry view — the keys under `/registry` as folders and leaves, fed by an
 * initial list (`reset`) and watch batches (`apply`), paged for large folders, with a change log for the TreeView.
 *
 * Contract:
 * - `reset(entries, revision?)` makes the key set exactly `entries` (keys outside `/registry/` are ignored; for a
 *   duplicated key the last wins). `revision` is the list's revision: later events at or below it are ignored.
 * - `apply(events)` applies puts and deletes in order. A put older than the key's current modRevision, or a delete
 *   older than it, is ignored (a replayed watch cannot move a key back); a delete of an absent key does nothing.
 * - `children(path, {offset, limit})`: folders first, then keys, each sorted by name; folder nodes carry the number
 *   of keys below them. A page that stops early ends with `more` (next offset, remaining). The sorted name lists are
 *   cached per folder (metadata updates do not touch them), so paging a folder of 10,000 keys costs one sort, then
 *   O(limit) per page; up to 64 creations/deletions between two reads are merged into the cached order by binary
 *   insertion, more make the next read re-sort once. Unknown paths have no children.
 * - `takeChanged()` returns, ancestors first, exactly the existing folders whose full listing (children, their counts,
 *   the keys' metadata) differs from what it was at the previous call (or at construction), then forgets them. A put
 *   that creates or a delete that removes a key changes its folder and every ancestor (their counts); an update of an
 *   existing key changes only its folder. Changes that cancel out between two calls are not reported.
 */
import {
  folderId,
  keyId,
  moreLabel,
  PAGE_SIZE,
  parentPath,
  REGISTRY_ROOT,
  segmentsOf,
  type ChildrenPage,
  type FolderNode,
  type KeyNode,
  type MoreMarker,
  type PageOptions,
  type RegistryEntry,
  type RegistryEvent,
  type RegistryNode,
} from './registry-nodes';
import { SortedNames } from './sorted-names';

class Folder {
  readonly folders = new Map<string, Folder>();
  readonly leaves = new Map<string, RegistryEntry>();
  count = 0;
  readonly sortedFolders = new SortedNames();
  readonly sortedLeaves = new SortedNames();

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}

  folderNames(): string[] {
    return this.sortedFolders.get(() => this.folders.keys());
  }

  leafNames(): string[] {
    return this.sortedLeaves.get(() => this.leaves.keys());
  }
}

/** What a child looked like at the last takeChanged(): a folder's count, a key's metadata, or absent. */
type Signature = string | undefined;

function leafSignature(e: RegistryEntry | undefined): Signature {
  return e && `${e.createRevision}:${e.modRevision}:${e.version}:${e.lease}`;
}

function folderSignature(f: Folder | undefined): Signature {
  return f && String(f.count);
}

function sameEntry(a: RegistryEntry, b: RegistryEntry): boolean {
  return leafSignature(a) === leafSignature(b);
}

function copyEntry(e: RegistryEntry): RegistryEntry {
  return { key: e.key, createRevision: e.createRevision, modRevision: e.modRevision, version: e.version, lease: e.lease };
}

export class RegistryTree {
  private readonly root = new Folder('registry', REGISTRY_ROOT);
  private readonly keys = new Map<string, RegistryEntry>();
  /** Per folder path: the children touched since the last takeChanged(), with their signature back then. */
  private dirty = new Map<string, Map<string, Signature>>();
  private floor = 0;
  private highest = 0;

  /** Number of keys in the tree. */
  get size(): number {
    return this.keys.size;
  }

  /** The highest revision seen (the reset's revision, or a later event's). */
  get revision(): number {
    return this.highest;
  }

  reset(entries: Iterable<RegistryEntry>, revision = 0): void {
    const next = new Map<string, RegistryEntry>();
    for (const e of entries) if (segmentsOf(e.key)?.length) next.set(e.key, e);
    for (const key of [...this.keys.keys()]) if (!next.has(key)) this.remove(key);
    for (const e of next.values()) this.put(e);
    this.floor = revision;
    this.highest = revision;
    for (const e of next.values()) if (e.modRevision > this.highest) this.highest = e.modRevision;
  }

  apply(events: Iterable<RegistryEvent>): void {
    for (const ev of events) {
      const rev = ev.kv.modRevision;
      if (rev > 0 && rev <= this.floor) continue;
      if (rev > this.highest) this.highest = rev;
      const current = this.keys.get(ev.kv.key);
      if (current && rev > 0 && rev < current.modRevision) continue;
      if (ev.type === 'put') this.put(ev.kv);
      else this.remove(ev.kv.key);
    }
  }

  /** The metadata of one key. */
  entry(key: string): RegistryEntry | undefined {
    return this.keys.get(key);
  }

  rootNode(): FolderNode {
    return this.folderNode(this.root);
  }

  /** The node at `path`: the folder when there is one (unless kind says 'key'), else the key. */
  node(path: string, kind?: 'folder' | 'key'): RegistryNode | undefined {
    if (kind !== 'key') {
      const f = this.find(path);
      if (f) return this.folderNode(f);
      if (kind === 'folder') return undefined;
    }
    const e = this.keys.get(path);
    return e && this.keyNode(e);
  }

  /** The folder holding `path` (a key or a folder); undefined for the root and outside `/registry`. */
  parentOf(path: string): string | undefined {
    return parentPath(path);
  }

  children(path: string, options: PageOptions = {}): ChildrenPage {
    const f = this.find(path);
    if (!f) return { items: [], total: 0 };
    const folders = f.folderNames();
    const leaves = f.leafNames();
    const total = folders.length + leaves.length;
    const offset = Math.min(total, Math.max(0, Math.floor(options.offset ?? 0)));
    const limit = Math.max(0, options.limit ?? PAGE_SIZE);
    const end = Math.min(total, offset + limit);
    const items: RegistryNode[] = [];
    for (let i = offset; i < end; i++) {
      if (i < folders.length) items.push(this.folderNode(f.folders.get(folders[i]!)!));
      else items.push(this.keyNode(f.leaves.get(leaves[i - folders.length]!)!));
    }
    if (end >= total) return { items, total };
    const remaining = total - end;
    const more: MoreMarker = {
      kind: 'more',
      id: `more:${end}:${f.path}`,
      folder: f.path,
      offset: end,
      remaining,
      label: moreLabel(remaining),
    };
    return { items, total, more };
  }

  /** The folders whose listing changed since the last call (ancestors first); forgets them. */
  takeChanged(): string[] {
    const changed: string[] = [];
    for (const [path, touched] of this.dirty) {
      const f = this.find(path);
      if (!f) continue;
      for (const [child, before] of touched) {
        const now = child.startsWith('f') ? folderSignature(f.folders.get(child.slice(1))) : leafSignature(f.leaves.get(child.slice(1)));
        if (now !== before) {
          changed.push(path);
          break;
        }
      }
    }
    this.dirty = new Map();
    return changed.sort();
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private find(path: string): Folder | undefined {
    const segs = segmentsOf(path);
    if (!segs) return undefined;
    let f: Folder | undefined = this.root;
    for (const s of segs) {
      f = f.folders.get(s);
      if (!f) return undefined;
    }
    return f;
  }

  /** Records a child's signature the first time it is touched since the last takeChanged(). */
  private touch(f: Folder, child: string, before: Signature): void {
    let touched = this.dirty.get(f.path);
    if (!touched) this.dirty.set(f.path, (touched = new Map()));
    if (!touched.has(child)) touched.set(child, before);
  }

  private put(e: RegistryEntry): void {
    const segs = segmentsOf(e.key);
    if (!segs?.length) return;
    const name = segs.pop()!;
    const existing = this.keys.get(e.key);
    if (existing) {
      if (sameEntry(existing, e)) return;
      const f = this.find(parentPath(e.key)!)!;
      this.touch(f, `k${name}`, leafSignature(existing));
      const copy = copyEntry(e);
      f.leaves.set(name, copy);
      this.keys.set(e.key, copy);
      return;
    }
    let f = this.root;
    for (const s of segs) {
      let child = f.folders.get(s);
      this.touch(f, `f${s}`, folderSignature(child));
      f.count++;
      if (!child) {
        child = new Folder(s, `${f.path}/${s}`);
        f.folders.set(s, child);
        f.sortedFolders.edit(s, true);
      }
      f = child;
    }
    this.touch(f, `k${name}`, undefined);
    f.count++;
    const copy = copyEntry(e);
    f.leaves.set(name, copy);
    f.sortedLeaves.edit(name, true);
    this.keys.set(e.key, copy);
  }

  private remove(key: string): void {
    const existing = this.keys.get(key);
    if (!existing) return;
    const segs = segmentsOf(key)!;
    const name = segs.pop()!;
    const chain: Folder[] = [this.root];
    for (const s of segs) chain.push(chain[chain.length - 1]!.folders.get(s)!);
    for (let i = 0; i < segs.length; i++) this.touch(chain[i]!, `f${segs[i]}`, folderSignature(chain[i + 1]));
    const parent = chain[chain.length - 1]!;
    this.touch(parent, `k${name}`, leafSignature(existing));
    parent.leaves.delete(name);
    parent.sortedLeaves.edit(name, false);
    this.keys.delete(key);
    for (const f of chain) f.count--;
    for (let i = chain.length - 1; i > 0; i--) {
      if (chain[i]!.count > 0) break;
      chain[i - 1]!.folders.delete(segs[i - 1]!);
      chain[i - 1]!.sortedFolders.edit(segs[i - 1]!, false);
    }
  }

  private folderNode(f: Folder): FolderNode {
    return { kind: 'folder', id: folderId(f.path), path: f.path, name: f.name, count: f.count };
  }

  private keyNode(e: RegistryEntry): KeyNode {
    return { kind: 'key', id: keyId(e.key), path: e.key, name: e.key.slice(e.key.lastIndexOf('/') + 1), entry: e };
  }
}
