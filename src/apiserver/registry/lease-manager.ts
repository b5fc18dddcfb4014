/**
 * Storage leases for objects with a time to live — Events, which kube-apiserver keeps for `--event-ttl` (1 h) after
 * their last write. As upstream's etcd3 leaseManager does, consecutive writes share one lease instead of granting one
 * each: a lease granted for ttl + reuse seconds (reuse = 5 % of the TTL, at most 60 s) is handed out again while it
 * still outlives the requested TTL, to at most 1,000 objects; then a new one is granted. Each object so lives between
 * `ttl` and `ttl + reuse` seconds after its write. When the lease expires the store deletes every key on it in one
 * revision, and watchers see the deletions.
 */
import type { Clock } from '../../base/clock';
import type { LeaseId, Store } from '../../storage/store';

export const LEASE_REUSE_SECONDS = 60;
export const LEASE_REUSE_PERCENT = 0.05;
export const LEASE_MAX_OBJECTS = 1000;

export class LeaseManager {
  private prevId: LeaseId | undefined;
  private prevExpiresAt = 0;
  private attached = 0;
  private granting: Promise<unknown> | undefined;

  constructor(
    private readonly store: Pick<Store, 'leaseGrant'>,
    private readonly clock: Clock,
    private readonly maxObjects = LEASE_MAX_OBJECTS,
  ) {}

  /** A lease that keeps an object written now for at least `ttlSeconds`. */
  async get(ttlSeconds: number): Promise<LeaseId> {
    // One grant at a time: writes arriving meanwhile wait for it and then share the new lease.
    while (this.granting) await this.granting.catch(() => undefined);
    const now = this.clock.now();
    const reuse = Math.min(Math.floor(LEASE_REUSE_PERCENT * ttlSeconds), LEASE_REUSE_SECONDS);
    const valid = now + ttlSeconds * 1000 < this.prevExpiresAt;
    // (≥ where upstream has >: its clock has nanoseconds, ours milliseconds, so writes in the same millisecond as the
    // grant must still share it.)
    const sufficient = now + (ttlSeconds + reuse) * 1000 >= this.prevExpiresAt;
    // Every request counts, whether or not its write succeeds (as upstream).
    this.attached++;
    if (this.prevId !== undefined && valid && sufficient && this.attached <= this.maxObjects) return this.prevId;
    const grant = this.store.leaseGrant(ttlSeconds + reuse);
    this.granting = grant;
    try {
      const g = await grant;
      this.prevId = g.id;
      this.prevExpiresAt = now + (ttlSeconds + reuse) * 1000;
      this.attached = 1;
      return g.id;
    } finally {
      this.granting = undefined;
    }
  }
}
