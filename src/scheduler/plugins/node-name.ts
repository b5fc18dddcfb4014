/**
 * NodeName (upstream plugins/nodename): Filter rejecting every node but the one named in `spec.nodeName`
 * ("node(s) didn't match the requested node name", UnschedulableAndUnresolvable). KubeLab addition: a PreFilter that
 * returns Skip for a pod without `spec.nodeName` (so Filter is not called per node) and otherwise narrows the nodes to
 * evaluate to that one (PreFilterResult); upstream has only the Filter, with the same verdicts.
 * Events as upstream: only Node/Add can help (no QueueingHint needed).
 */
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, NodeInfo, Pod, PreFilterPlugin, PreFilterResult } from '../framework';
import { Status, type CycleState } from '../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

function requestedNodeName(pod: Pod): string {
  return String((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
}

/** Fits: the pod names no node, or names this one. */
export function fits(pod: Pod, nodeInfo: NodeInfo): boolean {
  const want = requestedNodeName(pod);
  return want === '' || want === nodeInfo.name;
}

export class NodeName implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(_state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const want = requestedNodeName(pod);
    if (want === '') return { status: Status.skip() };
    return { result: { nodeNames: new Set([want]) }, status: SUCCESS };
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    return fits(pod, nodeInfo) ? SUCCESS : Status.unresolvable(ERR_REASON);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actions: ['Add'] } }];
  }
}

export const newNodeName = (_args: Record<string, unknown> | undefined, _handle: Handle): NodeName => new NodeName();
