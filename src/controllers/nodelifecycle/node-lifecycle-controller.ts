/**
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle; events as `node-controller`, writes as the
 * ServiceAccount `node-controller`). Every nodeMonitorPeriod (on the clock) it checks each node's heartbeats (its
 * Lease in kube-node-lease and its Ready condition, see node-health.ts): a node silent for the grace period gets
 * Ready/MemoryPressure/DiskPressure/PIDPressure Unknown, a NodeNotReady event, and its pods Ready=False; a node whose
 * Ready is False or Unknown is queued, per zone and rate-limited (zones.ts, disruption.ts), for the NoExecute
 * `not-ready` / `unreachable` taint that the taint eviction controller acts on; a Ready node loses those taints.
 * Node updates keep the condition NoSchedule taints and the beta os/arch labels in line; a pod newly bound to a
 * not-Ready node is marked not Ready.
 *
 * Keys: `monitor` (the periodic pass), `noexecute` (drain the zone tainting queues: scheduled for when the next
 * token or item is due instead of upstream's 100 ms poll), `node:<name>`, `pod:<ns>/<name>`.
 */
import { NODE_INDEX, splitKey, type CachedObject, type Lister, type SharedInformer } from '../../client/informers';
import { deletedObject } from '../../client/informers/informer';
import type { EventRecorder } from '../../client/events';
import type { ControllerFactory } from '../manager';
import type { ApiClient, Obj } from '../framework/api-client';
import type { ControllerContext, RunnableController } from '../framework/context';
import { QueueController } from '../framework/controller';
import { podNodeName } from '../framework/pod-util';
import { R } from '../framework/resources';
import { planDisruption } from './disruption';
import { reconcileNodeLabels } from './node-labels';
import { checkNodeHealth, readyCondition, type HealthResult, type NodeHealth } from './node-health';
import { managedNoScheduleTaints, swapTaints, taintSetDiff, wantedNoScheduleTaints } from './node-taints';
import { DEFAULT_NODE_LIFECYCLE_OPTIONS, type NodeLifecycleOptions } from './options';
import { markPodsNotReady } from './pods-not-ready';
import { NoExecuteTainter } from './noexecute-tainter';
import { zoneKey, type ZoneState } from './zones';

export const NODE_CONTROLLER = 'node-controller';
const MONITOR = 'monitor';
const NO_EXECUTE = 'noexecute';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';
const HEALTH_UPDATE_RETRIES = 5;

export class NodeLifecycleController extends QueueController implements RunnableController {
  private readonly o: NodeLifecycleOptions;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly pods: SharedInformer;
  private readonly podLister: Lister;
  private readonly nodeLister: Lister;
  private readonly leaseLister: Lister;
  private readonly known = new Map<string, CachedObject>();
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainter: NoExecuteTainter;
  private readonly nodesToRetry = new Set<string>();

