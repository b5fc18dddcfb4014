/**
 * ReplicationController (create, update, status): a non-empty map selector that matches the template labels, a
 * valid pod template with restartPolicy Always and no activeDeadlineSeconds.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, num, obj, optObj, str, type Obj } from './access';
import { nameIsDNSSubdomain } from './formats';
import { validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodTemplateSpec } from './pod';
import { mapSelector } from './selector';
import { replicaCounters } from './apps-deployment';
import { templateLabelsMatch } from './workload-common';

function validateRCSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = validateNonnegative(num(spec.minReadySeconds), child(path, 'minReadySeconds'));
  const selector = mapSelector(spec.selector);
  if (selector.empty) errs.push(fieldErr.required(child(path, 'selector')));
  errs.push(...validateNonnegative(num(spec.replicas), child(path, 'replicas')));
  const tpath = child(path, 'template');
  const template = optObj(spec.template);
  if (!template) return [...errs, fieldErr.required(tpath)];
  errs.push(...templateLabelsMatch(selector, template, tpath), ...validatePodTemplateSpec(template, tpath));
  const tspec = obj(template.spec);
  if (str(tspec.restartPolicy) !== 'Always') errs.push(fieldErr.notSupported(child(tpath, 'spec', 'restartPolicy'), str(tspec.restartPolicy), ['Always']));
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null)
    errs.push(fieldErr.forbidden(child(tpath, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  return errs;
}

export function validateReplicationController(rc: Obj): FieldError[] {
  return [...validateObjectMeta(rc.metadata, true, nameIsDNSSubdomain), ...validateRCSpec(rc.spec, 'spec')];
}

export function validateReplicationControllerUpdate(rc: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(rc.metadata, old.metadata), ...validateRCSpec(rc.spec, 'spec')];
}

export function validateReplicationControllerStatusUpdate(rc: Obj, old: Obj): FieldError[] {
  return [
    ...validateObjectMetaUpdate(rc.metadata, old.metadata),
    ...replicaCounters(
      obj(rc.status),
      ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'],
      ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
    ),
  ];
}
