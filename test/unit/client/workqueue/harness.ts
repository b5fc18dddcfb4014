/** Test helpers for the work queue: observe whether a promise has settled without awaiting it forever. */

/** Let every pending promise callback run (a macrotask turn drains the microtask queue). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface Tracked<T> {
  readonly settled: boolean;
  readonly value: T | undefined;
}

/** Records the promise's outcome as it happens; read `settled` / `value` after `await flush()`. */
export function track<T>(p: Promise<T>): Tracked<T> {
  const t = { settled: false, value: undefined as T | undefined };
  void p.then((v) => {
    t.settled = true;
    t.value = v;
  });
  return t;
}
