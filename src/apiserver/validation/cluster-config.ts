/**
 * StorageClass (storage.k8s.io/v1), PriorityClass (scheduling.k8s.io/v1) and Lease (coordination.k8s.io/v1): create
 * and update rules with upstream's wording.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { obj, optNum, semanticEqual, sortedEntries, str, type Obj } from './access';
import { each, isQualifiedName, nameIsDNSSubdomain } from './formats';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta';

export function validateStorageClass(sc: Obj): FieldError[] {
  const errs = validateObjectMeta(sc.metadata, false, nameIsDNSSubdomain);
  const provisioner = str(sc.provisioner);
  if (!provisioner) errs.push(fieldErr.required('provisioner'));
  else errs.push(...each('provisioner', provisioner, isQualifiedName(provisioner.toLowerCase())));
  const params = sortedEntries(sc.parameters);
  if (params.length > 512) errs.push(fieldErr.tooLong('parameters', 512));
  else {
    let size = 0;
    for (const [k, v] of params) {
      if (!k) errs.push(fieldErr.invalid('parameters', k, 'field can not be empty.'));
      size += Buffer.byteLength(k) + Buffer.byteLength(str(v));
    }
    if (size > 256 * 1024) errs.push(fieldErr.tooLong('parameters', 256 * 1024));
  }
  const reclaim = str(sc.reclaimPolicy);
  if (reclaim && reclaim !== 'Delete' && reclaim !== 'Retain') errs.push(fieldErr.notSupported('reclaimPolicy', reclaim, ['Delete', 'Retain']));
  if (typeof sc.volumeBindingMode !== 'string') errs.push(fieldErr.required('volumeBindingMode'));
  else if (sc.volumeBindingMode !== 'Immediate' && sc.volumeBindingMode !== 'WaitForFirstConsumer')
    errs.push(fieldErr.notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

export function validateStorageClassUpdate(sc: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(sc.metadata, old.metadata);
  if (!semanticEqual(sc.parameters, old.parameters)) errs.push(fieldErr.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (str(sc.provisioner) !== str(old.provisioner)) errs.push(fieldErr.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (str(sc.reclaimPolicy) !== str(old.reclaimPolicy)) errs.push(fieldErr.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  return [...errs, ...validateImmutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode', sc.volumeBindingMode ?? null)];
}

const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

export function validatePriorityClass(pc: Obj): FieldError[] {
  const errs = validateObjectMeta(pc.metadata, false, nameIsDNSSubdomain);
  const name = str(obj(pc.metadata).name);
  const value = optNum(pc.value) ?? 0;
  if (name.startsWith('system-')) {
    let err: string | undefined;
    if (!(name in SYSTEM_CLASSES)) err = `${name} is not a known system priority class`;
    else if (SYSTEM_CLASSES[name] !== value) err = `value of ${name} PriorityClass must be ${SYSTEM_CLASSES[name]}`;
    else if (pc.globalDefault === true) err = `globalDefault of ${name} PriorityClass must be false`;
    if (err) errs.push(fieldErr.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
  } else if (value > 1000000000) errs.push(fieldErr.forbidden('value', 'maximum allowed value of a user defined priority is 1000000000'));
  if (typeof pc.preemptionPolicy === 'string') {
    const p = pc.preemptionPolicy;
    if (!p) errs.push(fieldErr.required('preemptionPolicy'));
    else if (p !== 'PreemptLowerPriority' && p !== 'Never') errs.push(fieldErr.notSupported('preemptionPolicy', p, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(pc.metadata, old.metadata);
  if ((optNum(pc.value) ?? 0) !== (optNum(old.value) ?? 0)) errs.push(fieldErr.forbidden('value', 'may not be changed in an update.'));
  return [...errs, ...validateImmutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy', pc.preemptionPolicy ?? null)];
}

export function validateLease(lease: Obj): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, true, nameIsDNSSubdomain);
  const spec = obj(lease.spec);
  const duration = optNum(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0) errs.push(fieldErr.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = optNum(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0) errs.push(fieldErr.invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  return errs;
}

export function validateLeaseUpdate(lease: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(lease.metadata, old.metadata), ...validateLease(lease)];
}
