/**
 * NodeUnschedulable (upstream plugins/nodeunschedulable): Filter rejecting nodes with `spec.unschedulable: true`
 * ("node(s) were unschedulable", UnschedulableAndUnresolvable) unless the pod tolerates the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint. Events (QueueingHints as upstream): a node added schedulable
 * or turning schedulable; the pod's own tolerations changing.
 */
import { tolerationsTolerateTaint, type Taint, type Toleration } from '../../api/tolerations';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, Node, NodeInfo, Pod, QueueingHint } from '../framework';
import { Status, type CycleState } from '../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
/** v1.TaintNodeUnschedulable. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

function tolerationsOf(pod: Pod): Toleration[] | undefined {
  return (pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations;
}

function unschedulable(node: Node | undefined): boolean {
  return (node?.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
}

function isObject(o: unknown): o is Node {
  return typeof o === 'object' && o !== null;
}

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (!unschedulable(nodeInfo.node)) return SUCCESS;
    if (tolerationsTolerateTaint(tolerationsOf(pod), UNSCHEDULABLE_TAINT)) return SUCCESS;
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, hint: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, o, n) },
      { event: { resource: 'Pod', actions: ['UpdatePodTolerations'] }, hint: (pod, o, n) => this.isSchedulableAfterPodTolerationChange(pod, o, n) },
    ];
  }

  /** Queue when a schedulable node is added or a node turns schedulable. */
  isSchedulableAfterNodeChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject(newObj) || (oldObj !== undefined && oldObj !== null && !isObject(oldObj))) return 'Queue';
    const original = oldObj as Node | undefined | null;
    if (original ? unschedulable(original) && !unschedulable(newObj) : !unschedulable(newObj)) return 'Queue';
    return 'QueueSkip';
  }

  /** Queue when the pod itself did not tolerate the unschedulable taint and now does. */
  isSchedulableAfterPodTolerationChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject(newObj)) return 'Queue';
    const modified = newObj as Pod;
    if (modified.metadata?.uid !== pod.metadata?.uid) return 'QueueSkip';
    const before = isObject(oldObj) && tolerationsTolerateTaint(tolerationsOf(oldObj as Pod), UNSCHEDULABLE_TAINT);
    return !before && tolerationsTolerateTaint(tolerationsOf(modified), UNSCHEDULABLE_TAINT) ? 'Queue' : 'QueueSkip';
  }
}

export const newNodeUnschedulable = (_args: Record<string, unknown> | undefined, _handle: Handle): NodeUnschedulable => new NodeUnschedulable();
