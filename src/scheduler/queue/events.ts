/**
 * Cluster events as the scheduling queue sees them (upstream framework/events.go and types.go, 1.32): the named
 * events the scheduler's informer handlers pass to `moveAllToActiveOrBackoffQueue`, the special queue labels, event
 * matching, and which update events a pod change amounts to.
 *
 * Matching (upstream ClusterEvent.Match): a registered event matches an incoming one when it is the wildcard, or its
 * resource equals the incoming one (a registered `Pod` also matches `AssignedPod` and `UnscheduledPod`) and the
 * action sets intersect, where `All` covers every action and `Update` covers every `Update…` action (both ways, as
 * upstream's bit masks do).
 */
import type { ActionType, ClusterEvent, EventResource, Pod } from '../framework';
import { podRequests } from '../framework';

function ev(resource: EventResource, action: ActionType, label: string): ClusterEvent {
  return Object.freeze({ resource, actions: Object.freeze([action]), label });
}

// Special labels (upstream framework.ScheduleAttemptFailure etc.): why a pod entered a queue.
export const SCHEDULE_ATTEMPT_FAILURE = 'ScheduleAttemptFailure';
export const BACKOFF_COMPLETE = 'BackoffComplete';
export const FORCE_ACTIVATE = 'ForceActivate';
export const UNSCHEDULABLE_TIMEOUT = 'UnschedulableTimeout';

export const NodeAdd = ev('Node', 'Add', 'NodeAdd');
export const NodeDelete = ev('Node', 'Delete', 'NodeDelete');
export const NodeUpdate = ev('Node', 'Update', 'NodeUpdate');
export const NodeSpecUnschedulableChange = ev('Node', 'UpdateNodeTaint', 'NodeSpecUnschedulableChange');
export const NodeAllocatableChange = ev('Node', 'UpdateNodeAllocatable', 'NodeAllocatableChange');
export const NodeLabelChange = ev('Node', 'UpdateNodeLabel', 'NodeLabelChange');
export const NodeAnnotationChange = ev('Node', 'UpdateNodeAnnotation', 'NodeAnnotationChange');
export const NodeTaintChange = ev('Node', 'UpdateNodeTaint', 'NodeTaintChange');
export const NodeConditionChange = ev('Node', 'UpdateNodeCondition', 'NodeConditionChange');
export const AssignedPodAdd = ev('AssignedPod', 'Add', 'AssignedPodAdd');
export const AssignedPodUpdate = ev('AssignedPod', 'Update', 'AssignedPodUpdate');
export const AssignedPodDelete = ev('AssignedPod', 'Delete', 'AssignedPodDelete');
export const UnscheduledPodAdd = ev('UnscheduledPod', 'Add', 'UnscheduledPodAdd');
export const UnscheduledPodUpdate = ev('UnscheduledPod', 'Update', 'UnscheduledPodUpdate');
export const UnscheduledPodDelete = ev('UnscheduledPod', 'Delete', 'UnscheduledPodDelete');
export const PvAdd = ev('PersistentVolume', 'Add', 'PvAdd');
export const PvUpdate = ev('PersistentVolume', 'Update', 'PvUpdate');
export const PvDelete = ev('PersistentVolume', 'Delete', 'PvDelete');
export const PvcAdd = ev('PersistentVolumeClaim', 'Add', 'PvcAdd');
export const PvcUpdate = ev('PersistentVolumeClaim', 'Update', 'PvcUpdate');
export const PvcDelete = ev('PersistentVolumeClaim', 'Delete', 'PvcDelete');
export const StorageClassAdd = ev('StorageClass', 'Add', 'StorageClassAdd');
export const StorageClassUpdate = ev('StorageClass', 'Update', 'StorageClassUpdate');
export const CSINodeAdd = ev('CSINode', 'Add', 'CSINodeAdd');
export const CSINodeUpdate = ev('CSINode', 'Update', 'CSINodeUpdate');
export const NamespaceAdd = ev('Namespace', 'Add', 'NamespaceAdd');
export const NamespaceUpdate = ev('Namespace', 'Update', 'NamespaceUpdate');
export const ServiceAdd = ev('Service', 'Add', 'ServiceAdd');
export const ServiceUpdate = ev('Service', 'Update', 'ServiceUpdate');
export const ServiceDelete = ev('Service', 'Delete', 'ServiceDelete');
/** Matches every registration; moves every unschedulable pod (upstream WildCardEvent). */
export const WildCardEvent = ev('*', 'All', 'WildCardEvent');
/** A pod stayed in unschedulablePods longer than podMaxInUnschedulablePodsDuration (wildcard). */
export const UnschedulableTimeout = ev('*', 'All', UNSCHEDULABLE_TIMEOUT);
/** Activate() of a pod that was in flight (wildcard; upstream EventForceActivate). */
export const ForceActivate = ev('*', 'All', FORCE_ACTIVATE);

