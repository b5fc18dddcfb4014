/**
 * The Registry tree's vocabulary: the key metadata it is fed (an etcd KeyValue without its value), the watch events
 * that change it, the nodes and pages it hands to the VS Code TreeDataProvider, and the path helpers.
 *
 * Contract:
 * - The tree shows only keys under `/registry/`; `/registry` is the root folder. Below it a key is split on every
 *   `/` (no special cases: `/registry/apiregistration.k8s.io/apiservices/v1.apps` has four levels). Empty segments
 *   (`/registry/a//b`, a key ending in `/`) are kept as folders or leaves named "".
 * - A folder exists only while at least one key lies under it (etcd has no directories). A folder and a key may share
 *   a path (`/registry/a` and `/registry/a/b` both being keys); node ids (`folder:<path>`, `key:<key>`) are unique.
 * - `lease` is etcd's int64 lease id as a decimal string ("0": no lease), as src/storage's KeyValue carries it, so a
 *   store KeyValue / WatchEvent can be passed as is.
 */

export const REGISTRY_ROOT = '/registry';
/** Children are handed out in pages of this size ("Load 500 more…"). */
export const PAGE_SIZE = 500;

/** A key and its metadata (etcd's mvccpb.KeyValue minus the value). */
export interface RegistryEntry {
  readonly key: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  /** Decimal int64 lease id; "0" when the key has no lease. */
  readonly lease: string;
}

/** One watch event. For a delete, kv.modRevision is the delete's revision (only key and modRevision are read). */
export interface RegistryEvent {
  readonly type: 'put' | 'delete';
  readonly kv: RegistryEntry;
}

export interface FolderNode {
  readonly kind: 'folder';
  /** `folder:<path>`: unique among all nodes (a key may have the same path as a folder). */
  readonly id: string;
  /** `/registry`, `/registry/pods`, `/registry/pods/default` … (no trailing slash). */
  readonly path: string;
  /** The last segment (`registry` for the root). */
  readonly name: string;
  /** Number of keys anywhere below this folder. */
  readonly count: number;
}

export interface KeyNode {
  readonly kind: 'key';
  /** `key:<key>`. */
  readonly id: string;
  /** The full key. */
  readonly path: string;
  /** The last segment of the key. */
  readonly name: string;
  readonly entry: RegistryEntry;
}

export type RegistryNode = FolderNode | KeyNode;

/** The "Load N more…" item ending a page that does not reach the end of a folder's children. */
export interface MoreMarker {
  readonly kind: 'more';
  /** `more:<offset>:<folder path>`. */
  readonly id: string;
  /** The folder whose children continue. */
  readonly folder: string;
  /** Where the next page starts. */
  readonly offset: number;
  /** Children after `offset`. */
  readonly remaining: number;
  /** `Load 500 more…` (or fewer when fewer remain). */
  readonly label: string;
}

export interface PageOptions {
  /** First child to return (default 0). */
  offset?: number;
  /** At most this many children (default PAGE_SIZE; Infinity for all). */
  limit?: number;
}

export interface ChildrenPage {
  /** Folders first, then keys, each sorted by name (UTF-16 code unit order; byte order for ASCII, as etcd). */
  readonly items: RegistryNode[];
  /** Number of children of the folder (folders + keys). */
  readonly total: number;
  /** Present when the page stops before the last child. */
  readonly more?: MoreMarker;
}

/** The segments of a key or folder path below the root ([] for the root), or undefined when outside `/registry`. */
export function segmentsOf(path: string): string[] | undefined {
  if (path === REGISTRY_ROOT) return [];
  if (!path.startsWith(`${REGISTRY_ROOT}/`)) return undefined;
  return path.slice(REGISTRY_ROOT.length + 1).split('/');
}

/** The folder holding a key or folder (undefined for the root and for paths outside `/registry`). */
export function parentPath(path: string): string | undefined {
  if (path === REGISTRY_ROOT || !path.startsWith(`${REGISTRY_ROOT}/`)) return undefined;
  return path.slice(0, path.lastIndexOf('/'));
}

export function folderId(path: string): string {
  return `folder:${path}`;
}

export function keyId(key: string): string {
  return `key:${key}`;
}

export function moreLabel(remaining: number, pageSize = PAGE_SIZE): string {
  return `Load ${Math.min(remaining, pageSize)} more…`;
}
