/**
 * The kubelet's internal view of one pod as its pod worker sees it (upstream kubecontainer.PodStatus plus the
 * worker's own bookkeeping): the contract between the pod worker (which drives the runtime), the prober manager
 * (which judges containers) and the status generator (which turns all of it into the pod's API status).
 *
 * Contract:
 * - `containers` lists every container of the spec exactly once, init containers first in spec order, then the
 *   regular containers in spec order. Ephemeral containers are not run.
 * - `current` is the runtime's status of the latest instance of that container (absent until one was created);
 *   `previous` the instance before it once that one has terminated (the source of lastState and of
 *   `kubectl logs --previous`). Both are snapshots: the view is rebuilt on every sync, never mutated afterwards.
 * - `restartCount` counts instances started after the first (upstream: the restart count of the latest container).
 * - `waiting` is set when the container has no running instance and the worker knows why (ContainerCreating,
 *   PodInitializing, ErrImagePull, ImagePullBackOff, InvalidImageName, ErrImageNeverPull, CrashLoopBackOff,
 *   CreateContainerConfigError, CreateContainerError); messages are upstream's words.
 */
import type { ContainerStatus, SandboxStatus } from '../runtime/runtime';

export type ContainerKind = 'init' | 'regular';

export interface Waiting {
  reason: string;
  message?: string;
}

export interface ContainerRecord {
  name: string;
  kind: ContainerKind;
  /** For init containers: restartPolicy Always makes it a sidecar (keeps running, counts for readiness). */
  sidecar?: boolean;
  current?: ContainerStatus;
  previous?: ContainerStatus;
  restartCount: number;
  waiting?: Waiting;
}

/** What the prober manager currently says about one container instance (upstream's results managers). */
export interface ProbeVerdict {
  /** Readiness: false until a readiness probe succeeded; true when running with no readiness probe. */
  ready: boolean;
  /** Startup: false until a startup probe succeeded; true when running with no startup probe. */
  started: boolean;
}

export interface PodView {
  /** The API pod (as last seen; treat as read-only). */
  pod: Record<string, unknown> & { metadata: { uid?: string; name?: string; namespace?: string } };
  sandbox?: SandboxStatus;
  containers: ContainerRecord[];
  /** Probe verdicts per container name for the current instance (absent: not running / no verdict yet). */
  probes: ReadonlyMap<string, ProbeVerdict>;
  /** The node's InternalIP. */
  hostIP: string;
  /** The sandbox IP, once it has one. */
  podIP?: string;
  /** Set once the pod worker has stopped everything because the pod is being deleted or has finished. */
  terminated?: boolean;
}
