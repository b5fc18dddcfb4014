/**
 * NodePorts (upstream plugins/nodeports): PreFilter collects the host ports the pod asks for (containers and sidecar
 * init containers; Skip when none), Filter rejects a node where one of them conflicts with a port in use
 * (NodeInfo.usedPorts.conflicts: same protocol/port on the same IP, or 0.0.0.0 on either side) with
 * "node(s) didn't have free ports for the requested pod ports" (Unschedulable: preemption may free the port).
 * Events as upstream with QueueingHints: an assigned pod deleted that held one of the wanted ports; Node/Add.
 */
import type { ClusterEventWithHint, ContainerPort, EnqueueExtensions, FilterPlugin, Handle, NodeInfo, Pod, PreFilterPlugin, PreFilterResult, QueueingHint, StateData } from '../framework';
import { HostPortInfo, podHostPorts, Status, type CycleState } from '../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;

class PreFilterState implements StateData {
  constructor(readonly ports: readonly ContainerPort[]) {}
  /** Not changed by adding or removing pods: shared. */
  clone(): StateData {
    return this;
  }
}

/** Whether none of `want` conflicts with `inUse`. */
export function fitsPorts(want: readonly ContainerPort[], inUse: HostPortInfo): boolean {
  for (const p of want) if (inUse.conflicts(p.hostIP ?? '', p.protocol ?? 'TCP', p.hostPort!)) return false;
  return true;
}

/** Fits: the pod's host ports are free on the node. */
export function fits(pod: Pod, nodeInfo: NodeInfo): boolean {
  return fitsPorts(podHostPorts(pod), nodeInfo.usedPorts);
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(ports));
    return { status: SUCCESS };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return Status.error(`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    return fitsPorts(s.ports, nodeInfo.usedPorts) ? SUCCESS : Status.unschedulable(ERR_REASON);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // Container ports are immutable: only deletions can free one.
      { event: { resource: 'Pod', actions: ['Delete'] }, hint: (pod, o, n) => this.isSchedulableAfterPodDeleted(pod, o, n) },
      { event: { resource: 'Node', actions: ['Add'] } },
    ];
  }

  /** Queue only when the deleted pod was assigned (or nominated) and held a port the pod wants. */
  isSchedulableAfterPodDeleted(pod: Pod, oldObj: unknown, _newObj: unknown): QueueingHint {
    if (typeof oldObj !== 'object' || oldObj === null) return 'Queue';
    const deleted = oldObj as Pod;
    const nodeName = (deleted.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const nominated = (deleted.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '';
    if (nodeName === '' && nominated === '') return 'QueueSkip';
    const ports = podHostPorts(deleted);
    if (ports.length === 0) return 'QueueSkip';
    const inUse = new HostPortInfo();
    for (const p of ports) inUse.add(p.hostIP ?? '', p.protocol ?? 'TCP', p.hostPort!);
    return fitsPorts(podHostPorts(pod), inUse) ? 'QueueSkip' : 'Queue';
  }
}

export const newNodePorts = (_args: Record<string, unknown> | undefined, _handle: Handle): NodePorts => new NodePorts();
