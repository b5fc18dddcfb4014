/**
 * The destructive half of a StatefulSet RollingUpdate (upstream updateStatefulSet's tail and
 * updateStatefulSetAfterInvariantEstablished), run once every replica exists and, for OrderedReady, is healthy:
 * from the highest ordinal down to the partition, delete the first pod not at the update revision and stop; wait
 * while a pod is unhealthy. With maxUnavailable (upstream's MaxUnavailableStatefulSet feature, off by default in
 * v1.32) up to maxUnavailable minus the unhealthy replicas are deleted at once, highest ordinals first.
 * `replicas` is indexed by ordinal - start; the partition is compared with that index, as upstream does.
 */
import { isNotFound } from '../framework/api-client';
import { desiredReplicas, getPodRevision } from './identity';
import { isHealthy, isTerminating } from './pod-state';
import type { StatefulPodControl } from './stateful-pod-control';
import type { Pod, StatefulSet, StatefulSetStatus } from './types';

/** intstr.GetScaledValueFromIntOrPercent rounding down, at least 1 (upstream getStatefulSetMaxUnavailable). */
export function maxUnavailableOf(v: number | string | undefined, replicas: number): number {
  let n = 1;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    n = m ? Math.floor((Number(m[1]) * replicas) / 100) : Number.parseInt(v, 10);
  }
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

async function deleteForUpdate(podControl: StatefulPodControl, set: StatefulSet, pod: Pod): Promise<void> {
  try {
    await podControl.deleteStatefulPod(set, pod);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Deletes what the rolling update allows now; lowers status.currentReplicas per deletion (mutated). */
export async function rollReplicas(podControl: StatefulPodControl, set: StatefulSet, replicas: readonly Pod[], updateRevision: string, status: StatefulSetStatus, withMaxUnavailable: boolean): Promise<void> {
  const ru = set.spec.updateStrategy?.rollingUpdate;
  const updateMin = ru?.partition ?? 0;
  if (!withMaxUnavailable) {
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target];
      if (getPodRevision(pod) !== updateRevision && !isTerminating(pod)) {
        await deleteForUpdate(podControl, set, pod);
        status.currentReplicas = (status.currentReplicas ?? 0) - 1;
        return;
      }
      if (!isHealthy(pod)) return;
    }
    return;
  }
  const maxUnavailable = ru ? maxUnavailableOf(ru.maxUnavailable, desiredReplicas(set)) : 1;
  const unavailable = replicas.filter((p) => !isHealthy(p)).length;
  if (unavailable >= maxUnavailable) return;
  let budget = maxUnavailable - unavailable;
  for (let target = replicas.length - 1; target >= updateMin && budget > 0; target--) {
    const pod = replicas[target];
    if (getPodRevision(pod) !== updateRevision && !isTerminating(pod)) {
      await deleteForUpdate(podControl, set, pod);
      budget--;
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    }
  }
}
