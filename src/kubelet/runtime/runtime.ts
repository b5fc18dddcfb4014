/**
 * The CRI-like ContainerRuntime interface the kubelet drives (sandbox = pod, containers inside it, images per node),
 * and its contract. Every implementation (sim, process) runs test/conformance/container-runtime.conformance.ts.
 *
 * Contract shared by all methods:
 * - Ids are opaque strings chosen by the runtime, unique for the runtime's lifetime (never reused).
 * - Methods reject only with RuntimeError (./errors); `reason` is the upstream-style reason the kubelet reports
 *   (ErrImagePull, InvalidImageName, NotFound, FailedPrecondition), `message` is the text users see.
 * - Time comes from the injected Clock only; every timestamp is milliseconds since the epoch on that clock.
 * - Listeners of onContainerEvent may be called synchronously from within a runtime method or a clock timer; they
 *   must not throw (a throwing listener is ignored) and must not call back into the runtime re-entrantly expecting
 *   the event's own operation to have returned.
 */

/** When to pull, as the kubelet's imagePullPolicy (the runtime honours it itself so callers need not inspect). */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface PulledImage {
  /** The runtime's image id: "sha256:<64 hex>", stable for one reference. */
  imageId: string;
  /** The normalized reference that was pulled, e.g. "docker.io/library/nginx:latest". */
  imageRef: string;
  sizeBytes: number;
  /** True when the image was already present and nothing was fetched. */
  cached: boolean;
}

export interface ImageInfo {
  imageId: string;
  /** Normalized references ("repoTags") that name this image. */
  repoTags: string[];
  sizeBytes: number;
}

export interface SandboxConfig {
  /** The pod IP the CNI gave this sandbox. */
  ip: string;
  name?: string;
  namespace?: string;
  hostname?: string;
  labels?: Record<string, string>;
}

export type SandboxState = 'ready' | 'notready';

export interface SandboxStatus {
  id: string;
  podUid: string;
  state: SandboxState;
  ip: string;
  createdAt: number;
  config: SandboxConfig;
}

export interface ContainerPort {
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  name?: string;
}

export interface EnvVar {
  name: string;
  value: string;
}

/** What the kubelet hands the runtime for one container: the resolved Pod container, values already expanded. */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  resources?: { limits?: { memory?: string | number; cpu?: string | number } };
  ports?: ContainerPort[];
}

export type ContainerState = 'created' | 'running' | 'exited';

/** Why an exited container ended, as containerd reports it to the kubelet. */
export type ExitReason = 'Completed' | 'Error' | 'OOMKilled';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  /** The image as the spec named it, and the id of the image it runs. */
  image: string;
  imageId: string;
  state: ContainerState;
  createdAt: number;
  /** Set once started (running or exited after running). */
  startedAt?: number;
  /** Set once exited. */
  finishedAt?: number;
  /** Set once exited: 0 Completed; 137 SIGKILL/OOM; 143 died of SIGTERM; otherwise the program's code. */
  exitCode?: number;
  /** Set once exited: Completed when exitCode is 0, OOMKilled when the memory limit killed it, else Error. */
  reason?: ExitReason;
  /** Set when the runtime has something to say (e.g. the last words of the program). */
  message?: string;
}

export interface LogOptions {
  /** Only the last n lines (n ≥ 0); all when omitted. */
  tail?: number;
  /** Prefix every line with its RFC3339Nano time and a space, as `kubectl logs --timestamps`. */
  timestamps?: boolean;
  /** Keep streaming new lines until the container exits or the consumer stops iterating. */
  follow?: boolean;
}

export type ContainerEventType = 'ContainerCreated' | 'ContainerStarted' | 'ContainerStopped' | 'ContainerDeleted';

export interface ContainerEvent {
  type: ContainerEventType;
  containerId: string;
  sandboxId: string;
  /** Clock time of the event. */
  time: number;
  /** For ContainerStopped: the container's status at exit (exitCode, reason, finishedAt set). */
  status?: ContainerStatus;
}

export interface Disposable {
  dispose(): void;
}

export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
  /** The CRI API version this runtime speaks ("v1"). */
  runtimeApiVersion: string;
}

export interface ContainerRuntime {
  /** Name and version; the kubelet puts `${runtimeName}://${runtimeVersion}` into nodeInfo.containerRuntimeVersion. */
  version(): RuntimeVersion;

