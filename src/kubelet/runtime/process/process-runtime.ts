/**
 * The `process` ContainerRuntime (opt-in per node, never the default: it runs commands from manifests on the
 * user's machine as the user). Each container's command and args run as a real local child process (./process-
 * container), without a shell unless the command is one. Environment: exactly the spec's env, plus PATH (the
 * host's) and HOME (the container's directory) when the spec does not set them (./spawn-plan). Directories: each
 * container runs in rootDir/<sandboxId>/<containerId>, spec.workingDir resolved inside it; a container's directory
 * is removed with it, a sandbox's with the sandbox (dispose leaves them). Output: stdout and stderr line by line into
 * a bounded log (last 10,000 lines). Stop: the signal, then SIGKILL to the process group at the grace period (a
 * Clock timer). Memory limits: sampled where the OS allows (./memory-sampler). Processes are real, so the injected
 * Clock serves only timestamps and timers that stand for the kubelet's (grace period, exec timeout).
 *
 * Network: there is no network namespace. Programs listen on the host, so every sandbox's IP is 127.0.0.1 from the
 * kubelet's point of view (sandboxStatus reports it; the CNI's address stays in config.ip), and probeHttp/probeTcp
 * connect to 127.0.0.1:<port> for real (./probes). Two pods listening on one port collide, as hostNetwork pods do.
 * With `network` (the pod network data plane), a running container's declared TCP containerPorts are attached at
 * `podIP:port` (the CNI's address) → 127.0.0.1:port, so Services reach the real process; detached when it stops.
 * exec (exec probes) runs the command as another local process with the container's environment and working
 * directory (./process-exec).
 *
 * Images: no registry is reachable, so a pull only records the reference as present (the shared ../image-store:
 * parsing, InvalidImageName, policies, deterministic ids and nominal sizes). A container without a command cannot
 * run (its image's entrypoint is unknown): createContainer rejects with FailedPrecondition saying so.
 */
import { randomBytes, createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Clock } from '../../../base/clock';
import { silentLogger, type Logger } from '../../../base/logger';
import type { PodNetwork } from '../../../addons/cni/pod-network';
import { connectionRefused, failedPrecondition, notFound } from '../errors';
import { NetworkAttachments } from '../network-attachments';
import { ImageStore } from '../image-store';
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
import { MemorySampler, memoryLimitsSupported } from './memory-sampler';
import { PROBE_HOST, httpProbe, tcpProbe } from './probes';
import { ProcessContainer } from './process-container';
import type { StopSignal } from './process-group';
import { containerDir, sandboxDir, spawnPlan } from './spawn-plan';

export const PROCESS_RUNTIME_NAME = 'kubelab-process';
export const PROCESS_RUNTIME_VERSION = '0.1.0 (local processes)';

export interface ProcessRuntimeOptions {
  clock: Clock;
  /** Where container directories are made; should belong to this runtime alone. */
  rootDir: string;
  /** Seeds the ids (default "process"). */
  nodeName?: string;
  logger?: Logger;
  /** The pod network: declared containerPorts of running containers become reachable at podIP:port. */
  network?: PodNetwork;
}

interface Sandbox {
  status: SandboxStatus;
  containers: Set<string>;
}

