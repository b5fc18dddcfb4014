/**
 * InterPodAffinity (upstream pkg/scheduler/framework/plugins/interpodaffinity): required pod affinity and
 * anti-affinity (PreFilter/Filter, AddPod/RemovePod for preemption), including existing pods' required
 * anti-affinity against the incoming pod; preferred terms of the incoming pod and of existing pods, and existing
 * pods' required affinity weighted by `hardPodAffinityWeight` (PreScore/Score/NormalizeScore). The incoming pod's
 * namespaceSelectors are resolved through the namespaces lister. Args: hardPodAffinityWeight (default 1, 0–100),
 * ignorePreferredTermsOfExistingPods (default false). Default weight 2.
 */
import {
  podInfo,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type Pod,
  type PodInfo,
  type PluginFactory,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type ScoreOutcome,
} from '../framework';
import { mergedPodInfo, namespaceLabelsSnapshot } from './interpodaffinity/common';
import { calPreFilterState, filterNode, PreFilterState } from './interpodaffinity/filtering';
import { nodeChangeHint, podChangeHint } from './interpodaffinity/queueing-hints';
import { calPreScoreState, normalizeScores, PreScoreState, scoreNode } from './interpodaffinity/scoring';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'InterPodAffinity';
/** Weight in the upstream default profile. */
export const DEFAULT_WEIGHT = 2;
export const PRE_FILTER_STATE_KEY = `PreFilter${NAME}`;
export const PRE_SCORE_STATE_KEY = `PreScore${NAME}`;

export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

export function defaultInterPodAffinityArgs(args: Record<string, unknown> | undefined): InterPodAffinityArgs {
  const a = (args ?? {}) as Partial<InterPodAffinityArgs>;
  const out = { hardPodAffinityWeight: a.hardPodAffinityWeight ?? 1, ignorePreferredTermsOfExistingPods: a.ignorePreferredTermsOfExistingPods ?? false };
  const w = out.hardPodAffinityWeight;
  if (!Number.isInteger(w) || w < 0 || w > 100) throw new Error(`hardPodAffinityWeight: Invalid value: ${w}: not in valid range [0-100]`);
  return out;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = NAME;

  constructor(
    readonly args: InterPodAffinityArgs,
    private readonly handle: Handle,
  ) {}

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { status: Status } {
    let pi: PodInfo;
    try {
      pi = mergedPodInfo(podInfo(pod), this.handle.namespaces);
    } catch (e) {
      return { status: Status.unresolvable(`parsing pod: ${(e as Error).message}`) };
    }
    const nsLabels = namespaceLabelsSnapshot(String(pod.metadata?.namespace ?? ''), this.handle.namespaces);
    const s = calPreFilterState(pi, nsLabels, nodes, this.handle.snapshot().havePodsWithRequiredAntiAffinityList());
    if (s.existingAntiAffinityCounts.size === 0 && pi.requiredAffinityTerms.length === 0 && pi.requiredAntiAffinityTerms.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_STATE_KEY, s);
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    return this.update(state, podInfoToAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, _podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    return this.update(state, podInfoToRemove, nodeInfo, -1);
  }

  private update(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo, multiplier: number): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return state.skipFilterPlugins.has(NAME) ? SUCCESS : Status.error(`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    s.updateWithPod(pi, nodeInfo.node, multiplier);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return Status.error(`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    return filterNode(s, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status {
    let pi: PodInfo;
    try {
      pi = mergedPodInfo(podInfo(pod), this.handle.namespaces);
    } catch (e) {
      return Status.error(`failed to parse pod: ${(e as Error).message}`);
    }
    const hasConstraints = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return Status.skip();
    const snap = this.handle.snapshot();
    const nodes = hasConstraints ? snap.list() : snap.havePodsWithAffinityList();
    const nsLabels = namespaceLabelsSnapshot(String(pod.metadata?.namespace ?? ''), this.handle.namespaces);
    const s = calPreScoreState({ podInfo: pi, namespaceLabels: nsLabels, hardPodAffinityWeight: this.args.hardPodAffinityWeight, hasConstraints }, nodes);
    if (!s) return Status.skip();
    state.write(PRE_SCORE_STATE_KEY, s);
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return Status.error(`failed to read "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    return scoreNode(s, nodeInfo);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return Status.error(`failed to read "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    normalizeScores(s, scores);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'Delete'] }, hint: podChangeHint },
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel', 'UpdateNodeTaint'] }, hint: nodeChangeHint },
    ];
  }
}

export const newInterPodAffinity: PluginFactory = (args, handle) => new InterPodAffinity(defaultInterPodAffinityArgs(args), handle);
