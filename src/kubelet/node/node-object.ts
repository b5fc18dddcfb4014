/**
 * The Node a kubelet registers (upstream 1.32 kubelet initialNode + the nodestatus setters), built from a NodeConfig:
 * default labels (kubernetes.io/hostname, kubernetes.io/os=linux, kubernetes.io/arch, beta.kubernetes.io/os|arch),
 * role labels, the controller-managed-attach-detach annotation, taints and podCIDR in spec, and a status with
 * capacity, allocatable (capacity − reserved − the eviction-hard thresholds, never negative), the four conditions,
 * addresses (InternalIP, Hostname), daemonEndpoints and nodeInfo (ids stable per node name). Pure and deterministic:
 * the same config and `now` give the same object.
 */
import { createHash } from 'node:crypto';
import { Quantity } from '../../api/quantity';
import { setNodeConditions, type NodeCondition, type NodeHealth } from './node-conditions';
import { rfc3339 } from './identity';

export const KUBELET_VERSION = 'v1.32.0';
export const KUBELET_PORT = 10250;
export const CMAD_ANNOTATION = 'volumes.kubernetes.io/controller-managed-attach-detach';
export const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeConfig {
  name: string;
  internalIP: string;
  /** Default: the node name. */
  hostname?: string;
  /** GOARCH; default `amd64`. */
  arch?: string;
  /** Roles shown by kubectl (`control-plane`, `worker`): labels `node-role.kubernetes.io/<role>: ""`. */
  roles?: readonly string[];
  /** Extra labels (the kubelet's --node-labels). */
  labels?: Readonly<Record<string, string>>;
  /** --register-with-taints. */
  taints?: readonly Taint[];
  /** cpu, memory, pods, ephemeral-storage (and any other resource); pods defaults to 110. */
  capacity: Readonly<Record<string, string | number>>;
  /** kube-reserved + system-reserved, subtracted from capacity. */
  reserved?: Readonly<Record<string, string>>;
  /** evictionHard thresholds also subtracted; default upstream's memory.available<100Mi, nodefs.available<10%.
   * `false` subtracts none. */
  evictionHard?: { memory?: string; ephemeralStoragePercent?: number } | false;
  containerRuntimeVersion: string;
  osImage?: string;
  kernelVersion?: string;
  kubeletVersion?: string;
  podCIDR?: string;
  /** Default [podCIDR]. */
  podCIDRs?: readonly string[];
  kubeletPort?: number;
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname' | 'InternalDNS' | 'ExternalDNS';
  address: string;
}

export interface NodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: NodeCondition[];
  addresses: NodeAddress[];
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
  nodeInfo: Record<string, string>;
}

export interface NodeObject {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: Taint[]; podCIDR?: string; podCIDRs?: string[] };
  status: NodeStatus;
}

const DEFAULT_EVICTION_MEMORY = '100Mi';
const DEFAULT_EVICTION_NODEFS_PERCENT = 10;

/** The labels the kubelet itself owns and keeps in sync (upstream updateDefaultLabels' list, os/arch included). */
export function defaultLabels(cfg: NodeConfig): Record<string, string> {
  const arch = cfg.arch ?? 'amd64';
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': cfg.hostname ?? cfg.name,
    'kubernetes.io/os': 'linux',
  };
}

export function roleLabels(roles: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of roles ?? []) out[`${ROLE_LABEL_PREFIX}${r}`] = '';
  return out;
}

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** nodeInfo as the kubelet reports it (cAdvisor machine info + runtime version). */
export function nodeInfo(cfg: NodeConfig): Record<string, string> {
  return {
    machineID: hex(`kubelab-machine-id/${cfg.name}`, 32),
    systemUUID: uuid(`kubelab-system-uuid/${cfg.name}`),
    bootID: uuid(`kubelab-boot-id/${cfg.name}`),
    kernelVersion: cfg.kernelVersion ?? '6.8.0-kubelab',
    osImage: cfg.osImage ?? 'KubeLab simulated node (Linux)',
    containerRuntimeVersion: cfg.containerRuntimeVersion,
    kubeletVersion: cfg.kubeletVersion ?? KUBELET_VERSION,
    // DisableNodeKubeProxyVersion is off by default in 1.32: the kubelet still reports its own version here.
    kubeProxyVersion: cfg.kubeletVersion ?? KUBELET_VERSION,
    operatingSystem: 'linux',
    architecture: cfg.arch ?? 'amd64',
  };
}

