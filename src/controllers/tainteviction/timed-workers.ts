/**
 * TimedWorkers (upstream tainteviction TimedWorkerQueue) on an injected clock: at most one piece of work per key
 * (`namespace/name` of a pod), to run at `fireAt`. Adding work for a key that already has some is ignored (the
 * earlier eviction stands, as upstream). When the timer fires, `onFire(key)` is called and the key counts as firing
 * until `finished(key)`; cancelling a key stops its timer but not work that has already fired. Work whose delay
 * (`fireAt - createdAt`, as upstream measures it) is not positive fires at once and cannot be cancelled (upstream's
 * nil worker): `cancel` then reports false.
 */
import type { Clock, TimerHandle } from '../../base/clock';

export interface TimedWork {
  readonly createdAt: number;
  readonly fireAt: number;
}

interface Entry extends TimedWork {
  timer?: TimerHandle;
}

export class TimedWorkers {
  private readonly entries = new Map<string, Entry>();
  private readonly firing = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly onFire: (key: string) => void,
  ) {}

  /** Schedules work for `key` at `fireAt` unless `key` already has work. */
  addWork(key: string, createdAt: number, fireAt: number): void {
    if (this.entries.has(key)) return;
    const entry: Entry = { createdAt, fireAt };
    this.entries.set(key, entry);
    const delay = fireAt - createdAt;
    if (delay <= 0) {
      this.fire(key);
      return;
    }
    entry.timer = this.clock.setTimeout(() => {
      if (this.entries.get(key) === entry) this.fire(key);
    }, delay);
  }

  /** Drops the work of `key`; true when it had a timer (upstream emits the cancel event only then). */
  cancel(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    if (entry.timer === undefined) return false;
    this.clock.clearTimeout(entry.timer);
    return true;
  }

  get(key: string): TimedWork | undefined {
    return this.entries.get(key);
  }

  /** True between the firing of `key`'s work and `finished(key)`. */
  isFiring(key: string): boolean {
    return this.firing.has(key);
  }

  /** The fired work of `key` is done: forget it (upstream removes the worker once its function returns). */
  finished(key: string): void {
    this.firing.delete(key);
    this.entries.delete(key);
  }

  size(): number {
    return this.entries.size;
  }

  stop(): void {
    for (const e of this.entries.values()) if (e.timer !== undefined) this.clock.clearTimeout(e.timer);
    this.entries.clear();
    this.firing.clear();
  }

  private fire(key: string): void {
    this.firing.add(key);
    this.onFire(key);
  }
}
