/**
 * What a PodWorker needs from the kubelet around it — the runtime, the prober, the status manager, the node's IPAM,
 * the status generator and the back-offs — and the shapes it works with (the API pod, a container's record).
 */
import type { Logger } from '../../base/logger';
import type { ContainerStatus } from '../runtime/runtime';
import type { Backoff } from './backoff';
import type { StartDeps } from './container-start';
import type { RestartPolicy, SpecContainer } from './pod-actions';
import type { ContainerRecord, PodView, ProbeVerdict } from './pod-view';

export type Obj = Record<string, unknown>;
export type ApiPod = Obj & { metadata: { uid?: string; name?: string; namespace?: string; deletionTimestamp?: string; deletionGracePeriodSeconds?: number } };

export interface ProberLike {
  addPod(pod: ApiPod): void;
  removePod(podUid: string): void;
  setContainer(podUid: string, name: string, c: ContainerStatus | undefined): void;
  verdict(podUid: string, name: string): ProbeVerdict | undefined;
  mustRestart(podUid: string, name: string): { message: string } | undefined;
}

export interface StatusSink {
  setPodStatus(pod: ApiPod, status: Obj): void;
  terminated(pod: ApiPod): void;
  removePod(podUid: string): void;
}

export interface IpamLike {
  allocate(podUid: string): string;
  release(podUid: string): void;
}

export interface WorkerDeps extends StartDeps {
  logger: Logger;
  hostIP: string;
  /** The node's IPAM once its podCIDR is known. */
  ipam(): IpamLike | undefined;
  prober: ProberLike;
  status: StatusSink;
  generate(view: PodView, nowMs: number): Obj;
  restartBackoff: Backoff;
  /** The worker has cleaned up after a pod that left the API. */
  onGone(podUid: string): void;
}

export interface ApiContainerStatus {
  name: string;
  restartCount?: number;
  state?: { running?: unknown; terminated?: unknown };
  lastState?: { terminated?: unknown };
}

/** The worker's record of one container: the pod view's record plus its own bookkeeping. */
export interface Rec extends ContainerRecord {
  image?: string;
  /** An instance ran before this worker existed (the next start is a restart). */
  ranBefore?: boolean;
  /** The current instance was killed for a definition change: it restarts whatever the policy, without back-off. */
  killedForChange?: boolean;
}

export interface PodSpec {
  initContainers?: (SpecContainer & Obj)[];
  containers?: (SpecContainer & Obj)[];
  restartPolicy?: RestartPolicy;
  terminationGracePeriodSeconds?: number;
}
