/**
 * Zones and their eviction rate (upstream nodelifecycle ComputeZoneState, ReducedQPSFunc/HealthyQPSFunc,
 * node/topology GetZoneKey, scheduler.RateLimitedTimedQueue): nodes are grouped by region and zone labels; a zone
 * with no Ready node is fully disrupted, one with more than 2 not-Ready nodes making up at least
 * unhealthyZoneThreshold of it is partially disrupted, otherwise normal. Each zone has a queue of nodes waiting for
 * their NoExecute taint, drained at the zone's rate (a token bucket of burst 1 on the clock; rate 0 stops it).
 */
import type { CachedObject } from '../../client/informers';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';

/** GetZoneKey: `region:\0:zone` from the (beta, else GA) topology labels; '' without either. */
export function zoneKey(node: CachedObject): string {
  const labels = node.metadata?.labels ?? {};
  const zone = labels[BETA_ZONE] ?? labels[ZONE] ?? '';
  const region = labels[BETA_REGION] ?? labels[REGION] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

/** ComputeZoneState over the zone's Ready statuses (undefined: no Ready condition). */
export function computeZoneState(readyStatuses: readonly (string | undefined)[], unhealthyZoneThreshold: number): { unhealthy: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) {
    if (s === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { unhealthy: notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { unhealthy: notReady, state: 'PartialDisruption' };
  return { unhealthy: notReady, state: 'Normal' };
}

export interface EvictionRates {
  /** --node-eviction-rate (0.1 nodes/s). */
  evictionLimiterQPS: number;
  /** --secondary-node-eviction-rate (0.01 nodes/s). */
  secondaryEvictionLimiterQPS: number;
  /** --large-cluster-size-threshold (50). */
  largeClusterThreshold: number;
}

/** The rate a zone gets in `state` (setLimiterInZone): partial disruption slows large zones and stops small ones. */
export function zoneQPS(state: ZoneState, zoneSize: number, r: EvictionRates): number {
  if (state === 'PartialDisruption') return zoneSize > r.largeClusterThreshold ? r.secondaryEvictionLimiterQPS : 0;
  return r.evictionLimiterQPS;
}

/** A token bucket of burst 1 (flowcontrol.NewTokenBucketRateLimiter(qps, 1)); qps <= 0 never accepts. */
export class ZoneLimiter {
  private tokens = 1;
  private last: number;

  constructor(
    readonly qps: number,
    now: number,
  ) {
    this.last = now;
  }

  private refill(now: number): void {
    if (this.qps > 0) this.tokens = Math.min(1, this.tokens + (Math.max(0, now - this.last) / 1000) * this.qps);
    this.last = Math.max(this.last, now);
  }

  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Ms until a token is there (Infinity when the rate is 0). */
  waitMs(now: number): number {
    if (this.qps <= 0) return Infinity;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.qps) * 1000);
  }
}

interface Item {
  value: string;
  uid: string;
  processAt: number;
}

/**
 * RateLimitedTimedQueue: nodes waiting to be processed in processAt order; a node stays in the queue's set after
 * being processed (so it is not queued twice) until `remove`.
 */
export class RateLimitedTimedQueue {
  private items: Item[] = [];
  private readonly set = new Set<string>();

  constructor(private limiter: ZoneLimiter) {}

  get qps(): number {
    return this.limiter.qps;
  }

  /** Queues `value` unless it is already in the set; true when added. */
  add(value: string, uid: string, now: number): boolean {
    if (this.set.has(value)) return false;
    this.set.add(value);
    this.insert({ value, uid, processAt: now });
    return true;
  }

  /** Removes `value` from the queue and the set; true when it was in the set. */
  remove(value: string): boolean {
    this.items = this.items.filter((i) => i.value !== value);
    return this.set.delete(value);
  }

  has(value: string): boolean {
    return this.set.has(value);
  }

  queued(): number {
    return this.items.length;
  }

  /**
   * Upstream Try: while a token is available and the head is due, run `fn` on it; done (true) leaves it out of the
   * queue (but in the set), not done (false, wait) puts it back at now + wait.
   */
  async try(now: () => number, fn: (value: string, uid: string) => Promise<{ done: boolean; waitMs?: number }>): Promise<void> {
    while (this.items.length > 0) {
      const head = this.items[0];
      if (!this.limiter.tryAccept(now())) return;
      if (now() < head.processAt) return;
      const r = await fn(head.value, head.uid);
      const i = this.items.indexOf(head);
      if (i < 0) continue;
      this.items.splice(i, 1);
      if (!r.done) this.insert({ ...head, processAt: now() + (r.waitMs ?? 0) + 1 });
    }
  }

  /** Ms until `try` could do something (Infinity: nothing queued or rate 0). */
  nextMs(now: number): number {
    if (this.items.length === 0) return Infinity;
    return Math.max(this.limiter.waitMs(now), this.items[0].processAt - now);
  }

  /** SwapLimiter: a new rate; a new bucket starts drained when the old one was (burst 1). */
  swapLimiter(qps: number, now: number): void {
    if (this.limiter.qps === qps) return;
    const next = new ZoneLimiter(qps, now);
    if (qps > 0 && !this.limiter.tryAccept(now)) next.tryAccept(now);
    this.limiter = next;
  }

  private insert(item: Item): void {
    let i = this.items.length;
    while (i > 0 && this.items[i - 1].processAt > item.processAt) i--;
    this.items.splice(i, 0, item);
  }
}
