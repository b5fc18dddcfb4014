/**
 * The cluster's worker machines: one kubelet and one container runtime per node, built from the resolved node
 * configs. Nodes can be added, removed, stopped (the kubelet dies: heartbeats stop, its containers keep running
 * unobserved) and started again (the kubelet adopts what its runtime still runs) at runtime — the API the CLI and
 * the VS Code UI use. Each node may also run a kube-proxy (started with the node, stopped when it is removed). It is
 * also the API server's NodeConnector: pods/log reaches the pod's node's kubelet, nodes/proxy its kube-proxy.
 */
import * as path from 'node:path';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { StatusError } from '../api/status';
import type { StoredObject } from '../api/object';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import type { NodeConnector, NodeHttpResponse } from '../apiserver/handlers/context';
import { KUBELET_PORT } from '../apiserver/handlers/node-proxy';
import type { KubeProxy } from '../proxy/kube-proxy';
import type { PodNetwork } from '../addons/cni/pod-network';
import { ApiClient, R, isNotFound } from '../controllers/framework';
import { Kubelet } from '../kubelet/kubelet';
import type { NodeConfig } from '../kubelet/node/node-object';
import type { ContainerRuntime } from '../kubelet/runtime/runtime';
import { SimRuntime, type SimRuntimeOptions } from '../kubelet/runtime/sim/sim-runtime';
import { ProcessRuntime } from '../kubelet/runtime/process/process-runtime';
import type { ResolvedNode } from './config';

export type NodeState = 'running' | 'stopped';

export interface NodeSummary {
  name: string;
  role: string;
  runtime: string;
  state: NodeState;
  pods: number;
}

export interface NodePoolOptions {
  handle(req: ApiRequest): Promise<ApiResponse>;
  /** Admin client: role labels on registration, Node deletion on remove. */
  admin: ApiClient;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** Options every simulated runtime gets (pull time etc.). */
  sim?: Omit<SimRuntimeOptions, 'clock' | 'nodeName'>;
  /** Builds the runtime of a node specially (the master's control-plane runtime). */
  runtimeFor?(node: ResolvedNode): ContainerRuntime | undefined;
  /** Static pod manifests per node name. */
  staticPods?(node: ResolvedNode): readonly Record<string, unknown>[];
  /** The pod network the runtimes attach listening containers to. */
  network?: PodNetwork;
  /** The node's kube-proxy (the kube-proxy DaemonSet's pod on it); none when absent. */
  proxyFor?(node: ResolvedNode): KubeProxy | undefined;
}

/**
 * The simulated nodes share one process: their kubelets' periodic loops (Lease every 10 s, node status round, pod
 * status resync) fire on common 2-second ticks, so 1,000 nodes make a burst of ~200 Lease renewals every 2 s that
 * share store commits, rather than 100 lone writes a second (a 1,000-node cluster with 10,000 pods, idle: main thread
 * 1.8–3.5 % of a core against 4.9–8.5 % without the tick, in interleaved windows of the same process).
 * A renewal comes at most 2 s later than upstream's 10 s + 4 % jitter: far inside the 40 s lease duration.
 */
export const HEARTBEAT_TICK_MS = 2000;

interface Member {
  spec: ResolvedNode;
  runtime: ContainerRuntime;
  kubelet: Kubelet;
  proxy?: KubeProxy;
}

export function nodeConfigOf(n: ResolvedNode, runtime: ContainerRuntime): NodeConfig {
  const v = runtime.version();
  return {
    name: n.name,
    internalIP: n.internalIP,
    roles: n.role === 'control-plane' ? ['control-plane'] : [],
    labels: n.labels,
    taints: n.taints,
    capacity: n.capacity,
    podCIDR: n.podCIDR,
    containerRuntimeVersion: `${v.runtimeName}://${v.runtimeVersion}`,
    osImage: n.runtime === 'process' ? 'KubeLab node running local processes' : 'KubeLab simulated node',
    kernelVersion: 'kubelab',
  };
}

export class NodePool implements NodeConnector {
  private readonly members = new Map<string, Member>();

  constructor(private readonly o: NodePoolOptions) {}

  has(name: string): boolean {
    return this.members.has(name);
  }

  kubelet(name: string): Kubelet | undefined {
    return this.members.get(name)?.kubelet;
  }

