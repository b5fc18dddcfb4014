/**
 * The PersistentVolume controller's vocabulary (upstream component-helpers/storage/volume and
 * pkg/controller/volume/events): annotation keys, event reasons, phases, and typed views over the informers' frozen
 * PersistentVolume / PersistentVolumeClaim / StorageClass objects (kubernetes-types shapes). Pure constants and casts.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { CachedObject } from '../../client/informers';

export type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass };

/** Annotation on claims: binding has completed once (the value does not matter). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** Annotation on volumes and claims: the binding was made by the controller, not pre-bound by the user. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** Annotation on dynamically provisioned volumes: the provisioner (plugin) that created it. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** Annotations on claims waiting for dynamic provisioning: the provisioner expected to provision them. */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** Annotation on claims, set by the scheduler for WaitForFirstConsumer classes: the node chosen for the pod. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** Deprecated class annotation, still honoured before spec.storageClassName (v1.BetaStorageClassAnnotation). */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** The default-class annotations of StorageClasses. */
export const ANN_IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_IS_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** The "no dynamic provisioning" provisioner name. */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

/** pkg/controller/volume/events reasons. */
export const EV = {
  FailedBinding: 'FailedBinding',
  VolumeMismatch: 'VolumeMismatch',
  VolumeFailedRecycle: 'VolumeFailedRecycle',
  VolumeFailedDelete: 'VolumeFailedDelete',
  ExternalProvisioning: 'ExternalProvisioning',
  ProvisioningFailed: 'ProvisioningFailed',
  ProvisioningSucceeded: 'ProvisioningSucceeded',
  WaitForFirstConsumer: 'WaitForFirstConsumer',
  WaitForPodScheduled: 'WaitForPodScheduled',
} as const;

export const asPV = (o: CachedObject): PersistentVolume => o as unknown as PersistentVolume;
export const asPVC = (o: CachedObject): PersistentVolumeClaim => o as unknown as PersistentVolumeClaim;
export const asClass = (o: CachedObject): StorageClass => o as unknown as StorageClass;
export const asPod = (o: CachedObject): Pod => o as unknown as Pod;

export function hasAnnotation(o: { metadata?: { annotations?: Record<string, string> } }, key: string): boolean {
  const a = o.metadata?.annotations;
  return a !== undefined && Object.prototype.hasOwnProperty.call(a, key);
}

/** `namespace/name` of a claim (claimToClaimKey). */
export function claimKey(c: PersistentVolumeClaim): string {
  return `${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`;
}
