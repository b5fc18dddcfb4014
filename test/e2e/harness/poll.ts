/** Polling for the e2e harness and the extension host suites (no playwright, no vscode). */
/** Polls `fn` until it returns a truthy value or `timeoutMs` pass; throws with `what` and the last value. */
export async function poll<T>(fn: () => Promise<T>, what: string, timeoutMs: number, intervalMs = 500): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
