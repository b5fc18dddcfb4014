/**
 * RollingUpdate (upstream rolling.go): each sync first scales the new ReplicaSet up as far as maxSurge allows
 * (never past spec.replicas), else scales old ReplicaSets down as far as maxUnavailable allows — first their
 * unavailable pods (they cost no availability), then available ones while at least replicas - maxUnavailable stay
 * available, never counting the new ReplicaSet's unavailable pods as room — and, once the rollout is complete,
 * deletes old ReplicaSets beyond revisionHistoryLimit. Every step ends with the rollout status.
 */
import { maxUnavailable, newRSNewReplicas, replicaCount } from './fenceposts';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset';
import { deploymentComplete } from './conditions';
import { availableReplicaCount, byCreation, filterActive } from './replicasets';
import { cleanupDeployment, syncRolloutStatus } from './sync';
import { specReplicas, type ReplicaSet } from './types';
import type { Work } from './work';

export async function rolloutRolling(w: Work, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(w, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(w, allRSs, newRS!)) return syncRolloutStatus(w, allRSs, newRS);
  if (await reconcileOldReplicaSets(w, allRSs, filterActive(oldRSs), newRS!)) return syncRolloutStatus(w, allRSs, newRS);
  if (deploymentComplete(w.d, w.d.status ?? {})) await cleanupDeployment(w, oldRSs);
  return syncRolloutStatus(w, allRSs, newRS);
}

async function reconcileNewReplicaSet(w: Work, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  const want = specReplicas(w.d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return (await w.scaleAndRecord(newRS, want)).scaled;
  return (await w.scaleAndRecord(newRS, newRSNewReplicas(w.d, allRSs, newRS))).scaled;
}

async function reconcileOldReplicaSets(w: Work, allRSs: readonly ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const allPods = replicaCount(allRSs);
  const minAvailable = specReplicas(w.d) - maxUnavailable(w.d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Upstream swallows these errors (the step simply did not happen; the next sync tries again).
  let cleaned: { rss: ReplicaSet[]; count: number };
  try {
    cleaned = await cleanupUnhealthyReplicas(w, oldRSs, maxScaledDown);
  } catch (e) {
    w.env.logger.debug(`cleaning up unhealthy replicas of ${w.key}: ${(e as Error).message}`);
    return false;
  }
  let scaledDown: number;
  try {
    scaledDown = await scaleDownOldReplicaSets(w, [...cleaned.rss, newRS], cleaned.rss);
  } catch (e) {
    w.env.logger.debug(`scaling down old replica sets of ${w.key}: ${(e as Error).message}`);
    return false;
  }
  return cleaned.count + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable replicas (oldest first), at most `maxCleanup` in all. */
async function cleanupUnhealthyReplicas(w: Work, oldRSs: ReplicaSet[], maxCleanup: number): Promise<{ rss: ReplicaSet[]; count: number }> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i];
    const available = rs.status?.availableReplicas ?? 0;
    if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
    const down = Math.min(maxCleanup - total, specReplicas(rs) - available);
    const res = await w.scaleAndRecord(rs, specReplicas(rs) - down);
    total += down;
    rss[i] = res.rs;
  }
  return { rss, count: total };
}

/** Scales old ReplicaSets down (oldest first) while more than replicas - maxUnavailable pods are available. */
async function scaleDownOldReplicaSets(w: Work, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[]): Promise<number> {
  const minAvailable = specReplicas(w.d) - maxUnavailable(w.d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const want = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= want) break;
    if (specReplicas(rs) === 0) continue;
    const down = Math.min(specReplicas(rs), want - total);
    await w.scaleAndRecord(rs, specReplicas(rs) - down);
    total += down;
  }
  return total;
}
