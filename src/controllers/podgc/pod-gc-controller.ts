/**
 * The pod garbage collector (upstream pkg/controller/podgc; writes as the ServiceAccount `pod-garbage-collector`,
 * no events). Every 20 s on the clock it:
 * - deletes terminated pods (phase neither Pending, Running nor Unknown) beyond terminatedPodGCThreshold (12500;
 *   0 disables), evicted ones first, then oldest first, then by name;
 * - force-deletes terminating pods on a not-Ready node tainted `node.kubernetes.io/out-of-service`;
 * - force-deletes pods bound to a node that does not exist: such a node is quarantined 40 s, then checked with a
 *   live GET; its pods first get phase Failed and the DisruptionTarget condition (DeletionByPodGC);
 * - force-deletes terminating pods that were never scheduled.
 * "Force-delete": a pod not yet terminal is patched to phase Failed first, then deleted with grace period 0.
 */
import type { CachedObject, Lister } from '../../client/informers';
import type { ControllerFactory } from '../manager';
import { isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext, RunnableController } from '../framework/context';
import { QueueController } from '../framework/controller';
import { podNodeName } from '../framework/pod-util';
import { R } from '../framework/resources';
import { setPodCondition, type PodCondition } from '../tainteviction/pod-conditions';
import { byEvictionAndCreation, isTerminatingOnOutOfServiceNode } from './gc-rules';
import { PodGCIndex } from './pod-index';

export const POD_GC_SERVICE_ACCOUNT = 'pod-garbage-collector';
const GC = 'gc';

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold (12500); <= 0 disables the terminated-pod pass. */
  terminatedPodGCThreshold: number;
  gcCheckPeriodMs: number;
  quarantineMs: number;
}

export const DEFAULT_POD_GC_OPTIONS: Readonly<PodGCOptions> = { terminatedPodGCThreshold: 12500, gcCheckPeriodMs: 20_000, quarantineMs: 40_000 };

export class PodGCController extends QueueController implements RunnableController {
  private readonly o: PodGCOptions;
  private readonly client: ApiClient;
  private readonly podLister: Lister;
  private readonly nodeLister: Lister;
  /** Missing nodes in quarantine: name → when they may be checked. */
  private readonly quarantine = new Map<string, number>();
  /** The terminated and terminating pods and the nodes pods are bound to, kept from the pod informer's events. */
  private readonly index: PodGCIndex;

  constructor(ctx: ControllerContext, options: Partial<PodGCOptions> = {}) {
    super({ name: 'pod-garbage-collector', logger: ctx.logger, clock: ctx.clock });
    this.o = { ...DEFAULT_POD_GC_OPTIONS, ...options };
    this.client = ctx.clientFor(POD_GC_SERVICE_ACCOUNT);
    this.podLister = ctx.informers.listerFor(R.pods);
    this.nodeLister = ctx.informers.listerFor(R.nodes);
    this.index = new PodGCIndex(this.o.terminatedPodGCThreshold > 0);
    ctx.informers.informerFor(R.pods).addEventHandler(this.index.handlers);
  }

  override run(workers = 1): void {
    super.run(workers);
    this.enqueueKey(GC);
  }

  protected async sync(key: string): Promise<void> {
    if (key !== GC) return;
    try {
      await this.gc();
    } finally {
      this.enqueueAfter(GC, this.o.gcCheckPeriodMs);
    }
  }

  private async gc(): Promise<void> {
    // The checks run in upstream's order on a snapshot taken now: the terminated and terminating pods and the nodes
    // pods are bound to come from the index (a pass touches none of a large cluster's Running pods); the pods
    // themselves are listed only when a node is found gone.
    const terminated = this.index.terminated();
    const terminating = this.index.terminating();
    const podNodes = this.index.nodes();
    const nodes = this.nodeLister.list();
    if (this.o.terminatedPodGCThreshold > 0) await this.gcTerminated(terminated);
    await this.gcTerminating(terminating);
    await this.gcOrphaned(podNodes, nodes);
    await this.gcUnscheduledTerminating(terminating);
  }

