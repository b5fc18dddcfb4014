/**
 * NodeCost — KubeLab's own Score plugin (not in kube-scheduler), from the article's remark that a cloud scheduler can
 * pick "the node that saves the most money". Off by default; enable it in the profile (KubeSchedulerConfiguration
 * `plugins.score.enabled: [{name: NodeCost, weight: N}]`). Args: `{ label?: string }`, the node label holding the
 * node's hourly cost (default `kubelab.dev/hourly-cost`, a plain decimal such as `0.096`).
 * PreScore reads the cost of every candidate node (parsed once per Node object) and keeps the lowest and highest;
 * Score maps a node's cost linearly onto 0–100 — the cheapest 100, the most expensive 0, all equal 100 — so it is
 * already normalized (no NormalizeScore). A node without the label, or with a value that is not a non-negative
 * decimal, scores 0. PreScore returns Skip when no candidate node has a cost.
 */
import type { Handle, Node, NodeInfo, Pod, PreScorePlugin, ScoreOutcome, ScorePlugin, StateData } from '../framework';
import { MAX_NODE_SCORE, Status, type CycleState } from '../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeCost';
export const DEFAULT_COST_LABEL = 'kubelab.dev/hourly-cost';
const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

export interface NodeCostArgs {
  label?: string;
}

const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** The cost a label value denotes, or undefined when it is not a non-negative decimal. */
export function parseCost(v: unknown): number | undefined {
  return typeof v === 'string' && DECIMAL.test(v) ? Number(v) : undefined;
}

class PreScoreState implements StateData {
  constructor(
    readonly min: number,
    readonly max: number,
  ) {}
  clone(): StateData {
    return this;
  }
}

/** Checks NodeCostArgs; throws an Error when `label` is not a non-empty string. */
export function parseNodeCostArgs(args: Record<string, unknown> | undefined): string {
  const label = (args as NodeCostArgs | undefined)?.label;
  if (label === undefined || label === null) return DEFAULT_COST_LABEL;
  if (typeof label !== 'string' || label === '') throw new Error('NodeCostArgs: label must be a non-empty string');
  return label;
}

export class NodeCost implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  /** Node objects are immutable: parse each one's label once. NaN = no cost. */
  private readonly costs = new WeakMap<object, number>();

  constructor(readonly label: string = DEFAULT_COST_LABEL) {}

  /** The node's hourly cost, or undefined. */
  costOf(node: Node | undefined): number | undefined {
    if (!node) return undefined;
    let c = this.costs.get(node);
    if (c === undefined) {
      c = parseCost(node.metadata?.labels?.[this.label]) ?? NaN;
      this.costs.set(node, c);
    }
    return Number.isNaN(c) ? undefined : c;
  }

  preScore(state: CycleState, _pod: Pod, nodes: readonly NodeInfo[]): Status {
    let min = Infinity;
    let max = -Infinity;
    for (const ni of nodes) {
      const c = this.costOf(ni.node);
      if (c === undefined) continue;
      if (c < min) min = c;
      if (c > max) max = c;
    }
    if (min === Infinity) return Status.skip();
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(min, max));
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return Status.error(`reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    const c = this.costOf(nodeInfo.node);
    if (c === undefined) return 0;
    if (s.max === s.min) return MAX_NODE_SCORE;
    return Math.round((MAX_NODE_SCORE * (s.max - c)) / (s.max - s.min));
  }
}

export const newNodeCost = (args: Record<string, unknown> | undefined, _handle: Handle): NodeCost => new NodeCost(parseNodeCostArgs(args));
