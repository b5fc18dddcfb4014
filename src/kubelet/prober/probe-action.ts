/**
 * One attempt of a probe's action through the ContainerRuntime (upstream pkg/probe/{exec,http,tcp,grpc} plus the
 * prober actions of pkg/kubelet/prober/prober.go), with upstream's result kinds and output wording:
 * - exec: runtime.exec; exit 0 success, else failure with the command's output (first 10 KiB); a timeout is a
 *   failure `command "…" timed out`; runtime errors (not running, no exec support) are errors (result unknown).
 * - httpGet: runtime.probeHttp on the resolved port; 200–299 success, 300–399 a warning ("Probe terminated
 *   redirects"), else `HTTP probe failed with statuscode: N`; refused and timeouts are failures worded as Go's
 *   client (`Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused`).
 *   httpHeaders are not passed: the runtime interface carries none.
 * - tcpSocket: runtime.probeTcp; `dial tcp HOST:PORT: connect: connection refused` / `… i/o timeout`.
 * - grpc: the sim has no gRPC; its health service answers SERVING when the container listens on the port
 *   (runtime.probeTcp), else the dial blocks until the timeout, as upstream's blocking dial does.
 * Every wait is on the injected Clock and bounded by timeoutSeconds; an aborted signal ends the wait at once.
 */
import type { Clock } from '../../base/clock';
import { isRuntimeError } from '../runtime/errors';
import type { ContainerRuntime } from '../runtime/runtime';
import { expandCommand, resolveContainerPort, type ContainerLike, type ProbeSpec } from './probe-spec';

export type ActionResultKind = 'success' | 'warning' | 'failure' | 'unknown';

export interface ActionResult {
  result: ActionResultKind;
  output: string;
  /** Set when the probe could not be run at all (upstream's err); the result is then unknown. */
  error?: Error;
}

export interface ActionTarget {
  spec: ProbeSpec;
  container: ContainerLike;
  containerId: string;
  /** The pod's IP (may be empty when unknown). */
  podIP: string;
  /** For upstream's "missing probe handler for <pod>:<container>". */
  podDescription: string;
}

/** Upstream's exec probe output limit (maxReadLength). */
export const MAX_EXEC_OUTPUT = 10 * 1024;

const TIMEOUT = Symbol('timeout');

const success = (output = ''): ActionResult => ({ result: 'success', output });
const failure = (output: string): ActionResult => ({ result: 'failure', output });
const unknown = (error: Error): ActionResult => ({ result: 'unknown', output: '', error });

/** Go's %q for plain text (close enough: JSON string escaping). */
export const goQuote = (s: string): string => JSON.stringify(s);

/** Go's time.Duration String() for whole seconds: 1s, 1m30s, 1h0m0s. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h${m}m${s}s`;
  return m ? `${m}m${s}s` : `${s}s`;
}

/** net.JoinHostPort. */
const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The URL Go's client prints: a path without a leading slash gets one. */
export const probeUrl = (scheme: string, host: string, port: number, path: string): string =>
  `${scheme}://${hostPort(host, port)}${path === '' || path.startsWith('/') ? path : `/${path}`}`;

/** Settle with `p`, or TIMEOUT after `ms` on the clock or at once when `signal` aborts. Never leaves a timer behind. */
function within<T>(clock: Clock, p: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | typeof TIMEOUT> {
  if (signal?.aborted) return Promise.resolve(TIMEOUT);
  return new Promise((resolve, reject) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      resolve(TIMEOUT);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(TIMEOUT);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e);
      },
    );
  });
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export async function runAction(runtime: ContainerRuntime, clock: Clock, t: ActionTarget, signal?: AbortSignal): Promise<ActionResult> {
  const { spec, container } = t;
  const a = spec.action;
  const timeoutMs = spec.timeoutSeconds * 1000;
  try {
    switch (a.type) {
      case 'exec': {
        if (!runtime.exec) return unknown(new Error('exec probes are not supported by this container runtime'));
        const argv = expandCommand(a.command, container.env);
        const timedOut = failure(`command ${goQuote(argv.join(' '))} timed out`);
        let r: Awaited<ReturnType<NonNullable<ContainerRuntime['exec']>>> | typeof TIMEOUT;
        try {
          r = await within(clock, runtime.exec(t.containerId, argv, timeoutMs), timeoutMs, signal);
        } catch (e) {
          if (isRuntimeError(e, 'DeadlineExceeded')) return timedOut;
          throw e;
        }
        if (r === TIMEOUT) return timedOut;
        const output = r.output.slice(0, MAX_EXEC_OUTPUT);
        return r.exitCode === 0 ? success(output) : failure(output);
      }
      case 'httpGet': {
        if (!runtime.probeHttp) return unknown(new Error('httpGet probes are not supported by this container runtime'));
        const port = resolveContainerPort(a.port, container);
        if (port instanceof Error) return unknown(port);
        const host = a.host ?? t.podIP;
        const url = probeUrl(a.scheme, host, port, a.path);
        const path = a.path.startsWith('/') ? a.path : `/${a.path}`;
        let code: number | typeof TIMEOUT;
        try {
          code = await within(clock, runtime.probeHttp(t.containerId, port, path), timeoutMs, signal);
        } catch (e) {
          const refused = isRuntimeError(e, 'ConnectionRefused') || isRuntimeError(e, 'NotFound');
          return failure(`Get ${goQuote(url)}: ${refused ? `dial tcp ${hostPort(host, port)}: connect: connection refused` : asError(e).message}`);
        }
        if (code === TIMEOUT) return failure(`Get ${goQuote(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
        if (code >= 200 && code < 300) return success();
        if (code >= 300 && code < 400) return { result: 'warning', output: 'Probe terminated redirects, Response body: ' };
        return failure(`HTTP probe failed with statuscode: ${code}`);
      }
      case 'tcpSocket': {
        if (!runtime.probeTcp) return unknown(new Error('tcpSocket probes are not supported by this container runtime'));
        const port = resolveContainerPort(a.port, container);
        if (port instanceof Error) return unknown(port);
        const addr = hostPort(a.host ?? t.podIP, port);
        let r: void | typeof TIMEOUT;
        try {
          r = await within(clock, runtime.probeTcp(t.containerId, port), timeoutMs, signal);
        } catch {
          return failure(`dial tcp ${addr}: connect: connection refused`);
        }
        return r === TIMEOUT ? failure(`dial tcp ${addr}: i/o timeout`) : success();
      }
      case 'grpc': {
        if (!runtime.probeTcp) return unknown(new Error('grpc probes are not supported by this container runtime'));
        const addr = hostPort(t.podIP, a.port);
        // a blocking dial: nothing listening means waiting until the deadline
        const serving = runtime.probeTcp(t.containerId, a.port).then(
          () => true,
          () => new Promise<boolean>(() => undefined),
        );
        const r = await within(clock, serving, timeoutMs, signal);
        if (r === TIMEOUT) return failure(`timeout: failed to connect service ${goQuote(addr)} within ${goDuration(spec.timeoutSeconds)}: context deadline exceeded`);
        return success('service healthy');
      }
      case 'none':
        return unknown(new Error(`missing probe handler for ${t.podDescription}:${container.name}`));
    }
  } catch (e) {
    return unknown(asError(e));
  }
}
