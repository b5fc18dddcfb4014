/**
 * syncNodes (upstream daemon_controller.go): carries out one round of decisions for a set — create a daemon pod on
 * each of the given nodes and delete the given pods, at most 250 of each (BurstReplicas). Expectations are set
 * before any call; creates go in slow-start batches (1, 2, 4, …) from the template with the daemon tolerations, the
 * revision labels and the node-pinning affinity, through PodControl (SuccessfulCreate / FailedCreate events);
 * deletes go in parallel (SuccessfulDelete / FailedDelete). A failed create or delete lowers the expectation; the
 * creates a failing batch skipped are not expected. Errors (NotFound deletes excepted) are thrown together.
 */
import type { CachedObject } from '../../client/informers';
import { isNamespaceTerminating, isNotFound } from '../framework/api-client';
import { newControllerRef } from '../framework/controller-ref';
import type { ControllerExpectations } from '../framework/expectations';
import { podFromTemplate, type PodControl } from '../framework/pod-control';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../framework/slow-start';
import { createPodTemplate, replaceNodeNameAffinity, templateGeneration } from './daemon-pods';
import { DS_API_VERSION, DS_KIND, type DaemonSet } from './types';

/** Upstream BurstReplicas. */
export const BURST_REPLICAS = 250;

export interface SyncNodesDeps {
  podControl: PodControl;
  creates: ControllerExpectations;
  deletes: ControllerExpectations;
}

/** utilerrors.NewAggregate's message: one error as is, several as `[a, b]`. */
export function aggregateError(errors: readonly unknown[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0] instanceof Error ? errors[0] : new Error(String(errors[0]));
  return new Error(`[${errors.map((e) => (e instanceof Error ? e.message : String(e))).join(', ')}]`);
}

export async function syncNodes(d: SyncNodesDeps, owner: CachedObject, key: string, podsToDelete: readonly string[], nodesNeedingPods: readonly string[], hash: string): Promise<void> {
  const ds = owner as unknown as DaemonSet;
  const ns = ds.metadata?.namespace ?? '';
  const createDiff = Math.min(nodesNeedingPods.length, BURST_REPLICAS);
  const deleting = podsToDelete.slice(0, BURST_REPLICAS);
  d.creates.expectCreations(key, createDiff);
  d.deletes.expectDeletions(key, deleting.map((n) => `${ns}/${n}`));
  const errors: unknown[] = [];

  const template = createPodTemplate(ds.spec?.template, templateGeneration(ds), hash);
  const ref = newControllerRef(owner, DS_API_VERSION, DS_KIND);
  let next = 0;
  const createOne = async (): Promise<void> => {
    const nodeName = nodesNeedingPods[next++];
    const pod = podFromTemplate(template, owner, ref);
    const spec = pod.spec as { affinity?: unknown };
    spec.affinity = replaceNodeNameAffinity(template.spec?.affinity, nodeName);
    try {
      await d.podControl.createPod(ns, pod, owner);
    } catch (e) {
      // A terminating namespace refuses every create: nothing to retry (upstream returns without an error).
      if (isNamespaceTerminating(e)) return;
      d.creates.lowerCreations(key);
      errors.push(e);
      throw e;
    }
  };
  const result = await slowStartBatch(createDiff, SLOW_START_INITIAL_BATCH_SIZE, createOne);
  if (result.error !== undefined && createDiff - next > 0) d.creates.lowerCreations(key, createDiff - next);

  await Promise.all(
    deleting.map(async (name) => {
      try {
        await d.podControl.deletePod(ns, name, owner);
      } catch (e) {
        d.deletes.deletionObserved(key, `${ns}/${name}`);
        if (!isNotFound(e)) errors.push(e);
      }
    }),
  );
  const err = aggregateError(errors);
  if (err) throw err;
}
