/**
 * The Deployment syncs that are not a rollout step (upstream sync.go and progress.go): `syncScaling` for paused
 * Deployments and scaling events (resize the only active ReplicaSet, zero the old ones once the new one is
 * saturated, or spread the change over all active ReplicaSets in proportion to their size — newest first when
 * growing, oldest first when shrinking, leftovers to the largest), `syncStatusOnly` for a Deployment being deleted,
 * `checkPausedConditions` (Progressing Unknown DeploymentPaused "Deployment is paused" / DeploymentResumed
 * "Deployment is resumed"), `isScalingEvent` (an active ReplicaSet's desired-replicas annotation differs from
 * spec.replicas), `cleanupDeployment` (delete the oldest old ReplicaSets beyond revisionHistoryLimit that have no
 * pods and whose status is current) and the two status writers.
 */
import { isNotFound } from '../framework/api-client';
import { R } from '../framework/resources';
import { getCondition, hasProgressDeadline, hasRevisionHistoryLimit, newCondition, setCondition } from './conditions';
import { isRollingUpdate, maxSurge, replicaCount } from './fenceposts';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset';
import { progressRequeueMs, rolloutStatus } from './progress';
import { bySizeNewer, bySizeOlder, byRevision, desiredReplicasAnnotation, filterActive, findActiveOrLatest, getProportion, isSaturated } from './replicasets';
import { calculateStatus, statusEqual } from './status';
import { Reason, specReplicas, type ReplicaSet } from './types';
import type { Work } from './work';

export async function syncDeploymentStatus(w: Work, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
  const next = calculateStatus(allRSs, newRS, w.d, w.now());
  if (statusEqual(w.d.status, next)) return;
  w.d.status = next;
  await w.writeStatus();
}

/** syncRolloutStatus: the status with progress conditions; an unchanged one schedules the deadline check. */
export async function syncRolloutStatus(w: Work, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
  const next = rolloutStatus(allRSs, newRS, w.d, w.now());
  if (statusEqual(w.d.status, next)) {
    const ms = progressRequeueMs(w.d, next, w.now());
    if (ms >= 0) w.env.requeue(w.key, ms);
    return;
  }
  w.d.status = next;
  await w.writeStatus();
}

export async function checkPausedConditions(w: Work): Promise<void> {
  const d = w.d;
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === Reason.TimedOut) return;
  const pausedExists = cond?.reason === Reason.PausedDeploy;
  const paused = d.spec?.paused === true;
  if (paused && !pausedExists) setCondition(d.status!, newCondition('Progressing', 'Unknown', Reason.PausedDeploy, 'Deployment is paused', w.now()));
  else if (!paused && pausedExists) setCondition(d.status!, newCondition('Progressing', 'Unknown', Reason.ResumedDeploy, 'Deployment is resumed', w.now()));
  else return;
  await w.writeStatus();
}

export async function isScalingEvent(w: Work, rsList: readonly ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(w, rsList, false);
  for (const rs of filterActive([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== specReplicas(w.d)) return true;
  }
  return false;
}

/** scale: proportional scaling of a Deployment resized (or paused) in the middle of a rollout. */
export async function scale(w: Work, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const d = w.d;
  const want = specReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) === want) return;
    await w.scaleAndRecord(activeOrLatest, want);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await w.scaleAndRecord(old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(all);
  let operation = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    const name = String(rs.metadata?.name ?? '');
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added);
      sizes.set(name, specReplicas(rs) + p);
      added += p;
    } else sizes.set(name, specReplicas(rs));
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i];
    const name = String(rs.metadata?.name ?? '');
    if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, sizes.get(name)! + toAdd - added));
    await w.scaleReplicaSet(rs, sizes.get(name)!, operation);
  }
}

export async function cleanupDeployment(w: Work, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const d = w.d;
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    const st: NonNullable<ReplicaSet['status']> = rs.status ?? { replicas: 0 };
    if ((st.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (st.observedGeneration ?? 0) || rs.metadata?.deletionTimestamp) continue;
    try {
      await w.env.client.delete(R.replicasets, w.namespace, String(rs.metadata?.name ?? ''));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** sync: reconciles a paused Deployment or a scaling event (no rollout step). */
export async function syncScaling(w: Work, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(w, rsList, false);
  await scale(w, newRS, oldRSs);
  if (w.d.spec?.paused) await cleanupDeployment(w, oldRSs);
  await syncDeploymentStatus(w, [...oldRSs, newRS], newRS);
}

export async function syncStatusOnly(w: Work, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(w, rsList, false);
  await syncDeploymentStatus(w, [...oldRSs, newRS], newRS);
}
