/**
 * Shared vocabulary of the volume plugins (VolumeBinding, VolumeRestrictions, VolumeZone, NodeVolumeLimits): typed
 * views over the informers' frozen PersistentVolume / PersistentVolumeClaim / StorageClass / CSINode objects, the
 * storage.k8s.io CSINode resource ref (not served by every KubeLab API server: `csiNodesServed()`), the claim names a
 * pod's volumes use (persistentVolumeClaim and generic ephemeral `<pod>-<volume>`, upstream ephemeral.VolumeClaimName),
 * and Go's NotFound wording for lister misses. Pure.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod as CorePod, Volume } from 'kubernetes-types/core/v1';
import type { CSINode, StorageClass } from 'kubernetes-types/storage/v1';
import { builtinResources } from '../../../api/resources';
import type { CachedObject, ResourceRef } from '../../../client/informers';
import type { Pod } from '../../framework';

export type { CSINode, CorePod, PersistentVolume, PersistentVolumeClaim, StorageClass, Volume };

export const asPV = (o: CachedObject): PersistentVolume => o as unknown as PersistentVolume;
export const asPVC = (o: CachedObject): PersistentVolumeClaim => o as unknown as PersistentVolumeClaim;
export const asClass = (o: CachedObject): StorageClass => o as unknown as StorageClass;
export const asCSINode = (o: CachedObject): CSINode => o as unknown as CSINode;
export const asCorePod = (o: Pod): CorePod => o as unknown as CorePod;

/** storage.k8s.io/v1 csinodes (not in the controllers' R). */
export const CSINODES: ResourceRef = { group: 'storage.k8s.io', version: 'v1', resource: 'csinodes' };

let served: boolean | undefined;
/** Whether this API server serves CSINodes (an informer on an unserved resource would never sync). */
export function csiNodesServed(): boolean {
  served ??= builtinResources().some((r) => r.group === CSINODES.group && r.resource === CSINODES.resource);
  return served;
}

/** apierrors.NewNotFound(...).Error(): `persistentvolumeclaim "x" not found`. */
export function notFoundMessage(resource: string, name: string): string {
  return `${resource} "${name}" not found`;
}

/** An Error carrying a NotFound flag, for callers that map NotFound to UnschedulableAndUnresolvable. */
export class NotFoundError extends Error {
  readonly notFound = true;
  constructor(resource: string, name: string) {
    super(notFoundMessage(resource, name));
  }
}

export const isNotFoundError = (e: unknown): e is NotFoundError => e instanceof NotFoundError;

export interface PodClaimRef {
  name: string;
  ephemeral: boolean;
  volume: Volume;
}

/** The claims a pod's volumes use, in volume order (PVC volumes and generic ephemeral volumes). */
export function podClaimRefs(pod: Pod): PodClaimRef[] {
  const p = asCorePod(pod);
  const out: PodClaimRef[] = [];
  for (const v of p.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false, volume: v });
    else if (v.ephemeral) out.push({ name: `${p.metadata?.name ?? ''}-${v.name}`, ephemeral: true, volume: v });
  }
  return out;
}

/** ephemeral.VolumeIsForPod: the claim of a generic ephemeral volume must be controlled by the pod. */
export function ephemeralVolumeIsForPod(pod: Pod, pvc: PersistentVolumeClaim): string | undefined {
  const owner = (pvc.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (!owner || owner.uid !== pod.metadata?.uid) {
    return `PVC ${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''} was not created for pod ${String(pod.metadata?.namespace ?? '')}/${String(pod.metadata?.name ?? '')} (pod is not owner)`;
  }
  return undefined;
}

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClassName(c: PersistentVolumeClaim): string {
  const ann = c.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (ann !== undefined) return ann;
  return c.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClass. */
export function volumeClassName(v: PersistentVolume): string {
  const ann = v.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (ann !== undefined) return ann;
  return v.spec?.storageClassName ?? '';
}

/** A resourceVersion as a number (etcd3 APIObjectVersioner); 0 when absent or unparsable. */
export function rvNumber(o: { metadata?: { resourceVersion?: string } } | undefined): number {
  const n = Number(o?.metadata?.resourceVersion ?? '');
  return Number.isFinite(n) ? n : 0;
}
