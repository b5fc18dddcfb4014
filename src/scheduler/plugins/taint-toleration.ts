/**
 * TaintToleration (upstream plugins/tainttoleration, default weight 3).
 * - Filter: the first NoSchedule/NoExecute taint the pod does not tolerate rejects the node with
 *   "node(s) had untolerated taint {key: value}" (UnschedulableAndUnresolvable).
 * - PreScore keeps the pod's tolerations that can apply to PreferNoSchedule (that effect or none); Score counts the
 *   node's PreferNoSchedule taints none of them tolerates; NormalizeScore maps the counts reversed onto 0–100 (fewest
 *   intolerable taints = 100).
 * - Events (QueueingHints as upstream): Node Add / UpdateNodeTaint when the node turns from untolerated to tolerated;
 *   the pod's own tolerations changing.
 * Toleration matching is src/api/tolerations.ts (Equal/Exists; the alpha Gt/Lt operators are not supported).
 */
import { findUntoleratedTaint, tolerationsTolerateTaint, type Taint, type Toleration } from '../../api/tolerations';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, Node, NodeInfo, NodeScore, Pod, PreScorePlugin, QueueingHint, ScoreOutcome, ScorePlugin, StateData } from '../framework';
import { MAX_NODE_SCORE as FRAMEWORK_MAX_NODE_SCORE, Status, type CycleState } from '../framework';

/** Read once: imports are getters under the CommonJS transform, and scoring runs per node. */
const MAX_NODE_SCORE = FRAMEWORK_MAX_NODE_SCORE;

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'TaintToleration';
/** Weight in the upstream default profile. */
export const DEFAULT_WEIGHT = 3;
const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

export function taintsOf(node: Node | undefined): Taint[] | undefined {
  return (node?.spec as { taints?: Taint[] } | undefined)?.taints;
}

export function tolerationsOf(pod: Pod): Toleration[] | undefined {
  return (pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations;
}

/** helper.DoNotScheduleTaintsFilterFunc: the taints Filter looks at. */
export const doNotScheduleTaint = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

class PreScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

/** The tolerations with effect PreferNoSchedule or none (an empty effect matches every effect). */
export function tolerationsPreferNoSchedule(ts: readonly Toleration[] | undefined): Toleration[] {
  return (ts ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/** How many of the node's PreferNoSchedule taints the tolerations do not tolerate. */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, ts: readonly Toleration[]): number {
  let n = 0;
  for (const taint of taints ?? []) if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(ts, taint)) n++;
  return n;
}

function asObject(o: unknown): Record<string, unknown> | undefined {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>) : undefined;
}

/** helper.DefaultNormalizeScore: scale to 0–MAX_NODE_SCORE by the highest score (integer division), optionally
 * reversed; all zero stays 0 (reversed: all MAX_NODE_SCORE). */
function defaultNormalizeScore(scores: NodeScore[], reverse: boolean): Status {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  for (const s of scores) {
    const v = max === 0 ? 0 : Math.trunc((MAX_NODE_SCORE * s.score) / max);
    s.score = reverse ? MAX_NODE_SCORE - v : v;
  }
  return SUCCESS;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const taints = taintsOf(nodeInfo.node);
    if (!taints || taints.length === 0) return SUCCESS;
    const taint = findUntoleratedTaint(taints, tolerationsOf(pod), doNotScheduleTaint);
    if (!taint) return SUCCESS;
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): Status {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(tolerationsPreferNoSchedule(tolerationsOf(pod))));
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return Status.error(`failed to read "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    return countIntolerableTaintsPreferNoSchedule(taintsOf(nodeInfo.node), s.tolerationsPreferNoSchedule);
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    return defaultNormalizeScore(scores, true);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, hint: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, o, n) },
      { event: { resource: 'Pod', actions: ['UpdatePodTolerations'] }, hint: (pod, o, n) => this.isSchedulableAfterPodTolerationChange(pod, o, n) },
    ];
  }

  /** Queue when the node was untolerated (or new) and now is tolerated. */
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    const modified = asObject(newObj);
    if (!modified || (oldObj !== undefined && oldObj !== null && !asObject(oldObj))) return 'Queue';
    const ts = tolerationsOf(pod);
    const wasUntolerated = oldObj ? findUntoleratedTaint(taintsOf(oldObj as Node), ts, doNotScheduleTaint) !== undefined : true;
    const isUntolerated = findUntoleratedTaint(taintsOf(modified as Node), ts, doNotScheduleTaint) !== undefined;
    return wasUntolerated && !isUntolerated ? 'Queue' : 'QueueSkip';
  }

  /** Only the unschedulable pod's own toleration change can help it. */
  isSchedulableAfterPodTolerationChange(pod: Pod, _oldObj: unknown, newObj: unknown): QueueingHint {
    const modified = asObject(newObj) as Pod | undefined;
    if (!modified) return 'Queue';
    return modified.metadata?.uid === pod.metadata?.uid ? 'Queue' : 'QueueSkip';
  }
}

export const newTaintToleration = (_args: Record<string, unknown> | undefined, _handle: Handle): TaintToleration => new TaintToleration();