  // ── images ──────────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * Make `ref` present on this node. policy (default IfNotPresent): Always fetches even when present; IfNotPresent
   * returns at once (cached: true) when present; Never rejects with ErrImageNeverPull when absent.
   * Rejects with InvalidImageName for a reference that does not parse (message worded as the kubelet's:
   * `Failed to apply default image tag "X": couldn't parse image name "X": invalid reference format…`), and with
   * ErrImagePull when the registry does not have it (containerd's wording). Concurrent pulls of one reference share
   * one fetch.
   */
  pullImage(ref: string, policy?: PullPolicy): Promise<PulledImage>;
  /** The images present on this node, in no particular order. */
  listImages(): Promise<ImageInfo[]>;
  /** Whether `ref` is present (undefined when not), without pulling. Rejects InvalidImageName like pullImage. */
  imageStatus(ref: string): Promise<ImageInfo | undefined>;
  /** Remove an image (by id or reference). Removing an absent image is not an error. */
  removeImage(refOrId: string): Promise<void>;

  // ── sandboxes ───────────────────────────────────────────────────────────────────────────────────────────────
  /** Create and start the pod's sandbox (network namespace with config.ip); returns its id. */
  createSandbox(podUid: string, config: SandboxConfig): Promise<string>;
  /** Stop every container in it at once (grace 0) and mark it notready. Idempotent; NotFound if unknown. */
  stopSandbox(sandboxId: string): Promise<void>;
  /** Remove it and every container in it (stopping them first). Removing an unknown sandbox is not an error. */
  removeSandbox(sandboxId: string): Promise<void>;
  sandboxStatus(sandboxId: string): Promise<SandboxStatus>;
  listSandboxes(): Promise<SandboxStatus[]>;

  // ── containers ──────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * Create a container in a ready sandbox from an image that is present (the kubelet pulls first). Returns its id;
   * state created. Rejects NotFound for an unknown sandbox, FailedPrecondition for a notready one or an absent image.
   */
  createContainer(sandboxId: string, spec: ContainerSpec): Promise<string>;
  /** Start a created container (state running, startedAt now). FailedPrecondition unless created. */
  startContainer(containerId: string): Promise<void>;
  /**
   * Stop a container: deliver `signal` (default SIGTERM), and if it has not exited after graceMs, SIGKILL it
   * (exit 137). Resolves once it has exited. graceMs 0 or signal SIGKILL kills at once. Stopping a created or
   * exited container does nothing (as containerd). NotFound if unknown.
   */
  stopContainer(containerId: string, graceMs: number, signal?: 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGQUIT'): Promise<void>;
  /** Remove a container (a running one is killed first); its logs go with it. Removing an unknown id is not an error. */
  removeContainer(containerId: string): Promise<void>;
  /** NotFound if unknown. */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** Every container, optionally of one sandbox. */
  listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]>;
  /**
   * The container's output (stdout and stderr interleaved in order), lines ending in "\n". Without follow: the text
   * so far. With follow: an async iterator of lines (each ending "\n") that ends when the container has exited.
   */
  logs(containerId: string, options?: LogOptions & { follow?: false }): Promise<string>;
  logs(containerId: string, options: LogOptions & { follow: true }): Promise<AsyncIterable<string>>;

  /**
   * Optional, for the kubelet's probes: what an HTTP GET of `path` on the container's `port` answers (the status
   * code). Rejects with ConnectionRefused when nothing listens there (the container is not running or not a server).
   */
  probeHttp?(containerId: string, port: number, path: string): Promise<number>;
  /** Optional, for tcpSocket probes: resolves when a connection to `port` succeeds, rejects ConnectionRefused. */
  probeTcp?(containerId: string, port: number): Promise<void>;
  /**
   * Optional, for exec probes (CRI ExecSync): run `argv` inside the running container — its environment, working
   * directory and file system — and resolve with its exit code and its stdout and stderr together (in order, as
   * far as the runtime can tell). A non-zero exit resolves; it does not reject. Rejects NotFound for an unknown
   * container and FailedPrecondition unless it is running. timeoutMs > 0: a command still running after it is
   * stopped and the call rejects DeadlineExceeded (containerd's words); 0 means no timeout. If the container stops
   * while the command runs, the command dies with it (resolves with exit code 137).
   */
  exec?(containerId: string, argv: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;

  /** Subscribe to container lifecycle events (CRI's GetContainerEvents); dispose to stop. */
  onContainerEvent(listener: (e: ContainerEvent) => void): Disposable;
  /** Stop every timer the runtime holds; after dispose no event is emitted. */
  dispose(): void;
}
