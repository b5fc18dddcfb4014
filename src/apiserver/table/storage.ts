/**
 * Storage tables (printers.go printPersistentVolume, printPersistentVolumeClaim, printStorageClass):
 *   persistentvolumes       NAME CAPACITY ACCESS-MODES RECLAIM-POLICY STATUS CLAIM STORAGECLASS
 *                           VOLUMEATTRIBUTESCLASS REASON AGE, wide VOLUMEMODE
 *   persistentvolumeclaims  NAME STATUS VOLUME CAPACITY ACCESS-MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE,
 *                           wide VOLUMEMODE  (capacity and access modes only once bound to a volume)
 *   storageclasses          NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE
 *                           (the default class's name gets " (default)")
 * STATUS is "Terminating" once deletionTimestamp is set. The storage class comes from the beta annotation
 * `volume.beta.kubernetes.io/storage-class` when present, else spec.storageClassName.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { accessModes, str } from './format';
import { quantityString } from './quantity';
import type { TablePrinter } from './types';

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

function deleting(obj: { metadata?: { deletionTimestamp?: string } }): boolean {
  return typeof obj.metadata?.deletionTimestamp === 'string' && obj.metadata.deletionTimestamp !== '';
}

function storageClassOf(obj: PersistentVolume | PersistentVolumeClaim): string {
  const annotations = obj.metadata?.annotations;
  if (annotations && Object.prototype.hasOwnProperty.call(annotations, BETA_STORAGE_CLASS)) return str(annotations[BETA_STORAGE_CLASS]);
  return str(obj.spec?.storageClassName);
}

export const persistentVolumePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Capacity', 'string', DOC['PVSpec.capacity']),
    col('Access Modes', 'string', DOC['PVSpec.accessModes']),
    col('Reclaim Policy', 'string', DOC['PVSpec.persistentVolumeReclaimPolicy']),
    col('Status', 'string', DOC['PVStatus.phase']),
    col('Claim', 'string', DOC['PVSpec.claimRef']),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', DOC['PVStatus.reason']),
    AGE,
    col('VolumeMode', 'string', DOC['PVSpec.volumeMode'], 1),
  ),
  cells(obj, ctx) {
    const pv = obj as PersistentVolume;
    const claimRef = pv.spec?.claimRef;
    return [
      str(pv.metadata?.name),
      quantityString(pv.spec?.capacity?.storage),
      accessModes(pv.spec?.accessModes),
      str(pv.spec?.persistentVolumeReclaimPolicy),
      deleting(pv) ? 'Terminating' : str(pv.status?.phase),
      claimRef ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '',
      storageClassOf(pv),
      str(pv.spec?.volumeAttributesClassName) || '<unset>',
      str(pv.status?.reason),
      ageOf(pv, ctx.nowMs),
      str(pv.spec?.volumeMode) || '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', DOC['PVCStatus.phase']),
    col('Volume', 'string', DOC['PVCSpec.volumeName']),
    col('Capacity', 'string', DOC['PVCStatus.capacity']),
    col('Access Modes', 'string', DOC['PVCStatus.accessModes']),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE,
    col('VolumeMode', 'string', DOC['PVCSpec.volumeMode'], 1),
  ),
  cells(obj, ctx) {
    const pvc = obj as PersistentVolumeClaim;
    const volumeName = str(pvc.spec?.volumeName);
    const bound = volumeName !== '';
    return [
      str(pvc.metadata?.name),
      deleting(pvc) ? 'Terminating' : str(pvc.status?.phase),
      volumeName,
      bound ? quantityString(pvc.status?.capacity?.storage) : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      str(pvc.spec?.volumeAttributesClassName) || '<unset>',
      ageOf(pvc, ctx.nowMs),
      str(pvc.spec?.volumeMode) || '<unset>',
    ];
  },
};

export const storageClassPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Provisioner', 'string', DOC['StorageClass.provisioner']),
    col('ReclaimPolicy', 'string', DOC['StorageClass.reclaimPolicy']),
    col('VolumeBindingMode', 'string', DOC['StorageClass.volumeBindingMode']),
    col('AllowVolumeExpansion', 'string', DOC['StorageClass.allowVolumeExpansion']),
    AGE,
  ),
  cells(obj, ctx) {
    const sc = obj as unknown as StorageClass;
    const annotations = sc.metadata?.annotations ?? {};
    const isDefault = annotations[DEFAULT_CLASS] === 'true' || annotations[BETA_DEFAULT_CLASS] === 'true';
    return [
      str(sc.metadata?.name) + (isDefault ? ' (default)' : ''),
      str(sc.provisioner),
      str(sc.reclaimPolicy) || 'Delete',
      str(sc.volumeBindingMode) || 'Immediate',
      sc.allowVolumeExpansion === true,
      ageOf(sc, ctx.nowMs),
    ];
  },
};
