/**
 * The scheduling framework's extension points (upstream pkg/scheduler/framework/interface.go), one interface each.
 * A plugin implements any subset; the framework calls them in this order for one pod per cycle:
 *   PreEnqueue (before the pod may enter the active queue) · QueueSort (orders the active queue) ·
 *   PreFilter → Filter (per node; sync, must be cheap) → PostFilter (only when no node fits: preemption) ·
 *   PreScore → Score (per feasible node) → NormalizeScore → × weight ·
 *   Reserve / Unreserve · Permit · PreBind → Bind → PostBind (async, after the cycle).
 * Contracts: Filter and Score never write to the API and never modify the pod or NodeInfo; they read what
 * PreFilter/PreScore stored in the CycleState. A plugin returns a Status (never throws); the framework turns a
 * thrown error into Status Error. Scores after NormalizeScore are in [0, MAX_NODE_SCORE].
 * EnqueueExtensions tell the queue which cluster events may make a pod this plugin rejected schedulable again.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { EventRecorder } from '../../client/events';
import type { Lister, SharedInformerFactory } from '../../client/informers';
import type { ApiClient } from '../../controllers/framework/api-client';
import type { CycleState } from './cycle-state';
import type { NodeInfo } from './node-info';
import type { Pod, PodInfo } from './pod-info';
import type { Status } from './status';

export interface Plugin {
  /** Upstream's plugin name, e.g. `NodeResourcesFit`. */
  readonly name: string;
}

/** What the scheduling queue holds per pod. */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was added to the queue (clock ms); `initialAttemptTimestamp` when first tried. */
  timestamp: number;
  attempts: number;
  initialAttemptTimestamp?: number;
  /** Plugins that rejected it in its last attempt (which events can move it back). */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  gated: boolean;
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** A kind of cluster change (upstream ClusterEvent): resource × action. */
export type EventResource = 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Node' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | 'CSINode' | 'Namespace' | 'Service' | 'PodSchedulingGates' | '*';
export type ActionType = 'Add' | 'Delete' | 'Update' | 'UpdateNodeAllocatable' | 'UpdateNodeLabel' | 'UpdateNodeTaint' | 'UpdateNodeCondition' | 'UpdateNodeAnnotation' | 'UpdatePodLabel' | 'UpdatePodScaleDown' | 'UpdatePodTolerations' | 'UpdatePodSchedulingGatesEliminated' | 'All';

export interface ClusterEvent {
  resource: EventResource;
  actions: readonly ActionType[];
  /** Label for logs/metrics. */
  label?: string;
}

export type QueueingHint = 'Queue' | 'QueueSkip';

export interface ClusterEventWithHint {
  event: ClusterEvent;
  /** Whether this change may make `pod` schedulable for this plugin; absent = always Queue. Must be cheap. */
  hint?(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint;
}

export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}

/** A PreFilter may narrow the nodes to evaluate (e.g. NodeName, NodeAffinity with matchFields). */
export interface PreFilterResult {
  /** Only these nodes can fit; undefined = all. */
  nodeNames?: ReadonlySet<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status };
  /** Incremental updates of the PreFilter state when preemption simulates adding or removing pods. */
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

/** Per node, the status of the Filter that rejected it (upstream NodeToStatusMap / Diagnosis). */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterResult {
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, filteredNodeStatus: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

/**
 * What Score returns: the node's score, or the Status of a failure (upstream's `(0, status)`). A bare number keeps
 * the call allocation-free: Score runs (plugins × scored nodes) times per pod, hundreds of thousands a second.
 */
export type ScoreOutcome = number | Status;

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): ScoreOutcome;
  /** NormalizeScore, in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Promise<Status> | Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): Promise<void> | void;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  /** Skip = let the next Bind plugin do it. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** The scheduler's view of the cluster for one cycle (upstream Snapshot / SharedLister). */
export interface Snapshot {
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  havePodsWithAffinityList(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  /** `namespace/claim` keys of PVCs used by some pod with ReadWriteOncePod access (VolumeRestrictions). */
  isPVCUsedByPods(key: string): boolean;
}

/** Upstream PodNominator: pods nominated to run on a node after preemption (their resources count there). */
export interface PodNominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/**
 * What a plugin gets from the framework (upstream framework.Handle). Listers come from the scheduler's shared
 * informers (ask `informers.listerFor(R.persistentvolumeclaims)` etc. when the plugin is built, so the informer is
 * started with the others).
 */
export interface Handle {
  snapshot(): Snapshot;
  readonly client: ApiClient;
  readonly informers: SharedInformerFactory;
  /** The namespaces lister (affinity namespaceSelector). */
  readonly namespaces: Lister;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly nominator: PodNominator;
  /** For preemption: run the profile's Filter plugins (with nominated pods accounted for) on one node. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
  /** The profile's name (schedulerName). */
  readonly profileName: string;
}

/** Builds a plugin from its pluginConfig `args` (already defaulted by the plugin itself). */
export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => Plugin;

