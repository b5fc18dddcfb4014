/**
 * A container's preStop hook (upstream kubelet lifecycle handlers): exec (through the runtime's exec, when it has
 * one), httpGet (through its probeHttp), or sleep; bounded by the grace period. Returns true when the hook failed.
 */
import type { Clock } from '../../base/clock';
import type { ContainerRuntime } from '../runtime/runtime';

type Obj = Record<string, unknown>;

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((r) => clock.setTimeout(r, ms));
}

export async function runPreStop(runtime: ContainerRuntime, clock: Clock, containerId: string, hook: Obj, graceMs: number): Promise<boolean> {
  const run = async (): Promise<boolean> => {
    if (hook.exec) {
      const argv = ((hook.exec as Obj).command as string[] | undefined) ?? [];
      if (!runtime.exec) return false;
      const r = await runtime.exec(containerId, argv, graceMs);
      return r.exitCode !== 0;
    }
    if (hook.httpGet) {
      const h = hook.httpGet as { path?: string; port?: number | string };
      if (!runtime.probeHttp || typeof h.port !== 'number') return false;
      const code = await runtime.probeHttp(containerId, h.port, h.path ?? '/');
      return code < 200 || code >= 400;
    }
    if (hook.sleep) {
      const s = Number((hook.sleep as Obj).seconds ?? 0);
      await sleep(clock, Math.min(graceMs, Math.max(0, s) * 1000));
    }
    return false;
  };
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = clock.setTimeout(() => r(false), graceMs);
  });
  try {
    return await Promise.race([run().catch(() => true), timeout]);
  } finally {
    if (timer) clock.clearTimeout(timer);
  }
}
