/**
 * The Deployment controller (upstream pkg/controller/deployment/deployment_controller.go). Event handlers only
 * enqueue Deployment keys: a Deployment's own changes; a ReplicaSet's add/update/delete for the Deployment that
 * controls it (or, for an orphan, every Deployment whose selector matches it, so one may adopt it); a pod's
 * deletion for a Recreate Deployment that has no pods left. `sync(key)` claims the namespace's ReplicaSets (adopt
 * matching orphans, release owned ones that stopped matching), then — in upstream's order — updates status only for
 * a Deployment being deleted, records paused/resumed, reconciles a paused Deployment or a scaling event without a
 * rollout step, or takes one Recreate / RollingUpdate step. A key failing 15 times in a row is dropped.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CachedObject, DeletedFinalStateUnknown, Lister } from '../../client/informers';
import { deletedObject, splitKey } from '../../client/informers';
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import type { ControllerFactory } from '../manager';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { claimObjects, controllerRefOf } from '../framework/controller-ref';
import { R } from '../framework/resources';
import { rolloutRecreate } from './recreate';
import { rolloutRolling } from './rolling';
import { checkPausedConditions, isScalingEvent, syncScaling, syncStatusOnly } from './sync';
import { APPS_V1, COMPONENT, CONTROLLER_NAME, DEPLOYMENT_KIND, SERVICE_ACCOUNT, type Deployment, type ReplicaSet } from './types';
import { Work, type SyncEnv } from './work';

/** Upstream maxRetries: a Deployment key is retried this many times before it is dropped. */
export const MAX_RETRIES = 15;

export class DeploymentController extends QueueController {
  private readonly dLister: Lister;
  private readonly rsLister: Lister;
  private readonly podLister: Lister;
  private readonly env: SyncEnv;

