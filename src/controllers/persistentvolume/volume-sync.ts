/**
 * syncVolume of the PV controller (upstream syncVolume). A volume without claimRef, or pre-bound to a claim by name
 * only, is Available. A volume bound to a claim that no longer exists (checked in the informer, then the API, so a
 * claim the informer has not seen yet is not mistaken for a deleted one) is Released and its reclaim policy runs. A
 * volume whose claim does not point back yet has the claim queued (the claim sync completes the binding); one whose
 * claim is bound elsewhere is deleted (provisioned, Delete) or unbound; a fully bound one is Bound.
 */
import { isNotFound } from '../framework/api-client';
import { R } from '../framework/resources';
import type { BinderDeps } from './binder-deps';
import { unbindVolume, updateVolumePhase } from './binding';
import { volumeModeMismatch } from './pv-match';
import { reclaimVolume } from './reclaim';
import { ANN_DYNAMICALLY_PROVISIONED, asPVC, EV, hasAnnotation, type PersistentVolume, type PersistentVolumeClaim } from './types';

async function claimOf(d: BinderDeps, volume: PersistentVolume): Promise<PersistentVolumeClaim | undefined> {
  const ref = volume.spec!.claimRef!;
  const ns = ref.namespace ?? '';
  const name = ref.name ?? '';
  let cached = d.claims.get(ns, name);
  const phase = volume.status?.phase;
  const apiGet = async () => {
    try {
      const c = await d.client.get(R.persistentvolumeclaims, ns, name);
      return asPVC(c as never);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
  if (!cached && phase !== 'Released' && phase !== 'Failed') {
    const c = await apiGet();
    if (c) cached = c as never;
  }
  let claim = cached ? asPVC(cached) : undefined;
  if (claim && claim.metadata?.uid !== ref.uid) {
    // The cached claim may be older than the claimRef: ask the API server before calling it replaced.
    const c = await apiGet();
    claim = c && c.metadata?.uid === ref.uid ? c : undefined;
  }
  return claim;
}

export async function syncVolume(d: BinderDeps, volume: PersistentVolume): Promise<void> {
  const ref = volume.spec?.claimRef;
  if (!ref || !ref.uid) {
    await updateVolumePhase(d, volume, 'Available', '');
    return;
  }
  const claim = await claimOf(d, volume);
  if (!claim) {
    let v = volume;
    if (v.status?.phase !== 'Released' && v.status?.phase !== 'Failed') v = await updateVolumePhase(d, v, 'Released', '');
    await reclaimVolume(d, v);
    return;
  }
  const volumeName = claim.spec?.volumeName ?? '';
  if (!volumeName) {
    if (volumeModeMismatch(claim, volume)) {
      d.recorder.event(
        volume as unknown as Record<string, unknown>,
        'Warning',
        EV.VolumeMismatch,
        `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata?.name ?? ''}" due to incompatible volumeMode.`,
      );
      d.recorder.event(
        claim as unknown as Record<string, unknown>,
        'Warning',
        EV.VolumeMismatch,
        `Cannot bind PersistentVolume "${volume.metadata?.name ?? ''}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
      );
      return;
    }
    // Bound (or being bound) volume, pending claim: the claim sync finishes the binding.
    d.enqueueClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
    return;
  }
  if (volumeName === volume.metadata?.name) {
    await updateVolumePhase(d, volume, 'Bound', '');
    return;
  }
  if (hasAnnotation(volume, ANN_DYNAMICALLY_PROVISIONED) && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    // Provisioned for this claim, which got bound elsewhere: not needed any more.
    let v = volume;
    if (v.status?.phase !== 'Released' && v.status?.phase !== 'Failed') v = await updateVolumePhase(d, v, 'Released', '');
    await reclaimVolume(d, v);
    return;
  }
  // Bound by the controller to a claim that went elsewhere: roll back. Pre-bound by the user: keep the name only.
  await unbindVolume(d, volume);
}
