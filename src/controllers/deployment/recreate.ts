/**
 * Recreate (upstream recreate.go): scale every old ReplicaSet to 0, wait until none of their pods is left running
 * (pods in a terminal phase do not count; a pod of an old ReplicaSet still present does), then create the new
 * ReplicaSet — only now, so old and new pods never run together — and scale it to spec.replicas; once complete,
 * delete old ReplicaSets beyond revisionHistoryLimit. Every step ends with the rollout status.
 */
import type { CachedObject } from '../../client/informers';
import { deploymentComplete } from './conditions';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset';
import { actualReplicaCount, filterActive } from './replicasets';
import { cleanupDeployment, syncRolloutStatus } from './sync';
import { specReplicas, type ReplicaSet } from './types';
import type { Work } from './work';

/** Pods of the Deployment's ReplicaSets, by the uid of the ReplicaSet controlling them. */
export type PodMap = ReadonlyMap<string, readonly CachedObject[]>;

export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const p of pods) {
      const phase = (p.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

export async function rolloutRecreate(w: Work, rsList: readonly ReplicaSet[], podMap: PodMap): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(w, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await w.scaleAndRecord(rs, 0)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(w, allRSs, newRS);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(w, allRSs, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(w, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await w.scaleAndRecord(newRS!, specReplicas(w.d));
  if (deploymentComplete(w.d, w.d.status ?? {})) await cleanupDeployment(w, oldRSs);
  return syncRolloutStatus(w, allRSs, newRS);
}
