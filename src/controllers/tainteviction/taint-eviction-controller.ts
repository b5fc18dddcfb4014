/**
 * The taint eviction controller (upstream pkg/controller/tainteviction, `taint-eviction-controller`): deletes pods
 * bound to nodes with NoExecute taints they do not tolerate — at once when some taint is not tolerated at all, or
 * after the smallest tolerationSeconds of the tolerations used (timers on the clock); a pod that tolerates every
 * taint forever is left alone. A scheduled deletion is cancelled when the node loses its NoExecute taints, the pod
 * is deleted, or the pod comes to tolerate the taints forever; an existing schedule is otherwise kept (upstream).
 * Before deleting, the pod gets the DisruptionTarget condition (reason DeletionByTaintManager). Events as upstream:
 * TaintManagerEviction "Marking for deletion Pod ns/name" / "Cancelling deletion of Pod ns/name".
 *
 * Keys: `node:<name>` (a node's NoExecute taints changed), `pod:<ns>/<name>` (a pod's node or tolerations changed),
 * `evict:<ns>/<name>` (a timer fired). Node and pod keys are handled synchronously (no await), so the map of
 * tainted nodes is never read half-updated. Writes as the ServiceAccount `node-controller`, as upstream.
 */
import { NODE_INDEX, splitKey, type CachedObject, type DeletedFinalStateUnknown, type Lister, type SharedInformer } from '../../client/informers';
import { deletedObject } from '../../client/informers/informer';
import type { EventRecorder } from '../../client/events';
import type { ControllerFactory } from '../manager';
import { isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext, RunnableController } from '../framework/context';
import { QueueController } from '../framework/controller';
import { podNodeName } from '../framework/pod-util';
import { R } from '../framework/resources';
import { setPodCondition } from './pod-conditions';
import { TimedWorkers } from './timed-workers';
import { matchingTolerations, minTolerationMs, noExecuteTaints, sameList, taintsOf, tolerationsOf, type Taint, type Toleration } from './tolerations';

export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';
/** Upstream reuses the node lifecycle controller's identity and role. */
export const TAINT_EVICTION_SERVICE_ACCOUNT = 'node-controller';
const RETRIES = 5;

export class TaintEvictionController extends QueueController implements RunnableController {
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly pods: SharedInformer;
  private readonly podLister: Lister;
  private readonly nodeLister: Lister;
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly work: TimedWorkers;

  constructor(ctx: ControllerContext) {
    super({ name: TAINT_EVICTION_CONTROLLER, logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor(TAINT_EVICTION_SERVICE_ACCOUNT);
    this.recorder = ctx.recorderFor(TAINT_EVICTION_CONTROLLER, TAINT_EVICTION_SERVICE_ACCOUNT);
    this.pods = ctx.informers.informerFor(R.pods);
    this.podLister = ctx.informers.listerFor(R.pods);
    this.nodeLister = ctx.informers.listerFor(R.nodes);
    this.work = new TimedWorkers(ctx.clock, (key) => this.enqueueKey(`evict:${key}`));
    this.pods.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podUpdated(deletedObject(p), undefined),
    });
    ctx.informers.informerFor(R.nodes).addEventHandler({
      onAdd: (n) => this.nodeUpdated(undefined, n),
      onUpdate: (o, n) => this.nodeUpdated(o, n),
      onDelete: (n: CachedObject | DeletedFinalStateUnknown) => this.nodeUpdated(deletedObject(n), undefined),
    });
  }

  /** Scheduled deletions (for tests and status). */
  scheduled(): number {
    return this.work.size();
  }

  override async stop(): Promise<void> {
    this.work.stop();
    await super.stop();
  }

  private podUpdated(oldPod: CachedObject | undefined, newPod: CachedObject | undefined): void {
    const p = newPod ?? oldPod;
    if (!p) return;
    if (oldPod && newPod && podNodeName(oldPod) === podNodeName(newPod) && sameList(tolerationsOf(oldPod), tolerationsOf(newPod))) return;
    this.enqueueKey(`pod:${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`);
  }

