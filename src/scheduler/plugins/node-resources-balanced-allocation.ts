/**
 * NodeResourcesBalancedAllocation (upstream plugins/noderesources/balanced_allocation.go, 1.32): favours nodes whose
 * resource usage stays balanced once the pod is placed. Per configured resource (args.resources, default cpu and
 * memory, every weight must be 1) the fraction (requested + pod) / allocatable, capped at 1, using the real requests
 * (NodeInfo.requested and podRequests — no non-zero defaults: upstream's useRequested); resources the node lacks, and
 * scalar resources the pod does not request, are left out. Score = trunc((1 - std) * 100) where std is
 * |f0 - f1| / 2 for two fractions and the population standard deviation for more (0 for fewer). PreScore stores the
 * pod's requests and never Skips in 1.32 (best-effort pods are scored too; the Skip came in 1.33); Score recomputes
 * them when PreScore did not run. A pure Score plugin: no events. `score` allocates nothing per node.
 */
import {
  MAX_NODE_SCORE as FRAMEWORK_MAX_NODE_SCORE,
  Status,
  type CycleState,
  type Handle,
  type NodeInfo,
  type Pod,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type StateData,
  type ScoreOutcome,
} from '../framework';
import {
  defaultBalancedAllocationArgs,
  parseBalancedAllocationArgs,
  throwIfInvalid,
  validateBalancedAllocationArgs,
  type NodeResourcesBalancedAllocationArgs,
} from './noderesources/args';
import { ResourceAllocationScorer } from './noderesources/resource-allocation-scorer';

/** Read once: imports are getters under the CommonJS transform, and scoring runs per node. */
const MAX_NODE_SCORE = FRAMEWORK_MAX_NODE_SCORE;

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeResourcesBalancedAllocation';
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

class PreScoreState implements StateData {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): StateData {
    return this;
  }
}

function fraction(requested: number, allocatable: number): number {
  const f = requested / allocatable;
  return f > 1 ? 1 : f;
}

/** balancedResourceScorer: 100 × (1 − the standard deviation of the usage fractions). */
export function balancedResourceScorer(requested: readonly number[], allocatable: readonly number[]): number {
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = fraction(requested[i], allocatable[i]);
    if (count === 0) first = f;
    else if (count === 1) second = f;
    total += f;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const d = fraction(requested[i], allocatable[i]) - mean;
      sum = sum + d * d;
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly scorer: ResourceAllocationScorer;

  /** NewBalancedAllocation: `args` must already be defaulted; they are validated here (throws when invalid). */
  constructor(args: NodeResourcesBalancedAllocationArgs) {
    throwIfInvalid(validateBalancedAllocationArgs(args));
    this.scorer = new ResourceAllocationScorer(NAME, args.resources, balancedResourceScorer, true);
  }

  preScore(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): Status {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(this.scorer.podRequestList(pod)));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    return this.scorer.score(nodeInfo, s ? s.podRequests : this.scorer.podRequestList(pod));
  }
}

/** PluginFactory: pluginConfig args (may be undefined) → defaulted, validated plugin; throws on invalid args. */
export const newNodeResourcesBalancedAllocation: PluginFactory = (args: Record<string, unknown> | undefined, _handle: Handle) =>
  new NodeResourcesBalancedAllocation(defaultBalancedAllocationArgs(parseBalancedAllocationArgs(args)));
