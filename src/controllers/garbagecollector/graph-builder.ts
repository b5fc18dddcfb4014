/**
 * The GraphBuilder (upstream graph_builder.go processGraphChanges): applies graph changes one at a time, in order,
 * to the uid → node graph, and decides what the workers must look at: dependents of an owner that vanished or
 * whose identity turned out different (attemptToDelete), virtual owners that must be verified with the API server
 * (attemptToDelete), owners that start waiting for their dependents' deletion (foreground) or orphaning (orphan),
 * and owners that a removed / unblocked ownerReference may unblock. Records OwnerRefInvalidNamespace events.
 * No I/O besides the enqueue callbacks and the event recorder.
 */
import type { EventRecorder } from '../../client/events';
import type { CachedObject } from '../../client/informers';
import {
  AbsentOwnerCache,
  alternateOwnerIdentity,
  GraphNode,
  ownerIdentity,
  ownerRefMatches,
  partitionDependents,
  referencesDiffs,
  refString,
  sameRef,
  type ObjectRef,
  type OwnerRef,
} from './graph';
import type { GraphChange } from './monitors';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface GraphBuilderOptions {
  attemptToDelete(uid: string): void;
  attemptToOrphan(uid: string): void;
  recorder?: EventRecorder;
}

const beingDeleted = (o: CachedObject | undefined): boolean => !!o?.metadata?.deletionTimestamp;
const hasFinalizer = (o: CachedObject | undefined, f: string): boolean => (o?.metadata?.finalizers ?? []).includes(f);

/** The object turns (or is first seen) deleting with finalizer `f` (upstream deletionStartsWithFinalizer). */
function startsDeletingWith(oldObj: CachedObject | undefined, obj: CachedObject, f: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, f)) return false;
  if (!oldObj) return true;
  return !beingDeleted(oldObj) || !hasFinalizer(oldObj, f);
}

