/**
 * The resolved ClusterConfig (apiVersion kubelab.dev/v1alpha1, kind ClusterConfig): every default filled in, every
 * node listed with its role, capacity, labels, taints, runtime, internal IP and pod CIDR. The loader (parse.ts)
 * produces it from YAML or a plain object, defaults.ts from nothing, overrides.ts from command-line flags. Every
 * failure is a ClusterConfigError whose `errors` each start with the field path (`nodes[2].capacity.cpu: …`).
 */
import type { Taint } from '../../kubelet/node/node-object';
import type { AddonSettings, KubeProxySettings } from './networking';

export type { Taint } from '../../kubelet/node/node-object';

export const CLUSTER_CONFIG_API_VERSION = 'kubelab.dev/v1alpha1';
export const CLUSTER_CONFIG_KIND = 'ClusterConfig';

export const DEFAULT_PORT = 6443;
/** How much history the embedded store keeps before compacting it away (the API server's --etcd-compaction-interval). */
export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;
/** Events each resource's watch cache keeps (apiServer.watchCacheSize; kube-apiserver's --default-watch-cache-size). */
export const DEFAULT_WATCH_CACHE_SIZE = 10_000;
export const MIN_WATCH_CACHE_SIZE = 100;
export const MAX_WATCH_CACHE_SIZE = 1_000_000;
/** controllerManager.nodeMonitorGracePeriod / nodeStartupGracePeriod (kube-controller-manager 1.32 defaults). */
export const DEFAULT_NODE_MONITOR_GRACE_MS = 50_000;
export const DEFAULT_NODE_STARTUP_GRACE_MS = 60_000;
/** Kubelets renew their node Lease every 10 s: a grace period must leave room for a late renewal or two. */
export const MIN_NODE_GRACE_MS = 15_000;
export const MAX_NODE_GRACE_MS = 24 * 3_600_000;
export const DEFAULT_TIME_SCALE = 1;
export const MAX_TIME_SCALE = 1000;
export const DEFAULT_WORKER_COUNT = 3;
export const MAX_WORKERS = 5000;
export const DEFAULT_CONTROL_PLANE_NAME = 'kubelab-control-plane';
/** kind's naming: kubelab-worker, kubelab-worker2, kubelab-worker3 … */
export const WORKER_NAME_PREFIX = 'kubelab-worker';
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** kind's docker network: the control plane is .2, workers .3, .4 … (172.18.0.0/16). */
export const NODE_NETWORK = '172.18.0.0/16';
/** Each node gets one /24 of podCIDR (kube-controller-manager's default --node-cidr-mask-size for IPv4). */
export const NODE_CIDR_MASK_SIZE = 24;

export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const RUNTIMES = ['sim', 'process'] as const;

export type NodeRuntime = (typeof RUNTIMES)[number];
export type NodeRole = 'control-plane' | 'worker';

/** An external etcd v3 cluster; the TLS files are absolute paths (a config file's relative ones are resolved against
 * its directory). username and password come together, certFile and keyFile too; TLS files need https endpoints. */
export interface EtcdStorageConfig {
  type: 'etcd';
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  username?: string;
  password?: string;
}

/** The embedded store. compactionIntervalMs: history older than this is compacted away (as the API server's
 * --etcd-compaction-interval; default 5 minutes). */
export interface SqlJsStorageConfig {
  type: 'sqljs';
  compactionIntervalMs?: number;
}

export type StorageConfig = SqlJsStorageConfig | EtcdStorageConfig;

/** What a node may set; the worker template and every `nodes[]` entry share it. */
export interface NodeTemplate {
  /** Resource name → quantity string (cpu, memory, pods, ephemeral-storage, extended resources). */
  capacity: Record<string, string>;
  labels: Record<string, string>;
  taints: Taint[];
  runtime: NodeRuntime;
}

export interface ResolvedNode extends NodeTemplate {
  name: string;
  role: NodeRole;
  /** 172.18.0.2 for the control plane, .3, .4 … for workers (kind-style, within 172.18.0.0/16). */
  internalIP: string;
  /** This node's /24 of the cluster's podCIDR, in node order (the control plane has the first). */
  podCIDR: string;
}

export interface ClusterConfig {
  apiVersion: typeof CLUSTER_CONFIG_API_VERSION;
  kind: typeof CLUSTER_CONFIG_KIND;
  /** HTTPS port of the API server on 127.0.0.1; 0 picks a free one. */
  port: number;
  storage: StorageConfig;
  /** apiServer.watchCacheSize: events of history each resource's watch cache keeps (a watch from an older
   * resourceVersion gets 410 Gone); absent = DEFAULT_WATCH_CACHE_SIZE. */
  watchCacheSize?: number;
  /** apiServer.eventTTL in ms (kube-apiserver's --event-ttl): how long an Event lives after its last write; absent =
   * 1 h. */
  eventTtlMs?: number;
  /** controllerManager.nodeMonitorGracePeriod and nodeStartupGracePeriod in ms (how long a node may go without a
   * heartbeat before the node lifecycle controller marks it Unknown); absent = the DEFAULT_NODE_* values. */
  nodeMonitorGracePeriodMs?: number;
  nodeStartupGracePeriodMs?: number;
  /** Multiplies the simulated delays (image pull time, stop delay); > 0 and ≤ 1000. */
  timeScale: number;
  /** KubeSchedulerConfiguration as YAML text or an object (already validated), for startCluster; absent = default. */
  schedulerConfig?: string | Record<string, unknown>;
  /** The control plane first, then the workers. */
  nodes: ResolvedNode[];
  /** What a worker added later (--nodes, `node add`) gets. */
  workerTemplate: NodeTemplate;
  podCIDR: string;
  /** True when podCIDR was not given: it is then 10.244.0.0/16, widened (10.244.0.0/14, 10.240.0.0/12 …) when more
   * than 256 nodes need a /24 each; overrides widen it again as nodes are added. */
  podCIDRAuto: boolean;
  serviceCIDR: string;
  kubeProxy: KubeProxySettings;
  addons: AddonSettings;
}

export interface LoadedClusterConfig {
  config: ClusterConfig;
  /** Things that are allowed but worth saying, e.g. `node X runs containers as real local processes (runtime: process)`. */
  warnings: string[];
}

export class ClusterConfigError extends Error {
  /** Each starts with the field path (`workers.count: …`); several when the input had several problems. */
  readonly errors: readonly string[];
  /** The file path, or a label such as `command line`. */
  readonly source: string;

  constructor(source: string, errors: readonly string[]) {
    const list = errors.length ? errors : ['invalid cluster configuration'];
    super(list.length === 1 ? `${source}: ${list[0]}` : `${source}: ${list.length} errors:\n${list.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ClusterConfigError';
    this.errors = list;
    this.source = source;
  }
}
