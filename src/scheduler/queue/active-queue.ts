/**
 * The active queue (upstream backend/queue/active_queue.go): the heap of pods ready to be scheduled, ordered by the
 * QueueSort plugin's less, with the pods in flight (popped, not yet done) and the scheduling cycle counter.
 *
 * Contract:
 * - `pop()` resolves with the head at once when there is one; otherwise the caller waits, and `broadcast()` (called by
 *   the owner after it added pods) serves waiting callers in call order. After `close()` pop resolves undefined and
 *   waiting callers are woken with undefined.
 * - Popping a pod increments the cycle and the pod's attempts, clears its unschedulable/pending plugins (a new
 *   attempt), and records it in flight with the pod updates seen meanwhile; a popped pod whose UID is already in
 *   flight is discarded (upstream: "the same pod is tracked in multiple places").
 * - `done(uid)` ends the flight and returns what was recorded during it.
 */
import type { QueuedPodInfo } from '../framework';
import type { Pod } from '../framework';
import { Heap } from './heap';
import { podUid, qpiKey } from './keys';

export interface InFlight {
  /** Updates of the pod received while it was being scheduled. */
  updates: { oldPod: Pod; newPod: Pod }[];
  deleted: boolean;
}

export class ActiveQueue {
  private readonly heap: Heap<QueuedPodInfo>;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters: ((qpi: QueuedPodInfo | undefined) => void)[] = [];
  private cycle = 0;
  private closed = false;

  constructor(private readonly lessFn: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean) {
    this.heap = new Heap(qpiKey, lessFn);
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

  schedulingCycle(): number {
    return this.cycle;
  }

  inFlightOf(uid: string): InFlight | undefined {
    return this.inFlight.get(uid);
  }

  done(uid: string): InFlight | undefined {
    const f = this.inFlight.get(uid);
    this.inFlight.delete(uid);
    return f;
  }

  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const qpi = this.popOne();
    if (qpi) return Promise.resolve(qpi);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  broadcast(): void {
    while (this.waiters.length > 0 && !this.closed) {
      const qpi = this.popOne();
      if (!qpi) return;
      this.waiters.shift()!(qpi);
    }
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Keys in pop order (for tests and debugging). */
  orderedKeys(): string[] {
    const h = new Heap(qpiKey, this.lessFn);
    for (const qpi of this.heap.list()) h.addOrUpdate(qpi);
    const out: string[] = [];
    for (let q = h.pop(); q; q = h.pop()) out.push(qpiKey(q));
    return out;
  }

  private popOne(): QueuedPodInfo | undefined {
    for (let qpi = this.heap.pop(); qpi; qpi = this.heap.pop()) {
      const uid = podUid(qpi.podInfo.pod);
      if (this.inFlight.has(uid)) continue;
      this.inFlight.set(uid, { updates: [], deleted: false });
      this.cycle++;
      qpi.attempts++;
      qpi.unschedulablePlugins.clear();
      qpi.pendingPlugins.clear();
      return qpi;
    }
    return undefined;
  }
}
