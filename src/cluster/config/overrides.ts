/**
 * Changes to a resolved ClusterConfig after loading: command-line overrides (`--nodes N` keeps the first N workers
 * and adds new ones from the worker template, `--port`, `--time-scale`), adding and removing a worker at runtime
 * (`node add`, `node remove`), and the warnings a config deserves (nodes with runtime `process`). Every function
 * returns a new config and leaves its argument alone; bad input throws ClusterConfigError naming the flag or field.
 * A new node takes the lowest free position, so nodes that stay keep their internal IP and pod CIDR. An automatic
 * pod CIDR (none given) follows the node count; `node add` widens it only while its base stays (up to 1024 nodes).
 */
import { freeWorkerNames, nextWorkerName, placeNode } from './defaults';
import { addressingProblems, defaultPodCidrFor, formatCidr, MAX_NODE_ADDRESSES, nodeCapacityOf, nodeNetwork, nodePodCidr, parseCidr, parseIPv4, type Cidr } from './network';
import { PROXY_MODES, type ProxyModeSetting } from './networking';
import { nodeNameProblems, readCapacity } from './node-fields';
import { Reader, problemText } from './reader';
import { ClusterConfigError, MAX_TIME_SCALE, MAX_WORKERS, type ClusterConfig, type ResolvedNode } from './types';

export interface CliOverrides {
  /** Number of workers (the control plane is not counted). */
  nodes?: number;
  port?: number;
  timeScale?: number;
  proxyMode?: string;
  dnsPort?: number;
  ingressPort?: number;
}

/** At most this many `node X runs …` lines; the rest are counted in one more. */
const WARN_LIST_MAX = 10;

export function configWarnings(cfg: ClusterConfig): string[] {
  const proc = cfg.nodes.filter((n) => n.runtime === 'process').map((n) => n.name);
  const out = proc.slice(0, WARN_LIST_MAX).map((n) => `node ${n} runs containers as real local processes (runtime: process)`);
  if (proc.length > WARN_LIST_MAX) out.push(`${proc.length - WARN_LIST_MAX} more nodes run containers as real local processes (runtime: process)`);
  return out;
}

function clone(cfg: ClusterConfig): ClusterConfig {
  return structuredClone(cfg);
}

const podCidrOf = (cfg: ClusterConfig) => parseCidr(cfg.podCIDR) as Cidr;

/** Positions no node holds (position = internal IP offset = pod CIDR block), lowest first, then -1 forever. */
function* freePositions(cfg: ClusterConfig): Generator<number, never> {
  const taken = usedPositions(cfg);
  const limit = Math.min(nodeCapacityOf(podCidrOf(cfg)), MAX_NODE_ADDRESSES);
  for (let i = 0; i < limit; i++) if (!taken.has(i)) yield i;
  for (;;) yield -1;
}

const positionOf = (n: ResolvedNode) => (parseIPv4(n.internalIP) ?? 0) - (nodeNetwork().base + 2);

function usedPositions(cfg: ClusterConfig): Set<number> {
  return new Set(cfg.nodes.map(positionOf));
}

/** Set an automatic pod CIDR to the default block for `needed` positions, re-placing the nodes' /24s. */
function fitAutoPodCidr(cfg: ClusterConfig, needed: number): void {
  const pod = defaultPodCidrFor(needed);
  cfg.podCIDR = formatCidr(pod);
  for (const n of cfg.nodes) n.podCIDR = nodePodCidr(pod, positionOf(n));
}

