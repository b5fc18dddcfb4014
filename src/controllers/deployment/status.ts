/**
 * A Deployment's status computed from its ReplicaSets (upstream calculateStatus): observedGeneration, replicas
 * (pods of all its ReplicaSets), updatedReplicas (of the new one), ready, available and unavailable replicas
 * (never negative), the collisionCount kept, the conditions kept, and Available set by whether at least
 * replicas - maxUnavailable are available. Zero counts are left out, as Go's omitempty writes them, and
 * `statusEqual` compares two statuses the way reflect.DeepEqual compares the decoded structs.
 */
import { isDeepStrictEqual } from 'node:util';
import { newCondition, setCondition } from './conditions';
import { maxUnavailable } from './fenceposts';
import { actualReplicaCount, availableReplicaCount, readyReplicaCount } from './replicasets';
import { Reason, specReplicas, type Deployment, type DeploymentStatus, type ReplicaSet } from './types';

const COUNTS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** The status with Go's omitempty applied: zero counts and empty conditions left out. */
export function wireStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const k of COUNTS) if (s[k]) out[k] = s[k];
  if (s.conditions && s.conditions.length > 0) out.conditions = s.conditions.map((c) => ({ ...c }));
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

function comparable(s: DeploymentStatus | undefined): unknown {
  const w = wireStatus(s ?? {});
  return JSON.parse(JSON.stringify(w)) as unknown;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return isDeepStrictEqual(comparable(a), comparable(b));
}

export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = allRSs.reduce((t, rs) => t + (rs ? specReplicas(rs) : 0), 0);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return wireStatus(status);
}
