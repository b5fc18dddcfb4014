/**
 * NodeResourcesFit (upstream plugins/noderesources/fit.go, 1.32). PreFilter writes the pod's requests (framework
 * podRequests) to the CycleState as a FitRequest; Filter rejects a node lacking room for them ("Too many pods",
 * "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage", "Insufficient <name>"; extended
 * resources listed in args.ignoredResources, or whose `domain` is in args.ignoredResourceGroups, are not checked),
 * always Unschedulable. PreScore writes the pod's per-resource requests (with the non-zero defaults for cpu/memory);
 * Score applies args.scoringStrategy (LeastAllocated by default over cpu and memory with weight 1, MostAllocated,
 * RequestedToCapacityRatio with its shape) to NodeInfo.nonZeroRequested; Score recomputes the requests when PreScore
 * did not run. Neither PreFilter nor PreScore ever returns Skip in 1.32. Events (1.32 defaults: queueing hints on,
 * in-place resize off): Pod/Delete and Node/Add|UpdateNodeAllocatable, with the hints of ./noderesources/fit-hints.
 * `newNodeResourcesFit` decodes, defaults and validates the pluginConfig args and throws on invalid ones.
 */
import {
  podRequests,
  Status,
  type ActionType,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type Pod,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type StateData,
  type ScoreOutcome,
} from '../framework';
import {
  defaultNodeResourcesFitArgs,
  parseNodeResourcesFitArgs,
  throwIfInvalid,
  validateNodeResourcesFitArgs,
  type NodeResourcesFitArgs,
  type ScoringStrategy,
} from './noderesources/args';
import { DEFAULT_FIT_FEATURES, isSchedulableAfterNodeChange, isSchedulableAfterPodEvent, type FitFeatures } from './noderesources/fit-hints';
import { filterStatus, FitRequest } from './noderesources/fits';
import { leastResourceScorer } from './noderesources/least-allocated';
import { mostResourceScorer } from './noderesources/most-allocated';
import { requestedToCapacityRatioScorer } from './noderesources/requested-to-capacity-ratio';
import { ResourceAllocationScorer, type ResourceScorer } from './noderesources/resource-allocation-scorer';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeResourcesFit';
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

/** The per-resource requests PreScore computed (same order as the strategy's resources). */
class PreScoreState implements StateData {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): StateData {
    return this;
  }
}

function strategyScorer(s: ScoringStrategy): ResourceScorer {
  switch (s.type) {
    case 'LeastAllocated':
      return leastResourceScorer(s.resources);
    case 'MostAllocated':
      return mostResourceScorer(s.resources);
    case 'RequestedToCapacityRatio':
      if (!s.requestedToCapacityRatio) throw new Error('scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio');
      return requestedToCapacityRatioScorer(s.resources, s.requestedToCapacityRatio.shape);
    default:
      throw new Error(`scoring strategy ${s.type} is not supported`);
  }
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  readonly ignoredResources: ReadonlySet<string>;
  readonly ignoredResourceGroups: ReadonlySet<string>;
  readonly scorer: ResourceAllocationScorer;

  /** NewFit: `args` must already be defaulted; they are validated here (throws when invalid). */
  constructor(
    args: NodeResourcesFitArgs,
    readonly features: FitFeatures = DEFAULT_FIT_FEATURES,
  ) {
    throwIfInvalid(validateNodeResourcesFitArgs(args));
    if (!args.scoringStrategy) throw new Error('scoring strategy not specified');
    this.ignoredResources = new Set(args.ignoredResources);
    this.ignoredResourceGroups = new Set(args.ignoredResourceGroups);
    const s = args.scoringStrategy;
    this.scorer = new ResourceAllocationScorer(s.type, s.resources, strategyScorer(s));
  }

  preFilter(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    state.write(PRE_FILTER_STATE_KEY, new FitRequest(podRequests(pod), this.ignoredResources, this.ignoredResourceGroups));
    return { status: SUCCESS };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<FitRequest>(PRE_FILTER_STATE_KEY);
    if (!s) return Status.error(`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    return filterStatus(s, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): Status {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(this.scorer.podRequestList(pod)));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    return this.scorer.score(nodeInfo, s ? s.podRequests : this.scorer.podRequestList(pod));
  }

  eventsToRegister(): ClusterEventWithHint[] {
    const podActions: ActionType[] = this.features.enableInPlacePodVerticalScaling ? ['Delete', 'UpdatePodScaleDown'] : ['Delete'];
    // Without queueing hints the queue's preCheck may drop Node/Add, so taint and label updates count as well.
    const nodeActions: ActionType[] = this.features.enableSchedulingQueueHint
      ? ['Add', 'UpdateNodeAllocatable']
      : ['Add', 'UpdateNodeAllocatable', 'UpdateNodeTaint', 'UpdateNodeLabel'];
    return [
      { event: { resource: 'Pod', actions: podActions }, hint: (pod, oldObj, newObj) => isSchedulableAfterPodEvent(this.features, pod, oldObj, newObj) },
      { event: { resource: 'Node', actions: nodeActions }, hint: (pod, oldObj, newObj) => isSchedulableAfterNodeChange(pod, oldObj, newObj) },
    ];
  }
}

/** The factory for a given feature set (tests, or a cluster with in-place resize on). */
export function nodeResourcesFitFactory(features: FitFeatures = DEFAULT_FIT_FEATURES): PluginFactory {
  return (args: Record<string, unknown> | undefined, _handle: Handle) => new NodeResourcesFit(defaultNodeResourcesFitArgs(parseNodeResourcesFitArgs(args)), features);
}

/** PluginFactory: pluginConfig args (may be undefined) → defaulted, validated plugin; throws on invalid args. */
export const newNodeResourcesFit: PluginFactory = nodeResourcesFitFactory();
