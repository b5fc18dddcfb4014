import * as path from 'node:path';
import { systemClock, type Clock } from '../base/clock';
import type { Logger, LogRecord } from '../base/logger';
import { silentLogger } from '../base/logger';
import { ApiServer } from '../apiserver/server';
import { DEFAULT_RANGES } from '../apiserver/registry/service-alloc';
import { serveHttps, type HttpsServer } from '../apiserver/https';
import { ensurePki } from '../apiserver/pki/certs';
import { InProcessTransport } from '../client/in-process';
import { ApiClient } from '../controllers/framework';
import { loadSchedulerConfig } from '../scheduler/config/load';
import { defaultHooks } from '../apiserver/registry/hooks-impl';
import { CrdController } from '../apiserver/crd/crd-controller';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { setUpAuthentication } from './authentication';
import { buildPipeline } from './pipeline';
import { writeKubeconfig } from './kubeconfig';
import { ControlPlane, type LeaderElectionOptions, type StoppableComponent } from './control-plane';
import { NodePool, type NodeSummary } from './node-pool';
import { ClusterNodes } from './cluster-nodes';
import { ClusterNetworking } from './networking';
import { RegistryReader } from './registry-reader';
import type { ClusterConfig } from './config';
import type { RegistryOptions } from '../controllers/registry';
import type { StorageConfig } from './config/types';
import { openClusterStorage, GRPC_WITH_EXTERNAL_ETCD, type EtcdGrpcRequest, type StoreStatus } from './storage';

/**
 * The composition root's entry point (bundled as dist/cluster.js): builds every component from its configuration
 * and starts them in a real cluster's order — storage → API server → controller manager, scheduler → kubelets and
 * kube-proxies (the control plane's static pods on the master, then the workers) → add-ons (DNS, ingress).
 * `close()` stops them in reverse; `crash()` drops them as a SIGKILL of the process would (the API server stops
 * answering at once, nothing is released, the leader-election Leases are left to expire).
 */
export interface ClusterOptions {
  dataDir: string;
  /** HTTPS port on 127.0.0.1; 0 picks a free one. Default 6443 (or the config's port). */
  port?: number;
  logger?: Logger;
  clock?: Clock;
  /** Directory holding sql-wasm.wasm, when not beside the bundle or in node_modules. */
  wasmDir?: string;
  /** Let requests without credentials reach /healthz, /livez and /readyz as system:anonymous (default off). */
  anonymousHealth?: boolean;
  /** Admission plugins to enable (upstream names); default: all KubeLab implements. [] turns admission off. */
  admissionPlugins?: readonly string[];
  /** `Node,RBAC` (default) or `AlwaysAllow`. */
  authorizationMode?: 'Node,RBAC' | 'AlwaysAllow';
  /** Controllers the controller manager runs (upstream names, `*` = all; default all). */
  controllers?: readonly string[];
  /** Run kube-scheduler (default true). */
  scheduler?: boolean;
  /**
   * Run kube-scheduler in a thread of its own, on another CPU core (default: yes with the system clock; a fake clock
   * keeps it on this event loop).
   */
  schedulerThread?: boolean;
  /** The level `logger` logs at (default info), for components that log from threads of their own. */
  logLevel?: LogRecord['level'];
  /** KubeSchedulerConfiguration (YAML text or object); default: upstream's default profile (or the config's). */
  schedulerConfig?: string | Record<string, unknown>;
  /**
   * The machines: nodes, their runtimes and the time scale. Without it the cluster has no nodes (API-only, as the
   * API tests use it); the CLI and the extension pass the loaded ClusterConfig.
   */
  config?: ClusterConfig;
  /**
   * Whether a restart brings back the nodes as they were (added or removed at runtime) rather than the config's
   * list: true (default) always; 'unless-changed' only when the config's own node list is the one the saved list
   * started from (an explicit --config or --nodes that differs wins); false never.
   */
  resumeNodes?: boolean | 'unless-changed';
  /** Simulated image pull time in ms before the time scale (default the sim's 2 s). */
  simPullMs?: number;
  /** Told each start step as it begins (storage, kube-apiserver, …), for live progress. */
  onProgress?(step: string): void;
  /**
   * Serve the embedded store's etcd v3 gRPC API on 127.0.0.1:port (0 picks a free port); keys under /registry/ stay
   * read-only unless allowRegistryWrites. An error with external etcd storage (it already speaks that API).
   */
  etcdGrpc?: EtcdGrpcRequest;
  /** Where the objects live; wins over the config's `storage` (default: the config's, else the embedded store). */
  storage?: StorageConfig;
  /**
   * Leader election of the controller manager and the scheduler (default: on, with upstream's 15 s / 10 s / 2 s and
   * `<hostname>_<uuid>` identities kept in the data dir). Shorter timings are for tests only.
   */
  leaderElection?: LeaderElectionOptions;
}

