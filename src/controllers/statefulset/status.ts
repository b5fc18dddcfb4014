/**
 * StatefulSet status (upstream stateful_set_control.go updateStatus / completeRollingUpdate / inconsistentStatus and
 * stateful_set_status_updater.go): counts over the member pods — replicas (created), readyReplicas (running and
 * ready), availableReplicas (ready for minReadySeconds), currentReplicas / updatedReplicas (created, not terminating,
 * at the current / update revision) — a rolling update completed once every replica is updated and ready, and the
 * PUT of pods' status only when something changed (retried on conflicts with a fresh copy).
 */
import { isConflict, type ApiClient, type Obj } from '../framework/api-client';
import { R } from '../framework/resources';
import { getPodRevision, desiredReplicas } from './identity';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-state';
import type { Pod, StatefulSet, StatefulSetStatus } from './types';

const MAX_CONFLICT_RETRIES = 5;

/** Recomputes the counts of `status` (mutated) over the pod lists. */
export function countReplicas(status: StatefulSetStatus, minReadySeconds: number, now: number, currentRevision: string, updateRevision: string, ...podLists: readonly Pod[][]): void {
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pods of podLists) {
    for (const pod of pods) {
      if (isCreated(pod)) replicas++;
      if (isRunningAndReady(pod)) {
        ready++;
        if (isRunningAndAvailable(pod, minReadySeconds, now)) available++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = getPodRevision(pod);
        if (rev === currentRevision) current++;
        if (rev === updateRevision) updated++;
      }
    }
  }
  Object.assign(status, { replicas, readyReplicas: ready, availableReplicas: available, currentReplicas: current, updatedReplicas: updated });
}

/** When a RollingUpdate has every replica updated and ready, the update revision becomes the current one. */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  const want = desiredReplicas(set);
  if (set.spec.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === want && status.readyReplicas === want && status.replicas === want) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** True when `status` differs from the set's (or observes a newer generation). */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const s = set.status ?? { replicas: 0, availableReplicas: 0 };
  return (
    (status.observedGeneration ?? 0) > (s.observedGeneration ?? 0) ||
    status.replicas !== (s.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (s.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (s.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (s.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (s.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (s.updateRevision ?? '')
  );
}

/** The status as Go serializes it: zero counts and empty revisions omitted except replicas and availableReplicas. */
export function wireStatus(status: StatefulSetStatus): StatefulSetStatus {
  const out: StatefulSetStatus = { replicas: status.replicas, availableReplicas: status.availableReplicas ?? 0 };
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.currentReplicas) out.currentReplicas = status.currentReplicas;
  if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas;
  if (status.currentRevision) out.currentRevision = status.currentRevision;
  if (status.updateRevision) out.updateRevision = status.updateRevision;
  if (status.collisionCount !== undefined) out.collisionCount = status.collisionCount;
  if (status.conditions !== undefined) out.conditions = status.conditions;
  return out;
}

/**
 * Completes a finished rolling update in `status`, then writes it when it differs from the set's; on a conflict
 * re-reads the set (`reread`) and tries again, a few times.
 */
export async function updateStatefulSetStatus(client: ApiClient, set: StatefulSet, status: StatefulSetStatus, reread: () => Promise<StatefulSet | undefined>): Promise<void> {
  completeRollingUpdate(set, status);
  if (!inconsistentStatus(set, status)) return;
  let copy = structuredClone(set) as StatefulSet;
  for (let attempt = 0; ; attempt++) {
    copy.status = wireStatus(status);
    try {
      await client.updateStatus(R.statefulsets, String(set.metadata.namespace ?? ''), copy as Obj);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      const fresh = await reread();
      if (fresh) copy = structuredClone(fresh) as StatefulSet;
    }
  }
}