export function applyCliOverrides(cfg: ClusterConfig, o: CliOverrides, source = 'command line'): ClusterConfig {
  const errs: string[] = [];
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) errs.push(`--port: must be a whole number from 0 to 65535, not ${o.port}`);
  if (o.timeScale !== undefined && !(Number.isFinite(o.timeScale) && o.timeScale > 0 && o.timeScale <= MAX_TIME_SCALE)) {
    errs.push(`--time-scale: must be a number greater than 0 and at most ${MAX_TIME_SCALE}, not ${o.timeScale}`);
  }
  if (o.nodes !== undefined && !(Number.isInteger(o.nodes) && o.nodes >= 0 && o.nodes <= MAX_WORKERS)) errs.push(`--nodes: must be a whole number from 0 to ${MAX_WORKERS}, not ${o.nodes}`);
  else if (o.nodes !== undefined && !cfg.podCIDRAuto) {
    for (const [, m] of addressingProblems(o.nodes + 1, podCidrOf(cfg), undefined)) errs.push(`--nodes: podCIDR ${m}`);
  }
  if (o.proxyMode !== undefined && !(PROXY_MODES as readonly string[]).includes(o.proxyMode)) errs.push(`--proxy-mode: must be one of ${PROXY_MODES.join(', ')}, not ${JSON.stringify(o.proxyMode)}`);
  for (const [flag, v] of [['--dns-port', o.dnsPort], ['--ingress-port', o.ingressPort]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 65535)) errs.push(`${flag}: must be a whole number from 0 to 65535, not ${v}`);
  }
  if (errs.length) throw new ClusterConfigError(source, errs);
  const out = clone(cfg);
  if (o.proxyMode !== undefined) out.kubeProxy.mode = o.proxyMode as ProxyModeSetting;
  if (o.dnsPort !== undefined) out.addons.dns.port = o.dnsPort;
  if (o.ingressPort !== undefined) out.addons.ingress.port = o.ingressPort;
  if (o.port !== undefined) out.port = o.port;
  if (o.timeScale !== undefined) out.timeScale = o.timeScale;
  if (o.nodes !== undefined) {
    const cp = out.nodes.filter((n) => n.role === 'control-plane');
    const workers = out.nodes.filter((n) => n.role === 'worker').slice(0, o.nodes);
    out.nodes = [...cp, ...workers];
    if (out.podCIDRAuto) fitAutoPodCidr(out, Math.max(cp.length + o.nodes, ...out.nodes.map((n) => positionOf(n) + 1)));
    const names = freeWorkerNames(new Set(out.nodes.map((n) => n.name)));
    const positions = freePositions(out);
    const pod = podCidrOf(out);
    while (out.nodes.length - cp.length < o.nodes) {
      out.nodes.push(placeNode({ name: names.next().value, role: 'worker', fields: out.workerTemplate }, positions.next().value, pod));
    }
  }
  return out;
}

export interface AddWorkerOptions {
  /** Default: the next free kind-style name (kubelab-workerN). */
  name?: string;
  /** Merged over the worker template's capacity, e.g. { cpu: '8', memory: '16Gi' }. */
  capacity?: Record<string, string>;
}

/** A new worker from the template at the lowest free position; throws ClusterConfigError (source `node add`). */
export function addWorker(cfg: ClusterConfig, opts: AddWorkerOptions = {}): { config: ClusterConfig; node: ResolvedNode } {
  const errs: string[] = [];
  const names = new Set(cfg.nodes.map((n) => n.name));
  const name = opts.name ?? nextWorkerName(names);
  if (opts.name !== undefined) errs.push(...nodeNameProblems(name).map((m) => `name: ${m}`));
  if (names.has(name)) errs.push(`name: node ${JSON.stringify(name)} already exists`);
  const r = new Reader();
  const capacity = readCapacity(r, opts.capacity, ['capacity']);
  errs.push(...r.problems.map(problemText));
  const workers = cfg.nodes.filter((n) => n.role === 'worker').length;
  if (workers >= MAX_WORKERS) errs.push(`the cluster already has ${workers} workers, the most KubeLab runs`);
  const config = clone(cfg);
  let pos = freePositions(config).next().value;
  if (pos < 0 && config.podCIDRAuto) {
    // Widen only while the block keeps its base, so running nodes keep their pod CIDRs.
    const wider = defaultPodCidrFor(Math.max(...config.nodes.map(positionOf)) + 2);
    if (wider.base === podCidrOf(config).base) {
      config.podCIDR = formatCidr(wider);
      pos = freePositions(config).next().value;
    }
  }
  if (pos < 0) errs.push(`podCIDR ${cfg.podCIDR} has no /24 left for another node`);
  if (errs.length) throw new ClusterConfigError('node add', errs);
  const fields = { ...cfg.workerTemplate, capacity: { ...cfg.workerTemplate.capacity, ...(capacity ?? {}) } };
  const node = placeNode({ name, role: 'worker', fields }, pos, podCidrOf(config));
  config.nodes.push(node);
  return { config, node: structuredClone(node) };
}

/** The config without worker `name`; the control plane cannot be removed. */
export function removeWorker(cfg: ClusterConfig, name: string): ClusterConfig {
  const node = cfg.nodes.find((n) => n.name === name);
  if (!node) throw new ClusterConfigError('node remove', [`node ${JSON.stringify(name)} not found`]);
  if (node.role === 'control-plane') throw new ClusterConfigError('node remove', [`node ${JSON.stringify(name)} is the control plane and cannot be removed`]);
  const out = clone(cfg);
  out.nodes = out.nodes.filter((n) => n.name !== name);
  return out;
}
