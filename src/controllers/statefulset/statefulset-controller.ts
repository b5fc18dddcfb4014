/**
 * The StatefulSet controller (upstream pkg/controller/statefulset/stateful_set.go): watches StatefulSets, Pods,
 * PersistentVolumeClaims and ControllerRevisions; pod events enqueue the controlling set (or, for orphans, every
 * set whose selector matches); `sync` adopts orphaned revisions, claims the set's pods (adopting orphans named
 * `<set>-<n>` that match the selector, releasing pods that no longer match), runs StatefulSetControl and, with
 * minReadySeconds, comes back when pods may have become available. Writes and Events as
 * `kube-system/statefulset-controller` (component `statefulset-controller`).
 */
import { isDeepStrictEqual } from 'node:util';
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import { deletedObject, OWNER_INDEX, splitKey, type CachedObject, type DeletedFinalStateUnknown, type Lister, type SharedInformer } from '../../client/informers';
import { isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { claimObjects, controllerRefOf, type OwnerReference } from '../framework/controller-ref';
import { isPodReady } from '../framework/pod-util';
import { R } from '../framework/resources';
import type { ControllerFactory } from '../manager';
import { isMemberOf, desiredReplicas } from './identity';
import { RevisionHistory } from './revision-history';
import { StatefulPodControl } from './stateful-pod-control';
import { StatefulSetControl } from './statefulset-control';
import { updateStatefulSetStatus } from './status';
import { STATEFULSET_API_VERSION, STATEFULSET_KIND, type Pod, type StatefulSet } from './types';

export const STATEFULSET_CONTROLLER = 'statefulset-controller';

export interface StatefulSetControllerOptions {
  /** Honour rollingUpdate.maxUnavailable (upstream MaxUnavailableStatefulSet, off by default in v1.32). */
  maxUnavailable?: boolean;
}

export class StatefulSetController extends QueueController {
  private readonly client: ApiClient;
  private readonly sets: Lister;
  private readonly podInformer: SharedInformer;
  private readonly pods: Lister;
  private readonly history: RevisionHistory;
  private readonly control: StatefulSetControl;

  constructor(ctx: ControllerContext, opts: StatefulSetControllerOptions = {}) {
    super({ name: 'statefulset', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor(STATEFULSET_CONTROLLER);
    const recorder = ctx.recorderFor(STATEFULSET_CONTROLLER);
    const setInformer = ctx.informers.informerFor(R.statefulsets);
    this.podInformer = ctx.informers.informerFor(R.pods);
    this.sets = ctx.informers.listerFor(R.statefulsets);
    this.pods = ctx.informers.listerFor(R.pods);
    const claims = ctx.informers.listerFor(R.persistentvolumeclaims);
    this.history = new RevisionHistory(this.client, ctx.informers.listerFor(R.controllerrevisions));
    const podControl = new StatefulPodControl(this.client, this.pods, claims, recorder);
    this.control = new StatefulSetControl({
      podControl,
      history: this.history,
      clock: ctx.clock,
      maxUnavailable: opts.maxUnavailable,
      writeStatus: (set, status) => updateStatefulSetStatus(this.client, set, status, () => this.fetchSet(set)),
    });
    setInformer.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (o) => this.enqueue(o),
    });
    // Not upstream (which has no PVC handlers): a claim going away may unblock a pod held back by a stale claim.
    ctx.informers.informerFor(R.persistentvolumeclaims).addEventHandler({ onDelete: (o) => this.deleteClaim(o) });
    this.podInformer.addEventHandler({
      onAdd: (o) => this.addPod(o),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (o) => this.deletePod(o),
    });
  }

  private async fetchSet(set: StatefulSet): Promise<StatefulSet | undefined> {
    try {
      return (await this.client.get(R.statefulsets, String(set.metadata.namespace ?? ''), String(set.metadata.name))) as StatefulSet;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The set a controller reference names, when it still is that set (same uid). */
  private resolveControllerRef(namespace: string, ref: OwnerReference): CachedObject | undefined {
    if (ref.kind !== STATEFULSET_KIND) return undefined;
    const set = this.sets.get(namespace, ref.name);
    return set && set.metadata?.uid === ref.uid ? set : undefined;
  }

  /** Sets in the pod's namespace whose selector matches its labels (an orphan's candidates). */
  private setsForPod(pod: CachedObject): CachedObject[] {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.sets.list(String(pod.metadata?.namespace ?? '')).filter((s) => {
      const sel = labelSelectorAsSelector((s as StatefulSet).spec?.selector);
      return !sel.empty() && sel.matches(labels);
    });
  }

  private addPod(pod: CachedObject): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerRefOf(pod);
    if (ref) {
      const set = this.resolveControllerRef(String(pod.metadata?.namespace ?? ''), ref);
      if (set) this.enqueue(set);
      return;
    }
    for (const set of this.setsForPod(pod)) this.enqueue(set);
  }

  private updatePod(old: CachedObject, cur: CachedObject): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = String(cur.metadata?.namespace ?? '');
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const set = this.resolveControllerRef(ns, oldRef);
      if (set) this.enqueue(set);
    }
    if (curRef) {
      const set = this.resolveControllerRef(ns, curRef);
      if (!set) return;
      this.enqueue(set);
      const minReady = (set as StatefulSet).spec?.minReadySeconds ?? 0;
      // One second more than minReadySeconds, as upstream, so the pod is available when the set is synced.
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.enqueueAfter(this.keyOf(set), (minReady + 1) * 1000);
      return;
    }
    if (refChanged || !isDeepStrictEqual(old.metadata?.labels, cur.metadata?.labels)) for (const set of this.setsForPod(cur)) this.enqueue(set);
  }

  private deletePod(obj: CachedObject | DeletedFinalStateUnknown): void {
    const pod = deletedObject(obj);
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const set = this.resolveControllerRef(String(pod.metadata?.namespace ?? ''), ref);
    if (set) this.enqueue(set);
  }

  /** Sets in the claim's namespace with volumeClaimTemplates (a claim cannot name its set unambiguously). */
  private deleteClaim(obj: CachedObject | DeletedFinalStateUnknown): void {
    const claim = deletedObject(obj);
    for (const set of this.sets.list(String(claim.metadata?.namespace ?? ''))) {
      if (((set as StatefulSet).spec?.volumeClaimTemplates ?? []).length > 0) this.enqueue(set);
    }
  }

  private keyOf(o: CachedObject): string {
    return `${o.metadata?.namespace}/${o.metadata?.name}`;
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.sets.get(namespace, name);
    if (!cached) return;
    const set = cached as unknown as StatefulSet;
    await this.adoptOrphanRevisions(set);
    const pods = await this.podsForSet(set);
    const status = await this.control.updateStatefulSet(set, pods);
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.availableReplicas !== desiredReplicas(set)) this.enqueueAfter(key, minReady * 1000);
  }

  private async adoptOrphanRevisions(set: StatefulSet): Promise<void> {
    const orphans = this.history.list(set).filter((r) => !controllerRefOf(r));
    if (orphans.length === 0) return;
    const fresh = await this.fetchSet(set);
    if (!fresh || fresh.metadata.uid !== set.metadata.uid) throw new Error(`can't adopt ControllerRevisions: original StatefulSet ${set.metadata.namespace}/${set.metadata.name} is gone`);
    if (fresh.metadata.deletionTimestamp) throw new Error(`can't adopt ControllerRevisions: ${set.metadata.namespace}/${set.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    for (const r of orphans) await this.history.adopt(set, r);
  }

  /** The pods the set controls after adoption / release: owned pods and orphans of its namespace named as members. */
  private async podsForSet(set: StatefulSet): Promise<Pod[]> {
    const ns = String(set.metadata.namespace ?? '');
    const selector = labelSelectorAsSelector(set.spec.selector);
    const owned = this.podInformer.indexer.byIndex(OWNER_INDEX, String(set.metadata.uid)).filter((p) => controllerRefOf(p)?.uid === set.metadata.uid);
    const orphans = this.pods.list(ns, selector).filter((p) => !controllerRefOf(p) && isMemberOf(set, p as unknown as Pod));
    // Owned pods whose name no longer fits the set are released like those the selector stopped matching.
    const misnamed = owned.filter((p) => !isMemberOf(set, p as unknown as Pod) && selector.matches(p.metadata?.labels));
    for (const p of misnamed) await this.release(set, p);
    const candidates = [...owned.filter((p) => !misnamed.includes(p)), ...orphans];
    const claimed = await claimObjects(
      { client: this.client, owner: set, ownerApiVersion: STATEFULSET_API_VERSION, ownerKind: STATEFULSET_KIND, ownerResource: R.statefulsets, resource: R.pods, selector },
      candidates,
    );
    return claimed as unknown as Pod[];
  }

  private async release(set: StatefulSet, pod: CachedObject): Promise<void> {
    if (set.metadata.deletionTimestamp) return;
    const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: set.metadata.uid }], uid: pod.metadata?.uid } };
    try {
      await this.client.patch(R.pods, String(pod.metadata?.namespace ?? ''), String(pod.metadata?.name), patch, 'strategic');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export const statefulSetControllerFactory: ControllerFactory = {
  name: 'statefulset',
  workers: 5,
  build: (ctx) => new StatefulSetController(ctx),
};
