/**
 * Pod conditions as controllers write them (upstream pkg/api/v1/pod UpdatePodCondition and pkg/util/pod
 * PatchPodStatus), shared by the taint eviction, node lifecycle and pod GC controllers:
 * - `updatePodCondition` sets a condition in a status copy, keeping lastTransitionTime when the status is unchanged,
 *   and says whether anything changed;
 * - `patchPodStatus` writes status changes with a strategic merge patch of `pods/status` carrying the pod's uid as a
 *   precondition (so a recreated pod of the same name is never touched).
 * Time comes from the caller (the controller's clock).
 */
import type { CachedObject } from '../../client/informers';
import type { ApiClient, Obj } from '../framework/api-client';
import { R } from '../framework/resources';

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

/** metav1.Time as the API writes it: RFC 3339, whole seconds. */
export function timeString(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function podConditions(pod: CachedObject): PodCondition[] {
  const c = (pod.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(c) ? (c as PodCondition[]) : [];
}

/**
 * Sets `cond` in `conditions` (changed in place): a new condition gets lastTransitionTime `now`; an existing one
 * keeps its lastTransitionTime when its status does not change. True when something changed.
 */
export function updatePodCondition(conditions: PodCondition[], cond: PodCondition, now: number): boolean {
  const next: PodCondition = { ...cond, lastTransitionTime: timeString(now) };
  const i = conditions.findIndex((c) => c.type === cond.type);
  if (i < 0) {
    conditions.push(next);
    return true;
  }
  const old = conditions[i];
  if (next.status === old.status) next.lastTransitionTime = old.lastTransitionTime;
  const same =
    next.status === old.status &&
    (next.reason ?? '') === (old.reason ?? '') &&
    (next.message ?? '') === (old.message ?? '') &&
    (next.lastProbeTime ?? null) === (old.lastProbeTime ?? null) &&
    next.lastTransitionTime === old.lastTransitionTime;
  conditions[i] = next;
  return !same;
}

/**
 * PATCHes `pods/status` (strategic merge) with `status` (e.g. a phase and the conditions that changed, merged by
 * type), the pod's uid as precondition.
 */
export function patchPodStatus(client: ApiClient, pod: CachedObject, status: Record<string, unknown>): Promise<Obj> {
  const patch = { metadata: { uid: pod.metadata?.uid }, status };
  return client.patch(R.pods, String(pod.metadata?.namespace ?? ''), String(pod.metadata?.name ?? ''), patch, 'strategic', 'status');
}

/** Adds or updates `cond` on the pod (and optionally the phase) through `patchPodStatus`; no request when nothing
 * changes. Returns whether a patch was sent. */
export async function setPodCondition(client: ApiClient, pod: CachedObject, cond: PodCondition, now: number, phase?: string): Promise<boolean> {
  const conditions = structuredClone(podConditions(pod));
  const changed = updatePodCondition(conditions, cond, now);
  const curPhase = (pod.status as { phase?: string } | undefined)?.phase;
  const phaseChanged = phase !== undefined && phase !== curPhase;
  if (!changed && !phaseChanged) return false;
  const status: Record<string, unknown> = {};
  if (phaseChanged) status.phase = phase;
  if (changed) status.conditions = [conditions.find((c) => c.type === cond.type)];
  await patchPodStatus(client, pod, status);
  return true;
}
