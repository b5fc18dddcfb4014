/**
 * PodDisruptionBudget (policy/v1) validation as upstream's policy validation: minAvailable and maxUnavailable are
 * exclusive, each a non-negative int or a percentage of at most 100 %, the selector a valid label selector, and
 * unhealthyPodEvictionPolicy IfHealthyBudget or AlwaysAllow. Spec changes are allowed on update (since 1.15).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { obj, type Obj } from './access';
import { nameIsDNSSubdomain } from './formats';
import { goPointer, goStruct } from './go-repr';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validateLabelSelector } from './selector';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from './workload-common';

const POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function specRepr(spec: Obj): ReturnType<typeof goStruct> {
  return goStruct('policy.PodDisruptionBudgetSpec', [
    ['MinAvailable', goPointer('intstr.IntOrString', spec.minAvailable != null)],
    ['Selector', spec.selector != null ? goPointer('v1.LabelSelector', true) : '(*v1.LabelSelector)(nil)'],
    ['MaxUnavailable', goPointer('intstr.IntOrString', spec.maxUnavailable != null)],
    ['UnhealthyPodEvictionPolicy', goPointer('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy != null)],
  ]);
}

export function validatePodDisruptionBudgetSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) errs.push(fieldErr.invalid(path, specRepr(spec), 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[f] == null) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], `${path}.${f}`), ...notMoreThan100Percent(spec[f], `${path}.${f}`));
  }
  errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && !POLICIES.includes(String(policy))) errs.push(fieldErr.notSupported(`${path}.unhealthyPodEvictionPolicy`, policy, POLICIES));
  return errs;
}

export function validatePodDisruptionBudget(pdb: Obj): FieldError[] {
  return [...validateObjectMeta(pdb.metadata, true, nameIsDNSSubdomain), ...validatePodDisruptionBudgetSpec(pdb.spec)];
}

export function validatePodDisruptionBudgetUpdate(pdb: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(pdb.metadata, old.metadata), ...validatePodDisruptionBudgetSpec(pdb.spec)];
}

/** Status: disruptionsAllowed, currentHealthy, desiredHealthy and expectedPods must not be negative. */
export function validatePodDisruptionBudgetStatusUpdate(pdb: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(pdb.metadata, old.metadata);
  const st = obj(pdb.status);
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) {
    const v = st[f];
    if (typeof v === 'number' && v < 0) errs.push(fieldErr.invalid(`status.${f}`, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

