/**
 * syncClaim of the PV controller (upstream syncUnboundClaim / syncBoundClaim). An unbound claim (no
 * bind-completed annotation) without volumeName gets the best matching volume (pv-match) and is bound to it; with
 * none, it gets the default class if it asked for no class at all, then waits for a consumer (WaitForFirstConsumer
 * classes without a selected node), is handed to its class's provisioner, or records FailedBinding when it has no
 * class. A claim naming a volume (volumeName pre-binding) is bound to it when the volume is free and fits
 * (VolumeMismatch otherwise) or already points at the claim. A bound claim whose volume is gone or bound elsewhere
 * becomes Lost (ClaimLost / ClaimMisbound); otherwise the binding is (re)completed.
 */
import type { BinderDeps } from './binder-deps';
import { bind, updateClaimStatus, updateClaimStatusWithEvent } from './binding';
import { emitEventForUnboundDelayBindingClaim, isDelayBindingMode, isDelayBindingProvisioning } from './delay-binding';
import { checkVolumeSatisfyClaim, claimClass, findBestMatchForClaim, isVolumeBoundToClaim } from './pv-match';
import { assignDefaultStorageClass, provisionClaim } from './provision';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, asPV, claimKey, EV, hasAnnotation, type PersistentVolume, type PersistentVolumeClaim } from './types';

export async function syncClaim(d: BinderDeps, claim: PersistentVolumeClaim): Promise<void> {
  if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) await syncUnboundClaim(d, claim);
  else await syncBoundClaim(d, claim);
}

function volumeNamed(d: BinderDeps, name: string): PersistentVolume | undefined {
  const v = d.volumes.get('', name);
  return v ? asPV(v) : undefined;
}

async function syncUnboundClaim(d: BinderDeps, claim: PersistentVolumeClaim): Promise<void> {
  const obj = claim as unknown as Record<string, unknown>;
  const wanted = claim.spec?.volumeName ?? '';
  if (!wanted) {
    const delayBinding = isDelayBindingMode(claim, d.classes);
    let volume: PersistentVolume | undefined;
    try {
      volume = findBestMatchForClaim(claim, d.volumes.list().map(asPV), delayBinding);
    } catch (e) {
      throw new Error(`error finding PV for claim "${claimKey(claim)}": ${e instanceof Error ? e.message : String(e)}`);
    }
    if (volume) {
      await bind(d, volume, claim);
      return;
    }
    if (await assignDefaultStorageClass(d, claim)) return; // the update event syncs the claim again
    if (delayBinding && !isDelayBindingProvisioning(claim)) {
      emitEventForUnboundDelayBindingClaim(d, claim);
    } else if (claimClass(claim) !== '') {
      await provisionClaim(d, claim);
      return;
    } else {
      d.recorder.event(obj, 'Normal', EV.FailedBinding, 'no persistent volumes available for this claim and no storage class is set');
    }
    await updateClaimStatus(d, claim, 'Pending');
    return;
  }
  const volume = volumeNamed(d, wanted);
  if (!volume) {
    // The named volume does not exist (yet): retried at the next sync.
    await updateClaimStatus(d, claim, 'Pending');
    return;
  }
  if (!volume.spec?.claimRef) {
    const why = checkVolumeSatisfyClaim(volume, claim);
    if (why) {
      d.recorder.event(obj, 'Warning', EV.VolumeMismatch, `Cannot bind to requested volume "${wanted}": ${why}`);
      await updateClaimStatus(d, claim, 'Pending');
      return;
    }
    await bind(d, volume, claim);
    return;
  }
  if (isVolumeBoundToClaim(volume, claim)) {
    await bind(d, volume, claim);
    return;
  }
  d.recorder.event(obj, 'Warning', EV.FailedBinding, `volume "${wanted}" already bound to a different claim.`);
  if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
    await updateClaimStatus(d, claim, 'Pending');
    return;
  }
  const ref = volume.spec.claimRef;
  throw new Error(`invalid binding of claim "${claimKey(claim)}" to volume "${wanted}": volume already claimed by "${ref.namespace ?? ''}/${ref.name ?? ''}"`);
}

async function syncBoundClaim(d: BinderDeps, claim: PersistentVolumeClaim): Promise<void> {
  const name = claim.spec?.volumeName ?? '';
  if (!name) {
    await updateClaimStatusWithEvent(d, claim, 'Lost', undefined, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    return;
  }
  const volume = volumeNamed(d, name);
  if (!volume) {
    await updateClaimStatusWithEvent(d, claim, 'Lost', undefined, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    return;
  }
  if (!volume.spec?.claimRef || volume.spec.claimRef.uid === claim.metadata?.uid) {
    // Unbound volume (or a binding not yet seen): bind again; correctly bound: bind() only fills what is missing.
    await bind(d, volume, claim);
    return;
  }
  await updateClaimStatusWithEvent(d, claim, 'Lost', undefined, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}
