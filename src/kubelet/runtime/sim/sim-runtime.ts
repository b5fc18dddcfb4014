/**
 * The `sim` ContainerRuntime: containers that behave at the interface like real ones, on an injected Clock, with no
 * process or network behind them (each container has a small in-memory file system, ./sim-fs, shared with its execs). Images: ./images; programs: ./shell-run via ./container; behaviour
 * conventions (HTTP servers, memory, SIGTERM): ./behaviour. It says what it is: version() reports runtimeName
 * "kubelab-sim" and a version ending in "(simulated)".
 *
 * Network: with `network` (the pod network data plane), a running container that listens (./behaviour: HTTP
 * servers and uninterpreted applications) is attached at `podIP:port` for each of its ports, served by one shared
 * real HTTP listener per runtime (./http-listener) that answers with the pod's name; it is detached when the
 * container stops or is removed (with its sandbox), and the listener closes on dispose. Without `network` nothing
 * listens for real (probes still answer from ./behaviour).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../base/clock';
import type { PodNetwork } from '../../../addons/cni/pod-network';
import { connectionRefused, failedPrecondition, notFound } from '../errors';
import { NetworkAttachments } from '../network-attachments';
import type {
  ContainerEvent,
  ContainerRuntime,
  ContainerSpec,
  ContainerStatus,
  Disposable,
  ImageInfo,
  LogOptions,
  PulledImage,
  PullPolicy,
  RuntimeVersion,
  SandboxConfig,
  SandboxStatus,
} from '../runtime';
import { httpAnswer } from './behaviour';
import { SimContainer } from './container';
import { SimHttpListener } from './http-listener';
import { SimImageStore, type SimImageOptions } from './images';

export const SIM_RUNTIME_NAME = 'kubelab-sim';
export const SIM_RUNTIME_VERSION = '0.1.0 (simulated)';

export interface SimRuntimeOptions extends SimImageOptions {
  clock: Clock;
  /** Seeds the ids, so two nodes never hand out the same one (default "sim"). */
  nodeName?: string;
  /** The pod network: listening containers become reachable at podIP:port (./http-listener). */
  network?: PodNetwork;
}

interface Sandbox {
  status: SandboxStatus;
  containers: Set<string>;
}

export class SimRuntime implements ContainerRuntime {
  private readonly clock: Clock;
  private readonly images: SimImageStore;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, SimContainer>();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  private seq = 0;
  private disposed = false;
  private readonly http = new SimHttpListener();
  private readonly attached = new NetworkAttachments();

  constructor(private readonly options: SimRuntimeOptions) {
    this.clock = options.clock;
    this.images = new SimImageStore(options.clock, options);
  }

  version(): RuntimeVersion {
    return { runtimeName: SIM_RUNTIME_NAME, runtimeVersion: SIM_RUNTIME_VERSION, runtimeApiVersion: 'v1' };
  }

  // ── images ──────────────────────────────────────────────────────────────────────────────────────────────────
  async pullImage(ref: string, policy?: PullPolicy): Promise<PulledImage> {
    return this.images.pull(ref, policy);
  }

  async listImages(): Promise<ImageInfo[]> {
    return this.images.list();
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    return this.images.status(ref);
  }

  async removeImage(refOrId: string): Promise<void> {
    this.images.remove(refOrId);
  }

  // ── sandboxes ───────────────────────────────────────────────────────────────────────────────────────────────
  async createSandbox(podUid: string, config: SandboxConfig): Promise<string> {
    const id = this.newId('sandbox');
    const status: SandboxStatus = { id, podUid, state: 'ready', ip: config.ip, createdAt: this.clock.now(), config: { ...config } };
    this.sandboxes.set(id, { status, containers: new Set() });
    return id;
  }

  async stopSandbox(sandboxId: string): Promise<void> {
    const sb = this.sandbox(sandboxId);
    for (const id of sb.containers) this.containers.get(id)?.kill();
    sb.status.state = 'notready';
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return;
    for (const id of [...sb.containers]) await this.removeContainer(id);
    this.sandboxes.delete(sandboxId);
  }

  async sandboxStatus(sandboxId: string): Promise<SandboxStatus> {
    return copySandbox(this.sandbox(sandboxId).status);
  }

  async listSandboxes(): Promise<SandboxStatus[]> {
    return [...this.sandboxes.values()].map((s) => copySandbox(s.status));
  }

