/**
 * InterPodAffinity's preferred terms (upstream interpodaffinity/scoring.go). PreScore builds, per topology pair, a
 * sum over existing pods of: the incoming pod's preferred affinity (+weight) / anti-affinity (-weight) terms that
 * select the existing pod; the existing pod's required affinity terms that select the incoming pod
 * (+hardPodAffinityWeight); the existing pod's preferred affinity (+weight) / anti-affinity (-weight) terms that
 * select the incoming pod. Only nodes with pods with affinity are visited unless the incoming pod has preferred
 * terms. Score sums the pairs of a node; NormalizeScore maps [min, max] linearly onto [0, 100].
 */
import { MAX_NODE_SCORE, termMatches, type AffinityTerm, type NodeInfo, type NodeScore, type Pod, type PodInfo, type StateData, type WeightedAffinityTerm } from '../../framework';
import { nodeSumFor } from '../podtopologyspread/node-sum';
import { labelsOf, labelsSignature, termSignature } from './common';

type NsLabels = Readonly<Record<string, string>> | undefined;
type Entry = readonly [key: string, value: string, delta: number];

export class PreScoreState implements StateData {
  /** topologyKey → value → score. */
  readonly topologyScore = new Map<string, Map<string, number>>();
  clone(): PreScoreState {
    return this;
  }
}

export interface ScoreInputs {
  /** The incoming pod, preferred terms' namespaceSelectors merged. */
  podInfo: PodInfo;
  namespaceLabels: NsLabels;
  hardPodAffinityWeight: number;
  /** The incoming pod has preferred (anti-)affinity terms: visit every pod. */
  hasConstraints: boolean;
}

function nodeEntries(ni: NodeInfo, inp: ScoreInputs): Entry[] {
  const labels = labelsOf(ni.node);
  if (Object.keys(labels).length === 0) return [];
  const acc = new Map<string, number>();
  const hit = (t: AffinityTerm, weight: number, target: Pod, nsLabels: NsLabels) => {
    if (!termMatches(t, target, nsLabels) || !Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) return;
    acc.set(t.topologyKey, (acc.get(t.topologyKey) ?? 0) + weight);
  };
  const weighted = (ts: readonly WeightedAffinityTerm[], sign: number, target: Pod, nsLabels: NsLabels) => {
    for (const t of ts) hit(t, t.weight * sign, target, nsLabels);
  };
  const incoming = inp.podInfo.pod;
  for (const existing of inp.hasConstraints ? ni.pods : ni.podsWithAffinity) {
    weighted(inp.podInfo.preferredAffinityTerms, 1, existing.pod, undefined);
    weighted(inp.podInfo.preferredAntiAffinityTerms, -1, existing.pod, undefined);
    if (inp.hardPodAffinityWeight > 0) for (const t of existing.requiredAffinityTerms) hit(t, inp.hardPodAffinityWeight, incoming, inp.namespaceLabels);
    weighted(existing.preferredAffinityTerms, 1, incoming, inp.namespaceLabels);
    weighted(existing.preferredAntiAffinityTerms, -1, incoming, inp.namespaceLabels);
  }
  return [...acc].map(([k, d]) => [k, labels[k], d] as const);
}

/** The PreScore state, or undefined when no node contributes (upstream returns Skip then). */
export function calPreScoreState(inp: ScoreInputs, nodes: readonly NodeInfo[]): PreScoreState | undefined {
  const pi = inp.podInfo;
  const sig = [
    'ipa-score',
    inp.hasConstraints ? 'all' : 'affinity',
    inp.hardPodAffinityWeight,
    String(pi.pod.metadata?.namespace ?? ''),
    labelsSignature(labelsOf(pi.pod)),
    labelsSignature(inp.namespaceLabels),
    pi.preferredAffinityTerms.map((t) => termSignature(t, t.weight)).join(';'),
    pi.preferredAntiAffinityTerms.map((t) => termSignature(t, t.weight)).join(';'),
  ].join('|');
  const sum = nodeSumFor(sig).update(nodes, (ni) => (ni.node ? nodeEntries(ni, inp) : []));
  if (sum.totals.size === 0) return undefined;
  const s = new PreScoreState();
  for (const [k, m] of sum.totals) s.topologyScore.set(k, new Map(m));
  return s;
}

export function scoreNode(s: PreScoreState, ni: NodeInfo): number {
  const labels = labelsOf(ni.node);
  let score = 0;
  for (const [k, values] of s.topologyScore) {
    if (Object.prototype.hasOwnProperty.call(labels, k)) score += values.get(labels[k]) ?? 0;
  }
  return score;
}

export function normalizeScores(s: PreScoreState, scores: NodeScore[]): void {
  if (s.topologyScore.size === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const sc of scores) {
    if (sc.score > max) max = sc.score;
    if (sc.score < min) min = sc.score;
  }
  const diff = max - min;
  for (const sc of scores) sc.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((sc.score - min) / diff)) : 0;
}
