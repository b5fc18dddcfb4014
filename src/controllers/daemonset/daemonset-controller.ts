/**
 * The DaemonSet controller (upstream pkg/controller/daemon): one daemon pod on every node that should run a set.
 * `sync(key)` claims the set's pods and ControllerRevisions, finds the current revision (its hash labels new pods),
 * then — once the set's earlier creates and deletes have been observed — runs the core loop (create on nodes that
 * need a pod, delete failed, surplus and misplaced pods and unscheduled pods of vanished nodes), the RollingUpdate
 * step, history cleanup, and writes the status. Writes go out as ServiceAccount `daemon-set-controller`; events
 * come from `daemonset-controller`.
 */
import type { CachedObject, Indexer, Lister } from '../../client/informers';
import { OWNER_INDEX, splitKey } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import { labelSelectorAsSelector, type LabelSelector } from '../../api/selectors';
import type { ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { claimObjects } from '../framework/controller-ref';
import { ControllerExpectations } from '../framework/expectations';
import { PodControl } from '../framework/pod-control';
import { isPodTerminal } from '../framework/pod-util';
import { R } from '../framework/resources';
import { allowsSurge } from './update-counts';
import { targetNodeName, unscheduledPodsWithoutNode } from './daemon-pods';
import * as h from './event-handlers';
import { FailedPodsBackoff } from './failed-pods-backoff';
import { cleanupHistory, constructHistory, hashOf, type HistoryDeps } from './history';
import { nodeShouldRunDaemonPod, type NodeVerdict } from './node-should-run';
import { podsShouldBeOnNode } from './pods-on-node';
import { planRollingUpdate, type RollingPlan } from './rolling-update';
import { computeCounts, storeStatus } from './status';
import { syncNodes } from './sync-nodes';
import { asDaemonSet, asNode, asPod, DS_API_VERSION, DS_KIND, type DaemonSet, type Node, type Pod } from './types';

export const DAEMONSET_SERVICE_ACCOUNT = 'daemon-set-controller';
export const DAEMONSET_EVENT_COMPONENT = 'daemonset-controller';
export const SELECTING_ALL_REASON = 'SelectingAll';

/** What one sync reads once: the set, the nodes and a memo of NodeShouldRunDaemonPod. */
interface Round {
  owner: CachedObject;
  ds: DaemonSet;
  key: string;
  nodes: Node[];
  verdict(n: Node): NodeVerdict;
}

export class DaemonSetController extends QueueController implements h.HandlerTarget {
  readonly dsLister: Lister;
  private readonly podLister: Lister;
  private readonly podIndexer: Indexer;
  private readonly nodeLister: Lister;
  private readonly revisionLister: Lister;
  readonly creates: ControllerExpectations;
  readonly deletes: ControllerExpectations;
  readonly backoff: FailedPodsBackoff;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;

  constructor(ctx: ControllerContext, name = 'daemonset') {
    super({ name, logger: ctx.logger, clock: ctx.clock });
    this.creates = new ControllerExpectations(ctx.clock);
    this.deletes = new ControllerExpectations(ctx.clock);
    this.backoff = new FailedPodsBackoff(ctx.clock);
    this.client = ctx.clientFor(DAEMONSET_SERVICE_ACCOUNT);
    this.recorder = ctx.recorderFor(DAEMONSET_EVENT_COMPONENT, DAEMONSET_SERVICE_ACCOUNT);
    this.podControl = new PodControl(this.client, this.recorder);
    this.dsLister = ctx.informers.listerFor(R.daemonsets);
    this.podLister = ctx.informers.listerFor(R.pods);
    this.podIndexer = ctx.informers.informerFor(R.pods).indexer;
    this.nodeLister = ctx.informers.listerFor(R.nodes);
    this.revisionLister = ctx.informers.listerFor(R.controllerrevisions);
    ctx.informers.informerFor(R.daemonsets).addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) h.onDaemonSetDeleted(this, old);
        this.enqueue(cur);
      },
      onDelete: (o) => h.onDaemonSetDeleted(this, o),
    });
    ctx.informers.informerFor(R.controllerrevisions).addEventHandler({
      onAdd: (o) => h.onHistoryAdded(this, o),
      onUpdate: (old, cur) => h.onHistoryUpdated(this, old, cur),
      onDelete: (o) => h.onHistoryDeleted(this, o),
    });
    ctx.informers.informerFor(R.pods).addEventHandler({
      onAdd: (o) => h.onPodAdded(this, o),
      onUpdate: (old, cur) => h.onPodUpdated(this, old, cur),
      onDelete: (o) => h.onPodDeleted(this, o),
    });
    ctx.informers.informerFor(R.nodes).addEventHandler({
      onAdd: (o) => h.onNodeAdded(this, o),
      onUpdate: (old, cur) => h.onNodeUpdated(this, old, cur),
      onDelete: () => h.onNodeDeleted(this),
    });
  }

  creationObserved(dsKey: string): void {
    this.creates.creationObserved(dsKey);
  }

  deletionObserved(dsKey: string, podKey: string): void {
    this.deletes.deletionObserved(dsKey, podKey);
  }

  forgetExpectations(dsKey: string): void {
    this.creates.delete(dsKey);
    this.deletes.delete(dsKey);
  }

  satisfied(dsKey: string): boolean {
    return this.creates.satisfied(dsKey) && this.deletes.satisfied(dsKey);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const owner = this.dsLister.get(namespace, name);
    if (!owner) {
      this.forgetExpectations(key);
      return;
    }
    const ds = asDaemonSet(owner);
    const nodes = this.nodeLister.list().map(asNode);
    const sel = ds.spec?.selector as Record<string, unknown> | undefined;
    if (sel && sel.matchLabels === undefined && sel.matchExpressions === undefined) {
      this.recorder.event(owner, 'Warning', SELECTING_ALL_REASON, 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (owner.metadata?.deletionTimestamp) return;
    const memo = new Map<Node, NodeVerdict>();
    const verdict = (n: Node) => memo.get(n) ?? memo.set(n, nodeShouldRunDaemonPod(n, ds)).get(n)!;
    const round: Round = { owner, ds, key, nodes, verdict };
    let cur: CachedObject;
    let old: CachedObject[];
    try {
      ({ cur, old } = await constructHistory(this.historyDeps(round), owner, ds));
    } catch (e) {
      throw new Error(`failed to construct revisions of DaemonSet: ${(e as Error).message}`);
    }
    const hash = hashOf(cur);
    if (!this.satisfied(key)) return this.updateStatus(round, hash, false);
    let err: unknown;
    try {
      await this.updateDaemonSet(round, hash, old);
    } catch (e) {
      err = e;
    }
    try {
      await this.updateStatus(round, hash, true);
    } catch (statusErr) {
      if (err === undefined) throw statusErr;
      this.logger.warn(`failed to update status of DaemonSet ${key}: ${(statusErr as Error).message}`);
    }
    if (err !== undefined) throw err;
  }

  private historyDeps(r: Round): HistoryDeps {
    return { client: this.client, revisions: this.revisionLister, pods: async () => [...(await this.podsByNode(r)).values()].flat() };
  }

  /** The pods a claim must look at: those the set owns (owner index) and those its selector matches. */
  private claimCandidates(r: Round, selector: LabelSelector): CachedObject[] {
    const ns = r.ds.metadata?.namespace ?? '';
    const owned = this.podIndexer.byIndex(OWNER_INDEX, String(r.owner.metadata?.uid ?? '')).filter((p) => p.metadata?.namespace === ns);
    const seen = new Set(owned);
    return [...owned, ...this.podLister.list(ns, selector).filter((p) => !seen.has(p))];
  }

  /**
   * getNodesToDaemonPods: the set's pods (after adoption and release) by the node they are meant for; terminal pods
   * already being deleted are left out unless `includeDeletedTerminal` (history cleanup).
   */
  private async nodesToDaemonPods(r: Round, includeDeletedTerminal = false): Promise<Map<string, Pod[]>> {
    const selector = labelSelectorAsSelector(r.ds.spec?.selector);
    const candidates = this.claimCandidates(r, selector);
    const claimed = await claimObjects({ client: this.client, owner: r.owner, ownerApiVersion: DS_API_VERSION, ownerKind: DS_KIND, ownerResource: R.daemonsets, resource: R.pods, selector }, candidates);
    const byNode = new Map<string, Pod[]>();
    for (const o of claimed) {
      if (!includeDeletedTerminal && isPodTerminal(o) && o.metadata?.deletionTimestamp) continue;
      const pod = asPod(o);
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else byNode.set(node, [pod]);
    }
    return byNode;
  }

  /** nodesToDaemonPods with upstream's error wording. */
  private async podsByNode(r: Round, includeDeletedTerminal = false): Promise<Map<string, Pod[]>> {
    try {
      return await this.nodesToDaemonPods(r, includeDeletedTerminal);
    } catch (e) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set ${JSON.stringify(r.ds.metadata?.name)}: ${(e as Error).message}`);
    }
  }

  private async updateDaemonSet(r: Round, hash: string, old: CachedObject[]): Promise<void> {
    await this.manage(r, hash);
    if (this.satisfied(r.key) && (r.ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const byNode = await this.podsByNode(r);
      let plan: RollingPlan;
      try {
        const podExists = (n: string) => this.podLister.get(r.ds.metadata?.namespace ?? '', n) !== undefined;
        plan = planRollingUpdate({ ds: r.ds, nodes: r.nodes, byNode, hash, now: this.clock.now(), verdict: r.verdict, podExists });
      } catch (e) {
        throw new Error(`couldn't get unavailable numbers: ${(e as Error).message}`);
      }
      await syncNodes(this.syncDeps(), r.owner, r.key, plan.deletes, plan.creates, hash);
    }
    try {
      const live = [...(await this.podsByNode(r, true)).values()].flat();
      await cleanupHistory(this.historyDeps(r), r.ds, old, live);
    } catch (e) {
      throw new Error(`failed to clean up revisions of DaemonSet: ${(e as Error).message}`);
    }
  }

  private syncDeps() {
    return { podControl: this.podControl, creates: this.creates, deletes: this.deletes };
  }

  /** The core loop over every node. */
  private async manage(r: Round, hash: string): Promise<void> {
    const byNode = await this.podsByNode(r);
    const surge = allowsSurge(r.ds);
    const now = this.clock.now();
    const creates: string[] = [];
    const deletes: string[] = [];
    for (const node of r.nodes) {
      const nodeName = node.metadata?.name ?? '';
      const plan = podsShouldBeOnNode({ ds: r.ds, nodeName, verdict: r.verdict(node), pods: byNode.get(nodeName), hash, surge, backoff: this.backoff, now });
      if (plan.create) creates.push(nodeName);
      deletes.push(...plan.deletes);
      for (const e of plan.events) this.recorder.event(r.owner, e.type, e.reason, e.message);
      if (plan.requeueAfterMs !== undefined) this.enqueueAfter(r.key, plan.requeueAfterMs);
    }
    deletes.push(...unscheduledPodsWithoutNode(r.nodes, byNode));
    await syncNodes(this.syncDeps(), r.owner, r.key, deletes, creates, hash);
  }

  private async updateStatus(r: Round, hash: string, updateObservedGen: boolean): Promise<void> {
    const byNode = await this.podsByNode(r);
    const counts = computeCounts(r.ds, r.nodes, byNode, hash, this.clock.now(), r.verdict);
    try {
      await storeStatus(this.client, r.ds, counts, updateObservedGen);
    } catch (e) {
      throw new Error(`error storing status for daemon set ${r.key}: ${(e as Error).message}`);
    }
    const minReady = r.ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable) this.enqueueAfter(r.key, minReady * 1000);
  }
}
