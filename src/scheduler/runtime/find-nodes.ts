/**
 * Finding the nodes a pod fits (upstream schedule_one.go findNodesThatFitPod / findNodesThatPassFilters /
 * numFeasibleNodesToFind). PreFilter runs once; a pod with status.nominatedNodeName tries that node first; then
 * Filter runs node by node starting at a round-robin index (so every node gets examined across pods) until
 * numFeasibleNodesToFind feasible nodes are found (1 when the profile has no Score plugin). Rejected nodes' statuses
 * go to the Diagnosis; `nextStartNodeIndex` advances by the number of nodes processed, modulo all nodes.
 */
import { Status, type CycleState, type NodeInfo, type Pod, type Snapshot } from '../framework';
import { Diagnosis } from './fit-error';
import type { Framework } from './framework';

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** How many feasible nodes to look for among `numAllNodes` (percentage 0/undefined = adaptive: 50 - nodes/125, ≥ 5 %). */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage ?? 0;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export interface FitResult {
  feasible: NodeInfo[];
  diagnosis: Diagnosis;
  /** Set when a plugin returned Error: the cycle fails with it. */
  error?: Status;
}

export class NodeSearch {
  /** Where the next pod's Filter starts (upstream sched.nextStartNodeIndex). */
  nextStartNodeIndex = 0;

  constructor(
    /** The configuration's percentageOfNodesToScore (a profile's own value wins). */
    private readonly globalPercentage: number | undefined = undefined,
  ) {}

  findNodesThatFitPod(fwk: Framework, snapshot: Snapshot, state: CycleState, pod: Pod): FitResult {
    const diagnosis = new Diagnosis();
    const all = snapshot.list();
    const pre = fwk.runPreFilterPlugins(state, pod, all);
    for (const p of pre.pluginsWithNodes) diagnosis.unschedulablePlugins.add(p);
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) return { feasible: [], diagnosis, error: pre.status };
      diagnosis.absentNodesStatus = pre.status;
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], diagnosis };
    }
    const nnn = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    if (nnn) {
      const ni = snapshot.get(nnn);
      if (ni) {
        const r = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, [ni]);
        if (r.error) return { feasible: [], diagnosis, error: r.error };
        if (r.feasible.length > 0) return { feasible: r.feasible, diagnosis };
      }
    }
    let nodes = all;
    const names = pre.result?.nodeNames;
    if (names) {
      const some: NodeInfo[] = [];
      for (const n of names) {
        const ni = snapshot.get(n);
        if (ni) some.push(ni);
      }
      nodes = some;
      diagnosis.absentNodesStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...diagnosis.unschedulablePlugins].sort().join(' ')}]`);
    }
    const r = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, nodes);
    const processed = r.feasible.length + diagnosis.nodeToStatus.size;
    if (all.length > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % all.length;
    return { feasible: r.error ? [] : r.feasible, diagnosis, error: r.error };
  }

  findNodesThatPassFilters(fwk: Framework, state: CycleState, pod: Pod, diagnosis: Diagnosis, nodes: readonly NodeInfo[]): { feasible: NodeInfo[]; error?: Status } {
    const n = nodes.length;
    if (n === 0) return { feasible: [] };
    let toFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? this.globalPercentage, n);
    if (fwk.scorePlugins.length === 0) toFind = 1;
    const start = this.nextStartNodeIndex;
    const feasible: NodeInfo[] = [];
    if (fwk.filterPlugins.length === 0) {
      for (let i = 0; i < toFind; i++) feasible.push(nodes[(start + i) % n]);
      return { feasible };
    }
    for (let i = 0; i < n && feasible.length < toFind; i++) {
      const ni = nodes[(start + i) % n];
      const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
      if (s.isSuccess()) feasible.push(ni);
      else if (s.code === 'Error') return { feasible, error: s };
      else {
        diagnosis.nodeToStatus.set(ni.name, s);
        diagnosis.addPluginStatus(s);
      }
    }
    return { feasible };
  }
}
