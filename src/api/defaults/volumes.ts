/**
 * Storage defaults: PersistentVolume (phase Pending, reclaim policy Retain, volumeMode Filesystem, capacity
 * rounding), PersistentVolumeClaim (phase Pending, volumeMode Filesystem, request rounding) and StorageClass
 * (reclaimPolicy Delete, volumeBindingMode Immediate).
 */
import { ensure, roundResourceList, setDefault, setDefaultString, sub, type Obj } from './util';

export function defaultPersistentVolumeClaimSpec(spec: Obj): void {
  setDefault(spec, 'volumeMode', 'Filesystem');
  const resources = sub(spec, 'resources');
  roundResourceList(resources, 'requests');
  roundResourceList(resources, 'limits');
}

export function defaultPersistentVolumeClaim(pvc: Obj): void {
  setDefaultString(ensure(pvc, 'status'), 'phase', 'Pending');
  defaultPersistentVolumeClaimSpec(ensure(pvc, 'spec'));
  roundResourceList(sub(pvc, 'status'), 'capacity');
}

export function defaultPersistentVolume(pv: Obj): void {
  setDefaultString(ensure(pv, 'status'), 'phase', 'Pending');
  const spec = ensure(pv, 'spec');
  setDefaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(spec, 'volumeMode', 'Filesystem');
  roundResourceList(spec, 'capacity');
}

export function defaultStorageClass(sc: Obj): void {
  setDefault(sc, 'reclaimPolicy', 'Delete');
  setDefault(sc, 'volumeBindingMode', 'Immediate');
}
