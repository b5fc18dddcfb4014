/**
 * Helpers for driving @kubernetes/client-node 1.4.0 against a test cluster: load the cluster's kubeconfig, turn a
 * rejected call into its HTTP code and Status body (ApiException.body is the raw JSON text), collect watch events,
 * and read the first event of a watch.
 */
import { ApiException, KubeConfig, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { withTimeout } from './wait';

export interface Status {
  kind: string;
  apiVersion: string;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export function loadKubeConfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/** Awaits a call that must fail with an ApiException; returns its code and parsed Status body. */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; status: Status }> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    const raw: unknown = e.body;
    const status = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Status;
    return { code: e.code, status };
  }
  throw new Error('the call succeeded but an ApiException was expected');
}

export interface SeenEvent {
  type: string;
  object: KubernetesObject & { code?: number; reason?: string; message?: string };
}

/** Opens a watch and records its events; `stop()` aborts it. `ended` resolves with the done() error (or null). */
export async function recordWatch(kc: KubeConfig, path: string, query: Record<string, string>): Promise<{ events: SeenEvent[]; ended: Promise<unknown>; stop(): void }> {
  const events: SeenEvent[] = [];
  let endedResolve!: (e: unknown) => void;
  const ended = new Promise<unknown>((r) => (endedResolve = r));
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type: string, object: SeenEvent['object']) => {
      events.push({ type, object });
    },
    (err: unknown) => endedResolve(err ?? null),
  );
  return { events, ended, stop: () => controller.abort() };
}

/** The first event of a watch (then the watch is aborted). */
export async function firstWatchEvent(kc: KubeConfig, path: string, query: Record<string, string>, timeoutMs = 5000): Promise<SeenEvent> {
  const w = await recordWatch(kc, path, query);
  try {
    await withTimeout(
      new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          if (w.events.length) {
            clearInterval(tick);
            resolve();
          }
        }, 5);
        void w.ended.then(() => {
          clearInterval(tick);
          resolve();
        });
      }),
      timeoutMs,
      `the first event of the watch on ${path}`,
    );
    if (!w.events.length) throw new Error(`the watch on ${path} ended without an event`);
    return w.events[0];
  } finally {
    w.stop();
  }
}
