/**
 * Cancellable waits on an injected Clock, the pieces of apimachinery's `wait` package the elector uses:
 * `sleep` resolves true after `ms` of clock time, false as soon as any of the signals is aborted (calling `onWake`
 * synchronously either way); `raceSignals`
 * resolves to the promise's value, or to `undefined` when a signal is aborted first (the promise is abandoned, its
 * later rejection swallowed); `jitter` is wait.Jitter (a duration plus up to maxFactor times itself).
 */
import type { Clock } from '../../base/clock';

export function sleep(clock: Clock, ms: number, signals: readonly AbortSignal[], onWake?: () => void): Promise<boolean> {
  if (signals.some((s) => s.aborted)) {
    onWake?.();
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clock.clearTimeout(timer);
      onWake?.();
      for (const s of signals) s.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = () => done(false);
    const timer = clock.setTimeout(() => done(true), ms);
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  });
}

export function raceSignals<T>(p: Promise<T>, signals: readonly AbortSignal[]): Promise<T | undefined> {
  if (signals.some((s) => s.aborted)) {
    p.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const cleanup = () => {
      for (const s of signals) s.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      resolve(undefined);
    };
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e: unknown) => {
        cleanup();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** wait.Jitter: `ms + random() * maxFactor * ms` (maxFactor <= 0 means 1). */
export function jitter(ms: number, maxFactor: number, random: () => number = Math.random): number {
  return ms + random() * (maxFactor > 0 ? maxFactor : 1) * ms;
}
