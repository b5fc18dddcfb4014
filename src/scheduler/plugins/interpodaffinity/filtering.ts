/**
 * InterPodAffinity's required terms (upstream interpodaffinity/filtering.go). PreFilter counts, per topology pair:
 * existing pods whose required anti-affinity terms select the incoming pod (only nodes listed by
 * havePodsWithRequiredAntiAffinityList), and existing pods matching all of the incoming pod's required affinity
 * terms / each of its anti-affinity terms. Filter then checks, in upstream's order: pod affinity (a node missing a
 * topology key fails; a pod may land anywhere its own affinity matches itself while nothing else matches yet), pod
 * anti-affinity, existing pods' anti-affinity. AddPod/RemovePod update the counts for preemption.
 */
import { Status, termMatches, type AffinityTerm, type Node, type NodeInfo, type Pod, type PodInfo, type StateData } from '../../framework';
import { nodeSumFor } from '../podtopologyspread/node-sum';
import { labelsOf, labelsSignature, podMatchesAllAffinityTerms, termSignature, TopologyCounts } from './common';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

type NsLabels = Readonly<Record<string, string>> | undefined;

export class PreFilterState implements StateData {
  constructor(
    /** Pairs where existing pods' required anti-affinity selects the incoming pod. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Pairs with existing pods matching all the incoming pod's required affinity terms. */
    readonly affinityCounts: TopologyCounts,
    /** Pairs with existing pods matching one of the incoming pod's required anti-affinity terms. */
    readonly antiAffinityCounts: TopologyCounts,
    /** The incoming pod, namespaceSelectors merged into namespaces. */
    readonly podInfo: PodInfo,
    readonly namespaceLabels: NsLabels,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.existingAntiAffinityCounts.clone(), this.affinityCounts.clone(), this.antiAffinityCounts.clone(), this.podInfo, this.namespaceLabels);
  }

  /** updateWithPod: `multiplier` (+1/-1) for a pod added to / removed from `node`. */
  updateWithPod(pi: PodInfo, node: Node | undefined, multiplier: number): void {
    if (!node) return;
    const labels = labelsOf(node);
    const incoming = this.podInfo.pod;
    for (const t of pi.requiredAntiAffinityTerms) if (termMatches(t, incoming, this.namespaceLabels)) this.existingAntiAffinityCounts.addForNode(labels, t.topologyKey, multiplier);
    const aff = this.podInfo.requiredAffinityTerms;
    if (podMatchesAllAffinityTerms(aff, pi.pod)) for (const t of aff) this.affinityCounts.addForNode(labels, t.topologyKey, multiplier);
    for (const t of this.podInfo.requiredAntiAffinityTerms) if (termMatches(t, pi.pod, undefined)) this.antiAffinityCounts.addForNode(labels, t.topologyKey, multiplier);
  }
}

/** Existing pods' anti-affinity terms that select the incoming pod, as topology pairs (one per match). */
function existingAntiAffinityCounts(pod: Pod, nsLabels: NsLabels, nodes: readonly NodeInfo[]): TopologyCounts {
  const sig = `ipa-existing-anti|${String(pod.metadata?.namespace ?? '')}|${labelsSignature(labelsOf(pod))}|${labelsSignature(nsLabels)}`;
  const sum = nodeSumFor(sig).update(nodes, (ni) => {
    const labels = labelsOf(ni.node);
    const found: [string, string, number][] = [];
    if (!ni.node) return found;
    for (const existing of ni.podsWithRequiredAntiAffinity) {
      for (const t of existing.requiredAntiAffinityTerms) {
        if (Object.prototype.hasOwnProperty.call(labels, t.topologyKey) && termMatches(t, pod, nsLabels)) found.push([t.topologyKey, labels[t.topologyKey], 1]);
      }
    }
    return found;
  });
  return TopologyCounts.fromTotals(sum.totals);
}

/** Existing pods matching all of the incoming pod's required affinity terms: that count on each term's pair. */
function affinityCounts(terms: readonly AffinityTerm[], nodes: readonly NodeInfo[]): TopologyCounts {
  if (terms.length === 0) return new TopologyCounts();
  const sum = nodeSumFor(`ipa-affinity|${terms.map((t) => termSignature(t)).join(';')}`).update(nodes, (ni) => {
    if (!ni.node) return [];
    let all = 0;
    for (const existing of ni.pods) if (podMatchesAllAffinityTerms(terms, existing.pod)) all++;
    if (all === 0) return [];
    const labels = labelsOf(ni.node);
    return terms.filter((t) => Object.prototype.hasOwnProperty.call(labels, t.topologyKey)).map((t) => [t.topologyKey, labels[t.topologyKey], all] as const);
  });
  return TopologyCounts.fromTotals(sum.totals);
}

/** Existing pods selected by each of the incoming pod's required anti-affinity terms, on that term's pair. */
function antiAffinityCounts(terms: readonly AffinityTerm[], nodes: readonly NodeInfo[]): TopologyCounts {
  if (terms.length === 0) return new TopologyCounts();
  const sum = nodeSumFor(`ipa-anti|${terms.map((t) => termSignature(t)).join(';')}`).update(nodes, (ni) => {
    if (!ni.node) return [];
    const labels = labelsOf(ni.node);
    const out: [string, string, number][] = [];
    for (const t of terms) {
      if (!Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) continue;
      let n = 0;
      for (const existing of ni.pods) if (termMatches(t, existing.pod, undefined)) n++;
      if (n > 0) out.push([t.topologyKey, labels[t.topologyKey], n]);
    }
    return out;
  });
  return TopologyCounts.fromTotals(sum.totals);
}

/** The PreFilter state for the incoming pod (terms already merged) over all nodes. */
export function calPreFilterState(pi: PodInfo, nsLabels: NsLabels, allNodes: readonly NodeInfo[], withRequiredAntiAffinity: readonly NodeInfo[]): PreFilterState {
  return new PreFilterState(
    existingAntiAffinityCounts(pi.pod, nsLabels, withRequiredAntiAffinity),
    affinityCounts(pi.requiredAffinityTerms, allNodes),
    antiAffinityCounts(pi.requiredAntiAffinityTerms, allNodes),
    pi,
    nsLabels,
  );
}

function hasLabel(labels: Readonly<Record<string, string>>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, k);
}

function satisfyPodAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  let podsExist = true;
  const terms: readonly AffinityTerm[] = s.podInfo.requiredAffinityTerms;
  for (const t of terms) {
    if (!hasLabel(labels, t.topologyKey)) return false;
    if (s.affinityCounts.get(t.topologyKey, labels[t.topologyKey]) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed when nothing matches yet and it matches its own terms.
  return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(terms, s.podInfo.pod);
}

function satisfyPodAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.podInfo.requiredAntiAffinityTerms) {
    if (hasLabel(labels, t.topologyKey) && s.antiAffinityCounts.get(t.topologyKey, labels[t.topologyKey]) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [k, values] of s.existingAntiAffinityCounts.byKey) {
    if (hasLabel(labels, k) && (values.get(labels[k]) ?? 0) > 0) return false;
  }
  return true;
}

const AFFINITY = Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
const ANTI_AFFINITY = Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
const EXISTING_ANTI_AFFINITY = Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

export function filterNode(s: PreFilterState, ni: NodeInfo): Status {
  const labels = labelsOf(ni.node);
  if (!satisfyPodAffinity(s, labels)) return AFFINITY;
  if (!satisfyPodAntiAffinity(s, labels)) return ANTI_AFFINITY;
  if (!satisfyExistingPodsAntiAffinity(s, labels)) return EXISTING_ANTI_AFFINITY;
  return SUCCESS;
}
