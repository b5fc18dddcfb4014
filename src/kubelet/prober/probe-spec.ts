/**
 * A container's probes as the prober reads them from the API pod: the three probe types, their action (exec,
 * httpGet, tcpSocket, grpc) and their timing with upstream's defaults (periodSeconds 10, timeoutSeconds 1,
 * successThreshold 1, failureThreshold 3, initialDelaySeconds 0; a value ≤ 0 counts as unset, as API defaulting
 * does). Also the helpers the probe actions share with upstream: container port resolution by number or name
 * (pkg/probe ResolveContainerPort, same errors) and the static $(VAR) expansion of exec commands
 * (ExpandContainerCommandOnlyStatic).
 */

export type ProbeType = 'startup' | 'liveness' | 'readiness';

/** Upstream's probeType.String(), as events say it ("Liveness probe failed: …"). */
export const probeTypeName = (t: ProbeType): string => t[0].toUpperCase() + t.slice(1);

export type IntOrString = number | string;

export type ProbeAction =
  | { type: 'exec'; command: string[] }
  | { type: 'httpGet'; scheme: 'http' | 'https'; host?: string; path: string; port: IntOrString; headers: { name: string; value: string }[] }
  | { type: 'tcpSocket'; host?: string; port: IntOrString }
  | { type: 'grpc'; port: number; service?: string }
  | { type: 'none' };

export interface ProbeSpec {
  type: ProbeType;
  action: ProbeAction;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The parts of an API container the prober reads. */
export interface ContainerLike {
  name: string;
  ports?: { name?: string; containerPort?: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  restartPolicy?: string;
  startupProbe?: unknown;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const posInt = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : dflt);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const port = (v: unknown): IntOrString => (typeof v === 'number' || typeof v === 'string' ? v : -1);

const FIELD: Record<ProbeType, keyof ContainerLike> = { startup: 'startupProbe', liveness: 'livenessProbe', readiness: 'readinessProbe' };

function actionOf(p: Obj): ProbeAction {
  if (isObj(p.exec)) {
    const command = Array.isArray(p.exec.command) ? p.exec.command.map(String) : [];
    return { type: 'exec', command };
  }
  if (isObj(p.httpGet)) {
    const h = p.httpGet;
    const headers = Array.isArray(h.httpHeaders) ? h.httpHeaders.filter(isObj).map((x) => ({ name: String(x.name ?? ''), value: String(x.value ?? '') })) : [];
    const scheme = String(h.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http';
    return { type: 'httpGet', scheme, host: str(h.host), path: typeof h.path === 'string' && h.path !== '' ? h.path : '/', port: port(h.port), headers };
  }
  if (isObj(p.tcpSocket)) return { type: 'tcpSocket', host: str(p.tcpSocket.host), port: port(p.tcpSocket.port) };
  if (isObj(p.grpc)) return { type: 'grpc', port: typeof p.grpc.port === 'number' ? p.grpc.port : -1, service: typeof p.grpc.service === 'string' ? p.grpc.service : undefined };
  return { type: 'none' };
}

/** The container's probe of `type` with defaults applied, or undefined when it has none. */
export function probeSpecOf(container: ContainerLike, type: ProbeType): ProbeSpec | undefined {
  const p = container[FIELD[type]];
  if (!isObj(p)) return undefined;
  return {
    type,
    action: actionOf(p),
    initialDelaySeconds: typeof p.initialDelaySeconds === 'number' && p.initialDelaySeconds > 0 ? Math.floor(p.initialDelaySeconds) : 0,
    periodSeconds: posInt(p.periodSeconds, 10),
    timeoutSeconds: posInt(p.timeoutSeconds, 1),
    successThreshold: posInt(p.successThreshold, 1),
    failureThreshold: posInt(p.failureThreshold, 3),
  };
}

/**
 * A probe's port as a number: an int as is; a name looked up among the container's ports, else parsed as a number
 * (upstream's "last ditch effort"). Errors are upstream's: `strconv.Atoi: parsing "web": invalid syntax`,
 * `invalid port number: 70000`.
 */
export function resolveContainerPort(param: IntOrString, container: ContainerLike): number | Error {
  let n: number;
  if (typeof param === 'number') n = param;
  else {
    const named = container.ports?.find((p) => p.name === param);
    if (named) n = named.containerPort ?? 0;
    else if (/^[+-]?\d+$/.test(param)) n = Number(param);
    else return new Error(`strconv.Atoi: parsing ${JSON.stringify(param)}: invalid syntax`);
  }
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : new Error(`invalid port number: ${n}`);
}

/**
 * Kubernetes' $(VAR) expansion with only the container's literal env values (valueFrom is not resolved): $(NAME)
 * becomes its value when defined and stays as written otherwise; $$ is a literal $.
 */
export function expandCommand(command: string[], env: ContainerLike['env']): string[] {
  const values = new Map<string, string>();
  for (const e of env ?? []) if (e.valueFrom === undefined) values.set(e.name, e.value ?? '');
  return command.map((arg) =>
    arg.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => {
      if (m === '$$') return '$';
      return name !== undefined && values.has(name) ? values.get(name)! : m;
    }),
  );
}
