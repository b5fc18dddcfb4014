/**
 * apps/v1 StatefulSet, DaemonSet and ControllerRevision (create, update, status). StatefulSet pod templates get only
 * their labels and annotations checked, as upstream.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, num, obj, optNum, optObj, semanticEqual, str, type Obj } from './access';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './formats';
import { goIntOrString, goLabelSelector, goPointer, goQuote, goStruct } from './go-repr';
import { validateAnnotations, validateImmutable, validateLabels, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodSpecificAnnotations, validatePodTemplateSpec } from './pod';
import { collisionCountDecrement, replicaCounters } from './apps-deployment';
import {
  appsSelector,
  intOrPercentValue,
  notMoreThan100Percent,
  selectorImmutable,
  templateLabelsMatch,
  validatePositiveIntOrPercent,
} from './workload-common';
import { labelSelectorAsSelector, selectorIsEmptyObject, validateLabelSelector } from './selector';

const RETENTION = ['Retain', 'Delete'];

/** The dereferenced *apps.RollingUpdateStatefulSetStrategy upstream prints. */
function goRollingUpdateStatefulSet(ru: Obj): unknown {
  const mu = ru.maxUnavailable;
  return goStruct('apps.RollingUpdateStatefulSetStrategy', [
    ['Partition', String(num(ru.partition))],
    ['MaxUnavailable', goPointer('intstr.IntOrString', mu !== undefined && mu !== null)],
  ]);
}

