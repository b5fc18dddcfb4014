/**
 * The waiting room of the delaying queue (client-go util/workqueue/delaying_queue.go): keys that must be added to the
 * work queue at a later time on an injected Clock.
 *
 * Contract:
 * - `schedule(key, readyAt)` records a deadline (absolute clock ms). A key waits at most once; scheduling it again
 *   keeps the EARLIER deadline (a later one never postpones it), as upstream's insert() does.
 * - When the clock reaches deadlines, `fire(key)` is called for each due key in deadline order (ties: the order in
 *   which the keys were first scheduled). One clock timer is armed, for the earliest deadline.
 * - A non-finite deadline (Infinity: a rate limiter that says "never") keeps the key waiting forever.
 * - `stop()` drops every waiting key and disarms the timer; later schedules are ignored.
 * The waiting room is independent of the queue: a key may wait here while it is also queued or being processed.
 */
import type { Clock, TimerHandle } from '../../base/clock';

interface Entry {
  readonly key: string;
  readonly readyAt: number;
  readonly seq: number;
}

export class DelayedAdds {
  /** The live deadline per waiting key. */
  private readonly waiting = new Map<string, Entry>();
  /** A binary min-heap on (readyAt, seq); entries no longer in `waiting` (superseded) are skipped lazily. */
  private readonly heap: Entry[] = [];
  private seq = 0;
  private timer: { handle: TimerHandle; at: number } | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (key: string) => void,
  ) {}

  /** How many keys are waiting. */
  size(): number {
    return this.waiting.size;
  }

  schedule(key: string, readyAt: number): void {
    if (this.stopped) return;
    const existing = this.waiting.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    const entry: Entry = { key, readyAt, seq: existing?.seq ?? ++this.seq };
    this.waiting.set(key, entry);
    if (Number.isFinite(readyAt)) this.push(entry);
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.waiting.clear();
    this.heap.length = 0;
    this.disarm();
  }

  /** Adds every due key, then re-arms the timer for the next deadline. */
  private run(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (;;) {
      const head = this.peekLive();
      if (!head || head.readyAt > now) break;
      this.pop();
      this.waiting.delete(head.key);
      this.fire(head.key);
      if (this.stopped) return;
    }
    this.arm();
  }

  private arm(): void {
    const head = this.peekLive();
    if (!head) return this.disarm();
    if (this.timer && this.timer.at <= head.readyAt) return;
    this.disarm();
    const handle = this.clock.setTimeout(() => this.run(), head.readyAt - this.clock.now());
    this.timer = { handle, at: head.readyAt };
  }

  private disarm(): void {
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  /** The earliest live entry, discarding superseded ones from the top of the heap. */
  private peekLive(): Entry | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.waiting.get(top.key) === top) return top;
      this.pop();
    }
    return undefined;
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && before(h[l]!, h[min]!)) min = l;
      if (r < h.length && before(h[r]!, h[min]!)) min = r;
      if (min === i) return;
      [h[i], h[min]] = [h[min]!, h[i]!];
      i = min;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
}
