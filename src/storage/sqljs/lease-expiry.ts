import type { Clock, TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { StoreError } from '../store';

/**
 * Lease deadlines on the injected clock. Every checkMs (500 ms, as etcd) expired leases are revoked through the
 * store's normal write path, so their keys go in one revision. Deadlines are memory only: after a restart every
 * lease gets its full TTL again (etcd does the same after a leader change).
 */
export class LeaseExpiry {
  private readonly deadlines = new Map<string, number>();
  private readonly revoking = new Set<string>();
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly checkMs: number,
    private readonly revoke: (id: string) => Promise<void>,
  ) {}

  start(leases: Iterable<[string, number]>): void {
    for (const [id, ttl] of leases) this.granted(id, ttl);
    this.arm();
  }

  granted(id: string, ttl: number): void {
    this.deadlines.set(id, this.clock.now() + ttl * 1000);
  }

  revoked(id: string): void {
    this.deadlines.delete(id);
    this.revoking.delete(id);
  }

  /** False when the lease is already on its way out. */
  keepAlive(id: string, ttl: number): boolean {
    if (this.revoking.has(id)) return false;
    this.deadlines.set(id, this.clock.now() + ttl * 1000);
    return true;
  }

  secondsLeft(id: string): number {
    return Math.max(0, Math.ceil(((this.deadlines.get(id) ?? 0) - this.clock.now()) / 1000));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.expire();
      this.arm();
    }, this.checkMs);
  }

  private expire(): void {
    const now = this.clock.now();
    for (const [id, deadline] of this.deadlines) {
      if (deadline > now || this.revoking.has(id)) continue;
      this.revoking.add(id);
      this.revoke(id).catch((e: StoreError) => {
        this.revoking.delete(id);
        if (e.code !== 'lease-not-found' && e.code !== 'closed') this.logger.warn(`expiring lease ${id} failed: ${e.message}`);
      });
    }
  }
}
