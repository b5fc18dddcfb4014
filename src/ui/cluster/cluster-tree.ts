/**
 * ClusterTreeModel: the Cluster view's model — Nodes and Namespaces → workloads → pods — fed by informer events.
 *
 * Contract:
 * - `apply(resource, type, object)` (resource: the plural name or kind, e.g. 'pods'/'Pod'; type ADDED, MODIFIED or
 *   DELETED) updates the model and returns the ids the view must refresh (deduplicated): the parent whose child list
 *   changed when an item appears, disappears or moves, the item itself when only its rendering changed, and the node
 *   whose usage a pod changed. A refreshed id covers its descendants. `reset(resource, objects)` replaces every object
 *   of a resource (after a relist) and returns the same kind of ids.
 * - Placement follows the controller ownerReference (uid checked when both sides have one): pods of a ReplicaSet whose
 *   controller Deployment exists appear under the Deployment (the ReplicaSet is hidden); pods of a StatefulSet,
 *   DaemonSet, Job or a shown ReplicaSet under it; Jobs of an existing CronJob under the CronJob; everything else
 *   directly under its namespace. Owners arriving after their dependents re-parent them (an index by owner id makes
 *   that cost O(dependents)); a namespace is shown when its object exists or something lives in it.
 * - `childrenOf(id)`: workloads first (Deployment, StatefulSet, DaemonSet, ReplicaSet, CronJob, Job order), then pods,
 *   each by name; the id order is cached per parent until it changes, so 10,000 pods cost one sort per change burst.
 * - `revealPath(kind, ns, name)` is the id chain root → item (a hidden ReplicaSet reveals its Deployment).
 * - Items are rendered on demand against `now()` (ages, restarts); the model never reads the clock otherwise.
 */
import type { KubeObject } from '../../api/object';
import {
  idOf,
  isWorkloadKind,
  kindOf,
  NAMESPACES_ROOT,
  namespaceId,
  NODES_ROOT,
  WORKLOAD_KINDS,
  type ClusterKind,
} from './ids';
import { NodeUsageIndex } from './node-usage';
import { namespaceItem, nodeItem, podItem, rootItem, workloadItem, type ClusterTreeItem } from './tree-items';

export type { ClusterTreeItem, Collapsible } from './tree-items';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Entry {
  kind: ClusterKind;
  obj: KubeObject;
}

interface OwnerRefLike {
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

const RANK = new Map<string, number>(WORKLOAD_KINDS.map((k, i) => [k.toLowerCase(), i]));

function sortKey(id: string): [number, string] {
  const parts = id.split('/');
  if (parts[0] === 'workload') return [RANK.get(parts[2]!) ?? 9, parts[3]!];
  return [10, parts[parts.length - 1]!];
}

function compareIds(a: string, b: string): number {
  const [ra, na] = sortKey(a);
  const [rb, nb] = sortKey(b);
  return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
}

export class ClusterTreeModel {
  private readonly objects = new Map<string, Entry>();
  /** Displayed parent per id; null when hidden (a ReplicaSet under its Deployment). */
  private readonly parent = new Map<string, string | null>();
  private readonly children = new Map<string, Set<string>>();
  private readonly sorted = new Map<string, string[]>();
  /** Controller-owner id → ids it controls (whether or not the owner exists yet). */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly ownerOf = new Map<string, string>();
  private readonly usage = new NodeUsageIndex();
  private changed = new Set<string>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  apply(resource: string, type: WatchEventType, object: KubeObject): string[] {
    const kind = kindOf(resource);
    if (!kind) return [];
    this.changed = new Set();
    if (type === 'DELETED') this.remove(kind, object);
    else this.upsert(kind, object);
    return [...this.changed];
  }

  reset(resource: string, objects: Iterable<KubeObject>): string[] {
    const kind = kindOf(resource);
    if (!kind) return [];
    this.changed = new Set();
    const next = new Map<string, KubeObject>();
    for (const o of objects) next.set(this.idOfObject(kind, o), o);
    for (const [id, e] of [...this.objects]) if (e.kind === kind && !next.has(id)) this.remove(kind, e.obj);
    for (const o of next.values()) this.upsert(kind, o);
    return [...this.changed];
  }

