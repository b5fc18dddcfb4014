/**
 * The kubelet of one node (identity system:node:<name>): registers the Node, renews its Lease and reports node
 * status, watches only the pods bound to it (fieldSelector spec.nodeName, served from the API server's indexed watch
 * cache), runs one PodWorker per pod through its ContainerRuntime, judges containers with the prober manager and
 * writes pod status through the status manager. It takes the IP range for its pods from Node.spec.podCIDR (set by
 * the node IPAM controller) unless its config names one. `stop()` is the kubelet dying: heartbeats stop, workers
 * stop, the runtime (and what it runs) stays; `start()` again adopts what the runtime still runs.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { createEventRecorder, type EventRecorder } from '../client/events';
import { InProcessTransport } from '../client/in-process';
import { SharedInformer, deletedObject } from '../client/informers';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { ApiClient, R, isNotFound } from '../controllers/framework';
import { HostLocalBridge, resultIP, type CniPlugin } from '../addons/cni/plugin';
import { nodeUser } from './node/identity';
import { NodeLease } from './node/lease';
import { buildNode, nodeAllocatable, type NodeConfig } from './node/node-object';
import { admitPod } from './admission';
import { NodeStatusUpdater } from './node/node-status';
import { NodeImages } from './node/node-images';
import { registerNode } from './node/registration';
import { Backoff } from './pod/backoff';
import { PodWorker, type ApiPod, type WorkerDeps } from './pod/pod-worker';
import { podsDifferSemantically } from './pod/pod-changes';
import type { SourceReader } from './pod/container-env';
import { ProberManager } from './prober/prober-manager';
import { generatePodStatus } from './status/generate';
import { StatusManager } from './status/status-manager';
import { containerLogs } from './logs';
import { isMirrorPod } from './static-pods';
import { MirrorPods } from './mirror-pods';
import type { ContainerRuntime } from './runtime/runtime';

type Obj = Record<string, unknown>;

export interface KubeletOptions {
  config: NodeConfig;
  /** The API server (in process); the kubelet authenticates as system:node:<name>. */
  handle(req: ApiRequest): Promise<ApiResponse>;
  runtime: ContainerRuntime;
  clock: Clock;
  logger: Logger;
  /** Admin client that adds the role labels a node may not set itself (as kubeadm does). */
  privilegedClient?: ApiClient;
  /** Manifests of static pods this kubelet runs (the control plane on the master), mirrored into the API. */
  staticPods?: readonly Obj[];
  /**
   * The node's periodic loops (Lease renewal, node status round, pod status resync) wait on from their due time to
   * the next multiple of this many ms since the epoch. Many simulated nodes in one process then beat together on
   * common ticks, and their writes share the store's commits instead of arriving one by one (the node pool sets it;
   * default none: each loop on its own timer, as upstream's kubelet).
   */
  heartbeatTickMs?: number;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export class Kubelet {
  readonly name: string;
  private transport: InProcessTransport | undefined;
  private client: ApiClient | undefined;
  private recorder: EventRecorder | undefined;
  private lease: NodeLease | undefined;
  private nodeStatus: NodeStatusUpdater | undefined;
  private podInformer: SharedInformer | undefined;
  private nodeInformer: SharedInformer | undefined;
  private prober: ProberManager | undefined;
  private statusManager: StatusManager | undefined;
  /** The node's CNI plugin (bridge + host-local IPAM over the node's podCIDR), once the podCIDR is known. */
  private cni: CniPlugin | undefined;
  private readonly workers = new Map<string, PodWorker>();
  private readonly restartBackoff = new Backoff();
  private readonly pullBackoff = new Backoff();
  private runtimeSub: { dispose(): void } | undefined;
  private ac: AbortController | undefined;
  private running = false;
  private mirrors: MirrorPods | undefined;
  /** Pods kubelet admission turned away (they stay Failed). */
  private readonly rejected = new Set<string>();
  private images: NodeImages | undefined;

  constructor(private readonly o: KubeletOptions) {
    this.name = o.config.name;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get runtime(): ContainerRuntime {
    return this.o.runtime;
  }

  /** Pods this kubelet runs now. */
  podCount(): number {
    return this.workers.size;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { clock, config } = this.o;
    const logger = this.o.logger;
    this.ac = new AbortController();
    this.transport = new InProcessTransport({ handle: this.o.handle, user: nodeUser(this.name), userAgent: `kubelet/v1.32.0 (linux/amd64) kubelab` });
    const client = (this.client = new ApiClient(this.transport));
    // Its own sub-millisecond offset in event names (from the node's name, in the upper half of the millisecond):
    // the scheduler names events about the same pods in the same millisecond (Scheduled, then Pulling) from offset
    // 0 up, and a shared name would make the kubelet's event AlreadyExists.
    const stampOffsetNs = 500_000 + ([...this.name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % 499_999);
    this.recorder = createEventRecorder({ transport: this.transport, logger: logger.child('events'), clock, source: { component: 'kubelet', host: this.name }, stampOffsetNs });
    await registerNode({ client, config, build: (now) => buildNode(config, now), clock, logger, privilegedClient: this.o.privilegedClient, signal: this.ac.signal });
    if (!this.running) return;
    this.lease = new NodeLease({ client, nodeName: this.name, clock, logger, tickMs: this.o.heartbeatTickMs });
    this.lease.start();

    if (config.podCIDR) this.cni = new HostLocalBridge(config.podCIDR);
    const recorder = this.recorder;
    this.prober = new ProberManager({
      runtime: this.o.runtime,
      clock,
      logger: logger.child('prober'),
      event: (pod, type, reason, message, fieldPath) => {
        const m = pod.metadata;
        recorder.event(fieldPath ? { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, fieldPath } : (pod as Obj), type, reason, message);
      },
      onChange: (uid) => this.workers.get(uid)?.kick(),
    });
    this.statusManager = new StatusManager({ client, clock, logger: logger.child('status'), nodeName: this.name, resyncTickMs: this.o.heartbeatTickMs });
    const images = (this.images = new NodeImages(this.o.runtime, logger));
    await images.refresh();
    this.runtimeSub = this.o.runtime.onContainerEvent((e) => {
      // A container was created from an image: the image list (status.images, ImageLocality) may have grown.
      if (e.type === 'ContainerCreated') return images.schedule();
      if (e.type !== 'ContainerStopped' && e.type !== 'ContainerStarted') return;
      for (const w of this.workers.values()) if (w.ownsSandbox(e.sandboxId)) w.kick();
    });
    await this.adoptRuntime();
    this.mirrors = new MirrorPods({
      nodeName: this.name,
      logger,
      client: () => (this.running ? this.client : undefined),
      current: (key) => this.podInformer?.indexer.get(key) as ApiPod | undefined,
    });
    // Both caches are only read by key (upstream's kubelet keeps its pods in a plain store): no indexes to maintain.
    const indexers = {};
    this.nodeInformer = new SharedInformer({ transport: this.transport, resource: R.nodes, fieldSelector: `metadata.name=${this.name}`, clock, logger: logger.child('node informer'), indexers });
    this.nodeInformer.addEventHandler({ onAdd: (n) => this.onNode(n as Obj), onUpdate: (_o, n) => this.onNode(n as Obj) });
    this.podInformer = new SharedInformer({ transport: this.transport, resource: R.pods, fieldSelector: `spec.nodeName=${this.name}`, clock, logger: logger.child('pod informer'), indexers });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.onPod(p as ApiPod),
      onUpdate: (o, p) => this.onPod(p as ApiPod, o as ApiPod),
      onDelete: (p) => {
        const pod = deletedObject(p) as ApiPod;
        if (isMirrorPod(pod)) return this.mirrors?.onMirrorDeleted(pod);
        this.workers.get(String(pod.metadata.uid))?.removed();
      },
    });
    this.nodeInformer.run();
    this.podInformer.run();
    await Promise.all([this.nodeInformer.waitForSync(), this.podInformer.waitForSync()]).catch(() => undefined);
    const nodes = this.nodeInformer;
    // Node status reads the Node from the kubelet's own informer (upstream reads the API server's cache).
    this.nodeStatus = new NodeStatusUpdater({ client, clock, logger, config: () => config, cached: () => nodes.indexer.get(this.name) as Obj | undefined, images: () => images.current, tickMs: this.o.heartbeatTickMs });
    this.nodeStatus.start();
    this.startStaticPods();
  }

  private startStaticPods(): void {
    for (const manifest of this.o.staticPods ?? []) {
      const { key, pod } = this.mirrors!.add(manifest, this.o.clock.now());
      const uid = pod.metadata.uid ?? '';
      const w = this.workers.get(uid) ?? new PodWorker(pod, this.deps(key));
      this.workers.set(uid, w);
      w.kick();
    }
  }

  private onNode(n: Obj): void {
    this.mirrors?.setNodeUid(String((n.metadata as { uid?: string }).uid ?? ''));
    if (this.cni) return;
    const cidr = (n.spec as { podCIDR?: string } | undefined)?.podCIDR;
    if (!cidr) return;
    try {
      this.cni = new HostLocalBridge(cidr);
    } catch (e) {
      this.o.logger.error(`node ${this.name}: unusable podCIDR ${cidr}: ${(e as Error).message}`);
      return;
    }
    for (const w of this.workers.values()) {
      const ip = w.podIP;
      if (ip) this.cni.restore(w.uid, ip);
      w.kick();
    }
  }

  /** After a kubelet restart the runtime still runs sandboxes; their pods' workers take them over. */
  private async adoptRuntime(): Promise<void> {
    const sandboxes = await this.o.runtime.listSandboxes();
    if (!sandboxes.length) return;
    const containers = await this.o.runtime.listContainers();
    for (const s of sandboxes) {
      const pod = await this.client!.get(R.pods, s.config.namespace ?? '', s.config.name ?? '').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (!pod || (pod.metadata as { uid?: string }).uid !== s.podUid) {
        await this.o.runtime.removeSandbox(s.id);
        continue;
      }
      const w = this.worker(pod as ApiPod);
      w.adopt(s.id, s.ip, containers.filter((c) => c.sandboxId === s.id));
      this.cni?.restore(s.podUid, s.ip);
    }
  }

  private worker(pod: ApiPod): PodWorker {
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      w = new PodWorker(pod, this.deps());
      this.workers.set(uid, w);
    }
    return w;
  }

  /** `old`: the previous version on an update (a status-only change does not make the worker sync). */
  private onPod(pod: ApiPod, old?: ApiPod): void {
    if (isMirrorPod(pod)) {
      const uid = this.mirrors?.onMirrorChanged(pod);
      if (uid) this.workers.get(uid)?.kick();
      return;
    }
    const uid = pod.metadata.uid ?? '';
    const w = this.workers.get(uid);
    if (w) return old && !podsDifferSemantically(old, pod) ? w.observe(pod) : w.update(pod);
    const phase = (pod.status as { phase?: string } | undefined)?.phase ?? '';
    // A pod that finished before this kubelet started is not run again.
    if (TERMINAL.has(phase) && !pod.metadata.deletionTimestamp) return;
    if (this.rejected.has(uid)) return;
    if (!pod.metadata.deletionTimestamp && !this.admit(pod)) return;
    this.worker(pod).kick();
  }

  /** Kubelet admission: a pod that does not fit the node's allocatable is rejected (Failed, OutOf<resource>). */
  private admit(pod: ApiPod): boolean {
    const running = [...this.workers.values()].filter((w) => w.active).map((w) => w.apiPod);
    const r = admitPod(pod, running, nodeAllocatable(this.o.config));
    if (!r) return true;
    this.rejected.add(pod.metadata.uid ?? '');
    this.recorder?.event(pod as Obj, 'Warning', r.reason, r.message.replace(/^Pod was rejected: /, ''));
    this.statusManager?.setPodStatus(pod, { ...((pod.status ?? {}) as Obj), phase: 'Failed', reason: r.reason, message: r.message });
    return false;
  }

  private deps(staticKey?: string): WorkerDeps {
    const client = this.client!;
    const sm = this.statusManager!;
    // A static pod's status is written to its mirror pod.
    const status: WorkerDeps['status'] = staticKey
      ? {
          setPodStatus: (_pod, st) => {
            const m = this.mirrors?.mirrorOf(staticKey);
            if (m) sm.setPodStatus(m, st);
          },
          terminated: () => undefined,
          removePod: () => undefined,
        }
      : sm;
    const read: SourceReader = async (kind, ns, name) =>
      client.get(kind === 'ConfigMap' ? R.configmaps : R.secrets, ns, name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    return {
      runtime: this.o.runtime,
      clock: this.o.clock,
      recorder: this.recorder!,
      pullBackoff: this.pullBackoff,
      restartBackoff: this.restartBackoff,
      read,
      logger: this.o.logger,
      hostIP: this.o.config.internalIP,
      ipam: () => {
        const cni = this.cni;
        return cni && { allocate: (uid: string) => resultIP(cni.add(uid)), release: (uid: string) => cni.del(uid) };
      },
      prober: this.prober!,
      status,
      generate: (view, now) => generatePodStatus(view, now, { runtimeName: this.o.runtime.version().runtimeName }) as unknown as Obj,
      onGone: (uid) => this.workers.delete(uid),
    };
  }

  /** The containerLogs endpoint the API server's pods/log reaches. */
  async logs(pod: Obj, container: string, q: URLSearchParams): Promise<string | AsyncIterable<string>> {
    const m = pod.metadata as { uid?: string; name?: string };
    type Cs = { name: string; containerID?: string; state?: { running?: unknown; terminated?: unknown } };
    const st = (pod.status ?? {}) as { containerStatuses?: Cs[]; initContainerStatuses?: Cs[] };
    const apiStatus = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])].find((c) => c.name === container);
    return containerLogs(this.o.runtime, this.workers.get(m.uid ?? ''), m.name ?? '', container, q, this.o.clock.now(), apiStatus);
  }

  /** Resolves when every pod worker and the status manager have nothing left to do (tests, benchmarks). */
  async idle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.all([...this.workers.values()].map((w) => w.idle()));
      await this.statusManager?.idle();
    }
  }

  /** The kubelet dies: heartbeats, watches and workers stop; the runtime keeps what it runs. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.ac?.abort();
    this.podInformer?.stop();
    this.nodeInformer?.stop();
    for (const w of this.workers.values()) w.close();
    this.workers.clear();
    this.runtimeSub?.dispose();
    this.prober?.dispose();
    await Promise.all([this.lease?.stop(), this.nodeStatus?.stop(), this.statusManager?.close()]);
    this.recorder?.close();
    this.transport?.close();
    this.cni = undefined;
  }
}
