/** Time is injected so tests can fake it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly __timer: true;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t as unknown as TimerHandle;
  },
  clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

/** A manual clock for tests: time moves only when advance() is called; due timers run in order. */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return { __timer: true, id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete((handle as unknown as { id: number }).id);
  }

  /** Move time forward by ms, running every timer that falls due, in due order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
    }
    this.time = target;
  }

  pendingTimers(): number {
    return this.timers.size;
  }
}

/**
 * The delay from `now` until the first multiple of `tickMs` (since the epoch) at or after `now + delayMs`: periodic
 * loops of many simulated machines sharing one process (the kubelets' heartbeats) then fire on common ticks, so
 * their writes arrive together and share the store's commits. tickMs ≤ 0 (or not finite) leaves the delay as is.
 */
export function tickAlignedDelay(now: number, delayMs: number, tickMs: number | undefined): number {
  if (!tickMs || !(tickMs > 0) || !Number.isFinite(tickMs)) return delayMs;
  return Math.ceil((now + delayMs) / tickMs) * tickMs - now;
}