  roots(): ClusterTreeItem[] {
    return [rootItem(NODES_ROOT, this.children.get(NODES_ROOT)?.size ?? 0), rootItem(NAMESPACES_ROOT, this.children.get(NAMESPACES_ROOT)?.size ?? 0)];
  }

  item(id: string): ClusterTreeItem | undefined {
    if (id === NODES_ROOT || id === NAMESPACES_ROOT) return this.roots()[id === NODES_ROOT ? 0 : 1];
    const e = this.objects.get(id);
    const hasChildren = (this.children.get(id)?.size ?? 0) > 0;
    if (id.startsWith('ns/')) return this.parent.has(id) ? namespaceItem(id, id.slice(3), e?.obj, hasChildren) : undefined;
    if (!e || this.parent.get(id) === null) return undefined;
    const now = this.now();
    if (e.kind === 'Node') return nodeItem(id, e.obj, this.usage.usage(e.obj.metadata?.name ?? ''), now);
    if (e.kind === 'Pod') return podItem(id, e.obj, now);
    if (isWorkloadKind(e.kind)) return workloadItem(id, e.kind, e.obj, hasChildren, now);
    return undefined;
  }

  childIds(id: string): string[] {
    let ids = this.sorted.get(id);
    if (!ids) {
      ids = [...(this.children.get(id) ?? [])].sort(compareIds);
      this.sorted.set(id, ids);
    }
    return ids;
  }

  childrenOf(id: string): ClusterTreeItem[] {
    const out: ClusterTreeItem[] = [];
    for (const c of this.childIds(id)) {
      const it = this.item(c);
      if (it) out.push(it);
    }
    return out;
  }

  parentOf(id: string): string | undefined {
    return this.parent.get(id) ?? undefined;
  }

  /** The object behind an id (also a hidden ReplicaSet's). */
  object(id: string): KubeObject | undefined {
    return this.objects.get(id)?.obj;
  }

