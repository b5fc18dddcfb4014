/**
 * Periodic work on an injected clock (upstream wait.Until for the queue's flush loops): `every(ms, fn)` runs fn each
 * `ms` after the previous run is due, until `stop()`. With a FakeClock the runs happen inside `advance()`.
 */
import type { Clock, TimerHandle } from '../../base/clock';

export class Periodic {
  private readonly timers = new Map<number, TimerHandle>();
  private seq = 0;
  private stopped = false;

  constructor(private readonly clock: Clock) {}

  every(ms: number, fn: () => void): void {
    const id = ++this.seq;
    const tick = () => {
      if (this.stopped) return;
      this.timers.set(id, this.clock.setTimeout(tick, ms));
      fn();
    };
    this.timers.set(id, this.clock.setTimeout(tick, ms));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
  }
}
