/**
 * PersistentVolume and PersistentVolumeClaim (create, update, status): access modes, capacity/storage request,
 * reclaim policy, volume mode, storage class, one volume source, and the update rules (PV source immutable, PVC spec
 * immutable except a bound claim's storage request and the one-time volumeName).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, deepClone, key, obj, optObj, semanticEqual, sortedEntries, str, strs, type Obj } from './access';
import { each, nameIsDNSSubdomain } from './formats';
import { validateObjectMeta, validateObjectMetaUpdate, validateImmutable, FIELD_IMMUTABLE } from './meta';
import { quantityAt, validateQuantityValue } from './resources';
import { validateLabelSelector } from './selector';
import { specDiff } from './diff';
import { validateNodeSelector } from './affinity';
import { validatePathNoBacksteps } from './volumes';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi',
  'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO',
  'local', 'storageos', 'csi',
];

function accessModesRequired(spec: Obj, path: string, detail: string): FieldError[] {
  return strs(spec.accessModes).length ? [] : [fieldErr.required(child(path, 'accessModes'), detail)];
}

function accessModes(spec: Obj, path: string): FieldError[] {
  const modes = strs(spec.accessModes);
  const errs: FieldError[] = [];
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(fieldErr.notSupported(child(path, 'accessModes'), m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(fieldErr.forbidden(child(path, 'accessModes'), 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function className(v: unknown, path: string): FieldError[] {
  const name = str(v);
  return name ? each(path, name, nameIsDNSSubdomain(name, false)) : [];
}

function volumeMode(v: unknown, path: string): FieldError[] {
  return typeof v === 'string' && !VOLUME_MODES.includes(v) ? [fieldErr.notSupported(path, v, VOLUME_MODES)] : [];
}

export function validatePersistentVolumeClaimSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = accessModesRequired(spec, path, 'at least 1 access mode is required');
  errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')), ...accessModes(spec, path));
  const storagePath = key(child(path, 'resources'), 'storage');
  const requests = obj(obj(spec.resources).requests);
  if (!('storage' in requests)) errs.push(fieldErr.required(storagePath));
  else {
    const q = quantityAt(requests.storage, storagePath, errs);
    if (q && q.sign() <= 0) errs.push(fieldErr.invalid(storagePath, q.toString(), 'must be greater than zero'));
    else if (q) errs.push(...validateQuantityValue('storage', q, storagePath));
  }
  errs.push(...className(spec.storageClassName, child(path, 'storageClassName')), ...volumeMode(spec.volumeMode, child(path, 'volumeMode')));
  for (const f of ['dataSource', 'dataSourceRef']) {
    const ds = optObj(spec[f]);
    if (!ds) continue;
    if (!str(ds.name)) errs.push(fieldErr.required(child(path, f, 'name')));
    if (!str(ds.kind)) errs.push(fieldErr.required(child(path, f, 'kind')));
    if (!str(ds.apiGroup) && ds.kind !== 'PersistentVolumeClaim')
      errs.push(fieldErr.invalid(child(path, f), str(ds.kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  return errs;
}

export function validatePersistentVolumeClaim(pvc: Obj): FieldError[] {
  return [...validateObjectMeta(pvc.metadata, true, nameIsDNSSubdomain), ...validatePersistentVolumeClaimSpec(pvc.spec, 'spec')];
}

export function validatePersistentVolumeClaimUpdate(pvc: Obj, old: Obj): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pvc.metadata, old.metadata), ...validatePersistentVolumeClaim(pvc)];
  const newSpec = deepClone(obj(pvc.spec));
  const oldSpec = deepClone(obj(old.spec));
  if (!str(oldSpec.volumeName)) oldSpec.volumeName = newSpec.volumeName;
  if (oldSpec.storageClassName === undefined && newSpec.storageClassName !== undefined) oldSpec.storageClassName = newSpec.storageClassName;
  const bound = str(obj(pvc.status).phase) === 'Bound';
  if (bound && optObj(obj(newSpec.resources).requests)) obj(obj(newSpec.resources).requests).storage = obj(obj(oldSpec.resources).requests).storage;
  if (bound && newSpec.volumeAttributesClassName !== undefined) newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!semanticEqual(newSpec, oldSpec))
    errs.push(
      fieldErr.forbidden(
        'spec',
        `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff('core.PersistentVolumeClaimSpec', oldSpec, newSpec)}`,
      ),
    );
  const scratch: FieldError[] = [];
  const newSize = quantityAt(obj(obj(obj(pvc.spec).resources).requests).storage ?? '0', 'x', scratch);
  const oldSize = quantityAt(obj(obj(obj(old.spec).resources).requests).storage ?? '0', 'x', scratch);
  const statusSize = quantityAt(obj(obj(old.status).capacity).storage ?? '0', 'x', scratch);
  if (newSize && oldSize && statusSize && newSize.cmp(oldSize) < 0 && newSize.cmp(statusSize) <= 0)
    errs.push(fieldErr.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  errs.push(...validateImmutable(obj(pvc.spec).volumeMode, obj(old.spec).volumeMode, 'volumeMode'));
  return errs;
}

export function validatePersistentVolumeClaimStatusUpdate(pvc: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(pvc.metadata, old.metadata);
  if (!str(obj(pvc.metadata).resourceVersion)) errs.push(fieldErr.required('resourceVersion'));
  if (!strs(obj(pvc.spec).accessModes).length) errs.push(fieldErr.required('Spec.accessModes'));
  for (const [name, raw] of sortedEntries(obj(pvc.status).capacity)) {
    const q = quantityAt(raw, key('status.capacity', name), errs);
    if (q && q.value() < 0n) errs.push(fieldErr.invalid(key('status.capacity', name), Number(q.value()), 'must be a valid resource quantity'));
  }
  return errs;
}

export function validatePersistentVolumeSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = [...accessModesRequired(spec, path, ''), ...accessModes(spec, path)];
  const capacity = obj(spec.capacity);
  if (!Object.keys(capacity).length) errs.push(fieldErr.required(child(path, 'capacity')));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(fieldErr.notSupported(child(path, 'capacity'), capacity, ['storage']));
  for (const [name, raw] of sortedEntries(capacity)) {
    const p = key(child(path, 'capacity'), name);
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    if (q.value() < 0n) errs.push(fieldErr.invalid(p, Number(q.value()), 'must be a valid resource quantity'));
    if (q.sign() <= 0) errs.push(fieldErr.invalid(p, q.toString(), 'must be greater than zero'));
  }
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy && !RECLAIM.includes(policy)) errs.push(fieldErr.notSupported(child(path, 'persistentVolumeReclaimPolicy'), policy, RECLAIM));
  let affinity = false;
  const na = optObj(spec.nodeAffinity);
  if (na) {
    affinity = true;
    if (optObj(na.required)) errs.push(...validateNodeSelector(na.required, child(path, 'nodeAffinity', 'required')));
    else errs.push(fieldErr.required(child(path, 'nodeAffinity', 'required'), 'must specify required node constraints'));
  }
  let n = 0;
  for (const k of PV_SOURCES) {
    const src = optObj(spec[k]);
    if (!src) continue;
    if (n > 0 && k !== 'flexVolume') {
      errs.push(fieldErr.forbidden(child(path, k === 'cephfs' ? 'cephFS' : k), 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const p = child(path, k);
    if (k === 'hostPath' || k === 'local') {
      if (!str(src.path)) errs.push(fieldErr.required(child(p, 'path')));
      else errs.push(...validatePathNoBacksteps(str(src.path), child(p, 'path')));
      if (k === 'local' && !affinity) errs.push(fieldErr.required(child(path, 'nodeAffinity'), 'Local volume requires node affinity'));
    } else if (k === 'nfs') {
      if (!str(src.server)) errs.push(fieldErr.required(child(p, 'server')));
      if (!str(src.path)) errs.push(fieldErr.required(child(p, 'path')));
      if (!str(src.path).startsWith('/')) errs.push(fieldErr.invalid(child(p, 'path'), str(src.path), 'must be an absolute path'));
    } else if (k === 'csi') {
      if (!str(src.driver)) errs.push(fieldErr.required(child(p, 'driver')));
      if (!str(src.volumeHandle)) errs.push(fieldErr.required(child(p, 'volumeHandle')));
    }
  }
  if (n === 0) errs.push(fieldErr.required(path, 'must specify a volume type'));
  const hp = optObj(spec.hostPath);
  if (hp && str(hp.path).replace(/\/+$/, '') === '' && str(hp.path).startsWith('/') && policy === 'Recycle')
    errs.push(fieldErr.forbidden(child(path, 'persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  errs.push(...className(spec.storageClassName, child(path, 'storageClassName')), ...volumeMode(spec.volumeMode, child(path, 'volumeMode')));
  return errs;
}

export function validatePersistentVolume(pv: Obj): FieldError[] {
  return [...validateObjectMeta(pv.metadata, false, nameIsDNSSubdomain), ...validatePersistentVolumeSpec(pv.spec, 'spec')];
}

function pvSource(spec: Obj): Obj {
  const out: Obj = {};
  for (const k of PV_SOURCES) if (spec[k] !== undefined) out[k] = spec[k];
  return out;
}

export function validatePersistentVolumeUpdate(pv: Obj, old: Obj): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const n = pvSource(obj(pv.spec));
  const o = pvSource(obj(old.spec));
  const nc = optObj(n.csi);
  if (nc && optObj(o.csi) && !obj(o.csi).controllerExpandSecretRef) n.csi = { ...nc, controllerExpandSecretRef: undefined };
  if (!semanticEqual(n, o))
    errs.push(
      fieldErr.forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${specDiff('core.PersistentVolumeSource', o, n)}`),
    );
  errs.push(...validateImmutable(obj(pv.spec).volumeMode, obj(old.spec).volumeMode, 'volumeMode'));
  const oldAff = obj(old.spec).nodeAffinity;
  if (optObj(oldAff) && !semanticEqual(obj(pv.spec).nodeAffinity, oldAff))
    errs.push(fieldErr.invalid('nodeAffinity', obj(pv.spec).nodeAffinity ?? null, `${FIELD_IMMUTABLE}, except for updating from beta label to GA`));
  return errs;
}

export function validatePersistentVolumeStatusUpdate(pv: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(pv.metadata, old.metadata);
  if (!str(obj(pv.metadata).resourceVersion)) errs.push(fieldErr.required('resourceVersion'));
  return errs;
}
