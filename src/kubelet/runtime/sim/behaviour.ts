/**
 * How a simulated container behaves, read from its spec alone — no annotations, only conventions a manifest can
 * state through env:
 * - KUBELAB_SIM_MEMORY=<quantity>: the memory the program uses; above resources.limits.memory it is OOMKilled at
 *   start (exit 137, reason OOMKilled).
 * - KUBELAB_SIM_ON_SIGTERM=exit|ignore and KUBELAB_SIM_STOP_DELAY=<duration>: whether SIGTERM ends the program (with
 *   code 0, after the delay; default 100ms) or is ignored so it is killed at the grace period (137). Default: HTTP
 *   servers and applications exit; interpreted commands (sh, sleep, …) ignore it, as PID 1 without a handler does.
 * - KUBELAB_SIM_HTTP_STATUS=<code>: what an HTTP server container answers to every path.
 * The sim speaks no gRPC: a gRPC health check (grpc probe) is answered SERVING on every port the container listens on.
 * An image whose name (last path component) is like *http* or *nginx* with no command (or a command naming nginx/httpd) is an HTTP server:
 * it listens on port 80 and on every declared containerPort; nginx/httpd answer 200 on / and /index.html, 404
 * elsewhere; other *http* images answer 200 everywhere. Any other application the sim cannot interpret (no command,
 * or a command that is neither a shell nor a known utility) listens on its declared containerPorts and answers 200.
 * Interpreted commands (sh -c …, sleep, echo …) listen nowhere.
 */
import { compareQuantities, tryParseQuantity } from '../../../api/quantity';
import type { ContainerSpec } from '../runtime';
import { isShell } from './shell-run';
import { isKnownCommand, parseSleep } from './shell-utils';

export interface Behaviour {
  argv: string[];
  httpServer: boolean;
  /** Whether it listens at all (an HTTP server or an uninterpreted application). */
  listens: boolean;
  /** Port numbers it listens on (HTTP on each). */
  ports: Set<number>;
  /** Fixed status for every path, when KUBELAB_SIM_HTTP_STATUS is set. */
  httpStatus?: number;
  /** nginx/httpd serve only / and /index.html. */
  staticSite: boolean;
  oom: boolean;
  sigterm: 'exit' | 'ignore';
  stopDelayMs: number;
}

const SERVER_IMAGE = /http|nginx/i;
const SERVER_BINARY = /^(nginx|httpd|http-server|apache2|caddy)$/;
export const DEFAULT_STOP_DELAY_MS = 100;

/** The image's last path component without tag or digest: "quay.io/team/http-echo:1@sha256:…" → "http-echo". */
const imageName = (image: string): string => {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).slice(slash + 1);
};

export function behaviourOf(spec: ContainerSpec): Behaviour {
  const env = new Map((spec.env ?? []).map((e) => [e.name, e.value]));
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
  const name = imageName(spec.image);
  const binary = argv[0] ? argv[0].slice(argv[0].lastIndexOf('/') + 1) : '';
  const httpServer = SERVER_IMAGE.test(name) && (!spec.command?.length || SERVER_BINARY.test(binary));
  const interpreted = argv.length > 0 && !httpServer && (isShell(argv[0]) || isKnownCommand(argv[0]));
  const listens = !interpreted;
  const declared = (spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
  const ports = new Set<number>(httpServer ? [80, ...declared] : listens ? declared : []);
  const statusEnv = env.get('KUBELAB_SIM_HTTP_STATUS');
  const httpStatus = statusEnv && /^\d{3}$/.test(statusEnv) ? Number(statusEnv) : undefined;
  const staticSite = name === 'nginx' || name === 'httpd';

  const usage = tryParseQuantity(env.get('KUBELAB_SIM_MEMORY'));
  const limit = tryParseQuantity(spec.resources?.limits?.memory);
  const oom = !!usage && !!limit && compareQuantities(usage, limit) > 0;

  const onTerm = env.get('KUBELAB_SIM_ON_SIGTERM');
  const sigterm = onTerm === 'exit' || onTerm === 'ignore' ? onTerm : interpreted ? 'ignore' : 'exit';
  const delay = env.get('KUBELAB_SIM_STOP_DELAY');
  const parsedDelay = delay === undefined ? DEFAULT_STOP_DELAY_MS : parseSleep([delay]);
  const stopDelayMs = typeof parsedDelay === 'number' && Number.isFinite(parsedDelay) ? parsedDelay : DEFAULT_STOP_DELAY_MS;
  return { argv, httpServer, listens, ports, httpStatus, staticSite, oom, sigterm, stopDelayMs };
}

/** The status code an HTTP server container answers for `path`. */
export function httpAnswer(b: Behaviour, path: string): number {
  if (b.httpStatus !== undefined) return b.httpStatus;
  if (!b.httpServer || !b.staticSite) return 200;
  const p = path.split('?')[0];
  return p === '' || p === '/' || p === '/index.html' ? 200 : 404;
}
