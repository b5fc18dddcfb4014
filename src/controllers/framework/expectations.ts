/**
 * Controller expectations (upstream controller_utils.go ControllerExpectations / UIDTrackingControllerExpectations):
 * after a sync issues N creates or deletes for an owner key, the owner is not synced again until the informer has
 * seen them all (or 5 minutes pass), so a sync never acts twice on a stale cache. Deletions are tracked by pod key,
 * so a deletion observed for a pod this owner did not delete does not count.
 */
import type { Clock } from '../../base/clock';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
  /** Keys of the objects whose deletion is expected. */
  deleting: Set<string>;
}

export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when the owner may be synced: no record, every expectation met, or the record expired. */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.items.set(key, { add: n, del: 0, at: this.clock.now(), deleting: new Set() });
  }

  /** Expects the deletion of these objects (by `namespace/name` key). */
  expectDeletions(key: string, objectKeys: readonly string[]): void {
    this.items.set(key, { add: 0, del: objectKeys.length, at: this.clock.now(), deleting: new Set(objectKeys) });
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.add--;
  }

  /** A create that failed or was never sent: expect one fewer. */
  lowerCreations(key: string, n = 1): void {
    const e = this.items.get(key);
    if (e) e.add -= n;
  }

  /** The object `objectKey` was seen deleted (or its delete failed with NotFound / was skipped). */
  deletionObserved(key: string, objectKey: string): void {
    const e = this.items.get(key);
    if (e && e.deleting.delete(objectKey)) e.del--;
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  /** For tests and debugging. */
  get(key: string): { add: number; del: number } | undefined {
    const e = this.items.get(key);
    return e && { add: e.add, del: e.del };
  }
}