  constructor(ctx: ControllerContext, options: Partial<NodeLifecycleOptions> = {}) {
    super({ name: 'nodelifecycle', logger: ctx.logger, clock: ctx.clock });
    this.o = { ...DEFAULT_NODE_LIFECYCLE_OPTIONS, ...options };
    this.client = ctx.clientFor(NODE_CONTROLLER);
    this.recorder = ctx.recorderFor(NODE_CONTROLLER);
    this.pods = ctx.informers.informerFor(R.pods);
    this.podLister = ctx.informers.listerFor(R.pods);
    this.nodeLister = ctx.informers.listerFor(R.nodes);
    this.leaseLister = ctx.informers.listerFor(R.leases, NODE_LEASE_NAMESPACE);
    this.tainter = new NoExecuteTainter(this.client, this.nodeLister, ctx.clock, ctx.logger, this.o.evictionLimiterQPS);
    this.pods.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
    });
    ctx.informers.informerFor(R.nodes).addEventHandler({
      onAdd: (n) => this.enqueueKey(`node:${n.metadata?.name ?? ''}`),
      onUpdate: (_, n) => this.enqueueKey(`node:${n.metadata?.name ?? ''}`),
      onDelete: (n) => this.nodesToRetry.delete(String(deletedObject(n).metadata?.name ?? '')),
    });
  }

  override run(workers = 1): void {
    super.run(workers);
    this.enqueueKey(MONITOR);
  }

  /** Nodes waiting for a NoExecute taint, by zone (tests and status). */
  taintQueue(): Record<string, number> {
    return this.tainter.queued();
  }

  zoneState(zone = ''): ZoneState | undefined {
    return this.zoneStates.get(zone);
  }

  private podUpdated(oldPod: CachedObject | undefined, pod: CachedObject): void {
    const node = podNodeName(pod);
    if (node && (!oldPod || podNodeName(oldPod) !== node)) this.enqueueKey(`pod:${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  }

  protected async sync(key: string): Promise<void> {
    if (key === MONITOR) {
      try {
        await this.monitorNodeHealth();
      } catch (e) {
        this.logger.error(`Error monitoring node health: ${(e as Error).message}`);
      } finally {
        this.enqueueAfter(MONITOR, this.o.nodeMonitorPeriodMs);
        this.scheduleTainting();
      }
      return;
    }
    if (key === NO_EXECUTE) {
      await this.tainter.pass();
      this.scheduleTainting();
      return;
    }
    const i = key.indexOf(':');
    if (key.startsWith('node:')) await this.doNodePass(key.slice(i + 1));
    else if (key.startsWith('pod:')) await this.processPod(key.slice(i + 1));
  }

  /** doNoScheduleTaintingPass + reconcileNodeLabels. */
  private async doNodePass(name: string): Promise<void> {
    const node = this.nodeLister.get('', name);
    if (!node) return;
    const { add, remove } = taintSetDiff(wantedNoScheduleTaints(node), managedNoScheduleTaints(node));
    if (add.length > 0 || remove.length > 0) await swapTaints(this.client, node, add, remove, () => this.clock.now());
    await reconcileNodeLabels(this.client, node);
  }

  private async processPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.get(namespace, name);
    if (!pod) return;
    const nodeName = podNodeName(pod);
    const health = this.health.get(nodeName);
    if (!health) return;
    if (!this.nodeLister.get('', nodeName)) throw new Error(`node "${nodeName}" not found`);
    const ready = readyCondition(health.status);
    if (!ready || ready.status === 'True') return;
    await markPodsNotReady(this.client, this.recorder, [pod], nodeName, this.clock.now());
  }

  private async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodeLister.list();
    const names = new Set(nodes.map((n) => String(n.metadata?.name ?? '')));
    for (const n of nodes) {
      const name = String(n.metadata?.name ?? '');
      if (this.known.has(name)) {
        this.addZone(n);
        continue;
      }
      this.nodeEvent(n, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.known.set(name, n);
      this.addZone(n);
      await this.tainter.markReachable(n).catch((e: Error) => this.logger.error(`Failed to remove taints from node ${name}: ${e.message}`));
    }
    for (const [name, n] of [...this.known]) {
      if (names.has(name)) continue;
      this.nodeEvent(n, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
    }
    const zoneReady = new Map<string, (string | undefined)[]>();
    for (const n of nodes) await this.updateNode(n, zoneReady);
    await this.handleDisruption(zoneReady, nodes);
  }

  private async updateNode(node: CachedObject, zoneReady: Map<string, (string | undefined)[]>): Promise<void> {
    const name = String(node.metadata?.name ?? '');
    let n = node;
    let r: HealthResult | undefined;
    for (let i = 0; i < HEALTH_UPDATE_RETRIES && !r; i++) {
      const lease = this.leaseLister.get(NODE_LEASE_NAMESPACE, name);
      const res = checkNodeHealth(n, this.health.get(name), lease, this.clock.now(), this.o);
      this.health.set(name, res.health);
      if (!res.newStatus || !res.afterWrite) {
        r = res;
        break;
      }
      try {
        await this.client.updateStatus(R.nodes, '', { ...(structuredClone(n) as Obj), status: res.newStatus });
        this.health.set(name, res.afterWrite);
        r = res;
      } catch (e) {
        this.logger.error(`Error updating node ${name}: ${(e as Error).message}`);
        try {
          n = (await this.client.get(R.nodes, '', name)) as CachedObject;
        } catch {
          this.logger.error(`Failed while getting a Node to retry updating node health. Probably Node was deleted node=${name}`);
          return;
        }
      }
    }
    if (!r) {
      this.logger.error(`Update health of Node from Controller error, Skipping - no pods will be evicted node=${name}`);
      return;
    }
    if (!Object.hasOwn(node.metadata?.labels ?? {}, EXCLUDE_DISRUPTION)) {
      const zone = zoneKey(node);
      const statuses = zoneReady.get(zone);
      if (statuses) statuses.push(r.currentReady?.status);
      else zoneReady.set(zone, [r.currentReady?.status]);
    }
    if (r.currentReady) {
      await this.tainter.process(n, r.observedReady.status);
      const needsRetry = this.nodesToRetry.has(name);
      const becameNotReady = r.currentReady.status !== 'True' && r.observedReady.status === 'True';
      if (becameNotReady) this.nodeEvent(n, 'NodeNotReady', 'NodeNotReady', true);
      if (becameNotReady || (needsRetry && r.observedReady.status !== 'True')) {
        try {
          await markPodsNotReady(this.client, this.recorder, this.pods.indexer.byIndex(NODE_INDEX, name), name, this.clock.now());
        } catch (e) {
          this.logger.error(`unable to mark all pods NotReady on node ${name}: ${(e as Error).message}; queuing for retry`);
          this.nodesToRetry.add(name);
          return;
        }
      }
    }
    this.nodesToRetry.delete(name);
  }

  /** Runs the tainting pass when a zone queue can next make progress (at least 100 ms apart, as upstream's poll). */
  private scheduleTainting(): void {
    const next = this.tainter.nextMs();
    if (next === Infinity) return;
    if (next <= 0) this.enqueueKey(NO_EXECUTE);
    else this.enqueueAfter(NO_EXECUTE, Math.max(100, next));
  }

  private async handleDisruption(zoneReady: Map<string, (string | undefined)[]>, nodes: readonly CachedObject[]): Promise<void> {
    const plan = planDisruption(this.zoneStates, zoneReady, this.o.unhealthyZoneThreshold, this.o);
    const now = this.clock.now();
    for (const { zone, qps } of plan.rates) this.tainter.swapLimiter(zone, qps);
    if (plan.mode === 'enterFullDisruption') {
      this.logger.info('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const n of nodes) await this.tainter.markReachable(n).catch((e: Error) => this.logger.error(`Failed to remove taints from Node ${n.metadata?.name}: ${e.message}`));
    } else if (plan.mode === 'exitFullDisruption') {
      this.logger.info('Controller detected that some Nodes are Ready. Exiting master disruption mode');
      for (const n of nodes) {
        const h = this.health.get(String(n.metadata?.name ?? ''));
        if (h) {
          h.probeTimestamp = now;
          h.readyTransitionTimestamp = now;
        }
      }
    }
  }

  private addZone(node: CachedObject): void {
    const zone = zoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    this.tainter.queue(zone);
  }

  /** RecordNodeEvent ("Node %s event: %s") or, for status changes, RecordNodeStatusChange ("Node %s status is now: %s"). */
  private nodeEvent(node: CachedObject, reason: string, text: string, statusChange = false): void {
    const name = String(node.metadata?.name ?? '');
    const ref = { apiVersion: 'v1', kind: 'Node', name, uid: String(node.metadata?.uid ?? '') };
    if (statusChange) this.recorder.eventf(ref, 'Normal', reason, 'Node %s status is now: %s', name, text);
    else this.recorder.eventf(ref, 'Normal', reason, 'Node %s event: %s', name, text);
  }
}

/** A factory with other timings or rates (tests). */
export function newNodeLifecycleControllerFactory(options: Partial<NodeLifecycleOptions> = {}): ControllerFactory {
  return { name: 'nodelifecycle', workers: 1, build: (ctx) => new NodeLifecycleController(ctx, options) };
}

export const nodeLifecycleControllerFactory: ControllerFactory = newNodeLifecycleControllerFactory();
