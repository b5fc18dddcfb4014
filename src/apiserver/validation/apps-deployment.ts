/**
 * apps/v1 Deployment and ReplicaSet (create, update, status), with the strategies' selector immutability and
 * ValidatePodTemplateSpecForReplicaSet.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, num, obj, optNum, optObj, str, type Obj } from './access';
import { nameIsDNSSubdomain } from './formats';
import { goIntOrString, goPointer, goQuote, goStruct } from './go-repr';
import { validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodTemplateSpec } from './pod';
import {
  appsSelector,
  intOrPercentValue,
  notMoreThan100Percent,
  selectorImmutable,
  templateLabelsMatch,
  validatePositiveIntOrPercent,
} from './workload-common';
import type { Selector } from './selector';

export function validatePodTemplateForReplicaSet(template: unknown, selector: Selector, path: string, kind: string): FieldError[] {
  const spec = obj(obj(template).spec);
  const errs = [...templateLabelsMatch(selector, template, path), ...validatePodTemplateSpec(template, path)];
  if (str(spec.restartPolicy) !== 'Always') errs.push(fieldErr.notSupported(child(path, 'spec', 'restartPolicy'), str(spec.restartPolicy), ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null)
    errs.push(fieldErr.forbidden(child(path, 'spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

function rollingUpdateDeployment(ru: Obj, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, child(path, 'maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, child(path, 'maxSurge')),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
    errs.push(fieldErr.invalid(child(path, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  return [...errs, ...notMoreThan100Percent(ru.maxUnavailable, child(path, 'maxUnavailable'))];
}

function deploymentStrategy(strategyIn: unknown, path: string): FieldError[] {
  const s = obj(strategyIn);
  const ru = optObj(s.rollingUpdate);
  switch (s.type) {
    case 'Recreate':
      return ru ? [fieldErr.forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      return ru ? rollingUpdateDeployment(ru, child(path, 'rollingUpdate')) : [fieldErr.required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
    default: {
      const shown = goStruct('apps.DeploymentStrategy', [['Type', goQuote(str(s.type))], ['RollingUpdate', goPointer('apps.RollingUpdateDeployment', !!ru)]]);
      return [fieldErr.notSupported(path, shown, ['Recreate', 'RollingUpdate'])];
    }
  }
}

export function validateDeploymentSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = validateNonnegative(num(spec.replicas), child(path, 'replicas'));
  const selector = appsSelector(spec.selector, child(path, 'selector'), 'deployment', errs);
  if (selector) errs.push(...validatePodTemplateForReplicaSet(spec.template, selector, child(path, 'template'), 'ReplicaSet'));
  errs.push(...deploymentStrategy(spec.strategy, child(path, 'strategy')), ...validateNonnegative(num(spec.minReadySeconds), child(path, 'minReadySeconds')));
  const rhl = optNum(spec.revisionHistoryLimit);
  if (rhl !== undefined) errs.push(...validateNonnegative(rhl, child(path, 'revisionHistoryLimit')));
  const rollback = optObj(spec.rollbackTo);
  if (rollback) errs.push(...validateNonnegative(num(rollback.revision), child(path, 'rollback', 'version')));
  const pds = optNum(spec.progressDeadlineSeconds);
  if (pds !== undefined) {
    errs.push(...validateNonnegative(pds, child(path, 'progressDeadlineSeconds')));
    if (pds <= num(spec.minReadySeconds)) errs.push(fieldErr.invalid(child(path, 'progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateDeployment(d: Obj): FieldError[] {
  return [...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain), ...validateDeploymentSpec(d.spec, 'spec')];
}

export function validateDeploymentUpdate(d: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...validateDeploymentSpec(d.spec, 'spec'), ...selectorImmutable(d.spec, old.spec)];
}

const GREATER = 'cannot be greater than status.replicas';

/** Status counters: non-negative fields (optional ones only when set), then the "cannot be greater" rules. */
export function replicaCounters(status: Obj, nonneg: string[], greater: string[], readyMsg = 'cannot be greater than readyReplicas'): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of nonneg) {
    const v = f === 'collisionCount' ? optNum(status[f]) : num(status[f]);
    if (v !== undefined) errs.push(...validateNonnegative(v, child('status', f)));
  }
  const replicas = num(status.replicas);
  for (const f of greater) if (num(status[f]) > replicas) errs.push(fieldErr.invalid(child('status', f), num(status[f]), GREATER));
  if (readyMsg && num(status.availableReplicas) > num(status.readyReplicas))
    errs.push(fieldErr.invalid('status.availableReplicas', num(status.availableReplicas), readyMsg));
  return errs;
}

export function collisionCountDecrement(status: Obj, oldStatus: Obj): FieldError[] {
  const n = optNum(status.collisionCount);
  const o = optNum(oldStatus.collisionCount);
  if (o === undefined || (n !== undefined && n >= o)) return [];
  return [fieldErr.invalid('status.collisionCount', n ?? 0, 'cannot be decremented')];
}

export function validateDeploymentStatusUpdate(d: Obj, old: Obj): FieldError[] {
  const status = obj(d.status);
  return [
    ...validateObjectMetaUpdate(d.metadata, old.metadata),
    ...replicaCounters(
      status,
      ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'],
      ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
    ),
    ...collisionCountDecrement(status, obj(old.status)),
  ];
}

export function validateReplicaSetSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = [...validateNonnegative(num(spec.replicas), child(path, 'replicas')), ...validateNonnegative(num(spec.minReadySeconds), child(path, 'minReadySeconds'))];
  const selector = appsSelector(spec.selector, child(path, 'selector'), 'deployment', errs);
  if (selector) errs.push(...validatePodTemplateForReplicaSet(spec.template, selector, child(path, 'template'), 'ReplicaSet'));
  return errs;
}

export function validateReplicaSet(rs: Obj): FieldError[] {
  return [...validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain), ...validateReplicaSetSpec(rs.spec, 'spec')];
}

export function validateReplicaSetUpdate(rs: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...validateReplicaSetSpec(rs.spec, 'spec'), ...selectorImmutable(rs.spec, old.spec)];
}

export function validateReplicaSetStatusUpdate(rs: Obj, old: Obj): FieldError[] {
  const status = obj(rs.status);
  return [
    ...validateObjectMetaUpdate(rs.metadata, old.metadata),
    ...replicaCounters(
      status,
      ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'],
      ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
    ),
  ];
}
