/**
 * NodeResourcesFit's QueueingHints (upstream fit.go isSchedulableAfterPodEvent / isSchedulableAfterNodeChange, 1.32),
 * deciding cheaply whether a cluster event may make a pod that NodeResourcesFit rejected schedulable:
 * - Pod deleted: Queue when it was assigned to a node (it freed resources), QueueSkip when it was never scheduled.
 * - Pod updated (only registered with InPlacePodVerticalScaling): Queue when it is the target pod itself, or an
 *   assigned pod whose request of something the target requests went down; otherwise QueueSkip.
 * - Node added/updated: QueueSkip unless the pod would fit the (empty) new node; a fitting added node Queues; an
 *   update Queues only when allocatable pods, or allocatable of something the pod requests, grew.
 * An object of the wrong type Queues (upstream returns Queue with an error).
 */
import { NodeInfo, podRequests, type Node, type Pod, type QueueingHint, type Resource } from '../../framework';
import { fits } from './fits';

export interface FitFeatures {
  /** InPlacePodVerticalScaling (alpha, off in 1.32): register pod scale-down updates. */
  enableInPlacePodVerticalScaling: boolean;
  /** SchedulerQueueingHints (beta, on in 1.32): only Node Add/UpdateNodeAllocatable are registered. */
  enableSchedulingQueueHint: boolean;
}

export const DEFAULT_FIT_FEATURES: Readonly<FitFeatures> = { enableInPlacePodVerticalScaling: false, enableSchedulingQueueHint: true };

function asObject(v: unknown): Pod | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Pod) : undefined;
}

function nodeName(pod: Pod): string {
  return String((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
}

/** Whether `original` → `modified` lowered, on an assigned pod (or on the target itself), something the target requests. */
export function isSchedulableAfterPodScaleDown(target: Pod, original: Pod, modified: Pod): boolean {
  const uid = modified.metadata?.uid;
  if (uid !== undefined && uid === target.metadata?.uid) return true;
  if (nodeName(modified) === '') return false;
  const before = podRequests(original);
  const after = podRequests(modified);
  const want = podRequests(target);
  if (want.milliCPU !== 0 && before.milliCPU > after.milliCPU) return true;
  if (want.memory !== 0 && before.memory > after.memory) return true;
  if (want.ephemeralStorage !== 0 && before.ephemeralStorage > after.ephemeralStorage) return true;
  for (const [name, v] of want.scalar) if (v !== 0 && (before.scalar.get(name) ?? 0) > (after.scalar.get(name) ?? 0)) return true;
  return false;
}

export function isSchedulableAfterPodEvent(features: FitFeatures, pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const original = oldObj === undefined ? undefined : asObject(oldObj);
  const modified = newObj === undefined ? undefined : asObject(newObj);
  if ((oldObj !== undefined && !original) || (newObj !== undefined && !modified)) return 'Queue';
  if (!modified) {
    if (!original) return 'Queue';
    return nodeName(original) === '' ? 'QueueSkip' : 'Queue';
  }
  if (!features.enableInPlacePodVerticalScaling) return 'QueueSkip';
  if (!original) return 'Queue';
  return isSchedulableAfterPodScaleDown(pod, original, modified) ? 'Queue' : 'QueueSkip';
}

/** isFit: the pod fits the node when it is empty (false for no node). */
export function isFit(pod: Pod, node: Node | undefined): boolean {
  if (!node) return false;
  return fits(pod, new NodeInfo(node)).length === 0;
}

function grew(want: number, before: number, after: number): boolean {
  return want > 0 && after > before;
}

/** Whether allocatable pods, or the allocatable of anything the pod requests, increased from `original` to `modified`. */
export function haveAnyRequestedResourcesIncreased(pod: Pod, original: Node, modified: Node): boolean {
  const want = podRequests(pod);
  const before: Resource = new NodeInfo(original).allocatable;
  const after: Resource = new NodeInfo(modified).allocatable;
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  if (want.milliCPU === 0 && want.memory === 0 && want.ephemeralStorage === 0 && want.scalar.size === 0) return false;
  if (grew(want.milliCPU, before.milliCPU, after.milliCPU) || grew(want.memory, before.memory, after.memory)) return true;
  if (grew(want.ephemeralStorage, before.ephemeralStorage, after.ephemeralStorage)) return true;
  for (const [name, v] of want.scalar) if (v !== 0 && (after.scalar.get(name) ?? 0) > (before.scalar.get(name) ?? 0)) return true;
  return false;
}

export function isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const modified = asObject(newObj);
  const original = oldObj === undefined ? undefined : asObject(oldObj);
  if (!modified || (oldObj !== undefined && !original)) return 'Queue';
  if (!isFit(pod, modified)) return 'QueueSkip';
  if (!original) return 'Queue';
  return haveAnyRequestedResourcesIncreased(pod, original, modified) ? 'Queue' : 'QueueSkip';
}
