/**
 * The node Lease heartbeat (component-helpers lease controller as the kubelet configures it): Lease `<node>` in
 * kube-node-lease (coordination.k8s.io/v1), holderIdentity = node name, leaseDurationSeconds 40, renewTime set every
 * renew interval (0.25 × duration = 10 s) plus up to 4 % jitter, counted from the end of the last sync (upstream's
 * wait.JitterUntil(sync, renewInterval, 0.04, sliding)) on the Clock, ownerReference to the Node (apiVersion v1,
 * kind Node, name, uid; added once the Node exists). Renewal updates the last known Lease (up to 5 tries; a Conflict re-reads it);
 * when that fails the Lease is ensured — read, and created if missing (so a deleted Lease comes back) — with a
 * backoff from 200 ms doubling to 7 s. `stop()` ends renewing; nothing is written after it resolves.
 */
import { tickAlignedDelay, type Clock, type TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { isConflict, isNotFound, R, type ApiClient, type Obj } from '../../controllers/framework';
import { clockSleep, nextBackoff } from './clock-sleep';
import { NODE_LEASE_NAMESPACE, rfc3339Micro } from './identity';

export const NODE_LEASE_DURATION_SECONDS = 40;
const MAX_UPDATE_RETRIES = 5;
const MAX_BACKOFF_MS = 7000;
/** Upstream's lease controller runs its sync with wait.JitterUntil(…, renewInterval, 0.04, true). */
export const LEASE_RENEW_JITTER = 0.04;

function withoutManagedFields(meta: Obj): Obj {
  const out = { ...meta };
  delete out.managedFields;
  return out;
}

export interface NodeLeaseOptions {
  client: ApiClient;
  nodeName: string;
  clock: Clock;
  logger: Logger;
  leaseDurationSeconds?: number;
  /** Default 0.25 × duration (upstream renewIntervalFraction). */
  renewIntervalMs?: number;
  /** A number in [0, 1) per period: the share of the 4 % jitter added to it (default Math.random; tests pin it). */
  jitter?: () => number;
  /** Renewals wait on to the next multiple of this many ms (see Kubelet's heartbeatTickMs); default none. */
  tickMs?: number;
}

export class NodeLease {
  private latest: Obj | undefined;
  private timer: TimerHandle | undefined;
  private readonly ac = new AbortController();
  private running: Promise<void> | undefined;
  readonly durationSeconds: number;
  readonly renewIntervalMs: number;

  constructor(private readonly o: NodeLeaseOptions) {
    this.durationSeconds = o.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS;
    this.renewIntervalMs = o.renewIntervalMs ?? this.durationSeconds * 250;
  }

  /** Syncs now, then every renew interval until stop(). */
  start(): void {
    if (this.ac.signal.aborted || this.timer || this.running) return;
    this.tick();
  }

  private tick(): void {
    this.timer = undefined;
    this.running = this.sync().finally(() => {
      this.running = undefined;
      if (!this.ac.signal.aborted) this.timer = this.o.clock.setTimeout(() => this.tick(), this.nextDelayMs());
    });
  }

  /** wait.Jitter(renewInterval, 0.04): the interval plus a random share of 4 % of it (then on to the next tick). */
  private nextDelayMs(): number {
    const r = (this.o.jitter ?? Math.random)();
    const share = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
    return tickAlignedDelay(this.o.clock.now(), this.renewIntervalMs * (1 + LEASE_RENEW_JITTER * share), this.o.tickMs);
  }

  /** Resolves once the sync in flight (if any) has finished; no timer is left behind. */
  async stop(): Promise<void> {
    this.ac.abort();
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** The Lease last written or read (a server object: do not change it). */
  get lease(): Obj | undefined {
    return this.latest;
  }

  /** One heartbeat: renew the known Lease, or ensure it exists and renew it. */
  async sync(): Promise<void> {
    if (this.latest && (await this.retryUpdate(this.latest))) return;
    const ensured = await this.backoffEnsure();
    if (!ensured) return;
    this.latest = ensured.lease;
    if (!ensured.created) await this.retryUpdate(ensured.lease);
  }

  private async newLease(base: Obj | undefined): Promise<Obj> {
    // Only spec.renewTime (and metadata.ownerReferences) change: copy those levels, share the rest of the server's
    // object (the transport encodes the request; nothing below is written). managedFields are left out: the server
    // then keeps the stored ones (as when they are sent back unchanged) and neither side encodes or parses them.
    const lease: Obj = base
      ? { ...base, metadata: withoutManagedFields(base.metadata as Obj), spec: { ...(base.spec as Obj) } }
      : {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.nodeName, namespace: NODE_LEASE_NAMESPACE },
          spec: { holderIdentity: this.o.nodeName, leaseDurationSeconds: this.durationSeconds },
        };
    (lease.spec as Record<string, unknown>).renewTime = rfc3339Micro(this.o.clock.now());
    const meta = lease.metadata as Record<string, unknown>;
    if (!Array.isArray(meta.ownerReferences) || meta.ownerReferences.length === 0) {
      try {
        const node = await this.o.client.get(R.nodes, '', this.o.nodeName);
        meta.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: String(node.metadata?.uid ?? '') }];
      } catch (e) {
        this.o.logger.error(`failed to get node ${JSON.stringify(this.o.nodeName)} when trying to set owner ref to the node lease: ${(e as Error).message}`);
      }
    }
    return lease;
  }

  private async retryUpdate(base: Obj): Promise<boolean> {
    let current: Obj | undefined = base;
    for (let i = 0; i < MAX_UPDATE_RETRIES && current && !this.ac.signal.aborted; i++) {
      try {
        this.latest = await this.o.client.update(R.leases, NODE_LEASE_NAMESPACE, await this.newLease(current));
        return true;
      } catch (e) {
        this.o.logger.error(`Failed to update lease: ${(e as Error).message}`);
        if (isConflict(e)) current = (await this.backoffEnsure())?.lease;
        else if (isNotFound(e)) break;
      }
    }
    if (!this.ac.signal.aborted) this.o.logger.info(`failed to update lease using latest lease, fallback to ensure lease`);
    return false;
  }

  private async ensure(): Promise<{ lease: Obj; created: boolean }> {
    try {
      return { lease: await this.o.client.get(R.leases, NODE_LEASE_NAMESPACE, this.o.nodeName), created: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    return { lease: await this.o.client.create(R.leases, NODE_LEASE_NAMESPACE, await this.newLease(undefined)), created: true };
  }

  private async backoffEnsure(): Promise<{ lease: Obj; created: boolean } | undefined> {
    let sleep = 100;
    for (;;) {
      if (this.ac.signal.aborted) return undefined;
      try {
        return await this.ensure();
      } catch (e) {
        sleep = nextBackoff(sleep, MAX_BACKOFF_MS);
        this.o.logger.error(`failed to ensure lease exists, will retry in ${sleep / 1000}s: ${(e as Error).message}`);
        if (!(await clockSleep(this.o.clock, sleep, this.ac.signal))) return undefined;
      }
    }
  }
}