  constructor(ctx: ControllerContext) {
    super({ name: CONTROLLER_NAME, logger: ctx.logger, clock: ctx.clock, maxRetries: MAX_RETRIES });
    const f = ctx.informers;
    this.dLister = f.listerFor(R.deployments);
    this.rsLister = f.listerFor(R.replicasets);
    this.podLister = f.listerFor(R.pods);
    this.env = {
      client: ctx.clientFor(SERVICE_ACCOUNT),
      recorder: ctx.recorderFor(COMPONENT, SERVICE_ACCOUNT),
      clock: ctx.clock,
      logger: ctx.logger,
      rsLister: this.rsLister,
      requeue: (key, ms) => (ms <= 0 ? this.queue.addRateLimited(key) : this.enqueueAfter(key, ms)),
    };
    f.informerFor(R.deployments).addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.enqueue(d),
    });
    f.informerFor(R.replicasets).addEventHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, cur) => this.replicaSetUpdated(old, cur),
      onDelete: (rs) => this.replicaSetDeleted(rs),
    });
    f.informerFor(R.pods).addEventHandler({ onDelete: (p) => this.podDeleted(p) });
  }

  /** The Deployment a controllerRef names, when it is still the same object (uid). */
  private resolve(namespace: string, ref: { kind: string; name: string; uid: string } | undefined): CachedObject | undefined {
    if (!ref || ref.kind !== DEPLOYMENT_KIND) return undefined;
    const d = this.dLister.get(namespace, ref.name);
    return d && d.metadata?.uid === ref.uid ? d : undefined;
  }

  /** getDeploymentsForReplicaSet: Deployments in the namespace whose (non-empty) selector matches the labels. */
  private deploymentsSelecting(rs: CachedObject): CachedObject[] {
    const labels = rs.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.dLister.list(String(rs.metadata?.namespace ?? '')).filter((d) => {
      const sel = (d as Deployment).spec?.selector;
      if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return false;
      try {
        const s = labelSelectorAsSelector(sel);
        return !s.empty() && s.matches(labels);
      } catch {
        return false;
      }
    });
  }

  private replicaSetAdded(rs: CachedObject): void {
    if (rs.metadata?.deletionTimestamp) return this.replicaSetDeleted(rs);
    const ref = controllerRefOf(rs);
    if (ref) {
      const d = this.resolve(String(rs.metadata?.namespace ?? ''), ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private replicaSetUpdated(old: CachedObject, cur: CachedObject): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = String(cur.metadata?.namespace ?? '');
    const oldRef = controllerRefOf(old);
    const curRef = controllerRefOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const d = this.resolve(ns, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolve(ns, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = !isDeepStrictEqual({ ...(old.metadata?.labels ?? {}) }, { ...(cur.metadata?.labels ?? {}) });
    if (labelsChanged || refChanged) for (const d of this.deploymentsSelecting(cur)) this.enqueue(d);
  }

  private replicaSetDeleted(o: CachedObject | DeletedFinalStateUnknown): void {
    const rs = deletedObject(o);
    const d = this.resolve(String(rs.metadata?.namespace ?? ''), controllerRefOf(rs));
    if (d) this.enqueue(d);
  }

  /** A Recreate Deployment waits for its old pods to go: look again when the last one has. */
  private podDeleted(o: CachedObject | DeletedFinalStateUnknown): void {
    const pod = deletedObject(o);
    const ns = String(pod.metadata?.namespace ?? '');
    const podRef = controllerRefOf(pod);
    if (!podRef || podRef.kind !== 'ReplicaSet') return;
    const rs = this.rsLister.get(ns, podRef.name);
    if (!rs || rs.metadata?.uid !== podRef.uid) return;
    const d = this.resolve(ns, controllerRefOf(rs));
    if (!d || (d as Deployment).spec?.strategy?.type !== 'Recreate') return;
    const owned = this.rsLister.list(ns).filter((r) => controllerRefOf(r)?.uid === d.metadata?.uid);
    if (this.podMap(d as Deployment, owned as ReplicaSet[]).size === 0) this.enqueue(d);
  }

  /** getPodMapForDeployment: the pods matching the selector, by the uid of the owned ReplicaSet controlling them. */
  private podMap(d: Deployment, rsList: readonly ReplicaSet[]): Map<string, CachedObject[]> {
    const uids = new Set(rsList.map((rs) => String(rs.metadata?.uid ?? '')));
    const map = new Map<string, CachedObject[]>();
    const selector = labelSelectorAsSelector(d.spec?.selector);
    for (const pod of this.podLister.list(String(d.metadata?.namespace ?? ''), selector)) {
      const uid = controllerRefOf(pod)?.uid;
      if (!uid || !uids.has(uid)) continue;
      const list = map.get(uid);
      if (list) list.push(pod);
      else map.set(uid, [pod]);
    }
    return map;
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.dLister.get(namespace, name);
    if (!cached) return;
    const w = new Work(this.env, cached as Deployment);
    const d = w.d;
    const sel = d.spec?.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      w.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status!.observedGeneration = d.metadata?.generation;
        await w.writeStatus();
      }
      return;
    }
    const rsList = (await claimObjects(
      {
        client: this.env.client,
        owner: cached,
        ownerApiVersion: APPS_V1,
        ownerKind: DEPLOYMENT_KIND,
        ownerResource: R.deployments,
        resource: R.replicasets,
        selector: labelSelectorAsSelector(sel),
      },
      this.rsLister.list(namespace),
    )) as ReplicaSet[];
    // Upstream lists the pods (getPodMapForDeployment) on every sync, but only Recreate uses them: with thousands
    // of replicas that listing was most of a sync, so it is done only there.
    if (d.metadata?.deletionTimestamp) return syncStatusOnly(w, rsList);
    await checkPausedConditions(w);
    if (d.spec?.paused) return syncScaling(w, rsList);
    if (await isScalingEvent(w, rsList)) return syncScaling(w, rsList);
    switch (d.spec?.strategy?.type) {
      case 'Recreate':
        return rolloutRecreate(w, rsList, this.podMap(d, rsList));
      case 'RollingUpdate':
        return rolloutRolling(w, rsList);
    }
    throw new Error(`unexpected deployment strategy type: ${String(d.spec?.strategy?.type)}`);
  }
}

export const deploymentControllerFactory: ControllerFactory = {
  name: CONTROLLER_NAME,
  workers: 5,
  build: (ctx) => new DeploymentController(ctx),
};
