/**
 * The progress check of a rollout (upstream progress.go), pure: `rolloutStatus` computes the status a rollout sync
 * writes — calculateStatus, then (with a progress deadline and the rollout not already complete) the Progressing
 * condition: NewReplicaSetAvailable `ReplicaSet "<rs>" has successfully progressed.` when complete,
 * ReplicaSetUpdated `ReplicaSet "<rs>" is progressing.` when anything moved (lastUpdateTime refreshed),
 * ProgressDeadlineExceeded `ReplicaSet "<rs>" has timed out progressing.` when the deadline passed — and the
 * ReplicaSets' ReplicaFailure condition. `progressRequeueMs` says when to look again at a rollout that did not
 * move: -1 never, 0 now (rate-limited), else the milliseconds until the deadline plus one second.
 */
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, removeCondition, setCondition } from './conditions';
import { calculateStatus, wireStatus } from './status';
import { Reason, type Deployment, type DeploymentCondition, type DeploymentStatus, type ReplicaSet } from './types';

function subject(d: Deployment, newRS: ReplicaSet | undefined): string {
  return newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata?.name ?? '')}` : `Deployment ${JSON.stringify(d.metadata?.name ?? '')}`;
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else those of any ReplicaSet. */
export function replicaFailures(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const convert = (rs: ReplicaSet | undefined) =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure')
      .map((c): DeploymentCondition => ({ type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
  const fromNew = convert(newRS);
  if (fromNew.length > 0) return fromNew;
  return allRSs.flatMap((rs) => convert(rs));
}

export function rolloutStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', Reason.NewRSAvailable, `${subject(d, newRS)} has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, status)) {
      const c = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, `${subject(d, newRS)} is progressing.`, nowMs);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      setCondition(status, newCondition('Progressing', 'False', Reason.TimedOut, `${subject(d, newRS)} has timed out progressing.`, nowMs));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length > 0) setCondition(status, failures[0]);
  else removeCondition(status, 'ReplicaFailure');
  return wireStatus(status);
}

/** requeueStuckDeployment's delay for a Deployment whose status did not change. */
export function progressRequeueMs(d: Deployment, newStatus: DeploymentStatus, nowMs: number): number {
  const current = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return -1;
  if (deploymentComplete(d, newStatus) || current.reason === Reason.TimedOut) return -1;
  const last = Date.parse(String(current.lastUpdateTime ?? ''));
  if (Number.isNaN(last)) return -1;
  const after = last + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  if (after < 1000) return 0;
  return after + 1000;
}