export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwnerCache = new AbsentOwnerCache();
  private readonly pending: GraphChange[] = [];
  private draining = false;

  constructor(private readonly o: GraphBuilderOptions) {}

  /** Queues a change and applies every queued change in order (upstream's single graphChanges consumer). */
  enqueue(c: GraphChange): void {
    this.pending.push(c);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let c2 = this.pending.shift(); c2; c2 = this.pending.shift()) this.process(c2);
    } finally {
      this.draining = false;
    }
  }

  /** A delete the GC made up for an identity the API server says is gone (upstream enqueueVirtualDeleteEvent). */
  enqueueVirtualDelete(r: ObjectRef): void {
    const obj = { apiVersion: r.apiVersion, kind: r.kind, metadata: { namespace: r.namespace || undefined, uid: r.uid, name: r.name } };
    this.enqueue({ type: 'delete', obj, apiVersion: r.apiVersion, kind: r.kind, virtual: true });
  }

  private identityOf(c: GraphChange): ObjectRef {
    const m = c.obj.metadata ?? {};
    return { apiVersion: c.apiVersion, kind: c.kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
  }

  private process(c: GraphChange): void {
    const uid = c.obj.metadata?.uid;
    if (!uid) return;
    let node = this.uidToNode.get(uid);
    if (node && !node.observed && !c.virtual) {
      // The first real sight of a node created virtually: dependents using other coordinates may be wrong.
      const observed = this.identityOf(c);
      if (!sameRef(observed, node.identity)) {
        const { nonmatching } = partitionDependents(node.dependents, observed);
        for (const dep of nonmatching) {
          if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, uid);
          this.o.attemptToDelete(dep.identity.uid);
        }
        node.identity = observed;
      }
      node.observed = true;
    }
    if (c.type !== 'delete') {
      const owners = (c.obj.metadata?.ownerReferences ?? []) as OwnerRef[];
      if (!node) {
        node = new GraphNode(this.identityOf(c), true);
        node.owners = [...owners];
        node.beingDeleted = beingDeleted(c.obj);
        node.deletingDependents = node.beingDeleted && hasFinalizer(c.obj, FINALIZER_FOREGROUND);
        this.uidToNode.set(uid, node);
        this.addDependentToOwners(node, node.owners);
      } else {
        const { added, removed, changed } = referencesDiffs(node.owners, owners);
        if (added.length || removed.length || changed.length) {
          this.addUnblockedOwnersToDeleteQueue(removed, changed);
          node.owners = [...owners];
          this.addDependentToOwners(node, added);
          this.removeDependentFromOwners(node, removed);
        }
        if (beingDeleted(c.obj)) node.beingDeleted = true;
      }
      this.processTransitions(c.oldObj, c.obj, node);
      return;
    }
    if (!node) return;
    let remove = true;
    if (c.virtual) {
      const deleted = this.identityOf(c);
      if (!node.observed) {
        const { matching, nonmatching } = partitionDependents(node.dependents, deleted);
        if (nonmatching.length) {
          remove = false;
          if (matching.length) {
            this.absentOwnerCache.add(deleted);
            for (const dep of matching) this.o.attemptToDelete(dep.identity.uid);
          }
          if (sameRef(node.identity, deleted)) {
            const alt = alternateOwnerIdentity(nonmatching, deleted);
            if (alt) {
              node.identity = alt;
              this.o.attemptToDelete(uid);
            }
          }
        }
      } else if (!sameRef(node.identity, deleted)) {
        remove = false;
        const { matching } = partitionDependents(node.dependents, deleted);
        if (matching.length) {
          this.absentOwnerCache.add(deleted);
          for (const dep of matching) this.o.attemptToDelete(dep.identity.uid);
        }
      }
    }
    if (!remove) return;
    this.uidToNode.delete(uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size) this.absentOwnerCache.add(this.identityOf(c));
    for (const dep of node.dependents) this.o.attemptToDelete(dep.identity.uid);
    for (const owner of node.owners) {
      const ownerNode = this.uidToNode.get(owner.uid);
      if (ownerNode?.deletingDependents) this.o.attemptToDelete(owner.uid);
    }
  }

  private processTransitions(oldObj: CachedObject | undefined, obj: CachedObject, node: GraphNode): void {
    if (startsDeletingWith(oldObj, obj, FINALIZER_ORPHAN)) {
      this.o.attemptToOrphan(node.identity.uid);
      return;
    }
    if (startsDeletingWith(oldObj, obj, FINALIZER_FOREGROUND)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.o.attemptToDelete(dep.identity.uid);
      this.o.attemptToDelete(node.identity.uid);
    }
  }

  private addDependentToOwners(n: GraphNode, owners: readonly OwnerRef[]): void {
    let potentiallyInvalid = false;
    for (const owner of owners) {
      let ownerNode = this.uidToNode.get(owner.uid);
      const existed = !!ownerNode;
      if (!ownerNode) {
        ownerNode = new GraphNode(ownerIdentity(owner, n.identity.namespace), false);
        this.uidToNode.set(owner.uid, ownerNode);
      }
      ownerNode.dependents.add(n);
      if (!existed) {
        this.o.attemptToDelete(owner.uid);
        continue;
      }
      if (potentiallyInvalid) continue;
      const ownerNamespaced = ownerNode.identity.namespace !== '';
      if (ownerNamespaced && ownerNode.identity.namespace !== n.identity.namespace) {
        if (ownerNode.observed) this.reportInvalidNamespaceOwnerRef(n, owner.uid);
        potentiallyInvalid = true;
      } else if (!ownerRefMatches(owner, ownerNode.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && ownerNode.identity.namespace !== n.identity.namespace && !ownerNode.observed) {
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.o.attemptToDelete(n.identity.uid);
  }

  private removeDependentFromOwners(n: GraphNode, owners: readonly OwnerRef[]): void {
    for (const owner of owners) this.uidToNode.get(owner.uid)?.dependents.delete(n);
  }

  /** Owners waiting for their dependents whose blocking reference went away or stopped blocking. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerRef[], changed: readonly { old: OwnerRef; next: OwnerRef }[]): void {
    const unblocked = [
      ...removed.filter((r) => r.blockOwnerDeletion === true),
      ...changed.filter((c) => c.old.blockOwnerDeletion === true && c.next.blockOwnerDeletion !== true).map((c) => c.next),
    ];
    for (const r of unblocked) {
      if (this.uidToNode.get(r.uid)?.deletingDependents) this.o.attemptToDelete(r.uid);
    }
  }

  private reportInvalidNamespaceOwnerRef(n: GraphNode, ownerUid: string): void {
    const bad = n.owners.find((o) => o.uid === ownerUid);
    if (!bad || !this.o.recorder) return;
    const ref = { kind: n.identity.kind, apiVersion: n.identity.apiVersion, namespace: n.identity.namespace, name: n.identity.name, uid: n.identity.uid };
    const invalid = ownerIdentity(bad, n.identity.namespace);
    this.o.recorder.eventf(ref, 'Warning', 'OwnerRefInvalidNamespace', 'ownerRef %s does not exist in namespace %q', refString(invalid), n.identity.namespace);
  }
}
