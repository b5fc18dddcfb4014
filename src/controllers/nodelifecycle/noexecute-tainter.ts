/**
 * The NoExecute side of the node lifecycle controller (upstream processTaintBaseEviction, markNodeForTainting,
 * markNodeAsReachable, doNoExecuteTaintingPass): one rate-limited queue per zone of nodes waiting for their
 * `not-ready` (Ready False) or `unreachable` (Ready Unknown) NoExecute taint. The two taints are exclusive: a node
 * already carrying the other one is swapped at once, without waiting for the rate limit; a Ready node loses both and
 * leaves its queue. Errors of taint writes are logged and retried on a later pass, as upstream.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { CachedObject, Lister } from '../../client/informers';
import type { ApiClient } from '../framework/api-client';
import { taintsOf, type Taint } from '../tainteviction/tolerations';
import { readyCondition } from './node-health';
import { hasTaint, NOT_READY_NO_EXECUTE, swapTaints, UNREACHABLE_NO_EXECUTE } from './node-taints';
import { RateLimitedTimedQueue, ZoneLimiter, zoneKey } from './zones';

/** How soon a node whose Ready condition is missing is tried again (upstream: 50 ms). */
const NO_CONDITION_RETRY_MS = 50;

export class NoExecuteTainter {
  private readonly queues = new Map<string, RateLimitedTimedQueue>();

  constructor(
    private readonly client: ApiClient,
    private readonly nodes: Lister,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly qps: number,
  ) {}

  /** The zone's queue, created (at the default rate) on first use. */
  queue(zone: string): RateLimitedTimedQueue {
    let q = this.queues.get(zone);
    if (!q) {
      q = new RateLimitedTimedQueue(new ZoneLimiter(this.qps, this.clock.now()));
      this.queues.set(zone, q);
    }
    return q;
  }

  swapLimiter(zone: string, qps: number): void {
    this.queues.get(zone)?.swapLimiter(qps, this.clock.now());
  }

  /** Nodes waiting, by zone. */
  queued(): Record<string, number> {
    return Object.fromEntries([...this.queues].map(([z, q]) => [z, q.queued()]));
  }

  /** processTaintBaseEviction, from the Ready status observed before this pass. */
  async process(node: CachedObject, observed: string): Promise<void> {
    const taints = taintsOf(node);
    if (observed === 'False') {
      if (hasTaint(taints, UNREACHABLE_NO_EXECUTE)) await this.swap(node, NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE);
      else this.markForTainting(node, NOT_READY_NO_EXECUTE);
    } else if (observed === 'Unknown') {
      if (hasTaint(taints, NOT_READY_NO_EXECUTE)) await this.swap(node, UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE);
      else this.markForTainting(node, UNREACHABLE_NO_EXECUTE);
    } else if (observed === 'True') {
      await this.markReachable(node).catch((e: Error) => this.logger.error(`Failed to remove taints from node ${node.metadata?.name}: ${e.message}`));
    }
  }

  /** Removes both NoExecute taints and takes the node out of its queue; true when it was queued. */
  async markReachable(node: CachedObject): Promise<boolean> {
    await swapTaints(this.client, node, [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], () => this.clock.now());
    return this.queue(zoneKey(node)).remove(String(node.metadata?.name ?? ''));
  }

  /** doNoExecuteTaintingPass: drains every zone queue as far as its rate allows. */
  async pass(): Promise<void> {
    for (const q of [...this.queues.values()]) await q.try(() => this.clock.now(), (name) => this.taint(name));
  }

  /** Ms until a pass could do something (Infinity: nothing can happen without a new event). */
  nextMs(): number {
    const now = this.clock.now();
    return Math.min(Infinity, ...[...this.queues.values()].map((q) => q.nextMs(now)));
  }

  private markForTainting(node: CachedObject, taint: Taint): void {
    const q = this.queue(zoneKey(node));
    const name = String(node.metadata?.name ?? '');
    if (!hasTaint(taintsOf(node), taint)) q.remove(name);
    q.add(name, String(node.metadata?.uid ?? ''), this.clock.now());
  }

  private async swap(node: CachedObject, add: Taint, remove: Taint): Promise<void> {
    try {
      await swapTaints(this.client, node, [add], [remove], () => this.clock.now());
    } catch (e) {
      this.logger.error(`Failed to instantly swap ${remove.key} to ${add.key} on node ${node.metadata?.name}. Will try again in the next cycle: ${(e as Error).message}`);
    }
  }

  private async taint(name: string): Promise<{ done: boolean; waitMs?: number }> {
    const node = this.nodes.get('', name);
    if (!node) return { done: true };
    const ready = readyCondition(node.status);
    if (!ready) return { done: false, waitMs: NO_CONDITION_RETRY_MS };
    let add = UNREACHABLE_NO_EXECUTE;
    let opposite = NOT_READY_NO_EXECUTE;
    if (ready.status === 'False') [add, opposite] = [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE];
    else if (ready.status !== 'Unknown') return { done: true };
    try {
      await swapTaints(this.client, node, [add], [opposite], () => this.clock.now());
      return { done: true };
    } catch (e) {
      this.logger.error(`unable to taint [${add.key}:${add.effect}] unresponsive Node "${name}": ${(e as Error).message}`);
      return { done: false, waitMs: 0 };
    }
  }
}
