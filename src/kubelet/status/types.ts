/**
 * The JSON shape of a Pod's status as the kubelet writes it (core/v1 PodStatus, ContainerStatus, PodCondition), the
 * condition types and reasons upstream's kubelet uses, and small read helpers over a pod's spec. Times are metav1.Time
 * strings (RFC 3339, whole seconds). Fields upstream leaves out when empty (omitempty) are left out here too;
 * `lastProbeTime: null` is never written (a null in a patch deletes the field); the API server stores the zero times
 * of every condition as null, as upstream's typed encoding does.
 */

import { rfc3339 } from '../node/identity';

let memoSecond = Number.NaN;
let memoText = '';
/** metav1.Time text of `ms` (whole seconds), remembering the last second asked for (most calls ask for "now"). */
export function metaTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== memoSecond) {
    memoSecond = second;
    memoText = rfc3339(ms);
  }
  return memoText;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface PodCondition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}

export interface ContainerStateRunning {
  startedAt?: string;
}

export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: ContainerStateRunning;
  terminated?: ContainerStateTerminated;
}

export interface ApiContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
}

export interface PodStatus {
  phase?: PodPhase;
  conditions?: PodCondition[];
  message?: string;
  reason?: string;
  nominatedNodeName?: string;
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  initContainerStatuses?: ApiContainerStatus[];
  containerStatuses?: ApiContainerStatus[];
  ephemeralContainerStatuses?: ApiContainerStatus[];
  qosClass?: QOSClass;
  [extra: string]: unknown;
}

// ── condition types and reasons (k8s.io/api core/v1, pkg/kubelet/status/generate.go) ─────────────────────────────
export const PodScheduled = 'PodScheduled';
export const PodReady = 'Ready';
export const PodInitialized = 'Initialized';
export const ContainersReady = 'ContainersReady';
export const PodReadyToStartContainers = 'PodReadyToStartContainers';
export const DisruptionTarget = 'DisruptionTarget';

export const UnknownContainerStatuses = 'UnknownContainerStatuses';
export const PodCompleted = 'PodCompleted';
export const PodFailed = 'PodFailed';
export const ContainersNotReady = 'ContainersNotReady';
export const ContainersNotInitialized = 'ContainersNotInitialized';
export const ReadinessGatesNotReady = 'ReadinessGatesNotReady';

/** Default waiting reasons (pkg/kubelet/kubelet_pods.go). */
export const ContainerCreating = 'ContainerCreating';
export const PodInitializing = 'PodInitializing';

/** kubetypes.PodConditionsByKubelet (resize conditions left out: in-place resize is not modelled). */
export const KUBELET_OWNED_CONDITIONS: ReadonlySet<string> = new Set([PodScheduled, PodReady, PodInitialized, ContainersReady, PodReadyToStartContainers]);
/** kubetypes.PodConditionSharedByKubelet. */
export const isConditionSharedByKubelet = (t: string): boolean => t === DisruptionTarget;
export const isConditionByKubelet = (t: string): boolean => KUBELET_OWNED_CONDITIONS.has(t);

export const isTerminalPhase = (p: string | undefined): boolean => p === 'Succeeded' || p === 'Failed';

// ── pod spec reading ────────────────────────────────────────────────────────────────────────────────────────────
export interface SpecContainer {
  name: string;
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readinessProbe?: unknown;
  startupProbe?: unknown;
}

export interface PodSpecView {
  containers: SpecContainer[];
  initContainers: SpecContainer[];
  restartPolicy: string;
  readinessGates: string[];
  hostNetwork: boolean;
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): SpecContainer[] => (Array.isArray(v) ? v.filter((c) => c && typeof c === 'object').map((c) => c as SpecContainer) : []);

export function podSpec(pod: Record<string, unknown>): PodSpecView {
  const spec = rec(pod.spec);
  const gates = Array.isArray(spec.readinessGates) ? spec.readinessGates.map((g) => String(rec(g).conditionType ?? '')) : [];
  return {
    containers: list(spec.containers),
    initContainers: list(spec.initContainers),
    restartPolicy: typeof spec.restartPolicy === 'string' && spec.restartPolicy ? spec.restartPolicy : 'Always',
    readinessGates: gates,
    hostNetwork: spec.hostNetwork === true,
  };
}

export function podStatusOf(pod: Record<string, unknown>): PodStatus {
  return rec(pod.status) as PodStatus;
}

/** podutil.IsRestartableInitContainer: an init container with restartPolicy Always (a sidecar). */
export const isRestartableInit = (c: SpecContainer): boolean => c.restartPolicy === 'Always';

/** kubetypes.IsStaticPod: the pod came from a file/URL source, not the API. */
export function isStaticPod(pod: Record<string, unknown>): boolean {
  const ann = rec(rec(pod.metadata).annotations);
  const source = ann['kubernetes.io/config.source'];
  return typeof source === 'string' && source !== '' && source !== 'api';
}

/** kubetypes.IsMirrorPod. */
export function isMirrorPod(pod: Record<string, unknown>): boolean {
  return 'kubernetes.io/config.mirror' in rec(rec(pod.metadata).annotations);
}

export function findCondition(conds: readonly PodCondition[] | undefined, type: string): PodCondition | undefined {
  return conds?.find((c) => c.type === type);
}
