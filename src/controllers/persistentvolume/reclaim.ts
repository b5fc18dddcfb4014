/**
 * The reclaim policy of a released volume (upstream reclaimVolume, deleteVolumeOperation, doDeleteVolume,
 * findDeletablePlugin, recycleVolumeOperation, isVolumeReleased). Retain: nothing (the volume stays Released).
 * Delete: a volume provisioned by an external provisioner (or a CSI volume) is left to that provisioner; a hostPath
 * volume is "deleted" as upstream's hostPath deleter would — only under /tmp/.+, simulated (no directory is
 * touched) — and the PV object removed; any other volume has no deleter: Failed with VolumeFailedDelete. Recycle
 * (deprecated): KubeLab runs no recycler pods, so the volume is Failed with VolumeFailedRecycle "No recycler plugin
 * found for the volume!" (what upstream says for volume types without a recycler).
 */
import { isNotFound } from '../framework/api-client';
import { R } from '../framework/resources';
import type { BinderDeps } from './binder-deps';
import { updateVolumePhaseWithEvent } from './binding';
import { podsUsingClaim } from './delay-binding';
import { ANN_DYNAMICALLY_PROVISIONED, asPV, asPVC, EV, type PersistentVolume } from './types';

/** isVolumeReleased: bound (with a uid) to a claim that is gone, replaced, or bound to another volume. */
export function isVolumeReleased(d: BinderDeps, volume: PersistentVolume): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref || !ref.uid) return false;
  const cached = d.claims.get(ref.namespace ?? '', ref.name ?? '');
  const claim = cached ? asPVC(cached) : undefined;
  if (claim && claim.metadata?.uid === ref.uid) {
    return !!claim.spec?.volumeName && claim.spec.volumeName !== volume.metadata?.name;
  }
  return true;
}

/**
 * The simulated deleter of a volume: 'external' when another component deletes it, 'deleted' when the storage asset
 * is gone, or the upstream error text.
 */
export function deleteStorageAsset(volume: PersistentVolume): 'external' | 'deleted' | { error: string } {
  const by = volume.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
  if (by) {
    if (!by.startsWith('kubernetes.io/')) return 'external';
    return { error: `no volume plugin matched name: ${by}` };
  }
  if (volume.spec?.csi) return 'external';
  const host = volume.spec?.hostPath?.path;
  if (host !== undefined) {
    if (!/\/tmp\/.+/.test(host)) return { error: `host_path deleter only supports /tmp/.+ but received provided ${host}` };
    return 'deleted';
  }
  return { error: `error getting deleter volume plugin for volume "${volume.metadata?.name ?? ''}": no deletable volume plugin matched` };
}

export async function reclaimVolume(d: BinderDeps, volume: PersistentVolume): Promise<void> {
  switch (volume.spec?.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return;
    case 'Recycle':
      await recycleVolume(d, volume);
      return;
    case 'Delete':
      await deleteVolume(d, volume);
      return;
    default:
      await updateVolumePhaseWithEvent(d, volume, 'Failed', 'Warning', 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy');
  }
}

async function fresh(d: BinderDeps, volume: PersistentVolume): Promise<PersistentVolume | undefined> {
  try {
    const v = await d.client.get(R.persistentvolumes, '', volume.metadata?.name ?? '');
    d.volumes.remember(v as never);
    return asPV(v as never);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function recycleVolume(d: BinderDeps, volume: PersistentVolume): Promise<void> {
  const v = await fresh(d, volume);
  if (!v || !isVolumeReleased(d, v)) return;
  const ref = v.spec?.claimRef;
  const used = ref ? podsUsingClaim(d.pods, ref.namespace ?? '', ref.name ?? '') : [];
  const claimCached = ref ? d.claims.get(ref.namespace ?? '', ref.name ?? '') !== undefined : false;
  if (used.length && !claimCached) {
    const names = used.map((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`).sort();
    d.recorder.event(v as unknown as Record<string, unknown>, 'Normal', EV.VolumeFailedRecycle, `Volume is used by pods: ${names.join(',')}`);
    return;
  }
  await updateVolumePhaseWithEvent(d, v, 'Failed', 'Warning', EV.VolumeFailedRecycle, 'No recycler plugin found for the volume!');
}

async function deleteVolume(d: BinderDeps, volume: PersistentVolume): Promise<void> {
  const v = await fresh(d, volume);
  if (!v || !isVolumeReleased(d, v)) return;
  const r = deleteStorageAsset(v);
  if (r === 'external') return;
  if (typeof r === 'object') {
    // Failed, and retried at every sync (the event is recorded when the phase changes).
    await updateVolumePhaseWithEvent(d, v, 'Failed', 'Warning', EV.VolumeFailedDelete, r.error);
    return;
  }
  try {
    await d.client.delete(R.persistentvolumes, '', v.metadata?.name ?? '');
  } catch (e) {
    if (!isNotFound(e)) d.logger.debug(`failed to delete volume ${v.metadata?.name ?? ''} from database: ${String(e)}`);
  }
}
