/**
 * PodTopologySpread's hard constraints (upstream podtopologyspread/filtering.go). PreFilter counts, per
 * DoNotSchedule constraint and topology value, the pods the constraint selects on the eligible nodes (nodes holding
 * every topology key and passing the nodeAffinityPolicy / nodeTaintsPolicy), and keeps the two smallest domains
 * ("critical paths"). Filter then rejects a node when `matching pods in its domain + (1 if the pod selects itself)
 * - global minimum > maxSkew`, the global minimum being 0 while there are fewer eligible domains than minDomains.
 * AddPod/RemovePod adjust the counts for preemption's what-if runs on a clone of the state.
 */
import { Status, type Node, type NodeInfo, type Pod, type StateData } from '../../framework';
import {
  countPodsMatchSelector,
  matchNodeInclusionPolicies,
  nodeLabels,
  nodeLabelsMatchSpreadConstraints,
  podLabels,
  countKey,
  eligibilitySignature,
  type SpreadConstraint,
} from './common';
import { requiredNodeAffinity } from '../helpers/node-affinity';
import { nodeSumFor } from './node-sum';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const MAX_INT32 = 2147483647;

/** The two domains with the fewest matching pods; [0] always holds the minimum. */
export class CriticalPaths {
  constructor(
    public value0 = '',
    public num0 = MAX_INT32,
    public value1 = '',
    public num1 = MAX_INT32,
  ) {}

  update(tpVal: string, num: number): void {
    if (tpVal === this.value0 || tpVal === this.value1) {
      if (tpVal === this.value0) this.num0 = num;
      else this.num1 = num;
      if (this.num0 > this.num1) {
        [this.value0, this.num0, this.value1, this.num1] = [this.value1, this.num1, this.value0, this.num0];
      }
    } else if (num < this.num0) {
      this.value1 = this.value0;
      this.num1 = this.num0;
      this.value0 = tpVal;
      this.num0 = num;
    } else if (num < this.num1) {
      this.value1 = tpVal;
      this.num1 = num;
    }
  }

  clone(): CriticalPaths {
    return new CriticalPaths(this.value0, this.num0, this.value1, this.num1);
  }
}

export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    /** Per constraint: topology value → matching pods. */
    readonly tpValueToMatchNum: Map<string, number>[],
  ) {}

  /** The global minimum for the skew, 0 while fewer domains than minDomains are eligible. */
  minMatchNum(i: number, minDomains: number): number {
    return this.tpValueToMatchNum[i].size < minDomains ? 0 : this.criticalPaths[i].num0;
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }
}

/** calPreFilterState over all nodes of the snapshot (incrementally: see NodeSum). */
export function calPreFilterState(pod: Pod, constraints: readonly SpreadConstraint[], allNodes: readonly NodeInfo[]): PreFilterState {
  const ns = String(pod.metadata?.namespace ?? '');
  const affinity = requiredNodeAffinity(pod);
  const maps = constraints.map((c) => {
    const key = countKey(c.selector, ns);
    const sum = nodeSumFor(eligibilitySignature('pts-prefilter', pod, constraints, c, key)).update(allNodes, (ni) => {
      const node = ni.node;
      if (!node) return [];
      const labels = nodeLabels(node);
      if (!nodeLabelsMatchSpreadConstraints(labels, constraints) || !matchNodeInclusionPolicies(c, pod, node, affinity)) return [];
      return [['', labels[c.topologyKey], countPodsMatchSelector(ni, c.selector, ns, key)]];
    });
    return new Map(sum.totals.get(''));
  });
  const paths = maps.map((m) => {
    const p = new CriticalPaths();
    for (const [v, num] of m) p.update(v, num);
    return p;
  });
  return new PreFilterState(constraints, paths, maps);
}

/** updateWithPod: `delta` (+1/-1) for each constraint that selects `updatedPod` on an eligible `node`. */
export function updateWithPod(s: PreFilterState, updatedPod: Pod, preemptorPod: Pod, node: Node | undefined, delta: number): void {
  if (!node || updatedPod.metadata?.namespace !== preemptorPod.metadata?.namespace) return;
  const labels = nodeLabels(node);
  if (!nodeLabelsMatchSpreadConstraints(labels, s.constraints)) return;
  const affinity = requiredNodeAffinity(preemptorPod);
  const podLbls = podLabels(updatedPod);
  s.constraints.forEach((c, i) => {
    if (!c.selector.matches(podLbls)) return;
    if (!matchNodeInclusionPolicies(c, preemptorPod, node, affinity)) return;
    const v = labels[c.topologyKey];
    const num = (s.tpValueToMatchNum[i].get(v) ?? 0) + delta;
    s.tpValueToMatchNum[i].set(v, num);
    s.criticalPaths[i].update(v, num);
  });
}

const LABEL_MISSING = Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
const SKEW_EXCEEDED = Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);

export function filterNode(s: PreFilterState, pod: Pod, ni: NodeInfo): Status {
  const constraints = s.constraints;
  if (constraints.length === 0) return SUCCESS;
  const labels = nodeLabels(ni.node);
  const own = podLabels(pod);
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i];
    const tpVal = labels[c.topologyKey];
    if (tpVal === undefined || !Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return LABEL_MISSING;
    const minMatchNum = s.minMatchNum(i, c.minDomains);
    const selfMatchNum = c.selector.matches(own) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i].get(tpVal) ?? 0;
    if (matchNum + selfMatchNum - minMatchNum > c.maxSkew) return SKEW_EXCEEDED;
  }
  return SUCCESS;
}