export interface ClusterStatus {
  components: { name: string; state: 'running' | 'off' | 'stopped' }[];
  nodes: NodeSummary[];
  /** For an external etcd: the last figures read (every 2 s), keys = keys under /registry/, walBytes 0. */
  store: StoreStatus;
}

export interface RunningCluster {
  readonly dataDir: string;
  readonly url: string;
  readonly port: number;
  readonly kubeconfig: string;
  readonly adminToken: string;
  readonly caCert: string;
  /** In-process transport to the API server (same chain as HTTPS; send the admin token or another credential). */
  handle(req: ApiRequest): Promise<ApiResponse>;
  readonly apiServer: ApiServer;
  /** The machines: add, remove, stop and start nodes at runtime. */
  readonly nodes: ClusterNodes;
  /** Read-only view of the store's /registry keys (what etcdctl shows), for the VS Code Registry tree. */
  readonly registry: RegistryReader;
  /** Where the embedded store's etcd gRPC API is served (only when ClusterOptions.etcdGrpc asked for it). */
  readonly etcdApi?: { url: string; port: number; allowRegistryWrites: boolean };
  status(): ClusterStatus;
  /** Stops or starts the controller manager or the scheduler (their static pods follow). */
  stopComponent(name: StoppableComponent): Promise<void>;
  startComponent(name: StoppableComponent): Promise<void>;
  /** The component's leader-election identity ('' without leader election) and whether it holds its Lease now. */
  election(name: StoppableComponent): { identity: string; leading: boolean };
  /** Resolves when the controllers have caught up with what they have seen (tests). */
  controllersIdle(): Promise<void>;
  /** Resolves when every kubelet has nothing left to do (tests). */
  kubeletsIdle(): Promise<void>;
  /** Resolves when every kube-proxy has synced what it has seen (tests). */
  proxiesIdle(): Promise<void>;
  /** One line per add-on that could not start (e.g. its port is taken); the cluster runs without it. */
  readonly addonProblems: readonly string[];
  /** Where the cluster DNS and the ingress controller listen on 127.0.0.1 (0: not serving). */
  addonPorts(): { dns: number; ingress: number };
  /** Stops every component and releases the storage directory. */
  close(): Promise<void>;
  /**
   * As close as this process can come to a SIGKILL of this control plane: the HTTPS listener and its connections
   * are dropped and the API server refuses every request at once, then the components are stopped WITHOUT
   * releasing their Leases (a standby takes over only when they expire) and nothing is written on the way out.
   * The storage connection is closed last (etcd sees the client go away, as it would).
   */
  crash(): Promise<void>;
}

