/**
 * The built-in `standard` StorageClass (what kind and minikube install): the default class, served by the simulated
 * local provisioner, reclaimPolicy Delete. volumeBindingMode defaults to WaitForFirstConsumer, as kind's `standard`
 * class: local volumes live on one node, so the volume is made only once the scheduler has put the pod somewhere
 * (the claim's selected-node annotation) instead of on an arbitrary node the pod may not fit. `Immediate` (minikube's
 * choice) can be asked for. The class is created when absent at the provisioner's start and never updated, so a
 * user's edits (or deleting it while the cluster runs) stand.
 */
import type { StorageClass } from '../persistentvolume/types';
import { ANN_IS_DEFAULT_CLASS } from '../persistentvolume/types';
import { LOCAL_PROVISIONER_NAME } from './simulated-volume';

export const STANDARD_CLASS_NAME = 'standard';

export type VolumeBindingMode = 'WaitForFirstConsumer' | 'Immediate';

export function standardStorageClass(mode: VolumeBindingMode = 'WaitForFirstConsumer'): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STANDARD_CLASS_NAME, annotations: { [ANN_IS_DEFAULT_CLASS]: 'true' } },
    provisioner: LOCAL_PROVISIONER_NAME,
    reclaimPolicy: 'Delete',
    volumeBindingMode: mode,
  };
}