  list(): NodeSummary[] {
    return [...this.members.values()].map((m) => ({ name: m.spec.name, role: m.spec.role, runtime: m.spec.runtime, state: m.kubelet.isRunning ? 'running' : 'stopped', pods: m.kubelet.podCount() }));
  }

  /** Creates the node's runtime and kubelet and starts it (registration included). */
  async add(spec: ResolvedNode): Promise<void> {
    if (this.members.has(spec.name)) throw new Error(`node "${spec.name}" already exists`);
    const runtime =
      this.o.runtimeFor?.(spec) ??
      (spec.runtime === 'process'
        ? new ProcessRuntime({ clock: this.o.clock, rootDir: path.join(this.o.dataDir, 'nodes', spec.name), nodeName: spec.name, logger: this.o.logger.child(`runtime ${spec.name}`), network: this.o.network })
        : new SimRuntime({ ...this.o.sim, network: this.o.network, clock: this.o.clock, nodeName: spec.name }));
    const kubelet = new Kubelet({
      config: nodeConfigOf(spec, runtime),
      handle: this.o.handle,
      runtime,
      clock: this.o.clock,
      logger: this.o.logger.child(`kubelet ${spec.name}`),
      privilegedClient: this.o.admin,
      staticPods: this.o.staticPods?.(spec),
      heartbeatTickMs: HEARTBEAT_TICK_MS,
    });
    const proxy = this.o.proxyFor?.(spec);
    this.members.set(spec.name, { spec, runtime, kubelet, proxy });
    await kubelet.start();
    await proxy?.start();
  }

  kubeProxy(name: string): KubeProxy | undefined {
    return this.members.get(name)?.proxy;
  }

  private member(name: string): Member {
    const m = this.members.get(name);
    if (!m) throw new Error(`no node named "${name}" (nodes: ${[...this.members.keys()].join(', ') || 'none'})`);
    return m;
  }

  /** The kubelet dies: no more heartbeats or status; the node goes NotReady after the grace period. Its containers,
   * kube-proxy included, keep running unobserved. */
  async stop(name: string): Promise<void> {
    await this.member(name).kubelet.stop();
  }

  async start(name: string): Promise<void> {
    await this.member(name).kubelet.start();
  }

  /** The machine goes away: its kubelet and containers stop and its Node is deleted (the pod GC cleans up its pods). */
  async remove(name: string): Promise<void> {
    const m = this.member(name);
    await m.kubelet.stop();
    await m.proxy?.dispose();
    m.runtime.dispose();
    this.members.delete(name);
    await this.o.admin.delete(R.nodes, '', name).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }

  async logs(pod: Readonly<StoredObject>, container: string, q: URLSearchParams): Promise<AsyncIterable<string> | string> {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const m = this.members.get(node);
    if (!m || !m.kubelet.isRunning) {
      const md = pod.metadata;
      throw StatusError.internal(new Error(`Get "https://${m?.spec.internalIP ?? node}:10250/containerLogs/${md.namespace}/${md.name}/${container}": dial tcp ${m?.spec.internalIP ?? node}:10250: connect: connection refused`));
    }
    return m.kubelet.logs(pod as Record<string, unknown>, container, q);
  }

  /** nodes/proxy: kube-proxy's ports (10249, 10256) and the kubelet's /healthz (10250). */
  proxy(node: string, port: number, path: string): Promise<NodeHttpResponse | undefined> {
    const m = this.members.get(node);
    if (!m) return Promise.resolve(undefined);
    if (port === KUBELET_PORT) {
      if (!m.kubelet.isRunning) return Promise.resolve(undefined);
      const ok = path === '/healthz' || path === '/livez';
      return Promise.resolve({ status: ok ? 200 : 404, contentType: 'text/plain; charset=utf-8', body: ok ? 'ok' : '404 page not found\n' });
    }
    return Promise.resolve(m.proxy?.http(port, path));
  }

  /** Every kubelet has nothing left to do (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => (m.kubelet.isRunning ? m.kubelet.idle() : undefined)));
  }

  /** Every kube-proxy has synced what it has seen (tests). */
  async proxiesIdle(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => m.proxy?.idle()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => m.kubelet.stop()));
    await Promise.all([...this.members.values()].map((m) => m.proxy?.dispose()));
    for (const m of this.members.values()) m.runtime.dispose();
    this.members.clear();
  }
}
