/**
 * Container logs over a Transport. `readLogs` is one GET of pods/<name>/log (the text kubectl logs prints).
 * `followLogs` cannot stream: Transport.request answers only once the response is complete, and watch() turns a GET
 * into verb "watch", which pods/log does not serve. So it polls: the first read takes `tailLines` with timestamps,
 * every later one asks `sinceTime=<last line's time>&timestamps=true` and drops the lines already yielded at that
 * time (sinceTime is inclusive), stripping the timestamps again. It ends when the container has terminated and a
 * final read brings nothing new, when the pod is gone, or when `signal` aborts. Lines are yielded without "\n".
 */
import { systemClock, type Clock } from '../../base/clock';
import type { Transport } from '../../client/transport';
import { ApiCallError, call, objectPath, resourceFor } from './rest';

export interface LogOptions {
  tailLines?: number;
  previous?: boolean;
}

export interface FollowOptions extends LogOptions {
  clock?: Clock;
  /** Poll interval (default 1 s). */
  pollMs?: number;
  signal?: AbortSignal;
}

export async function readLogs(t: Transport, namespace: string, pod: string, container: string | undefined, o: LogOptions = {}): Promise<string> {
  const query: Record<string, string | number | boolean | undefined> = { container, tailLines: o.tailLines, previous: o.previous || undefined };
  const body = await call(t, { method: 'GET', path: objectPath(resourceFor('Pod'), namespace, pod, 'log'), query, accept: 'text/plain' });
  return typeof body === 'string' ? body : '';
}

interface PodState {
  spec?: { containers?: { name?: string }[] };
  status?: { phase?: string; containerStatuses?: { name?: string; state?: { terminated?: unknown } }[]; initContainerStatuses?: { name?: string; state?: { terminated?: unknown } }[] };
}

export async function* followLogs(t: Transport, namespace: string, pod: string, container: string | undefined, o: FollowOptions = {}): AsyncGenerator<string, void, void> {
  const clock = o.clock ?? systemClock;
  const path = objectPath(resourceFor('Pod'), namespace, pod, 'log');
  let lastTs: string | undefined;
  let seenAtLast = 0;
  let first = true;
  for (;;) {
    if (o.signal?.aborted) return;
    const query: Record<string, string | number | boolean | undefined> = { container, timestamps: true };
    if (first && o.tailLines !== undefined) query.tailLines = o.tailLines;
    if (lastTs) query.sinceTime = lastTs;
    let text: string;
    try {
      const body = await call(t, { method: 'GET', path, query, accept: 'text/plain' });
      text = typeof body === 'string' ? body : '';
    } catch (e) {
      if (e instanceof ApiCallError && e.code === 404) return;
      throw e;
    }
    first = false;
    let fresh = 0;
    let skip = seenAtLast;
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      const sp = raw.indexOf(' ');
      const ts = sp > 0 ? raw.slice(0, sp) : '';
      if (ts === lastTs && skip > 0) {
        skip--;
        continue;
      }
      if (ts === lastTs) seenAtLast++;
      else {
        lastTs = ts;
        seenAtLast = 1;
        skip = 0;
      }
      fresh++;
      yield sp > 0 ? raw.slice(sp + 1) : raw;
    }
    if (fresh === 0 && (await finished(t, namespace, pod, container))) return;
    if (o.signal?.aborted) return;
    await new Promise<void>((resolve) => clock.setTimeout(resolve, o.pollMs ?? 1000));
  }
}

async function finished(t: Transport, namespace: string, pod: string, container: string | undefined): Promise<boolean> {
  try {
    const p = (await call(t, { method: 'GET', path: objectPath(resourceFor('Pod'), namespace, pod) })) as PodState;
    const name = container ?? p.spec?.containers?.[0]?.name;
    const st = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((s) => s.name === name);
    return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || st?.state?.terminated !== undefined;
  } catch (e) {
    if (e instanceof ApiCallError && e.code === 404) return true;
    throw e;
  }
}
