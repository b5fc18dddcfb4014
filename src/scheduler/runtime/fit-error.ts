/**
 * Why a pod fits nowhere (upstream framework.Diagnosis and FitError). `nodeToStatus` holds the Filter status of
 * every node that was evaluated and rejected; nodes not in it have `absentNodesStatus` (PreFilter rejected the pod, or
 * its result excluded them). The FitError message is upstream's FitError.Error(), word for word:
 * `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.` then, when
 * PostFilter ran, ` <its message>` (no period of its own: preemption's message ends with one) — reasons counted
 * over nodes, each "<count> <reason>", sorted as strings.
 */
import { Status, type NodeToStatus, type Pod } from '../framework';

export const NO_NODE_AVAILABLE_MSG = '0/%v nodes are available';
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export class Diagnosis {
  readonly nodeToStatus: NodeToStatus = new Map();
  /** Status of nodes not in nodeToStatus (upstream default: UnschedulableAndUnresolvable, no reasons). */
  absentNodesStatus: Status = Status.unresolvable();
  unschedulablePlugins = new Set<string>();
  pendingPlugins = new Set<string>();
  preFilterMsg = '';
  postFilterMsg = '';

  /** upstream AddPluginStatus. */
  addPluginStatus(s: Status): void {
    if (!s.plugin) return;
    if (s.code === 'Pending') this.pendingPlugins.add(s.plugin);
    else if (s.isRejected()) this.unschedulablePlugins.add(s.plugin);
  }

  /** The status of every node in `names` (absent ones get absentNodesStatus), for PostFilter. */
  fullMap(names: Iterable<string>): NodeToStatus {
    const m: NodeToStatus = new Map(this.nodeToStatus);
    for (const n of names) if (!m.has(n)) m.set(n, this.absentNodesStatus);
    return m;
  }
}

/** A pod that fits no node (upstream FitError); `message()` is computed when asked (PostFilter adds to it). */
export class FitError {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    if (d.nodeToStatus.size < numAllNodes) for (const r of d.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - d.nodeToStatus.size);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`);
    parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
