/**
 * NodeAffinity (upstream plugins/nodeaffinity, default weight 2). Args (NodeAffinityArgs): `addedAffinity`, a
 * NodeAffinity every pod of the profile must also satisfy (required terms) and is scored by (preferred terms).
 * - PreFilter: Skip when the pod has no nodeSelector, no required node affinity and there is no added affinity;
 *   otherwise stores the pod's RequiredNodeAffinity and, when every required term pins `metadata.name` with In,
 *   narrows the nodes to those names (terms ORed, requirements within a term intersected); an empty result is
 *   "pod affinity terms conflict" (UnschedulableAndUnresolvable).
 * - Filter: "node(s) didn't match scheduler-enforced node affinity" for the added affinity, then
 *   "node(s) didn't match Pod's node affinity/selector" (both UnschedulableAndUnresolvable).
 * - PreScore/Score: sum of the weights of the matching preferred terms (added + pod's); NormalizeScore scales to 0–100.
 * - Events: Node Add / UpdateNodeLabel with upstream's QueueingHint (queue only when the node starts matching).
 * Matching is helpers/node-affinity.ts.
 */
import type { NodeAffinity as V1NodeAffinity } from 'kubernetes-types/core/v1';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, Node, NodeInfo, NodeScore, Pod, PreFilterPlugin, PreFilterResult, PreScorePlugin, QueueingHint, ScoreOutcome, ScorePlugin, StateData } from '../framework';
import { MAX_NODE_SCORE, Status, type CycleState } from '../framework';
import { newNodeSelector, newPreferredSchedulingTerms, OBJECT_NAME_FIELD, podPreferredNodeAffinity, requiredNodeAffinity, type CompiledNodeSelector, type PreferredTerms, type RequiredNodeAffinity } from './helpers/node-affinity';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeAffinity';
/** Weight in the upstream default profile. */
export const DEFAULT_WEIGHT = 2;
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

export interface NodeAffinityArgs {
  addedAffinity?: V1NodeAffinity;
}

class PreFilterState implements StateData {
  constructor(readonly required: RequiredNodeAffinity) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly preferred: PreferredTerms | undefined) {}
  clone(): StateData {
    return this;
  }
}

type AffinitySpec = { nodeSelector?: unknown; affinity?: { nodeAffinity?: V1NodeAffinity } };

function specOf(pod: Pod): AffinitySpec {
  return (pod.spec ?? {}) as AffinitySpec;
}

/** helper.DefaultNormalizeScore(MaxNodeScore, false, scores). */
function normalize(scores: NodeScore[]): Status {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) return SUCCESS;
  for (const s of scores) s.score = Math.trunc((MAX_NODE_SCORE * s.score) / max);
  return SUCCESS;
}

/** The node names every required term pins with `metadata.name In`, or undefined when some term does not. */
export function nodeNamesFromRequiredTerms(na: V1NodeAffinity | undefined): Set<string> | undefined {
  const terms = na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    names ??= new Set();
    for (const n of termNames) names.add(n);
  }
  return names;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  constructor(
    readonly addedNodeSelector: CompiledNodeSelector | undefined,
    readonly addedPrefSchedTerms: PreferredTerms | undefined,
  ) {}

  preFilter(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const spec = specOf(pod);
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && spec.nodeSelector == null) return { status: Status.skip() };
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(requiredNodeAffinity(pod)));
    const names = nodeNamesFromRequiredTerms(spec.affinity?.nodeAffinity);
    if (!names) return { status: SUCCESS };
    if (names.size === 0) return { status: Status.unresolvable(ERR_REASON_CONFLICT) };
    return { result: { nodeNames: names }, status: SUCCESS };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node ?? {};
    if (this.addedNodeSelector && !this.addedNodeSelector.matches(node)) return Status.unresolvable(ERR_REASON_ENFORCED);
    // Without PreFilter (disabled), compute it here.
    const required = state.read<PreFilterState>(PRE_FILTER_STATE_KEY)?.required ?? requiredNodeAffinity(pod);
    return required.matches(node) ? SUCCESS : Status.unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): Status {
    let preferred: PreferredTerms | undefined;
    try {
      preferred = podPreferredNodeAffinity(pod);
    } catch (e) {
      return Status.error(e as Error);
    }
    if (!preferred && !this.addedPrefSchedTerms) return Status.skip();
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(preferred));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const node = nodeInfo.node ?? {};
    let count = this.addedPrefSchedTerms ? this.addedPrefSchedTerms.score(node) : 0;
    let s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) {
      try {
        s = new PreScoreState(podPreferredNodeAffinity(pod));
      } catch (e) {
        return Status.error(e as Error);
      }
    }
    if (s.preferred) count += s.preferred.score(node);
    return count;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    return normalize(scores);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }, hint: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, o, n) }];
  }

  /** Queue when the added or updated node now matches (and, for an update, did not match before). */
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (typeof newObj !== 'object' || newObj === null) return 'Queue';
    if (oldObj !== undefined && oldObj !== null && typeof oldObj !== 'object') return 'Queue';
    const modified = newObj as Node;
    if (this.addedNodeSelector && !this.addedNodeSelector.matches(modified)) return 'QueueSkip';
    const required = requiredNodeAffinity(pod);
    if (!required.matches(modified)) return 'QueueSkip';
    if (!oldObj) return 'Queue';
    return required.matches(oldObj as Node) ? 'QueueSkip' : 'Queue';
  }
}

/** Checks and parses NodeAffinityArgs (throws an Error worded as upstream's New). */
export function parseNodeAffinityArgs(args: Record<string, unknown> | undefined): { selector?: CompiledNodeSelector; preferred?: PreferredTerms } {
  const added = (args as NodeAffinityArgs | undefined)?.addedAffinity;
  if (added === undefined || added === null) return {};
  if (typeof added !== 'object') throw new Error('args are not of type NodeAffinityArgs: addedAffinity must be an object');
  const out: { selector?: CompiledNodeSelector; preferred?: PreferredTerms } = {};
  const req = added.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) {
    try {
      out.selector = newNodeSelector(req);
    } catch (e) {
      throw new Error(`parsing addedAffinity.requiredDuringSchedulingIgnoredDuringExecution: ${(e as Error).message}`);
    }
  }
  const pref = added.preferredDuringSchedulingIgnoredDuringExecution;
  if (pref && pref.length) {
    try {
      out.preferred = newPreferredSchedulingTerms(pref);
    } catch (e) {
      throw new Error(`parsing addedAffinity.preferredDuringSchedulingIgnoredDuringExecution: ${(e as Error).message}`);
    }
  }
  return out;
}

export const newNodeAffinity = (args: Record<string, unknown> | undefined, _handle: Handle): NodeAffinity => {
  const { selector, preferred } = parseNodeAffinityArgs(args);
  return new NodeAffinity(selector, preferred);
};
