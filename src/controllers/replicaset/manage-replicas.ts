/**
 * manageReplicas (upstream replica_set.go): the one place pods are created or deleted for an owner. Too few pods:
 * expect the creations, then create in slow-start batches (1, 2, 4, …) up to the burst limit; creations that were
 * never attempted (a batch failed) are taken off the expectations. Too many: rank the pods (unassigned, pending,
 * not ready, cheaper, doubled-up on a node, newer … first; see pod-util compareForDeletion), expect the deletions
 * of the first `diff`, delete them concurrently; a pod already gone counts as deleted.
 */
import type { CachedObject } from '../../client/informers';
import { objectKey } from '../../client/informers';
import { isNamespaceTerminating, isNotFound } from '../framework/api-client';
import { newControllerRef } from '../framework/controller-ref';
import { podFromTemplate, type PodControl } from '../framework/pod-control';
import { compareForDeletion, isPodActive, podNodeName } from '../framework/pod-util';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../framework/slow-start';
import type { ControllerExpectations } from '../framework/expectations';
import { replicaSpec, type ReplicaKind } from './kinds';

export interface ManageInput {
  controller: { readonly kind: ReplicaKind; readonly expectations: ControllerExpectations; relatedPods(owner: CachedObject): CachedObject[] };
  now: number;
  owner: CachedObject;
  key: string;
  /** The active pods the owner controls. */
  pods: readonly CachedObject[];
  podControl: PodControl;
  burst: number;
}

export async function manageReplicas(m: ManageInput): Promise<void> {
  const { controller: c, owner, key } = m;
  const ns = String(owner.metadata?.namespace ?? '');
  const spec = replicaSpec(owner);
  let diff = m.pods.length - spec.replicas;
  if (diff < 0) {
    diff = Math.min(-diff, m.burst);
    c.expectations.expectCreations(key, diff);
    const ref = newControllerRef(owner, c.kind.apiVersion, c.kind.kind);
    const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      try {
        await m.podControl.createPod(ns, podFromTemplate(spec.template, owner, ref), owner);
      } catch (e) {
        if (!isNamespaceTerminating(e)) throw e;
        // Refused because the namespace is going away: never observed, not an error.
        c.expectations.lowerCreations(key);
      }
    });
    // Failed and never-attempted creates will never be observed.
    if (diff - successes > 0) c.expectations.lowerCreations(key, diff - successes);
    if (error !== undefined) throw error;
    return;
  }
  if (diff > 0) {
    diff = Math.min(diff, m.burst);
    const doomed = podsToDelete(m.pods, c.relatedPods(owner), diff, m.now);
    c.expectations.expectDeletions(key, doomed.map(objectKey));
    const results = await Promise.allSettled(
      doomed.map(async (p) => {
        try {
          await m.podControl.deletePod(ns, String(p.metadata?.name ?? ''), owner);
        } catch (e) {
          // The deletion will not be observed (or already was): count it now.
          c.expectations.deletionObserved(key, objectKey(p));
          if (!isNotFound(e)) throw e;
        }
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}

/** The `diff` pods to delete first: all of them when diff covers them, else upstream's ranking. */
export function podsToDelete(pods: readonly CachedObject[], related: readonly CachedObject[], diff: number, now: number): CachedObject[] {
  if (diff >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(podNodeName(p), (onNode.get(podNodeName(p)) ?? 0) + 1);
  const ranked = pods.map((p) => ({ p, rank: onNode.get(podNodeName(p)) ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a.p, b.p, a.rank, b.rank, now));
  return ranked.slice(0, diff).map((r) => r.p);
}
