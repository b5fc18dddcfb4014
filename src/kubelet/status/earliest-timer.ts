/**
 * EarliestTimer: one Clock timer standing for many due times (per-pod retry deadlines). schedule(at) keeps only the
 * earliest pending deadline; when it falls due the callback runs once (and may schedule the next deadline);
 * cancel() drops it. Never fires after cancel().
 */
import type { Clock, TimerHandle } from '../../base/clock';

export class EarliestTimer {
  private handle: TimerHandle | undefined;
  private at = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  schedule(at: number): void {
    if (at >= this.at) return;
    this.cancel();
    this.at = at;
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      this.at = Infinity;
      this.fire();
    }, Math.max(0, at - this.clock.now()));
  }

  cancel(): void {
    if (this.handle) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.at = Infinity;
  }
}