  /** Deletes the oldest terminated pods beyond the threshold (`terminated`: every terminated pod). */
  private async gcTerminated(terminated: readonly CachedObject[]): Promise<void> {
    const count = terminated.length - this.o.terminatedPodGCThreshold;
    if (count <= 0) return;
    this.logger.info(`Garbage collecting pods numPods=${count}`);
    const victims = [...terminated].sort(byEvictionAndCreation).slice(0, count);
    await Promise.all(victims.map((p) => this.forceDelete(p)));
  }

  /** `terminating`: the pods with a deletionTimestamp. */
  private async gcTerminating(terminating: readonly CachedObject[]): Promise<void> {
    const victims: CachedObject[] = [];
    for (const p of terminating) {
      const nodeName = podNodeName(p);
      const node = this.nodeLister.get('', nodeName);
      if (!node) {
        this.logger.error(`Failed to get node node=${JSON.stringify(nodeName)}`);
        continue;
      }
      if (isTerminatingOnOutOfServiceNode(p, node)) victims.push(p);
    }
    victims.sort(byEvictionAndCreation);
    await Promise.all(victims.map((p) => this.forceDelete(p)));
  }

  /** `podNodes`: the nodes pods are bound to (the pods are listed only when a node is found gone). */
  private async gcOrphaned(podNodes: ReadonlySet<string>, nodes: readonly CachedObject[]): Promise<void> {
    const existing = new Set(nodes.map((n) => String(n.metadata?.name ?? '')));
    const now = this.clock.now();
    for (const nodeName of podNodes) {
      if (!existing.has(nodeName) && !this.quarantine.has(nodeName)) this.quarantine.set(nodeName, now + this.o.quarantineMs);
    }
    const deleted = new Set<string>();
    for (const [name, at] of [...this.quarantine]) {
      if (at > now) continue;
      this.quarantine.delete(name);
      if (existing.has(name)) continue;
      try {
        await this.client.get(R.nodes, '', name);
      } catch (e) {
        if (isNotFound(e)) deleted.add(name);
        else this.logger.error(`Error while getting node node=${JSON.stringify(name)}: ${(e as Error).message}`);
      }
    }
    if (deleted.size === 0) return;
    const cond: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };
    for (const p of this.podLister.list()) {
      if (!deleted.has(podNodeName(p))) continue;
      if (await this.forceDelete(p, cond)) this.logger.info(`Forced deletion of orphaned Pod succeeded pod=${p.metadata?.namespace}/${p.metadata?.name}`);
    }
  }

  /** `terminating`: the pods with a deletionTimestamp. */
  private async gcUnscheduledTerminating(terminating: readonly CachedObject[]): Promise<void> {
    for (const p of terminating) {
      if (podNodeName(p)) continue;
      if (await this.forceDelete(p)) this.logger.info(`Forced deletion of unscheduled terminating Pod succeeded pod=${p.metadata?.namespace}/${p.metadata?.name}`);
    }
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and `cond`) unless terminal, then delete with grace 0.
   * Errors are logged (upstream HandleError), not retried before the next pass. */
  private async forceDelete(p: CachedObject, cond?: PodCondition): Promise<boolean> {
    const ns = String(p.metadata?.namespace ?? '');
    const name = String(p.metadata?.name ?? '');
    this.logger.info(`PodGC is force deleting Pod pod=${ns}/${name}`);
    try {
      const phase = (p.status as { phase?: string } | undefined)?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        if (cond) await setPodCondition(this.client, p, cond, this.clock.now(), 'Failed');
        else await this.client.patch(R.pods, ns, name, { metadata: { uid: p.metadata?.uid }, status: { phase: 'Failed' } }, 'strategic', 'status');
      }
      await this.client.delete(R.pods, ns, name, { gracePeriodSeconds: 0 });
      return true;
    } catch (e) {
      if (!isNotFound(e)) this.logger.error(`deleting pod ${ns}/${name}: ${(e as Error).message}`);
      return false;
    }
  }
}

/** A factory with another threshold or timings (tests). */
export function newPodGCControllerFactory(options: Partial<PodGCOptions> = {}): ControllerFactory {
  return { name: 'pod-garbage-collector', workers: 1, build: (ctx) => new PodGCController(ctx, options) };
}

export const podGCControllerFactory: ControllerFactory = newPodGCControllerFactory();