  // ── containers ──────────────────────────────────────────────────────────────────────────────────────────────
  async createContainer(sandboxId: string, spec: ContainerSpec): Promise<string> {
    const sb = this.sandbox(sandboxId);
    if (sb.status.state !== 'ready') throw failedPrecondition(`sandbox "${sandboxId}" is not ready`);
    const imageId = this.images.idOf(spec.image);
    if (!imageId) throw failedPrecondition(`image "${spec.image}" is not present: pull it first`);
    const id = this.newId(`container/${spec.name}`);
    const hostname = sb.status.config.hostname ?? sb.status.config.name ?? sandboxId.slice(0, 12);
    const c = new SimContainer(id, sandboxId, structuredClone(spec), imageId, {
      clock: this.clock,
      hostname,
      emit: (e) => {
        this.onNetworkEvent(e);
        this.emit(e);
      },
    });
    this.containers.set(id, c);
    sb.containers.add(id);
    this.emit({ type: 'ContainerCreated', containerId: id, sandboxId, time: this.clock.now() });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (c.state !== 'created') throw failedPrecondition(`container "${containerId}" is in ${c.state} state, not created`);
    c.start();
  }

  async stopContainer(containerId: string, graceMs: number, signal?: 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGQUIT'): Promise<void> {
    await this.container(containerId).stop(graceMs, signal);
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    c.kill();
    c.dispose();
    this.attached.detach(containerId);
    this.containers.delete(containerId);
    this.sandboxes.get(c.sandboxId)?.containers.delete(containerId);
    this.emit({ type: 'ContainerDeleted', containerId, sandboxId: c.sandboxId, time: this.clock.now() });
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.container(containerId).status();
  }

  async listContainers(filter: { sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    return [...this.containers.values()].filter((c) => !filter.sandboxId || c.sandboxId === filter.sandboxId).map((c) => c.status());
  }

  logs(containerId: string, options?: LogOptions & { follow?: false }): Promise<string>;
  logs(containerId: string, options: LogOptions & { follow: true }): Promise<AsyncIterable<string>>;
  async logs(containerId: string, options: LogOptions = {}): Promise<string | AsyncIterable<string>> {
    const c = this.container(containerId);
    if (options.tail !== undefined && (!Number.isInteger(options.tail) || options.tail < 0)) throw failedPrecondition(`invalid tail ${options.tail}`);
    return options.follow ? c.log.follow(options) : c.log.read(options);
  }

  async probeHttp(containerId: string, port: number, path: string): Promise<number> {
    const c = this.listening(containerId, port);
    return httpAnswer(c.behaviour, path);
  }

  async probeTcp(containerId: string, port: number): Promise<void> {
    this.listening(containerId, port);
  }

  /** Runs argv through the sim's shell interpreter inside the container (./container exec). */
  async exec(containerId: string, argv: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    return this.container(containerId).exec(argv, timeoutMs);
  }

  onContainerEvent(listener: (e: ContainerEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    this.attached.detachAll();
    void this.http.close();
    this.images.dispose();
    for (const c of this.containers.values()) {
      c.dispose();
      c.log.close();
    }
    this.listeners.clear();
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────
  /** Attach a container's ports when it starts listening, detach them when it stops. */
  private onNetworkEvent(e: ContainerEvent): void {
    const net = this.options.network;
    if (!net) return;
    if (e.type === 'ContainerStopped' || e.type === 'ContainerDeleted') return this.attached.detach(e.containerId);
    if (e.type !== 'ContainerStarted' || this.disposed) return;
    const c = this.containers.get(e.containerId);
    const sb = this.sandboxes.get(e.sandboxId);
    if (!c || !sb || c.state !== 'running' || !c.behaviour.listens) return;
    const cfg = sb.status.config;
    const target = { name: cfg.name ?? cfg.hostname ?? sb.status.id.slice(0, 12), behaviour: c.behaviour };
    this.attached.set(c.id, [...c.behaviour.ports].map((port) => this.http.attach(net, cfg.ip, port, target)));
  }

  private listening(containerId: string, port: number): SimContainer {
    const c = this.container(containerId);
    if (c.state !== 'running' || !c.behaviour.ports.has(port)) throw connectionRefused(port);
    return c;
  }

  private emit(e: ContainerEvent): void {
    if (this.disposed) return;
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // listeners must not throw; one that does cannot stop the others
      }
    }
  }

  /** Ids are also unique across runtimes of the same node (a restarted cluster never reuses a containerID). */
  private readonly salt = randomBytes(8).toString('hex');

  private newId(kind: string): string {
    return createHash('sha256').update(`${this.options.nodeName ?? 'sim'}/${this.salt}/${kind}/${++this.seq}`).digest('hex');
  }

  private sandbox(id: string): Sandbox {
    const sb = this.sandboxes.get(id);
    if (!sb) throw notFound('sandbox', id);
    return sb;
  }

  private container(id: string): SimContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  }
}

const copySandbox = (s: SandboxStatus): SandboxStatus => ({ ...s, config: { ...s.config, labels: s.config.labels && { ...s.config.labels } } });