export function isWildCard(e: ClusterEvent): boolean {
  return e.resource === '*' && e.actions.includes('All');
}

export function eventLabel(e: ClusterEvent): string {
  return e.label ?? `${e.resource}${e.actions.join('|')}`;
}

function resourceMatches(registered: EventResource, incoming: EventResource): boolean {
  return registered === '*' || registered === incoming || (registered === 'Pod' && (incoming === 'AssignedPod' || incoming === 'UnscheduledPod'));
}

function actionsIntersect(a: ActionType, b: ActionType): boolean {
  if (a === b || a === 'All' || b === 'All') return true;
  return (a === 'Update' && b.startsWith('Update')) || (b === 'Update' && a.startsWith('Update'));
}

/** Whether a plugin's registered event covers an incoming event. */
export function eventMatches(registered: ClusterEvent, incoming: ClusterEvent): boolean {
  if (isWildCard(registered)) return true;
  if (!resourceMatches(registered.resource, incoming.resource)) return false;
  return registered.actions.some((a) => incoming.actions.some((b) => actionsIntersect(a, b)));
}

function labelsOf(pod: Pod): Record<string, string> {
  return (pod.metadata?.labels ?? {}) as Record<string, string>;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

type PodSpecBits = { tolerations?: unknown[]; schedulingGates?: unknown[]; nodeName?: string };
const specOf = (p: Pod) => (p.spec ?? {}) as PodSpecBits;

/** Whether some resource request went down or was removed (upstream extractPodScaleDown). */
function scaledDown(newPod: Pod, oldPod: Pod): boolean {
  const n = podRequests(newPod);
  const o = podRequests(oldPod);
  if (o.milliCPU > n.milliCPU || o.memory > n.memory || o.ephemeralStorage > n.ephemeralStorage) return true;
  for (const [name, v] of o.scalar) {
    const nv = n.scalar.get(name);
    if (nv === undefined || v > nv) return true;
  }
  return false;
}

/**
 * The update events a pod change amounts to (upstream PodSchedulingPropertiesChange): resource `AssignedPod` when the
 * new pod is bound, else `UnscheduledPod`; actions UpdatePodLabel, UpdatePodScaleDown,
 * UpdatePodSchedulingGatesEliminated, UpdatePodTolerations for what changed, or a plain Update when none did.
 */
export function podSchedulingPropertiesChange(newPod: Pod, oldPod: Pod): ClusterEvent[] {
  const resource: EventResource = specOf(newPod).nodeName ? 'AssignedPod' : 'UnscheduledPod';
  const actions: ActionType[] = [];
  if (!sameLabels(labelsOf(newPod), labelsOf(oldPod))) actions.push('UpdatePodLabel');
  if (scaledDown(newPod, oldPod)) actions.push('UpdatePodScaleDown');
  if ((specOf(newPod).schedulingGates ?? []).length === 0 && (specOf(oldPod).schedulingGates ?? []).length !== 0) actions.push('UpdatePodSchedulingGatesEliminated');
  if ((specOf(newPod).tolerations ?? []).length !== (specOf(oldPod).tolerations ?? []).length) actions.push('UpdatePodTolerations');
  if (actions.length === 0) actions.push('Update');
  return actions.map((a) => ({ resource, actions: [a], label: `${resource}${a}` }));
}

function stripForCompare(pod: Pod): unknown {
  const { resourceVersion: _rv, generation: _g, managedFields: _m, finalizers: _f, ...meta } = (pod.metadata ?? {}) as Record<string, unknown>;
  const status = pod.status as { resourceClaimStatuses?: unknown } | undefined;
  return { ...pod, metadata: meta, status: status?.resourceClaimStatuses !== undefined ? { resourceClaimStatuses: status.resourceClaimStatuses } : {} };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether a pod changed in a way that may make it schedulable (upstream isPodUpdated): anything but the status
 * (except resourceClaimStatuses), resourceVersion, generation, managedFields and finalizers.
 */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  return !deepEqual(stripForCompare(oldPod), stripForCompare(newPod));
}