/** Capacity as the kubelet reports it: the configured resources (pods default 110) plus hugepages 0 on Linux. */
export function nodeCapacity(cfg: NodeConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg.capacity)) out[k] = Quantity.parse(String(v)).toString();
  out.pods ??= '110';
  out['hugepages-1Gi'] ??= '0';
  out['hugepages-2Mi'] ??= '0';
  return out;
}

/** GetNodeAllocatableReservation: reserved + eviction-hard, per resource (percentages taken of capacity). */
function reservation(cfg: NodeConfig, capacity: Record<string, string>): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  const add = (k: string, q: Quantity) => out.set(k, out.has(k) ? (out.get(k) as Quantity).add(q) : q);
  for (const [k, v] of Object.entries(cfg.reserved ?? {})) add(k, Quantity.parse(v));
  if (cfg.evictionHard !== false) {
    add('memory', Quantity.parse(cfg.evictionHard?.memory ?? DEFAULT_EVICTION_MEMORY));
    const pct = cfg.evictionHard?.ephemeralStoragePercent ?? DEFAULT_EVICTION_NODEFS_PERCENT;
    const storage = capacity['ephemeral-storage'];
    if (storage !== undefined && pct > 0) {
      const bytes = (Quantity.parse(storage).value() * BigInt(Math.round(pct * 100))) / 10000n;
      add('ephemeral-storage', Quantity.parse(String(bytes)));
    }
  }
  return out;
}

/** Allocatable = capacity − reservation per resource, clamped at 0 (upstream setters.go MachineInfo). */
export function nodeAllocatable(cfg: NodeConfig, capacity = nodeCapacity(cfg)): Record<string, string> {
  const reserved = reservation(cfg, capacity);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(capacity)) {
    const cap = Quantity.parse(v);
    const r = reserved.get(k);
    if (!r) {
      out[k] = v;
      continue;
    }
    const diff = cap.sub(r);
    out[k] = diff.sign() < 0 ? '0' : diff.toString();
  }
  return out;
}

export function nodeAddresses(cfg: NodeConfig): NodeAddress[] {
  return [
    { type: 'InternalIP', address: cfg.internalIP },
    { type: 'Hostname', address: cfg.hostname ?? cfg.name },
  ];
}

/** The status the kubelet reports, with conditions set over `existing` at time `nowMs`. */
export function nodeStatus(cfg: NodeConfig, nowMs: number, health: NodeHealth = {}, existing?: readonly NodeCondition[]): NodeStatus {
  const capacity = nodeCapacity(cfg);
  return {
    capacity,
    allocatable: nodeAllocatable(cfg, capacity),
    conditions: setNodeConditions(existing, health, rfc3339(nowMs)).conditions,
    addresses: nodeAddresses(cfg),
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort ?? KUBELET_PORT } },
    nodeInfo: nodeInfo(cfg),
  };
}

/** The Node object the kubelet POSTs when it registers. */
export function buildNode(cfg: NodeConfig, nowMs: number, health: NodeHealth = {}): NodeObject {
  const spec: NodeObject['spec'] = {};
  if (cfg.taints?.length) spec.taints = cfg.taints.map((t) => ({ ...t }));
  if (cfg.podCIDR) {
    spec.podCIDR = cfg.podCIDR;
    spec.podCIDRs = [...(cfg.podCIDRs ?? [cfg.podCIDR])];
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.name,
      labels: { ...(cfg.labels ?? {}), ...roleLabels(cfg.roles), ...defaultLabels(cfg) },
      annotations: { [CMAD_ANNOTATION]: 'true' },
    },
    spec,
    status: nodeStatus(cfg, nowMs, health),
  };
}
