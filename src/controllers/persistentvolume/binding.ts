/**
 * Phase and binding writes of the PV controller (upstream pv_controller.go: updateClaimStatus[WithEvent],
 * updateVolumePhase[WithEvent], bindVolumeToClaim, bindClaimToVolume, bind, unbindVolume). Each writes only when
 * something changes. bind() saves the volume's claimRef first, then its Bound phase, then the claim's volumeName
 * (with bound-by-controller and bind-completed annotations), then the claim's Bound status with the volume's
 * access modes and capacity; any failure leaves the rest to the next sync.
 */
import { isDeepStrictEqual } from 'node:util';
import { tryParseQuantity } from '../../api/quantity';
import { copy, saveClaim, saveClaimStatus, saveVolume, saveVolumeStatus, setAnnotation, type BinderDeps } from './binder-deps';
import { isVolumeBoundToClaim } from './pv-match';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, hasAnnotation, type PersistentVolume, type PersistentVolumeClaim } from './types';

type EventType = 'Normal' | 'Warning';

export async function updateClaimStatus(d: BinderDeps, claim: PersistentVolumeClaim, phase: string, volume?: PersistentVolume): Promise<PersistentVolumeClaim> {
  const c = copy(claim);
  c.status ??= {};
  let dirty = false;
  if (claim.status?.phase !== phase) {
    c.status.phase = phase;
    dirty = true;
  }
  if (!volume) {
    if (c.status.accessModes !== undefined) {
      delete c.status.accessModes;
      dirty = true;
    }
    if (c.status.capacity !== undefined) {
      delete c.status.capacity;
      dirty = true;
    }
  } else {
    if (!isDeepStrictEqual(claim.status?.accessModes, volume.spec?.accessModes)) {
      c.status.accessModes = volume.spec?.accessModes;
      dirty = true;
    }
    // Capacity only when the claim is becoming Bound: a difference may be intentional later (resize).
    if (claim.status?.phase !== phase) {
      const volumeCap = volume.spec?.capacity?.storage;
      if (volumeCap === undefined) throw new Error(`PersistentVolume "${volume.metadata?.name ?? ''}" is without a storage capacity`);
      const have = tryParseQuantity(claim.status?.capacity?.storage);
      const want = tryParseQuantity(volumeCap);
      if (!have || !want || have.cmp(want) !== 0) {
        c.status.capacity = { ...volume.spec?.capacity };
        dirty = true;
      }
    }
  }
  if (!dirty) return claim;
  return saveClaimStatus(d, c);
}

export async function updateClaimStatusWithEvent(
  d: BinderDeps,
  claim: PersistentVolumeClaim,
  phase: string,
  volume: PersistentVolume | undefined,
  type: EventType,
  reason: string,
  message: string,
): Promise<PersistentVolumeClaim> {
  if (claim.status?.phase === phase) return claim;
  const out = await updateClaimStatus(d, claim, phase, volume);
  d.recorder.event(out as unknown as Record<string, unknown>, type, reason, message);
  return out;
}

export async function updateVolumePhase(d: BinderDeps, volume: PersistentVolume, phase: string, message: string): Promise<PersistentVolume> {
  if (volume.status?.phase === phase) return volume;
  const v = copy(volume);
  v.status = { ...(v.status ?? {}), phase };
  if (message) v.status.message = message;
  else delete v.status.message;
  return saveVolumeStatus(d, v);
}

export async function updateVolumePhaseWithEvent(d: BinderDeps, volume: PersistentVolume, phase: string, type: EventType, reason: string, message: string): Promise<PersistentVolume> {
  if (volume.status?.phase === phase) return volume;
  const out = await updateVolumePhase(d, volume, phase, message);
  d.recorder.event(out as unknown as Record<string, unknown>, type, reason, message);
  return out;
}

/** GetBindVolumeToClaim + save: sets claimRef (with the claim's uid) and bound-by-controller when the controller binds. */
export async function bindVolumeToClaim(d: BinderDeps, volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<PersistentVolume> {
  const byController = !isVolumeBoundToClaim(volume, claim);
  const v = copy(volume);
  let dirty = false;
  const ref = volume.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace || ref.uid !== claim.metadata?.uid) {
    v.spec ??= {};
    v.spec.claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: claim.metadata?.namespace,
      name: claim.metadata?.name,
      uid: claim.metadata?.uid,
      apiVersion: 'v1',
      resourceVersion: claim.metadata?.resourceVersion,
    };
    dirty = true;
  }
  if (byController && !hasAnnotation(v, ANN_BOUND_BY_CONTROLLER)) {
    setAnnotation(v, ANN_BOUND_BY_CONTROLLER, 'yes');
    dirty = true;
  }
  return dirty ? saveVolume(d, v) : volume;
}

export async function bindClaimToVolume(d: BinderDeps, claim: PersistentVolumeClaim, volume: PersistentVolume): Promise<PersistentVolumeClaim> {
  const c = copy(claim);
  let dirty = false;
  if (volume.metadata?.name !== claim.spec?.volumeName) {
    c.spec ??= {};
    c.spec.volumeName = volume.metadata?.name;
    if (!hasAnnotation(c, ANN_BOUND_BY_CONTROLLER)) setAnnotation(c, ANN_BOUND_BY_CONTROLLER, 'yes');
    dirty = true;
  }
  if (!hasAnnotation(c, ANN_BIND_COMPLETED)) {
    setAnnotation(c, ANN_BIND_COMPLETED, 'yes');
    dirty = true;
  }
  return dirty ? saveClaim(d, c) : claim;
}

export async function bind(d: BinderDeps, volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
  let v = await bindVolumeToClaim(d, volume, claim);
  v = await updateVolumePhase(d, v, 'Bound', '');
  const c = await bindClaimToVolume(d, claim, v);
  await updateClaimStatus(d, c, 'Bound', v);
  d.logger.debug(`volume ${v.metadata?.name ?? ''} bound to claim ${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`);
}

/** Rolls a binding back: a controller-made one entirely, a user's pre-binding only down to its uid. */
export async function unbindVolume(d: BinderDeps, volume: PersistentVolume): Promise<void> {
  const v = copy(volume);
  v.spec ??= {};
  if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
    delete v.spec.claimRef;
    const ann = { ...(v.metadata?.annotations ?? {}) };
    delete ann[ANN_BOUND_BY_CONTROLLER];
    if (v.metadata) v.metadata.annotations = Object.keys(ann).length ? ann : undefined;
  } else if (v.spec.claimRef) {
    delete v.spec.claimRef.uid;
  }
  const saved = await saveVolume(d, v);
  await updateVolumePhase(d, saved, 'Available', '');
}
