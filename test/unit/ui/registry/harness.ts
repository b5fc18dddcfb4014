/**
 * Helpers for the Registry tree tests: entries, events, and a reference model recomputed from a plain key set
 * (what every folder's listing must be), plus a walk of the tree under test.
 */
import type { RegistryEntry, RegistryEvent, RegistryTree } from '../../../../src/ui/registry';

export function entry(key: string, modRevision = 1, extra: Partial<RegistryEntry> = {}): RegistryEntry {
  return { key, createRevision: modRevision, modRevision, version: 1, lease: '0', ...extra };
}

export function put(key: string, modRevision: number, extra: Partial<RegistryEntry> = {}): RegistryEvent {
  return { type: 'put', kv: entry(key, modRevision, extra) };
}

export function del(key: string, modRevision: number): RegistryEvent {
  return { type: 'delete', kv: { key, createRevision: 0, modRevision, version: 0, lease: '0' } };
}

function leafLine(e: RegistryEntry, name: string): string {
  return `k:${name}:${e.createRevision}:${e.modRevision}:${e.version}:${e.lease}`;
}

/** Every folder's expected listing (folders sorted, then keys sorted), recomputed from scratch from the key set. */
export function expectedListings(keys: Map<string, RegistryEntry>): Map<string, string[]> {
  const folders = new Map<string, { sub: Map<string, number>; leaves: Map<string, string> }>();
  const folder = (path: string) => {
    let f = folders.get(path);
    if (!f) folders.set(path, (f = { sub: new Map(), leaves: new Map() }));
    return f;
  };
  for (const e of keys.values()) {
    if (!e.key.startsWith('/registry/')) continue;
    const segs = e.key.slice('/registry/'.length).split('/');
    let path = '/registry';
    for (let i = 0; i < segs.length - 1; i++) {
      const f = folder(path);
      f.sub.set(segs[i]!, (f.sub.get(segs[i]!) ?? 0) + 1);
      path = `${path}/${segs[i]}`;
    }
    folder(path).leaves.set(segs[segs.length - 1]!, leafLine(e, segs[segs.length - 1]!));
  }
  if (!folders.has('/registry')) folders.set('/registry', { sub: new Map(), leaves: new Map() });
  const out = new Map<string, string[]>();
  for (const [path, f] of folders) {
    const sub = [...f.sub.keys()].sort().map((n) => `d:${n}:${f.sub.get(n)}`);
    const leaves = [...f.leaves.keys()].sort().map((n) => f.leaves.get(n)!);
    out.set(path, [...sub, ...leaves]);
  }
  return out;
}

/** The tree's listing of every folder reachable from the root (all pages at once). */
export function actualListings(tree: RegistryTree): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (path: string) => {
    const page = tree.children(path, { limit: Infinity });
    if (page.more) throw new Error(`unexpected more marker for ${path}`);
    if (page.total !== page.items.length) throw new Error(`total ${page.total} != ${page.items.length} for ${path}`);
    out.set(
      path,
      page.items.map((n) => (n.kind === 'folder' ? `d:${n.name}:${n.count}` : leafLine(n.entry, n.name))),
    );
    for (const n of page.items) if (n.kind === 'folder') walk(n.path);
  };
  walk('/registry');
  return out;
}

/** Folders present in `after` whose listing differs from `before` (absent before = empty listing). */
export function differingFolders(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [path, listing] of after) {
    const prev = before.get(path) ?? [];
    if (prev.length !== listing.length || prev.some((l, i) => l !== listing[i])) out.push(path);
  }
  return out.sort();
}