export class ProcessRuntime implements ContainerRuntime {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly images = new ImageStore(async () => undefined);
  private readonly sampler = memoryLimitsSupported() ? new MemorySampler() : undefined;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, ProcessContainer>();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  /** Ids differ between runtime instances on one rootDir (a restarted node never reuses an old directory). */
  private readonly seed = `${randomBytes(8).toString('hex')}`;
  private seq = 0;
  private disposed = false;
  private readonly attached = new NetworkAttachments();

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
  }

  version(): RuntimeVersion {
    return { runtimeName: PROCESS_RUNTIME_NAME, runtimeVersion: PROCESS_RUNTIME_VERSION, runtimeApiVersion: 'v1' };
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
    await makeDir(sandboxDir(this.options.rootDir, id));
    const status: SandboxStatus = { id, podUid, state: 'ready', ip: PROBE_HOST, createdAt: this.clock.now(), config: copyConfig(config) };
    this.sandboxes.set(id, { status, containers: new Set() });
    return id;
  }

  async stopSandbox(sandboxId: string): Promise<void> {
    const sb = this.sandbox(sandboxId);
    sb.status.state = 'notready';
    await Promise.all([...sb.containers].map((id) => this.containers.get(id)?.killAndWait()));
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return;
    sb.status.state = 'notready';
    await Promise.all([...sb.containers].map((id) => this.removeContainer(id)));
    this.sandboxes.delete(sandboxId);
    await removeDir(sandboxDir(this.options.rootDir, sandboxId));
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
    const plan = spawnPlan(spec, containerDir(this.options.rootDir, sandboxId, id));
    await makeDir(plan.cwd);
    if (!this.sandboxes.has(sandboxId) || sb.status.state !== 'ready') throw failedPrecondition(`sandbox "${sandboxId}" is not ready`);
    const emit = (e: ContainerEvent) => {
      this.onNetworkEvent(e);
      this.emit(e);
    };
    const host = { clock: this.clock, emit, sampler: this.sampler, logger: this.logger };
    const c = new ProcessContainer(id, sandboxId, structuredClone(spec), imageId, plan, host);
    this.containers.set(id, c);
    sb.containers.add(id);
    this.emit({ type: 'ContainerCreated', containerId: id, sandboxId, time: this.clock.now() });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (!c.startable) throw failedPrecondition(`container "${containerId}" is in ${c.state} state, not created`);
    if (this.disposed) throw failedPrecondition('the runtime was disposed');
    await c.start();
  }

  async stopContainer(containerId: string, graceMs: number, signal?: StopSignal): Promise<void> {
    await this.container(containerId).stop(graceMs, signal);
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    this.containers.delete(containerId);
    this.sandboxes.get(c.sandboxId)?.containers.delete(containerId);
    this.attached.detach(containerId);
    await c.killAndWait();
    c.log.close();
    await removeDir(c.plan.dir);
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
    this.listening(containerId, port);
    return httpProbe(port, path);
  }

  async probeTcp(containerId: string, port: number): Promise<void> {
    this.listening(containerId, port);
    return tcpProbe(port);
  }

  /** Runs argv as a local process with the container's environment and working directory (./process-exec). */
  async exec(containerId: string, argv: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    return this.container(containerId).exec(argv, timeoutMs);
  }

  onContainerEvent(listener: (e: ContainerEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Kill every process (SIGKILL to each group), stop every timer; no event is emitted afterwards. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.attached.detachAll();
    for (const c of this.containers.values()) c.dispose();
    this.sampler?.dispose();
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────
  /** Attach a container's declared TCP ports when it starts, detach them when it stops (processes share the host). */
  private onNetworkEvent(e: ContainerEvent): void {
    const network = this.options.network;
    if (!network) return;
    if (e.type === 'ContainerStopped' || e.type === 'ContainerDeleted') return this.attached.detach(e.containerId);
    if (e.type !== 'ContainerStarted' || this.disposed) return;
    const c = this.containers.get(e.containerId);
    const ip = this.sandboxes.get(e.sandboxId)?.status.config.ip;
    if (!c || !ip) return;
    const ports = new Set((c.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort));
    this.attached.set(c.id, [...ports].map((port) => network.attach(ip, port, () => ({ host: PROBE_HOST, port }))));
  }

  /** A probe of a container that is not running never reaches the port (another program may listen there). */
  private listening(containerId: string, port: number): void {
    if (this.container(containerId).state !== 'running') throw connectionRefused(port, PROBE_HOST);
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

  private newId(kind: string): string {
    return createHash('sha256').update(`${this.options.nodeName ?? 'process'}/${this.seed}/${kind}/${++this.seq}`).digest('hex');
  }

  private sandbox(id: string): Sandbox {
    const sb = this.sandboxes.get(id);
    if (!sb) throw notFound('sandbox', id);
    return sb;
  }

  private container(id: string): ProcessContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  }
}

const copyConfig = (c: SandboxConfig): SandboxConfig => ({ ...c, labels: c.labels && { ...c.labels } });

const copySandbox = (s: SandboxStatus): SandboxStatus => ({ ...s, config: copyConfig(s.config) });

async function makeDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw failedPrecondition(`failed to create directory ${dir}: ${(e as Error).message}`);
  }
}

async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}
