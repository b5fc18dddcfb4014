/**
 * The garbage collector's dependency graph (upstream graph.go + the identity helpers of graph_builder.go): one node
 * per uid, holding the identity it is known by (apiVersion, kind, namespace, name, uid), its ownerReferences and the
 * set of its dependents. A node is "virtual" (not observed) while it only exists because some dependent names it as
 * an owner; it becomes observed when an informer reports the object. Pure data: no I/O.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1';

/** upstream objectReference: the owner-reference coordinates plus the namespace. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for cluster-scoped objects (or unknown scope of a virtual node referenced from a cluster-scoped one). */
  namespace: string;
}

export type OwnerRef = Readonly<OwnerReference>;

/** upstream objectReference.String(). */
export function refString(r: ObjectRef): string {
  return `[${r.apiVersion}/${r.kind}, namespace: ${r.namespace}, name: ${r.name}, uid: ${r.uid}]`;
}

export function refKey(r: ObjectRef): string {
  return JSON.stringify([r.apiVersion, r.kind, r.namespace, r.name, r.uid]);
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** The coordinates of an owner reference (upstream ownerReferenceCoordinates) in a given namespace. */
export function ownerIdentity(o: OwnerRef, namespace: string): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid, namespace };
}

/** upstream ownerReferenceMatchesCoordinates. */
export function ownerRefMatches(o: OwnerRef, r: ObjectRef): boolean {
  return o.uid === r.uid && o.name === r.name && o.kind === r.kind && o.apiVersion === r.apiVersion;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerRef[] = [];
  /** Observed through an informer (upstream !virtual / isObserved). */
  observed: boolean;
  /** deletionTimestamp set. */
  beingDeleted = false;
  /** deletionTimestamp set and the foregroundDeletion finalizer present. */
  deletingDependents = false;

  constructor(
    public identity: ObjectRef,
    observed: boolean,
  ) {
    this.observed = observed;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion: true (upstream blockingDependents). */
  blockingDependents(): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents) {
      if (dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true)) out.push(dep);
    }
    return out;
  }
}

/** Splits dependents by whether they reference `owner` with exactly its coordinates (upstream partitionDependents).
 * A dependent can be in both lists when it references the uid twice with different coordinates. */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectRef): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const ownerNamespaced = owner.namespace !== '';
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (ownerNamespaced && owner.namespace !== dep.identity.namespace) {
      mismatch = true;
    } else {
      for (const o of dep.owners) {
        if (o.uid !== owner.uid) continue;
        if (ownerRefMatches(o, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/** upstream referenceLessThan: kind, apiVersion, namespace, name, uid. */
export function referenceLessThan(a: ObjectRef, b: ObjectRef): boolean {
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace;
  if (a.name !== b.name) return a.name < b.name;
  return a.uid < b.uid;
}

/** Another identity the dependents know an owner by, once `absent` was verified not to exist (upstream
 * getAlternateOwnerIdentity): the first one sorting after `absent`, else the first one seen. */
export function alternateOwnerIdentity(deps: Iterable<GraphNode>, absent: ObjectRef): ObjectRef | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set<string>([refKey(absent)]);
  let first: ObjectRef | undefined;
  let following: ObjectRef | undefined;
  for (const dep of deps) {
    for (const o of dep.owners) {
      if (o.uid !== absent.uid) continue;
      if (ownerRefMatches(o, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const ref = ownerIdentity(o, dep.identity.namespace);
      if (clusterScoped && ref.apiVersion === absent.apiVersion && ref.kind === absent.kind) ref.namespace = '';
      const k = refKey(ref);
      if (seen.has(k)) continue;
      seen.add(k);
      first ??= ref;
      if (!following && referenceLessThan(absent, ref)) following = ref;
    }
  }
  return following ?? first;
}

/** Owner references added, removed, or changed (same uid, different content) between two lists (upstream
 * referencesDiffs). */
export function referencesDiffs(old: readonly OwnerRef[], next: readonly OwnerRef[]): { added: OwnerRef[]; removed: OwnerRef[]; changed: { old: OwnerRef; next: OwnerRef }[] } {
  const oldByUid = new Map(old.map((o) => [o.uid, o]));
  const added: OwnerRef[] = [];
  const changed: { old: OwnerRef; next: OwnerRef }[] = [];
  for (const n of next) {
    const o = oldByUid.get(n.uid);
    if (!o) added.push(n);
    else {
      if (JSON.stringify(o) !== JSON.stringify(n)) changed.push({ old: o, next: n });
      oldByUid.delete(n.uid);
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

/** A small LRU set of identities verified absent (upstream ReferenceCache, 500 entries). */
export class AbsentOwnerCache {
  private readonly keys = new Map<string, true>();
  constructor(private readonly max = 500) {}

  add(r: ObjectRef): void {
    const k = refKey(r);
    this.keys.delete(k);
    this.keys.set(k, true);
    if (this.keys.size > this.max) this.keys.delete(this.keys.keys().next().value as string);
  }

  has(r: ObjectRef): boolean {
    const k = refKey(r);
    if (!this.keys.has(k)) return false;
    this.keys.delete(k);
    this.keys.set(k, true);
    return true;
  }
}
