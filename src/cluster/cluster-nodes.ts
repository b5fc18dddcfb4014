/**
 * The cluster's nodes as users manage them (CLI `node …` commands, the VS Code UI): list, add, remove, stop, start.
 * It owns the NodePool and the node list of the ClusterConfig, and remembers the list in `<dataDir>/nodes.json` so
 * that a restart brings back the nodes added or removed at runtime — unless the configuration's own node list has
 * changed since, in which case the configuration wins. The control-plane node runs the control plane as static pods
 * on a runtime whose health endpoints follow the real components.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../base/clock';
import { writeFileDurable } from '../base/durable-file';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import type { ApiClient } from '../controllers/framework';
import { DEFAULT_PULL_MS } from '../kubelet/runtime/sim/images';
import { addWorker, removeWorker, type AddWorkerOptions, type ClusterConfig, type ResolvedNode } from './config';
import { controlPlaneComponents, controlPlaneManifest, type ControlPlaneComponent } from './control-plane-pods';
import { ControlPlaneRuntime } from './control-plane-runtime';
import { NodePool, type NodeSummary } from './node-pool';
import type { ClusterNetworking } from './networking';

export interface ClusterNodesOptions {
  config?: ClusterConfig;
  dataDir: string;
  resume: boolean | 'unless-changed';
  handle(req: ApiRequest): Promise<ApiResponse>;
  admin: ApiClient;
  clock: Clock;
  logger: Logger;
  apiPort: number;
  simPullMs?: number;
  healthy(component: ControlPlaneComponent['name']): boolean;
  /** The pod network and each node's kube-proxy (./networking). */
  networking?: ClusterNetworking;
}

interface Saved {
  /** The config's node names when saved: a different config list means the config changed. */
  configNodes: string[];
  nodes: ResolvedNode[];
}

const FILE = 'nodes.json';

function readSaved(dataDir: string, logger: Logger): Saved | undefined {
  const file = path.join(dataDir, FILE);
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Saved;
    if (!Array.isArray(s.configNodes) || !Array.isArray(s.nodes) || !s.nodes.every((n) => typeof n?.name === 'string' && typeof n.internalIP === 'string')) throw new Error('unexpected content');
    return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger.error(`ignoring ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

export class ClusterNodes {
  private config: ClusterConfig | undefined;
  private configNodes: string[];

  private constructor(
    readonly pool: NodePool,
    private readonly o: ClusterNodesOptions,
  ) {
    this.config = o.config;
    this.configNodes = (o.config?.nodes ?? []).map((n) => n.name);
  }

  static async start(o: ClusterNodesOptions): Promise<ClusterNodes> {
    const cfg = o.config;
    const components = cfg ? controlPlaneComponents({ advertiseAddress: cfg.nodes.find((n) => n.role === 'control-plane')?.internalIP ?? '127.0.0.1', apiPort: o.apiPort, podCIDR: cfg.podCIDR, serviceCIDR: cfg.serviceCIDR }) : [];
    const scale = cfg?.timeScale ?? 1;
    const sim = { pullMs: (o.simPullMs ?? DEFAULT_PULL_MS) * scale, network: o.networking?.network };
    const pool = new NodePool({
      handle: o.handle,
      admin: o.admin,
      clock: o.clock,
      logger: o.logger,
      dataDir: o.dataDir,
      sim,
      runtimeFor: (n) => (n.role === 'control-plane' && n.runtime === 'sim' ? new ControlPlaneRuntime({ ...sim, clock: o.clock, nodeName: n.name }, components, o.healthy) : undefined),
      staticPods: (n) => (n.role === 'control-plane' ? components.map(controlPlaneManifest) : []),
      network: o.networking?.network,
      proxyFor: (n) => o.networking?.proxyFor(n),
    });
    const cn = new ClusterNodes(pool, o);
    if (cfg && o.resume) {
      const saved = readSaved(o.dataDir, o.logger);
      if (saved && (o.resume === true || saved.configNodes.join('\n') === cn.configNodes.join('\n'))) {
        cn.config = { ...cfg, nodes: saved.nodes };
        cn.configNodes = saved.configNodes;
      }
    }
    const nodes = cn.config?.nodes ?? [];
    const master = nodes.filter((n) => n.role === 'control-plane');
    await Promise.all(master.map((n) => pool.add(n)));
    await Promise.all(nodes.filter((n) => n.role !== 'control-plane').map((n) => pool.add(n)));
    cn.save();
    return cn;
  }

  private save(): void {
    if (!this.config) return;
    const s: Saved = { configNodes: this.configNodes, nodes: this.config.nodes };
    const file = path.join(this.o.dataDir, FILE);
    writeFileDurable(file, JSON.stringify(s, null, 1));
  }

  list(): NodeSummary[] {
    return this.pool.list();
  }

  /** Adds a worker from the worker template (name, capacity overrides); returns its name. */
  async add(opts: AddWorkerOptions = {}): Promise<string> {
    if (!this.config) throw new Error('this cluster was started without a node configuration');
    const { config, node } = addWorker(this.config, opts);
    this.config = config;
    this.save();
    await this.pool.add(node);
    return node.name;
  }

  async remove(name: string): Promise<void> {
    if (!this.config) throw new Error('this cluster was started without a node configuration');
    const next = removeWorker(this.config, name);
    await this.pool.remove(name);
    this.config = next;
    this.save();
  }

  stop(name: string): Promise<void> {
    return this.pool.stop(name);
  }

  start(name: string): Promise<void> {
    return this.pool.start(name);
  }
}
