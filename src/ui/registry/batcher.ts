/**
 * ChangeBatcher: collects watch events and hands them on in batches, at most one batch per `intervalMs` of the
 * injected Clock, so 1,000 updates/s reach the tree (and the TreeView refresh) as ≤ 10 batches/s (intervalMs 100).
 *
 * Contract:
 * - `push(item)` / `pushAll(items)` queue items. When nothing is scheduled, a flush is scheduled for the moment
 *   `intervalMs` after the previous flush (at once — a 0 ms timer, never synchronously inside push — when that moment
 *   has passed). Two flushes are therefore always ≥ intervalMs apart, and an isolated event waits ≤ intervalMs.
 * - A flush hands every queued item, in push order, to `flush` (never with an empty batch). With `keyOf`, items with
 *   the same key are coalesced: the batch keeps the latest item per key, at the position of the key's first item
 *   since the last flush (right for registry watch events: the latest event decides a key's state).
 * - Items pushed while `flush` runs go into the next batch. A throwing `flush` goes to `onError` (rethrown when no
 *   onError is given); batching continues either way.
 * - `flushNow()` flushes at once (counts as a flush for the interval); `dispose()` drops queued items and the timer;
 *   later pushes are ignored.
 */
import type { Clock, TimerHandle } from '../../base/clock';
import type { RegistryEvent } from './registry-nodes';

/** Default interval: ≤ 10 refreshes per second. */
export const DEFAULT_BATCH_INTERVAL_MS = 100;

export interface ChangeBatcherOptions<T> {
  clock: Clock;
  /** Minimum time between two flushes, in ms (default 100). */
  intervalMs?: number;
  flush: (items: T[]) => void;
  /** Coalesce items with the same key (the latest wins). */
  keyOf?: (item: T) => string;
  onError?: (err: unknown) => void;
}

/** keyOf for registry watch events: the key. */
export function registryEventKey(e: RegistryEvent): string {
  return e.kv.key;
}

export class ChangeBatcher<T> {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private list: T[] = [];
  private byKey = new Map<string, T>();
  private timer: TimerHandle | undefined;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(private readonly options: ChangeBatcherOptions<T>) {
    this.clock = options.clock;
    this.intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS);
  }

  /** Number of items waiting for the next flush (after coalescing). */
  get pending(): number {
    return this.options.keyOf ? this.byKey.size : this.list.length;
  }

  push(item: T): void {
    if (this.disposed) return;
    if (this.options.keyOf) this.byKey.set(this.options.keyOf(item), item);
    else this.list.push(item);
    this.schedule();
  }

  pushAll(items: Iterable<T>): void {
    for (const item of items) this.push(item);
  }

  flushNow(): void {
    if (this.timer) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.disposed || this.pending === 0) return;
    const batch = this.options.keyOf ? [...this.byKey.values()] : this.list;
    this.list = [];
    this.byKey = new Map();
    this.lastFlush = this.clock.now();
    try {
      this.options.flush(batch);
    } catch (err) {
      if (!this.options.onError) throw err;
      this.options.onError(err);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.list = [];
    this.byKey = new Map();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, wait);
  }
}
