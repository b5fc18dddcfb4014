/**
 * The kubelet's containerLogs endpoint (what the API server's pods/log reaches): picks the current or previous
 * instance of a container and reads its log from the runtime with the query's options (follow, tailLines,
 * timestamps, sinceSeconds, limitBytes). Errors are the kubelet's, as Kubernetes returns them (400 BadRequest).
 */
import { StatusError } from '../api/status';
import type { ContainerRuntime, ContainerStatus } from './runtime/runtime';

export interface LogSource {
  instance(name: string, previous: boolean): ContainerStatus | undefined;
  waitingOf(name: string): string | undefined;
}

function posInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw StatusError.badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

const truthy = (v: string | null) => v === 'true' || v === '1';

/** The kubelet's words for the common pending failures (validateContainerLogStatus); other reasons as they are. */
function waitingWords(reason: string): string {
  if (reason === 'ErrImagePull') return "image can't be pulled";
  if (reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  return reason;
}

export async function containerLogs(
  runtime: ContainerRuntime,
  src: LogSource | undefined,
  podName: string,
  container: string,
  q: URLSearchParams,
  nowMs: number,
  /** The container's status as the API has it: a container that ran before its node restarted lost its logs. */
  apiStatus?: { containerID?: string; state?: { running?: unknown; terminated?: unknown } },
): Promise<string | AsyncIterable<string>> {
  const previous = truthy(q.get('previous'));
  const inst = src?.instance(container, previous);
  if (!inst && !previous && apiStatus?.containerID && (apiStatus.state?.running || apiStatus.state?.terminated)) {
    throw StatusError.badRequest(`unable to retrieve container logs for ${apiStatus.containerID}: the logs of container "${container}" in pod "${podName}" did not survive the restart of its node`);
  }
  if (!inst) {
    if (previous) throw StatusError.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    const why = waitingWords(src?.waitingOf(container) ?? 'ContainerCreating');
    throw StatusError.badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${why}`);
  }
  const tail = posInt(q, 'tailLines');
  const since = posInt(q, 'sinceSeconds');
  const limit = posInt(q, 'limitBytes');
  const timestamps = truthy(q.get('timestamps'));
  const follow = truthy(q.get('follow')) && !previous;
  const sinceMs = since !== undefined ? nowMs - since * 1000 : q.get('sinceTime') ? Date.parse(q.get('sinceTime')!) : undefined;
  const keep = (line: string): boolean => {
    if (sinceMs === undefined) return true;
    const t = Date.parse(line.slice(0, line.indexOf(' ')));
    return !Number.isFinite(t) || t >= sinceMs;
  };
  // Lines are read with timestamps when a time filter needs them, and the stamp removed again if not asked for.
  const stamped = timestamps || sinceMs !== undefined;
  const strip = (line: string) => (timestamps || !stamped ? line : line.slice(line.indexOf(' ') + 1));
  if (!follow) {
    const text = await runtime.logs(inst.id, { tail: tail !== undefined && tail >= 0 ? tail : undefined, timestamps: stamped });
    let out = text.split(/(?<=\n)/).filter((l) => l && keep(l)).map(strip).join('');
    if (limit !== undefined && limit > 0) out = out.slice(0, limit);
    return out;
  }
  const it = await runtime.logs(inst.id, { tail: tail !== undefined && tail >= 0 ? tail : undefined, timestamps: stamped, follow: true });
  return (async function* () {
    let sent = 0;
    for await (const line of it) {
      if (!keep(line)) continue;
      const l = strip(line);
      if (limit !== undefined && limit > 0) {
        if (sent >= limit) return;
        const part = l.slice(0, limit - sent);
        sent += part.length;
        yield part;
      } else yield l;
    }
  })();
}
