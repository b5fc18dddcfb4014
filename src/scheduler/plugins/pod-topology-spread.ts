/**
 * PodTopologySpread (upstream pkg/scheduler/framework/plugins/podtopologyspread): spreads pods over topology domains.
 * DoNotSchedule constraints are hard (PreFilter/Filter, with AddPod/RemovePod for preemption); ScheduleAnyway
 * constraints are soft (PreScore/Score/NormalizeScore). A pod without constraints of its own gets the cluster's
 * default constraints (args `defaultingType: System` — the default — gives hostname maxSkew 3 and zone maxSkew 5,
 * ScheduleAnyway; `List` uses `defaultConstraints`), with the selector taken from its Services and controlling
 * ReplicationController/ReplicaSet/StatefulSet. Default weight 2.
 */
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { R } from '../../controllers/framework/resources';
import {
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
import { filterTopologySpreadConstraints, podLabels, SYSTEM_DEFAULT_CONSTRAINTS, type SpreadConstraint, type UnsatisfiableAction } from './podtopologyspread/common';
import { defaultSelector, type OwnerListers } from './podtopologyspread/default-selector';
import { calPreFilterState, filterNode, PreFilterState, updateWithPod } from './podtopologyspread/filtering';
import { nodeChangeHint, podChangeHint } from './podtopologyspread/queueing-hints';
import { calPreScoreState, normalizeScores, PreScoreState, scoreNode } from './podtopologyspread/scoring';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'PodTopologySpread';
/** Weight in the upstream default profile. */
export const DEFAULT_WEIGHT = 2;
export const PRE_FILTER_STATE_KEY = `PreFilter${NAME}`;
export const PRE_SCORE_STATE_KEY = `PreScore${NAME}`;

/** PodTopologySpreadArgs, defaulted: defaultingType System unless set. */
export interface PodTopologySpreadArgs {
  defaultConstraints: TopologySpreadConstraint[];
  defaultingType: 'System' | 'List';
}

export function defaultPodTopologySpreadArgs(args: Record<string, unknown> | undefined): PodTopologySpreadArgs {
  const a = (args ?? {}) as Partial<PodTopologySpreadArgs>;
  const out: PodTopologySpreadArgs = { defaultConstraints: a.defaultConstraints ?? [], defaultingType: a.defaultingType ?? 'System' };
  const errs: string[] = [];
  if (out.defaultingType !== 'System' && out.defaultingType !== 'List') {
    errs.push(`defaultingType: Unsupported value: "${String(out.defaultingType)}": supported values: "List", "System"`);
  }
  if (out.defaultingType === 'System' && out.defaultConstraints.length > 0) errs.push('defaultingType: Invalid value: "System": when .defaultConstraints are not empty');
  const seen = new Set<string>();
  out.defaultConstraints.forEach((c, i) => {
    const p = `defaultConstraints[${i}]`;
    if (!(c.maxSkew > 0)) errs.push(`${p}.maxSkew: Invalid value: ${c.maxSkew}: must be greater than zero`);
    if (!c.topologyKey) errs.push(`${p}.topologyKey: Required value: can not be empty`);
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      errs.push(`${p}.whenUnsatisfiable: Unsupported value: "${c.whenUnsatisfiable}": supported values: "DoNotSchedule", "ScheduleAnyway"`);
    }
    if (c.labelSelector) errs.push(`${p}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
    const k = `${c.topologyKey}\u0000${c.whenUnsatisfiable}`;
    if (seen.has(k)) errs.push(`${p}: Duplicate value: {"${c.topologyKey}" "${c.whenUnsatisfiable}"}`);
    seen.add(k);
  });
  if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  return out;
}

function ownConstraints(pod: Pod): TopologySpreadConstraint[] {
  return (pod.spec as { topologySpreadConstraints?: TopologySpreadConstraint[] } | undefined)?.topologySpreadConstraints ?? [];
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = NAME;
  readonly systemDefaulted: boolean;
  readonly defaultConstraints: readonly TopologySpreadConstraint[];
  private readonly listers: OwnerListers | undefined;

  constructor(
    args: PodTopologySpreadArgs,
    private readonly handle: Handle,
  ) {
    this.systemDefaulted = args.defaultingType === 'System';
    this.defaultConstraints = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints;
    if (this.defaultConstraints.length > 0) {
      const f = handle.informers;
      this.listers = { services: f.listerFor(R.services), replicationControllers: f.listerFor(R.replicationcontrollers), replicaSets: f.listerFor(R.replicasets), statefulSets: f.listerFor(R.statefulsets) };
    }
  }

  /** The pod's constraints with `action` (its own, or the defaults with the deduced selector). Throws on bad selectors. */
  constraintsFor(pod: Pod, action: UnsatisfiableAction): SpreadConstraint[] {
    const own = ownConstraints(pod);
    if (own.length > 0) return filterTopologySpreadConstraints(own, podLabels(pod), action);
    const cs = filterTopologySpreadConstraints(this.defaultConstraints, podLabels(pod), action);
    if (cs.length === 0 || !this.listers) return [];
    const selector = defaultSelector(pod, this.listers);
    if (selector.empty()) return [];
    return cs.map((c) => ({ ...c, selector }));
  }

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { status: Status } {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'DoNotSchedule');
    } catch (e) {
      return { status: Status.error(`get constraints from pod: obtaining pod's hard topology spread constraints: ${(e as Error).message}`) };
    }
    if (constraints.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_STATE_KEY, calPreFilterState(pod, constraints, nodes));
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    return this.update(state, podToSchedule, podInfoToAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    return this.update(state, podToSchedule, podInfoToRemove, nodeInfo, -1);
  }

  private update(state: CycleState, podToSchedule: Pod, pi: PodInfo, nodeInfo: NodeInfo, delta: number): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return state.skipFilterPlugins.has(NAME) ? SUCCESS : Status.error(`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    updateWithPod(s, pi.pod, podToSchedule, nodeInfo.node, delta);
    return SUCCESS;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return Status.error(`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    return filterNode(s, pod, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, filteredNodes: readonly NodeInfo[]): Status {
    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return Status.skip();
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    } catch (e) {
      return Status.error(`calculating preScoreState: obtaining pod's soft topology spread constraints: ${(e as Error).message}`);
    }
    if (constraints.length === 0) return Status.skip();
    const requireAllTopologies = ownConstraints(pod).length > 0 || !this.systemDefaulted;
    state.write(PRE_SCORE_STATE_KEY, calPreScoreState(pod, constraints, filteredNodes, allNodes, requireAllTopologies));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return Status.error(`error reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    return scoreNode(s, pod, nodeInfo);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return Status.error(`error reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    normalizeScores(s, scores);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    const hard = (p: Pod) => this.constraintsFor(p, 'DoNotSchedule');
    return [
      { event: { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'UpdatePodTolerations', 'Delete'] }, hint: (pod, o, n) => podChangeHint(hard, pod, o, n) },
      { event: { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'] }, hint: (pod, o, n) => nodeChangeHint(hard, pod, o, n) },
    ];
  }
}

export const newPodTopologySpread: PluginFactory = (args, handle) => new PodTopologySpread(defaultPodTopologySpreadArgs(args), handle);
