/**
 * SchedulingGates (upstream plugins/schedulinggates): a PreEnqueue plugin keeping a pod out of the active queue while
 * it carries `spec.schedulingGates`, with the status `waiting for scheduling gates: [a b]` (code Pending, which our
 * framework uses for "not ready to queue"; upstream returns UnschedulableAndUnresolvable with the same text).
 * Events: the pod's own update that removes its last gate (UpdatePodSchedulingGatesEliminated) re-queues it.
 */
import type { ClusterEventWithHint, EnqueueExtensions, Handle, Pod, PreEnqueuePlugin, QueueingHint } from '../framework';
import { Status } from '../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'SchedulingGates';

function gatesOf(pod: Pod): { name?: string }[] {
  return ((pod.spec as { schedulingGates?: { name?: string }[] } | undefined)?.schedulingGates ?? []);
}

/** Go's `%v` of a []string: `[a b]`. */
function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = NAME;

  preEnqueue(pod: Pod): Status {
    const gates = gatesOf(pod);
    if (gates.length === 0) return SUCCESS;
    return new Status('Pending', [`waiting for scheduling gates: ${goList(gates.map((g) => g.name ?? ''))}`]);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Pod', actions: ['UpdatePodSchedulingGatesEliminated'] }, hint: (pod, oldObj, newObj) => isSchedulableAfterUpdatePodSchedulingGatesEliminated(pod, oldObj, newObj) }];
  }
}

/** Only the pod itself losing its gates can make it schedulable. */
export function isSchedulableAfterUpdatePodSchedulingGatesEliminated(pod: Pod, _oldObj: unknown, newObj: unknown): QueueingHint {
  const modified = newObj as Pod | undefined;
  if (!modified || typeof modified !== 'object') return 'Queue';
  if (modified.metadata?.uid !== pod.metadata?.uid) return 'QueueSkip';
  return gatesOf(modified).length === 0 ? 'Queue' : 'QueueSkip';
}

export const newSchedulingGates = (_args: Record<string, unknown> | undefined, _handle: Handle): SchedulingGates => new SchedulingGates();
