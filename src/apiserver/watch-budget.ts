/**
 * The bytes the watch streams of one HTTPS server may hold queued for their clients: each stream at most
 * `perWatch`, all together at most `total`. A stream over its own limit is cut; when the sum is over the total, the
 * stream with the most bytes queued is cut. So memory stays bounded however many clients stop reading, and a client
 * that keeps up (less than `floor` queued) never triggers the sum or is chosen while a laggard exists.
 *
 * Contract: `add(q, cut)` registers a stream and returns its removal; `check(q)` after each write to q returns false
 * when q itself must be cut, and calls another stream's `cut` when that one is the worst. The sum is recomputed at
 * most every `scanMs` (it costs one pass over the open streams), and only when q lags by `floor` bytes or more.
 */
import { performance } from 'node:perf_hooks';

export interface QueuedStream {
  readonly writableLength: number;
}

export class WatchBudget {
  private readonly open = new Map<QueuedStream, () => void>();
  private lastScan = -Infinity;

  constructor(
    readonly perWatch: number,
    readonly total: number,
    private readonly floor = 1 << 20,
    private readonly scanMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.open.size;
  }

  add(q: QueuedStream, cut: () => void): () => void {
    this.open.set(q, cut);
    return () => this.open.delete(q);
  }

  check(q: QueuedStream): boolean {
    const own = q.writableLength;
    if (own > this.perWatch) return false;
    if (own < this.floor) return true;
    const t = this.now();
    if (t - this.lastScan < this.scanMs) return true;
    this.lastScan = t;
    let sum = 0;
    let worst: QueuedStream | undefined;
    let worstLen = -1;
    for (const r of this.open.keys()) {
      const l = r.writableLength;
      sum += l;
      if (l > worstLen) {
        worst = r;
        worstLen = l;
      }
    }
    if (sum <= this.total || worst === undefined) return true;
    if (worst === q) return false;
    const cut = this.open.get(worst)!;
    this.open.delete(worst);
    cut();
    return true;
  }
}
