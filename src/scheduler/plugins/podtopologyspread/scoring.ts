/**
 * PodTopologySpread's soft constraints (upstream podtopologyspread/scoring.go). PreScore counts, per
 * ScheduleAnyway constraint, the selected pods in each topology domain that some filtered node belongs to (over all
 * eligible nodes of the cluster; hostname domains are counted per node in Score), and a weight log(domains + 2) per
 * constraint. Score sums `count × weight + maxSkew - 1` over the constraints; NormalizeScore maps the node with the
 * fewest matching pods to 100: `100 × (max + min - score) / max` (0 for ignored nodes, which miss a topology key).
 */
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore, type Pod, type StateData } from '../../framework';
import {
  countPodsMatchSelector,
  LABEL_HOSTNAME,
  matchNodeInclusionPolicies,
  nodeLabels,
  nodeLabelsMatchSpreadConstraints,
  countKey,
  eligibilitySignature,
  type SpreadConstraint,
} from './common';
import { requiredNodeAffinity } from '../helpers/node-affinity';
import { nodeSumFor } from './node-sum';

export class PreScoreState implements StateData {
  readonly ignoredNodes = new Set<string>();
  /** Per constraint: topology value → matching pods (hostname constraints are counted in Score). */
  topologyValueToPodCounts: Map<string, number>[] = [];
  topologyNormalizingWeight: number[] = [];
  /** Per constraint: the pod-count memo key (countKey). */
  countKeys: string[] = [];
  constructor(readonly constraints: readonly SpreadConstraint[]) {}

  /** Read-only after PreScore: shared, as upstream. */
  clone(): PreScoreState {
    return this;
  }
}

/** topologyNormalizingWeight: log(size + 2). */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** scoreForCount: count × weight + (maxSkew - 1). */
export function scoreForCount(cnt: number, maxSkew: number, weight: number): number {
  return cnt * weight + (maxSkew - 1);
}

/** initPreScoreState + PreScore's counting over all nodes. */
export function calPreScoreState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
): PreScoreState {
  const s = new PreScoreState(constraints);
  const n = constraints.length;
  s.topologyValueToPodCounts = constraints.map(() => new Map<string, number>());
  for (const ni of filteredNodes) {
    const labels = nodeLabels(ni.node);
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
      s.ignoredNodes.add(ni.name);
      continue;
    }
    for (let i = 0; i < n; i++) {
      const c = constraints[i];
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      const v = labels[c.topologyKey] ?? ''; // a missing label counts as the value "", as upstream
      const m = s.topologyValueToPodCounts[i];
      if (!m.has(v)) m.set(v, 0);
    }
  }
  s.topologyNormalizingWeight = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : s.topologyValueToPodCounts[i].size),
  );

  const ns = String(pod.metadata?.namespace ?? '');
  const affinity = requiredNodeAffinity(pod);
  s.countKeys = constraints.map((c) => countKey(c.selector, ns));
  constraints.forEach((c, i) => {
    const m = s.topologyValueToPodCounts[i];
    if (m.size === 0) return; // hostname constraints are counted in Score
    const key = s.countKeys[i];
    // Counts over every eligible node of the cluster, kept incrementally; only the filtered nodes' domains are read.
    const sum = nodeSumFor(eligibilitySignature('pts-prescore', pod, constraints, c, key, requireAllTopologies)).update(allNodes, (ni) => {
      const node = ni.node;
      if (!node) return [];
      const labels = nodeLabels(node);
      if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) return [];
      if (!matchNodeInclusionPolicies(c, pod, node, affinity)) return [];
      return [['', labels[c.topologyKey] ?? '', countPodsMatchSelector(ni, c.selector, ns, key)]];
    });
    const totals = sum.totals.get('');
    for (const v of m.keys()) m.set(v, totals?.get(v) ?? 0);
  });
  return s;
}

export function scoreNode(s: PreScoreState, pod: Pod, ni: NodeInfo): number {
  if (s.ignoredNodes.has(ni.name)) return 0;
  const labels = nodeLabels(ni.node);
  const ns = String(pod.metadata?.namespace ?? '');
  let score = 0;
  s.constraints.forEach((c, i) => {
    if (!Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return;
    const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(ni, c.selector, ns, s.countKeys[i]) : (s.topologyValueToPodCounts[i].get(labels[c.topologyKey]) ?? 0);
    score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]);
  });
  return Math.round(score);
}

export function normalizeScores(s: PreScoreState, scores: NodeScore[]): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  const ignored: boolean[] = scores.map((sc) => s.ignoredNodes.has(sc.name));
  scores.forEach((sc, i) => {
    if (ignored[i]) return;
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  });
  scores.forEach((sc, i) => {
    if (ignored[i]) sc.score = 0;
    else if (max === 0) sc.score = MAX_NODE_SCORE;
    else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  });
}