  revealPath(kind: string, namespace: string, name: string): string[] | undefined {
    const k = kindOf(kind);
    if (!k) return undefined;
    let id: string | undefined = idOf(k, namespace, name);
    if (k !== 'Namespace' && !this.objects.has(id)) return undefined;
    if (this.parent.get(id) === null) id = this.ownerOf.get(id);
    const chain: string[] = [];
    for (let cur = id; cur !== undefined; cur = this.parent.get(cur) ?? undefined) chain.unshift(cur);
    return chain.length > 1 ? chain : undefined;
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private idOfObject(kind: ClusterKind, o: KubeObject): string {
    return idOf(kind, kind === 'Node' || kind === 'Namespace' ? '' : (o.metadata?.namespace ?? ''), o.metadata?.name ?? '');
  }

  private controllerOwnerId(kind: ClusterKind, o: KubeObject): string | undefined {
    if (kind === 'Node' || kind === 'Namespace') return undefined;
    const ref = ((o.metadata?.ownerReferences ?? []) as OwnerRefLike[]).find((r) => r.controller === true);
    if (!ref?.kind || !ref.name || !isWorkloadKind(ref.kind)) return undefined;
    return idOf(ref.kind, o.metadata?.namespace ?? '', ref.name);
  }

  /** The owner's id when it exists (and its uid matches the reference). */
  private liveOwner(id: string): string | undefined {
    const ownerId = this.ownerOf.get(id);
    const owner = ownerId ? this.objects.get(ownerId) : undefined;
    if (!ownerId || !owner) return undefined;
    const ref = ((this.objects.get(id)?.obj.metadata?.ownerReferences ?? []) as OwnerRefLike[]).find((r) => r.controller === true);
    if (ref?.uid && owner.obj.metadata?.uid && ref.uid !== owner.obj.metadata.uid) return undefined;
    return ownerId;
  }

  private computeParent(id: string): string | null {
    const e = this.objects.get(id)!;
    const ns = namespaceId(e.obj.metadata?.namespace ?? '');
    const owner = this.liveOwner(id);
    const ownerKind = owner?.split('/')[2];
    switch (e.kind) {
      case 'Node':
        return NODES_ROOT;
      case 'Namespace':
        return NAMESPACES_ROOT;
      case 'ReplicaSet':
        return ownerKind === 'deployment' ? null : ns;
      case 'Job':
        return ownerKind === 'cronjob' ? owner! : ns;
      case 'Pod':
        if (!owner) return ns;
        if (ownerKind === 'replicaset') return this.parent.get(owner) === null ? (this.liveOwner(owner) ?? owner) : owner;
        return ownerKind === 'deployment' || ownerKind === 'cronjob' ? ns : owner;
      default:
        return ns;
    }
  }

  private upsert(kind: ClusterKind, o: KubeObject): void {
    const id = this.idOfObject(kind, o);
    const existed = this.objects.has(id);
    this.objects.set(id, { kind, obj: o });
    const owner = this.controllerOwnerId(kind, o);
    const prevOwner = this.ownerOf.get(id);
    if (prevOwner !== owner) {
      if (prevOwner) this.dependents.get(prevOwner)?.delete(id);
      if (owner) {
        this.ownerOf.set(id, owner);
        let set = this.dependents.get(owner);
        if (!set) this.dependents.set(owner, (set = new Set()));
        set.add(id);
      } else this.ownerOf.delete(id);
    }
    if (kind === 'Pod') for (const n of this.usage.set(id, o)) this.markNode(n);
    if (kind === 'Namespace') {
      if (this.parent.has(id)) this.changed.add(id);
      else this.place(id, NAMESPACES_ROOT);
    }
    const moved = this.reparent(id);
    if (existed && !moved && this.parent.get(id) !== null) this.changed.add(id);
    if (!existed) this.reparentDependents(id);
  }

  private remove(kind: ClusterKind, o: KubeObject): void {
    const id = this.idOfObject(kind, o);
    if (!this.objects.has(id)) return;
    if (kind === 'Pod') for (const n of this.usage.delete(id)) this.markNode(n);
    const p = this.parent.get(id);
    this.objects.delete(id);
    const owner = this.ownerOf.get(id);
    if (owner) this.dependents.get(owner)?.delete(id);
    this.ownerOf.delete(id);
    if (kind === 'Namespace') {
      if ((this.children.get(id)?.size ?? 0) > 0) {
        this.changed.add(id);
        return;
      }
    }
    if (p) this.unlink(id, p);
    this.parent.delete(id);
    this.reparentDependents(id);
    if (kind !== 'Namespace' && p?.startsWith('ns/')) this.dropEmptyNamespace(p);
  }

  /** Recomputes id's parent; true when it moved. */
  private reparent(id: string): boolean {
    const next = this.computeParent(id);
    const had = this.parent.has(id);
    const cur = this.parent.get(id);
    if (had && cur === next) return false;
    if (cur) this.unlink(id, cur);
    this.parent.set(id, next);
    if (next) this.place(id, next);
    if (cur?.startsWith('ns/')) this.dropEmptyNamespace(cur);
    if (had) this.reparentDependents(id);
    return true;
  }

  private reparentDependents(id: string): void {
    for (const d of this.dependents.get(id) ?? []) if (this.objects.has(d)) this.reparent(d);
  }

  private place(id: string, parentId: string): void {
    if (parentId.startsWith('ns/') && !this.parent.has(parentId)) {
      this.parent.set(parentId, NAMESPACES_ROOT);
      this.link(parentId, NAMESPACES_ROOT);
    }
    if (id.startsWith('ns/')) this.parent.set(id, parentId);
    this.link(id, parentId);
  }

  private link(id: string, parentId: string): void {
    let set = this.children.get(parentId);
    if (!set) this.children.set(parentId, (set = new Set()));
    if (set.has(id)) return;
    set.add(id);
    this.sorted.delete(parentId);
    this.changed.add(parentId);
  }

  private unlink(id: string, parentId: string): void {
    if (this.children.get(parentId)?.delete(id)) {
      this.sorted.delete(parentId);
      this.changed.add(parentId);
    }
  }

  /** A namespace without its object and without children leaves the tree. */
  private dropEmptyNamespace(nsId: string): void {
    if (this.objects.has(nsId) || (this.children.get(nsId)?.size ?? 0) > 0) return;
    this.unlink(nsId, NAMESPACES_ROOT);
    this.parent.delete(nsId);
    this.children.delete(nsId);
    this.sorted.delete(nsId);
  }

  private markNode(name: string): void {
    const id = idOf('Node', '', name);
    if (this.objects.has(id)) this.changed.add(id);
  }
}
