/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding and ClusterRoleBinding (create and update). Names
 * only need to be valid path segments; rules need verbs (and groups and resources unless they are URL rules);
 * bindings need a supported roleRef that never changes, and well-formed subjects.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, obj, objs, optObj, semanticEqual, str, strs, type Obj } from './access';
import { each, nameIsDNSSubdomain, namePathSegment } from './formats';
import { goStringSlice, goStruct } from './go-repr';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validateLabelSelector } from './selector';

const GROUP = 'rbac.authorization.k8s.io';

function policyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!strs(rule.verbs).length) errs.push(fieldErr.required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = strs(rule.nonResourceURLs);
  if (urls.length) {
    const shown = goStringSlice(rule.nonResourceURLs);
    if (namespaced) errs.push(fieldErr.invalid(child(path, 'nonResourceURLs'), shown, 'namespaced rules cannot apply to non-resource URLs'));
    if (strs(rule.apiGroups).length || strs(rule.resources).length || strs(rule.resourceNames).length)
      errs.push(fieldErr.invalid(child(path, 'nonResourceURLs'), shown, 'rules cannot apply to both regular resources and non-resource URLs'));
    return errs;
  }
  if (!strs(rule.apiGroups).length) errs.push(fieldErr.required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (!strs(rule.resources).length) errs.push(fieldErr.required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  if (strs(rule.resourceNames).length && strs(rule.resources).length > 1)
    errs.push(fieldErr.required(child(path, 'resourceNames'), 'resource names cannot apply to multiple resources'));
  return errs;
}

function validateRoleObject(role: Obj, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(role.metadata, namespaced, namePathSegment);
  objs(role.rules).forEach((r, i) => errs.push(...policyRule(r, namespaced, index('rules', i))));
  const agg = optObj(role.aggregationRule);
  if (!namespaced && agg) {
    const selectors = objs(agg.clusterRoleSelectors);
    if (!selectors.length) errs.push(fieldErr.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, index('aggregationRule.clusterRoleSelectors', i))));
  }
  return errs;
}

export const validateRole = (r: Obj): FieldError[] => validateRoleObject(r, true);
export const validateClusterRole = (r: Obj): FieldError[] => validateRoleObject(r, false);
export const validateRoleUpdate = (r: Obj, old: Obj): FieldError[] => [...validateRole(r), ...validateObjectMetaUpdate(r.metadata, old.metadata)];
export const validateClusterRoleUpdate = (r: Obj, old: Obj): FieldError[] => [...validateClusterRole(r), ...validateObjectMetaUpdate(r.metadata, old.metadata)];

function subject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (!name) errs.push(fieldErr.required(child(path, 'name')));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) errs.push(...each(child(path, 'name'), name, nameIsDNSSubdomain(name, false)));
      if (apiGroup) errs.push(fieldErr.notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && !str(s.namespace)) errs.push(fieldErr.required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (!name) errs.push(fieldErr.invalid(child(path, 'name'), name, `${s.kind === 'User' ? 'user' : 'group'} name cannot be empty`));
      if (apiGroup !== GROUP) errs.push(fieldErr.notSupported(child(path, 'apiGroup'), apiGroup, [GROUP]));
      break;
    default:
      errs.push(fieldErr.notSupported(child(path, 'kind'), str(s.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBindingObject(b: Obj, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(b.metadata, namespaced, namePathSegment);
  const ref = obj(b.roleRef);
  if (str(ref.apiGroup) !== GROUP) errs.push(fieldErr.notSupported('roleRef.apiGroup', str(ref.apiGroup), [GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind))) errs.push(fieldErr.notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (!name) errs.push(fieldErr.required('roleRef.name'));
  else errs.push(...each('roleRef.name', name, namePathSegment(name, false)));
  objs(b.subjects).forEach((s, i) => errs.push(...subject(s, namespaced, index('subjects', i))));
  return errs;
}

function roleRefRepr(ref: Obj): unknown {
  return goStruct('rbac.RoleRef', [
    ['APIGroup', JSON.stringify(str(ref.apiGroup))],
    ['Kind', JSON.stringify(str(ref.kind))],
    ['Name', JSON.stringify(str(ref.name))],
  ]);
}

function bindingUpdate(b: Obj, old: Obj, namespaced: boolean): FieldError[] {
  const errs = [...validateBindingObject(b, namespaced), ...validateObjectMetaUpdate(b.metadata, old.metadata)];
  if (!semanticEqual(b.roleRef, old.roleRef)) errs.push(fieldErr.invalid('roleRef', roleRefRepr(obj(b.roleRef)), 'cannot change roleRef'));
  return errs;
}

export const validateRoleBinding = (b: Obj): FieldError[] => validateBindingObject(b, true);
export const validateClusterRoleBinding = (b: Obj): FieldError[] => validateBindingObject(b, false);
export const validateRoleBindingUpdate = (b: Obj, old: Obj): FieldError[] => bindingUpdate(b, old, true);
export const validateClusterRoleBindingUpdate = (b: Obj, old: Obj): FieldError[] => bindingUpdate(b, old, false);
