/**
 * Waiting on the injected Clock: `clockSleep` resolves after `ms` of clock time, or at once (with false) when the
 * signal aborts; `nextBackoff` doubles a retry step up to a cap (the kubelet's 100 ms → 7 s registration and lease
 * backoffs). No real timers: with a FakeClock only `advance` moves these.
 */
import type { Clock } from '../../base/clock';

/** Resolves true after `ms` on `clock`, or false as soon as `signal` is aborted. */
export function clockSleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function nextBackoff(step: number, max: number): number {
  return Math.min(step * 2, max);
}
