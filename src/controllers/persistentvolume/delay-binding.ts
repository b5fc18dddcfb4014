/**
 * WaitForFirstConsumer support of the PV controller (upstream IsDelayBindingMode, IsDelayBindingProvisioning,
 * findNonScheduledPodsByPVC, emitEventForUnboundDelayBindingClaim): a claim of a WaitForFirstConsumer class is not
 * bound or provisioned by the controller until the scheduler has chosen a node for a pod using it and written it
 * to the claim's `volume.kubernetes.io/selected-node` annotation. Meanwhile each sync records WaitForFirstConsumer
 * (no pod uses the claim yet) or WaitForPodScheduled (pods use it but none is scheduled).
 */
import type { Lister } from '../../client/informers';
import type { BinderDeps } from './binder-deps';
import { claimClass } from './pv-match';
import { ANN_SELECTED_NODE, asClass, asPod, EV, hasAnnotation, type PersistentVolumeClaim, type Pod } from './types';

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
export function isDelayBindingMode(claim: PersistentVolumeClaim, classes: Lister): boolean {
  const name = claimClass(claim);
  if (!name) return false;
  const cached = classes.get('', name);
  if (!cached) return false;
  const mode = asClass(cached).volumeBindingMode;
  if (mode === undefined) throw new Error(`VolumeBindingMode not set for StorageClass "${name}"`);
  return mode === 'WaitForFirstConsumer';
}

/** IsDelayBindingProvisioning: the scheduler has selected a node for the claim. */
export function isDelayBindingProvisioning(claim: PersistentVolumeClaim): boolean {
  return hasAnnotation(claim, ANN_SELECTED_NODE);
}

/** util.IsPodTerminated. */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return true;
  if (!pod.metadata?.deletionTimestamp) return false;
  return (pod.status?.containerStatuses ?? []).every((s) => !s.state?.running && !s.state?.waiting);
}

/** The claim names a pod's volumes use (common.PodPVCIndexFunc: claims and generic ephemeral volumes). */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return out;
}

/** Active pods of `namespace` that use the claim `name`. */
export function podsUsingClaim(pods: Lister, namespace: string, name: string): Pod[] {
  return pods
    .list(namespace)
    .map(asPod)
    .filter((p) => !isPodTerminated(p) && podClaimNames(p).includes(name));
}

export function emitEventForUnboundDelayBindingClaim(d: BinderDeps, claim: PersistentVolumeClaim): void {
  const unscheduled = podsUsingClaim(d.pods, claim.metadata?.namespace ?? '', claim.metadata?.name ?? '')
    .filter((p) => !p.spec?.nodeName)
    .map((p) => p.metadata?.name ?? '');
  const obj = claim as unknown as Record<string, unknown>;
  if (unscheduled.length === 0) {
    d.recorder.event(obj, 'Normal', EV.WaitForFirstConsumer, 'waiting for first consumer to be created before binding');
  } else if (unscheduled.length === 1) {
    d.recorder.event(obj, 'Normal', EV.WaitForPodScheduled, `waiting for pod ${unscheduled[0]} to be scheduled`);
  } else {
    d.recorder.event(obj, 'Normal', EV.WaitForPodScheduled, `waiting for pods ${unscheduled.join(',')} to be scheduled`);
  }
}
