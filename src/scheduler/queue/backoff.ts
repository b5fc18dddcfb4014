/**
 * Per-pod backoff and the backoff queue (upstream 1.32 PriorityQueue.calculateBackoffDuration / getBackoffTime /
 * isPodBackingoff and podBackoffQ).
 *
 * Contract:
 * - `backoffDurationMs(attempts, initial, max)`: 0 for a pod never attempted; otherwise initial × 2^(attempts-1),
 *   capped at max (doubling stops as soon as it would pass max, so no overflow).
 * - A pod's backoff expires at `timestamp + backoffDurationMs(attempts)` (timestamp = when it was last queued). It is
 *   backing off while that expiry is strictly after now; a gated pod never backs off.
 * - `BackoffQueue` holds pods ordered by backoff expiry (ties: first added first), keyed by namespace/name, and
 *   `popCompleted(now)` removes and returns, in order, every pod whose backoff has expired.
 */
import type { QueuedPodInfo } from '../framework';
import { Heap } from './heap';
import { qpiKey } from './keys';

export function backoffDurationMs(attempts: number, initialMs: number, maxMs: number): number {
  if (attempts <= 0) return 0;
  let d = initialMs;
  for (let i = 1; i < attempts; i++) {
    if (d > maxMs - d) return maxMs;
    d += d;
  }
  return Math.min(d, maxMs);
}

export class Backoff {
  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
  ) {}

  durationMs(qpi: QueuedPodInfo): number {
    return backoffDurationMs(qpi.attempts, this.initialMs, this.maxMs);
  }

  /** When the pod's backoff ends (clock ms). */
  expiry(qpi: QueuedPodInfo): number {
    return qpi.timestamp + this.durationMs(qpi);
  }

  isBackingOff(qpi: QueuedPodInfo, now: number): boolean {
    if (qpi.gated) return false;
    return this.expiry(qpi) > now;
  }
}

export class BackoffQueue {
  private readonly heap: Heap<QueuedPodInfo>;

  constructor(readonly backoff: Backoff) {
    this.heap = new Heap(qpiKey, (a, b) => backoff.expiry(a) < backoff.expiry(b));
  }

  get size(): number {
    return this.heap.size;
  }

  has(key: string): boolean {
    return this.heap.has(key);
  }

  get(key: string): QueuedPodInfo | undefined {
    return this.heap.get(key);
  }

  addOrUpdate(qpi: QueuedPodInfo): void {
    this.heap.addOrUpdate(qpi);
  }

  delete(key: string): QueuedPodInfo | undefined {
    return this.heap.delete(key);
  }

  list(): QueuedPodInfo[] {
    return this.heap.list();
  }

  popCompleted(now: number): QueuedPodInfo[] {
    const out: QueuedPodInfo[] = [];
    for (let head = this.heap.peek(); head && !this.backoff.isBackingOff(head, now); head = this.heap.peek()) {
      out.push(this.heap.pop()!);
    }
    return out;
  }
}
