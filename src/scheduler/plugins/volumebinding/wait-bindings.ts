/**
 * PreBind's wait for the PV controller (upstream wait.PollUntilContextTimeout(1s, bindTimeout) around
 * checkBindings): `check` runs every second on the clock and whenever the binder is notified of a PV/PVC change (the
 * waiter sits in `waiters` meanwhile). Resolves when `check` returns true; rejects with `binding volumes: <error>`
 * when it throws, or `binding volumes: context deadline exceeded` after `timeoutMs`. Leaves no timers behind.
 */
import type { Clock, TimerHandle } from '../../../base/clock';

export function waitForBindings(clock: Clock, waiters: Set<() => void>, timeoutMs: number, check: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let tick: TimerHandle | undefined;
    const finish = (err?: Error) => {
      waiters.delete(run);
      if (tick) clock.clearTimeout(tick);
      clock.clearTimeout(deadline);
      if (err) reject(new Error(`binding volumes: ${err.message}`));
      else resolve();
    };
    const run = () => {
      let ok: boolean;
      try {
        ok = check();
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (ok) finish();
    };
    const schedule = () => {
      tick = clock.setTimeout(() => {
        run();
        if (waiters.has(run)) schedule();
      }, 1000);
    };
    const deadline = clock.setTimeout(() => finish(new Error('context deadline exceeded')), timeoutMs);
    waiters.add(run);
    schedule();
  });
}