/** Before the nodes exist: the API server's answer when pods/log has no kubelet to reach. */
const noKubelets = {
  logs(pod: { spec?: unknown }): Promise<string> {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    return Promise.reject(new Error(`Get "https://${node}:10250/containerLogs": dial tcp: lookup ${node}: no kubelet is running for node "${node}"`));
  },
};

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const dataDir = path.resolve(opts.dataDir);
  const cfg = opts.config;
  const storageConfig: StorageConfig = opts.storage ?? cfg?.storage ?? { type: 'sqljs' };
  if (opts.etcdGrpc && storageConfig.type === 'etcd') throw new Error(GRPC_WITH_EXTERNAL_ETCD);
  // A bad scheduler configuration fails the start before anything runs.
  const schedulerConfig = opts.scheduler === false ? undefined : loadSchedulerConfig(opts.schedulerConfig ?? cfg?.schedulerConfig);
  const progress = opts.onProgress ?? (() => undefined);
  progress(storageConfig.type === 'etcd' ? `etcd (external: ${storageConfig.endpoints.join(', ')})` : 'etcd (embedded, sql.js)');
  const storage = await openClusterStorage({ dataDir, storage: storageConfig, logger: logger.child('etcd'), wasmDir: opts.wasmDir, clock });
  const store = storage.store;
  let api: ApiServer | undefined;
  let https: HttpsServer | undefined;
  let crds: CrdController | undefined;
  let plane: ControlPlane | undefined;
  let pool: NodePool | undefined;
  let net: ClusterNetworking | undefined;
  try {
    const grpc = opts.etcdGrpc ? await storage.serveGrpc(opts.etcdGrpc) : undefined;
    const pki = ensurePki(path.join(dataDir, 'pki'), clock.now());
    const authn = setUpAuthentication({ dataDir, logger: logger.child('authentication'), clock, anonymousHealth: opts.anonymousHealth });
    const requested = opts.port ?? cfg?.port ?? 6443;
    const crdRef: { c?: CrdController } = {};
    const health = (c: StoppableComponent) => plane?.healthy(c) ?? false;
    const nodeRef: { p?: NodePool } = {};
    progress('kube-apiserver');
    api = await ApiServer.start({
      store,
      clock,
      logger: logger.child('kube-apiserver'),
      hooks: defaultHooks({ schemaOf: (r) => crdRef.c?.schemaOf(r) }),
      pipeline: (reader) => buildPipeline(reader, authn, clock, { admissionPlugins: opts.admissionPlugins, authorizationMode: opts.authorizationMode }),
      serverAddress: `127.0.0.1:${requested}`,
      ...(cfg?.watchCacheSize !== undefined ? { historyEvents: cfg.watchCacheSize } : {}),
      ...(cfg?.eventTtlMs !== undefined ? { eventTtlSeconds: Math.ceil(cfg.eventTtlMs / 1000) } : {}),
      ...(cfg ? { serviceRanges: { ...DEFAULT_RANGES, cidr: cfg.serviceCIDR } } : {}),
      nodes: { logs: (pod, c, q) => (nodeRef.p ?? noKubelets).logs(pod, c, q), proxy: (n, port, p) => nodeRef.p?.proxy(n, port, p) ?? Promise.resolve(undefined) },
      componentStatuses: () => [
        { name: 'etcd-0', healthy: true, message: '{"health":"true","reason":""}' },
        health('kube-scheduler')
          ? { name: 'scheduler', healthy: true, message: 'ok' }
          : { name: 'scheduler', healthy: false, message: '', error: `Get "https://127.0.0.1:10259/healthz": dial tcp 127.0.0.1:10259: connect: connection refused` },
        health('kube-controller-manager')
          ? { name: 'controller-manager', healthy: true, message: 'ok' }
          : { name: 'controller-manager', healthy: false, message: '', error: `Get "https://127.0.0.1:10257/healthz": dial tcp 127.0.0.1:10257: connect: connection refused` },
      ],
    });
    crds = await CrdController.start(api, logger.child('apiextensions'));
    const apiRef = api;
    const handle = (req: ApiRequest) => apiRef.handle(req);
    plane = new ControlPlane({ handle, clock, logger, registry: { caPem: pki.caCert, dataDir, nodeIpam: cfg ? { clusterCIDR: cfg.podCIDR, serviceCIDR: cfg.serviceCIDR } : undefined, nodeLifecycle: nodeLifecycleOf(cfg) }, controllers: opts.controllers, schedulerConfig, schedulerThread: opts.schedulerThread ?? clock === systemClock, logLevel: opts.logLevel, leaderElection: opts.leaderElection });
    progress('kube-controller-manager');
    await plane.start('kube-controller-manager');
    if (schedulerConfig) {
      progress('kube-scheduler');
      await plane.start('kube-scheduler');
    }
    crdRef.c = crds;
    const a = api;
    https = await serveHttps((req) => a.handle(req), { host: '127.0.0.1', port: requested, key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, logger: logger.child('https') }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') throw new Error(`port ${requested} on 127.0.0.1 is already in use; choose another with --port`);
      throw e;
    });
    await api.bootstrapServices(https.port);
    const url = `https://127.0.0.1:${https.port}`;
    const kubeconfig = writeKubeconfig(dataDir, url, pki.caCert, authn.tokens.adminToken);
    const adminTransport = new InProcessTransport({ handle, token: authn.tokens.adminToken, userAgent: 'kubelab-cluster' });
    const admin = new ApiClient(adminTransport);
    const cp = plane;
    net = cfg ? new ClusterNetworking({ config: cfg, handle, clock, logger }) : undefined;
    progress(`kubelets and kube-proxies (${cfg?.nodes.length ?? 0} nodes)`);
    const nodes = await ClusterNodes.start({ networking: net, config: cfg, dataDir, resume: opts.resumeNodes ?? true, handle, admin, clock, logger, apiPort: https.port, simPullMs: opts.simPullMs, healthy: (c) => (c === 'etcd' || c === 'kube-apiserver' ? true : cp.healthy(c)) });
    pool = nodes.pool;
    nodeRef.p = pool;
    const addonProblems = net ? (progress('add-ons (cluster DNS, ingress controller)'), await net.startAddons(admin)) : [];
    const netw = net;
    const server = api;
    const h = https;
    const c = crds;
    const p = pool;
    let down: Promise<void> | undefined;
    const closeAll = async () => {
      await netw?.close();
      await p.close();
      await cp.close();
      adminTransport.close();
      c.close();
      await h.close();
      server.close();
      await storage.close();
    };
    const crashAll = async () => {
      // The API goes first, so that whatever the components do while they stop reaches nothing.
      await h.close();
      server.close();
      adminTransport.close();
      c.close();
      await cp.close({ release: false });
      await netw?.close();
      await p.close();
      await storage.close();
    };
    return {
      dataDir,
      url,
      port: h.port,
      kubeconfig,
      adminToken: authn.tokens.adminToken,
      caCert: pki.caCert,
      apiServer: server,
      nodes,
      registry: new RegistryReader(store),
      ...(grpc ? { etcdApi: { url: `http://127.0.0.1:${grpc.port}`, port: grpc.port, allowRegistryWrites: !!opts.etcdGrpc?.allowRegistryWrites } } : {}),
      handle: (req) => server.handle(req),
      status: () => {
        const state = (c: StoppableComponent) => (cp.running(c) ? ('running' as const) : c === 'kube-scheduler' && !cp.schedulerEnabled ? ('off' as const) : ('stopped' as const));
        return {
          components: [
            { name: storage.label, state: 'running' },
            { name: 'kube-apiserver', state: 'running' },
            { name: 'kube-controller-manager', state: state('kube-controller-manager') },
            { name: 'kube-scheduler', state: state('kube-scheduler') },
            { name: 'kubelet', state: p.list().some((n) => n.state === 'running') ? 'running' : 'off' },
            { name: `kube-proxy (${cfg?.kubeProxy.mode ?? 'off'})`, state: netw && p.list().length ? 'running' : 'off' },
            ...(netw?.addons() ?? []).map((a) => ({ name: `${a.name} (${a.detail})`, state: a.state === 'running' ? ('running' as const) : a.state === 'off' ? ('off' as const) : ('stopped' as const) })),
          ],
          nodes: p.list(),
          store: storage.stats(),
        };
      },
      stopComponent: (n) => cp.stop(n),
      startComponent: (n) => cp.start(n),
      election: (n) => ({ identity: cp.identity(n), leading: cp.leading(n) }),
      controllersIdle: () => cp.controllersIdle(),
      kubeletsIdle: () => p.idle(),
      proxiesIdle: () => p.proxiesIdle(),
      addonProblems,
      addonPorts: () => netw?.ports() ?? { dns: 0, ingress: 0 },
      // After close() or crash(), either one is a no-op.
      close: () => (down ??= closeAll()),
      crash: () => (down ??= crashAll()),
    };
  } catch (e) {
    await net?.close();
    await pool?.close();
    await plane?.close();
    crds?.close();
    await https?.close();
    api?.close();
    await storage.close();
    throw e;
  }
}

/** The node lifecycle controller's grace periods from the ClusterConfig (undefined fields keep the defaults). */
function nodeLifecycleOf(cfg: ClusterConfig | undefined): RegistryOptions['nodeLifecycle'] {
  if (!cfg) return undefined;
  return {
    ...(cfg.nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: cfg.nodeMonitorGracePeriodMs } : {}),
    ...(cfg.nodeStartupGracePeriodMs !== undefined ? { nodeStartupGracePeriodMs: cfg.nodeStartupGracePeriodMs } : {}),
  };
}
