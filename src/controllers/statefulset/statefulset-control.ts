/**
 * StatefulSetControl (upstream stateful_set_control.go defaultStatefulSetControl): one pass of a StatefulSet over
 * its member pods. Finds or creates the update revision (and the current one), builds the replica slots
 * [start, start+replicas) and the condemned pods (ordinals outside), then
 *  1. each replica: recreate failed/succeeded pods, create missing ones (claims first), fix identity/storage/claim
 *     ownership; OrderedReady stops at the first pod it created or that is not running, ready and available;
 *  2. condemned pods' claims get the scaled-down ownership, then condemned pods are deleted, highest ordinal first,
 *     OrderedReady one at a time and only while every lower replica is healthy;
 *  3. RollingUpdate deletes outdated pods from the top (rolling-update.ts); OnDelete leaves them.
 * Parallel runs steps 1 and 2 over all pods in slow-start batches. The status is written even when a step fails,
 * and revisions beyond revisionHistoryLimit that no pod uses are deleted.
 */
import type { Clock } from '../../base/clock';
import { slowStartBatch } from '../framework/slow-start';
import { sortRevisions } from '../history/controller-history';
import { endOrdinal, getOrdinal, identityMatches, newVersionedStatefulSetPod, podInOrdinalRange, startOrdinal, storageMatches } from './identity';
import { byDescendingOrdinal, isCreated, isFailed, isHealthy, isPending, isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating } from './pod-state';
import { applyRevision } from './revision-data';
import type { RevisionHistory } from './revision-history';
import { currentAndUpdateRevisions, truncateHistory } from './revisions';
import { rollReplicas } from './rolling-update';
import { aggregate, type StatefulPodControl } from './stateful-pod-control';
import { countReplicas } from './status';
import type { Pod, Revision, StatefulSet, StatefulSetStatus } from './types';

export interface StatefulSetControlOptions {
  podControl: StatefulPodControl;
  history: RevisionHistory;
  clock: Clock;
  /** Writes the status (completing a finished rolling update first). */
  writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void>;
  /** Honour rollingUpdate.maxUnavailable (upstream feature MaxUnavailableStatefulSet; off by default in v1.32). */
  maxUnavailable?: boolean;
}

/** Runs fn over 0..n-1: in order, stopping when it asks to (monotonic), or in slow-start batches (burst). */
async function runForAll(n: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < n; i++) if (await fn(i)) return true;
    return false;
  }
  let next = 0;
  const { error } = await slowStartBatch(n, 1, async () => void (await fn(next++)));
  if (error !== undefined) throw error;
  return false;
}

export class StatefulSetControl {
  constructor(private readonly o: StatefulSetControlOptions) {}

  /** One pass over the set; returns the status written. Throws (after writing the status) when a step failed. */
  async updateStatefulSet(original: StatefulSet, pods: readonly Pod[]): Promise<StatefulSetStatus> {
    const set = structuredClone(original) as StatefulSet;
    const revisions = sortRevisions(this.o.history.list(set)) as Revision[];
    let current: Revision | undefined;
    let update: Revision | undefined;
    const errors: unknown[] = [];
    let status: StatefulSetStatus | undefined;
    try {
      const r = await currentAndUpdateRevisions(this.o.history, set, revisions);
      current = r.current;
      update = r.update;
      const res = await this.updatePods(set, r.current, r.update, r.collisionCount, pods);
      status = res.status;
      try {
        await this.o.writeStatus(set, status);
      } catch (e) {
        errors.push(e);
      }
      if (res.error !== undefined) errors.unshift(res.error);
    } catch (e) {
      errors.push(e);
    }
    try {
      await truncateHistory(this.o.history, set, pods, revisions, current, update);
    } catch (e) {
      errors.push(e);
    }
    const err = aggregate(errors);
    if (err) throw err;
    return status as StatefulSetStatus;
  }

  private async updatePods(set: StatefulSet, current: Revision, update: Revision, collisionCount: number, pods: readonly Pod[]): Promise<{ status: StatefulSetStatus; error?: unknown }> {
    const currentSet = applyRevision(set, current);
    const updateSet = applyRevision(set, update);
    const cur = String(current.metadata.name);
    const upd = String(update.metadata.name);
    const minReady = set.spec.minReadySeconds ?? 0;
    const now = this.o.clock.now();
    const status: StatefulSetStatus = { observedGeneration: set.metadata.generation, currentRevision: cur, updateRevision: upd, collisionCount, replicas: 0, availableReplicas: 0 };
    countReplicas(status, minReady, now, cur, upd, [...pods]);

    const start = startOrdinal(set);
    const replicas: Pod[] = [];
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
      else if (getOrdinal(pod) >= 0) condemned.push(pod);
    }
    for (let ord = start; ord <= endOrdinal(set); ord++) replicas[ord - start] ??= newVersionedStatefulSetPod(currentSet, updateSet, cur, upd, ord);
    condemned.sort(byDescendingOrdinal);
    const firstUnhealthy = replicas.find((p) => !isHealthy(p)) ?? [...condemned].reverse().find((p) => !isHealthy(p));

    if (set.metadata.deletionTimestamp) return { status };
    const monotonic = set.spec.podManagementPolicy !== 'Parallel';
    const finish = (error?: unknown) => {
      countReplicas(status, minReady, now, cur, upd, replicas, condemned);
      return { status, error };
    };
    const pc = this.o.podControl;
    try {
      if (await runForAll(replicas.length, (i) => this.processReplica(set, updateSet, monotonic, replicas[i], now), monotonic)) return finish();
      const fixClaims = async (i: number) => {
        if (!pc.claimsMatchRetentionPolicy(updateSet, condemned[i])) await pc.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
        return false;
      };
      if (await runForAll(condemned.length, fixClaims, monotonic)) return finish();
      const processCondemned = async (i: number) => {
        const pod = condemned[i];
        if (isTerminating(pod)) return monotonic;
        if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) return true;
        await pc.deleteStatefulPod(set, pod);
        return true;
      };
      if (await runForAll(condemned.length, processCondemned, monotonic)) return finish();
      countReplicas(status, minReady, now, cur, upd, replicas, condemned);
      if (set.spec.updateStrategy?.type === 'OnDelete') return { status };
      await rollReplicas(pc, set, replicas, upd, status, this.o.maxUnavailable ?? false);
      return { status };
    } catch (e) {
      return finish(e);
    }
  }

  /** One replica slot; true when OrderedReady must stop here. */
  private async processReplica(set: StatefulSet, updateSet: StatefulSet, monotonic: boolean, pod: Pod, now: number): Promise<boolean> {
    const pc = this.o.podControl;
    if (isFailed(pod) || isSucceeded(pod)) {
      // The replacement is created by the sync that sees this one gone.
      if (!pod.metadata.deletionTimestamp) await pc.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      if (pc.podClaimIsStale(set, pod)) return true;
      await pc.createStatefulPod(set, pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await pc.createMissingPersistentVolumeClaims(set, pod);
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, set.spec.minReadySeconds ?? 0, now))) return true;
    const retentionMatch = pc.claimsMatchRetentionPolicy(updateSet, pod);
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await pc.updateStatefulPod(updateSet, pod);
    return false;
  }
}
