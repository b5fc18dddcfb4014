/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset), also run for ReplicationControllers: keeps
 * `spec.replicas` active pods matching each owner's selector. Event handlers only enqueue owner keys and record
 * what the informer observed against the owner's expectations; `sync` claims pods (adopt orphans, release pods that
 * stopped matching), creates (slow-start batches, at most 500 per sync) or deletes (upstream's ranking) pods, and
 * writes status. An owner with unmet expectations is not resized again until the cache has caught up.
 */
import type { CachedObject, DeletedFinalStateUnknown, Lister, SharedInformer } from '../../client/informers';
import { deletedObject, objectKey, OWNER_INDEX, splitKey } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import type { ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { claimObjects, controllerRefOf } from '../framework/controller-ref';
import { ControllerExpectations } from '../framework/expectations';
import { podFacts, selectedBy } from '../framework/pod-facts';
import { isPodReady } from '../framework/pod-util';
import { PodControl } from '../framework/pod-control';
import { R } from '../framework/resources';
import { replicaSpec, type ReplicaKind } from './kinds';
import { manageReplicas } from './manage-replicas';
import { calculateStatus, updateStatusIfChanged } from './status';

/** Upstream BurstReplicas: creates or deletes per sync. */
export const BURST_REPLICAS = 500;

export class ReplicaSetController extends QueueController {
  readonly expectations: ControllerExpectations;
  private readonly owners: SharedInformer;
  private readonly ownerLister: Lister;
  private readonly pods: SharedInformer;
  private readonly podLister: Lister;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;

  constructor(
    readonly kind: ReplicaKind,
    ctx: ControllerContext,
    name: string,
  ) {
    super({ name, logger: ctx.logger, clock: ctx.clock });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.owners = ctx.informers.informerFor(kind.resource);
    this.ownerLister = ctx.informers.listerFor(kind.resource);
    this.pods = ctx.informers.informerFor(R.pods);
    this.podLister = ctx.informers.listerFor(R.pods);
    this.client = ctx.clientFor(kind.serviceAccount);
    this.recorder = ctx.recorderFor(kind.serviceAccount);
    this.podControl = new PodControl(this.client, this.recorder);
    this.owners.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (o) => {
        const key = objectKey(deletedObject(o));
        this.expectations.delete(key);
        this.enqueueKey(key);
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  /** The owner a pod's controllerRef names, when it is of our kind and still the same object. */
  private resolveOwner(pod: CachedObject): CachedObject | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.ownerLister.get(String(pod.metadata?.namespace ?? ''), ref.name);
    return owner && owner.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it (for orphans). */
  private ownersSelecting(pod: CachedObject): CachedObject[] {
    const labels = pod.metadata?.labels;
    if (!labels) return [];
    return this.ownerLister.list(String(pod.metadata?.namespace ?? '')).filter((o) => this.kind.selectorOf(o).matches(labels));
  }

  private podAdded(pod: CachedObject): void {
    if (pod.metadata?.deletionTimestamp) {
      // On a restart the informer may see a pod already pending deletion: count it as deleted.
      this.podDeleted(pod);
      return;
    }
    if (controllerRefOf(pod)) {
      const owner = this.resolveOwner(pod);
      if (!owner) return;
      const key = objectKey(owner);
      this.expectations.creationObserved(key);
      this.enqueueKey(key);
      return;
    }
    for (const o of this.ownersSelecting(pod)) this.enqueue(o);
  }

  private podUpdated(old: CachedObject, cur: CachedObject): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelsChanged = !sameLabels(old.metadata?.labels, cur.metadata?.labels);
    if (cur.metadata?.deletionTimestamp) {
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = controllerRefOf(old);
    const curRef = controllerRefOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const prev = this.resolveOwner(old);
      if (prev) this.enqueue(prev);
    }
    if (curRef) {
      const owner = this.resolveOwner(cur);
      if (!owner) return;
      this.enqueue(owner);
      const minReady = replicaSpec(owner).minReadySeconds;
      // A pod that just became ready becomes available minReadySeconds later: look again then.
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.enqueueAfter(objectKey(owner), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const o of this.ownersSelecting(cur)) this.enqueue(o);
  }

  private podDeleted(p: CachedObject | DeletedFinalStateUnknown): void {
    const pod = deletedObject(p);
    const owner = this.resolveOwner(pod);
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.enqueueKey(key);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace: ns, name } = splitKey(key);
    const owner = this.ownerLister.get(ns, name);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const pods = await this.claimPods(owner);
    let manageError: unknown;
    let diff = 0;
    if (needsSync && !owner.metadata?.deletionTimestamp) {
      diff = pods.length - replicaSpec(owner).replicas;
      try {
        await manageReplicas({ controller: this, owner, key, pods, podControl: this.podControl, burst: BURST_REPLICAS, now: this.clock.now() });
      } catch (e) {
        manageError = e;
      }
    }
    const status = calculateStatus(owner, pods, manageError, diff, this.clock.now());
    const updated = await updateStatusIfChanged(this.client, this.kind, owner, status);
    const spec = replicaSpec(owner);
    if (manageError === undefined && spec.minReadySeconds > 0 && updated.readyReplicas === spec.replicas && updated.availableReplicas !== spec.replicas) {
      this.enqueueAfter(key, spec.minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /**
   * The active pods in the owner's namespace it controls after claiming them (claimObjects: adopt matching orphans,
   * release owned pods that stopped matching). When there is nothing to adopt or release — almost every sync —
   * that is just its own matching pods, found from each pod's remembered facts without claimObjects.
   */
  private async claimPods(owner: CachedObject): Promise<CachedObject[]> {
    const selector = this.kind.selectorOf(owner);
    const uid = owner.metadata?.uid;
    const active: CachedObject[] = [];
    const owned: CachedObject[] = [];
    let claimWork = false;
    for (const p of this.podLister.list(String(owner.metadata?.namespace ?? ''))) {
      const f = podFacts(p);
      if (!f.active) continue;
      active.push(p);
      if (claimWork) continue;
      if (f.controllerUid !== undefined && f.controllerUid === uid) {
        if (selectedBy(f, selector)) owned.push(p);
        else claimWork = true;
      } else if (f.controllerUid === undefined && selectedBy(f, selector)) claimWork = true;
    }
    if (!claimWork) return owned;
    return claimObjects(
      { client: this.client, owner, ownerApiVersion: this.kind.apiVersion, ownerKind: this.kind.kind, ownerResource: this.kind.resource, resource: R.pods, selector },
      active,
    );
  }

  /** For the deletion ranking: active pods of other owners controlled by the same controller (e.g. Deployment). */
  relatedPods(owner: CachedObject): CachedObject[] {
    const ref = controllerRefOf(owner);
    if (!ref) return this.podsOwnedBy(owner);
    const ns = String(owner.metadata?.namespace ?? '');
    const siblings = this.ownerLister.list(ns).filter((o) => controllerRefOf(o)?.uid === ref.uid);
    return siblings.flatMap((s) => this.podsOwnedBy(s));
  }

  private podsOwnedBy(owner: CachedObject): CachedObject[] {
    const uid = String(owner.metadata?.uid ?? '');
    return this.pods.indexer.byIndex(OWNER_INDEX, uid).filter((p) => controllerRefOf(p)?.uid === uid);
  }
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a?.[k] === b?.[k]);
}