  private nodeUpdated(oldNode: CachedObject | undefined, newNode: CachedObject | undefined): void {
    const n = newNode ?? oldNode;
    if (!n) return;
    if (oldNode && newNode && sameList(noExecuteTaints(taintsOf(oldNode)), noExecuteTaints(taintsOf(newNode)))) return;
    this.enqueueKey(`node:${n.metadata?.name ?? ''}`);
  }

  protected async sync(key: string): Promise<void> {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    const rest = key.slice(i + 1);
    if (kind === 'node') this.handleNodeUpdate(rest);
    else if (kind === 'pod') this.handlePodUpdate(rest);
    else if (kind === 'evict') await this.evict(rest);
  }

  private handleNodeUpdate(name: string): void {
    const node = this.nodeLister.get('', name);
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(taintsOf(node));
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = this.pods.indexer.byIndex(NODE_INDEX, name);
    if (pods.length === 0) return;
    if (taints.length === 0) {
      for (const p of pods) this.cancelWithEvent(podKey(p));
      return;
    }
    const now = this.clock.now();
    for (const p of pods) this.processPodOnNode(podKey(p), tolerationsOf(p), taints, now);
  }

  private handlePodUpdate(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.get(namespace, name);
    if (!pod) {
      this.cancelWithEvent(key);
      return;
    }
    const nodeName = podNodeName(pod);
    if (!nodeName) return;
    const taints = this.taintedNodes.get(nodeName);
    // The node is gone or untainted: any eviction was cancelled when that was noticed.
    if (!taints) return;
    this.processPodOnNode(key, tolerationsOf(pod), taints, this.clock.now());
  }

  private processPodOnNode(key: string, tolerations: readonly Toleration[], taints: readonly Taint[], now: number): void {
    if (taints.length === 0) this.cancelWithEvent(key);
    const { all, used } = matchingTolerations(taints, tolerations);
    if (!all) {
      // Cancel what was scheduled: the pod goes now.
      this.cancelWithEvent(key);
      this.work.addWork(key, now, now);
      return;
    }
    const min = minTolerationMs(used);
    if (min < 0) {
      this.cancelWithEvent(key);
      return;
    }
    let start = now;
    const trigger = now + min;
    const scheduled = this.work.get(key);
    if (scheduled) {
      start = scheduled.createdAt;
      if (start + min < trigger) return;
      this.cancelWithEvent(key);
    }
    this.work.addWork(key, start, trigger);
  }

  private cancelWithEvent(key: string): void {
    if (this.work.cancel(key)) this.recorder.eventf(podRef(key), 'Normal', 'TaintManagerEviction', 'Cancelling deletion of Pod %s', key);
  }

  /** A timer fired: mark the pod with DisruptionTarget and delete it (upstream deletePodHandler, 5 tries). */
  private async evict(key: string): Promise<void> {
    if (!this.work.isFiring(key)) return;
    this.logger.info(`Deleting pod ${key}`);
    this.recorder.eventf(podRef(key), 'Normal', 'TaintManagerEviction', 'Marking for deletion Pod %s', key);
    const { namespace, name } = splitKey(key);
    let last: unknown;
    try {
      for (let i = 0; i < RETRIES; i++) {
        try {
          await this.addConditionAndDelete(namespace, name);
          return;
        } catch (e) {
          last = e;
          if (isNotFound(e)) break;
        }
      }
      this.logger.error(`TaintEvictionController: timed worker failed: ${(last as Error).message}`);
    } finally {
      this.work.finished(key);
    }
  }

  private async addConditionAndDelete(namespace: string, name: string): Promise<void> {
    const pod = (await this.client.get(R.pods, namespace, name)) as CachedObject;
    const cond = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
    await setPodCondition(this.client, pod, cond, this.clock.now());
    await this.client.delete(R.pods, namespace, name);
  }
}

function podKey(p: CachedObject): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

function podRef(key: string): { apiVersion: string; kind: string; namespace: string; name: string } {
  const { namespace, name } = splitKey(key);
  return { apiVersion: 'v1', kind: 'Pod', namespace, name };
}

export const taintEvictionControllerFactory: ControllerFactory = {
  name: TAINT_EVICTION_CONTROLLER,
  workers: 8,
  build: (ctx) => new TaintEvictionController(ctx),
};