function statefulSetUpdateStrategy(spec: Obj, path: string): FieldError[] {
  const us = obj(spec.updateStrategy);
  const ru = optObj(us.rollingUpdate);
  switch (us.type ?? '') {
    case '':
      return [fieldErr.required(path)];
    case 'OnDelete':
      return ru ? [fieldErr.invalid(child(path, 'rollingUpdate'), goRollingUpdateStatefulSet(ru), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      if (!ru) return [];
      const p = child(path, 'rollingUpdate');
      const errs = validateNonnegative(num(ru.partition), child(p, 'partition'));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(fieldErr.invalid(child(p, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, child(p, 'maxUnavailable')));
      }
      return errs;
    }
    default: {
      const shown = goStruct('apps.StatefulSetUpdateStrategy', [['Type', goQuote(str(us.type))], ['RollingUpdate', goPointer('apps.RollingUpdateStatefulSetStrategy', !!ru)]]);
      return [fieldErr.invalid(path, shown, "must be 'RollingUpdate' or 'OnDelete'")];
    }
  }
}

export function validateStatefulSetSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  const pmp = str(spec.podManagementPolicy);
  if (!pmp) errs.push(fieldErr.required(child(path, 'podManagementPolicy')));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(fieldErr.invalid(child(path, 'podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...statefulSetUpdateStrategy(spec, child(path, 'updateStrategy')));
  const retention = optObj(spec.persistentVolumeClaimRetentionPolicy);
  if (retention)
    for (const f of ['whenDeleted', 'whenScaled'])
      if (!RETENTION.includes(str(retention[f]))) errs.push(fieldErr.notSupported(child(path, 'persistentVolumeClaimRetentionPolicy', f), str(retention[f]), RETENTION));
  errs.push(...validateNonnegative(num(spec.replicas), child(path, 'replicas')), ...validateNonnegative(num(spec.minReadySeconds), child(path, 'minReadySeconds')));
  const ordinals = optObj(spec.ordinals);
  if (ordinals) errs.push(...validateNonnegative(num(ordinals.start), child(path, 'ordinals.start')));
  const selector = appsSelector(spec.selector, child(path, 'selector'), 'statefulset', errs, '');
  const template = obj(spec.template);
  const tmeta = obj(template.metadata);
  const tpath = child(path, 'template');
  if (selector)
    errs.push(
      ...templateLabelsMatch(selector, template, tpath),
      ...validateLabels(tmeta.labels, child(tpath, 'labels')),
      ...validateAnnotations(tmeta.annotations, child(tpath, 'annotations')),
      ...validatePodSpecificAnnotations(tmeta.annotations, template.spec, child(tpath, 'annotations')),
    );
  const tspec = obj(template.spec);
  if (str(tspec.restartPolicy) !== 'Always') errs.push(fieldErr.notSupported(child(tpath, 'spec', 'restartPolicy'), str(tspec.restartPolicy), ['Always']));
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null)
    errs.push(fieldErr.forbidden(child(tpath, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

export function validateStatefulSet(sts: Obj): FieldError[] {
  return [...validateObjectMeta(sts.metadata, true, nameIsDNSLabel), ...validateStatefulSetSpec(sts.spec, 'spec')];
}

const STS_MUTABLE = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];

export function validateStatefulSetUpdate(sts: Obj, old: Obj): FieldError[] {
  const errs = [...validateObjectMetaUpdate(sts.metadata, old.metadata), ...validateStatefulSetSpec(sts.spec, 'spec')];
  const n = { ...obj(sts.spec) };
  const o = obj(old.spec);
  for (const f of STS_MUTABLE) n[f] = o[f];
  if (!semanticEqual(n, o))
    errs.push(
      fieldErr.forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  return errs;
}

export function validateStatefulSetStatusUpdate(sts: Obj, old: Obj): FieldError[] {
  const status = obj(sts.status);
  return [
    ...replicaCounters(
      status,
      ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'],
      ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
      'cannot be greater than status.readyReplicas',
    ),
    ...validateObjectMetaUpdate(sts.metadata, old.metadata),
    ...collisionCountDecrement(status, obj(old.status)),
  ];
}

function daemonSetUpdateStrategy(specIn: unknown, path: string): FieldError[] {
  const us = obj(obj(specIn).updateStrategy);
  const ru = optObj(us.rollingUpdate);
  if (us.type === 'OnDelete') return [];
  if (us.type === 'RollingUpdate') {
    if (!ru) return [fieldErr.required(child(path, 'rollingUpdate'))];
    const p = child(path, 'rollingUpdate');
    const errs = [
      ...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')),
      ...validatePositiveIntOrPercent(ru.maxSurge, child(p, 'maxSurge')),
      ...notMoreThan100Percent(ru.maxUnavailable, child(p, 'maxUnavailable')),
      ...notMoreThan100Percent(ru.maxSurge, child(p, 'maxSurge')),
    ];
    const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
    const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
    if (hasUnavailable && hasSurge) errs.push(fieldErr.invalid(child(p, 'maxSurge'), goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
    else if (!hasUnavailable && !hasSurge) errs.push(fieldErr.required(child(p, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
    return errs;
  }
  const shown = goStruct('apps.DaemonSetUpdateStrategy', [['Type', goQuote(str(us.type))], ['RollingUpdate', goPointer('apps.RollingUpdateDaemonSet', !!ru)]]);
  return [fieldErr.notSupported(path, shown, ['RollingUpdate', 'OnDelete'])];
}

export function validateDaemonSetSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = validateLabelSelector(spec.selector, child(path, 'selector'));
  const selector = labelSelectorAsSelector(spec.selector);
  if (selector) errs.push(...templateLabelsMatch(selector, spec.template, child(path, 'template')));
  if (optObj(spec.selector) && selectorIsEmptyObject(spec.selector))
    errs.push(fieldErr.invalid(child(path, 'selector'), goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  const tpath = child(path, 'template');
  const tspec = obj(obj(spec.template).spec);
  errs.push(...validatePodTemplateSpec(spec.template, tpath));
  if (str(tspec.restartPolicy) !== 'Always') errs.push(fieldErr.notSupported(child(tpath, 'spec', 'restartPolicy'), str(tspec.restartPolicy), ['Always']));
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null)
    errs.push(fieldErr.forbidden(child(tpath, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), child(path, 'minReadySeconds')), ...validateNonnegative(num(spec.templateGeneration), child(path, 'templateGeneration')));
  errs.push(...daemonSetUpdateStrategy(spec, child(path, 'updateStrategy')));
  const rhl = optNum(spec.revisionHistoryLimit);
  if (rhl !== undefined) errs.push(...validateNonnegative(rhl, child(path, 'revisionHistoryLimit')));
  return errs;
}

export function validateDaemonSet(ds: Obj): FieldError[] {
  return [...validateObjectMeta(ds.metadata, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(ds.spec, 'spec')];
}

export function validateDaemonSetUpdate(ds: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(ds.metadata, old.metadata), ...validateDaemonSetSpec(ds.spec, 'spec'), ...selectorImmutable(ds.spec, old.spec)];
}

export function validateDaemonSetStatusUpdate(ds: Obj, old: Obj): FieldError[] {
  const status = obj(ds.status);
  const fields = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount'];
  return [
    ...validateObjectMetaUpdate(ds.metadata, old.metadata),
    ...replicaCounters(status, fields, [], ''),
    ...collisionCountDecrement(status, obj(old.status)),
  ];
}

export function validateControllerRevision(cr: Obj): FieldError[] {
  const errs = validateObjectMeta(cr.metadata, true, nameIsDNSSubdomain);
  if (cr.data === undefined || cr.data === null) errs.push(fieldErr.required('data', 'data is mandatory'));
  return [...errs, ...validateNonnegative(num(cr.revision), 'revision')];
}

export function validateControllerRevisionUpdate(cr: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(cr.metadata, old.metadata), ...validateControllerRevision(cr), ...validateImmutable(cr.data, old.data, 'data')];
}
