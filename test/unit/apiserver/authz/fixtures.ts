/** Attribute and RBAC object builders shared by the authorization tests. */
import { parseFieldSelectorOrThrow } from '../../../../src/api/selectors/field-selector';
import type { StoredObject } from '../../../../src/api/object';
import type { AuthzAttributes } from '../../../../src/apiserver/authz/types';
import type { UserInfo } from '../../../../src/apiserver/request';
import { MemoryReader } from './memory-reader';

export const RBAC = 'rbac.authorization.k8s.io';

export function user(name: string, ...groups: string[]): UserInfo {
  return { name, groups };
}

/** A resource request: `res(user, verb, 'pods', {namespace, name, subresource, apiGroup})`. */
export function res(
  u: UserInfo,
  verb: string,
  resource: string,
  opts: { namespace?: string; name?: string; subresource?: string; apiGroup?: string; fieldSelector?: string } = {},
): AuthzAttributes {
  return {
    user: u,
    verb,
    isResourceRequest: true,
    path: '',
    apiGroup: opts.apiGroup ?? '',
    apiVersion: 'v1',
    namespace: opts.namespace ?? '',
    resource,
    subresource: opts.subresource ?? '',
    name: opts.name ?? '',
    ...(opts.fieldSelector ? { fieldSelector: parseFieldSelectorOrThrow(opts.fieldSelector).requirements } : {}),
  };
}

export function nonRes(u: UserInfo, verb: string, path: string): AuthzAttributes {
  return { user: u, verb, isResourceRequest: false, path, apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
}

export interface RuleSpec {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** `Kind:name` or `ServiceAccount:ns:name` subject specs, as upstream's rbac tests write them. */
export function subjects(...specs: string[]): { kind: string; name: string; namespace?: string; apiGroup?: string }[] {
  return specs.map((s) => {
    const [kind, a, b] = s.split(':');
    if (kind === 'ServiceAccount') return b === undefined ? { kind, name: a } : { kind, namespace: a, name: b };
    return { kind, apiGroup: RBAC, name: s.slice(kind.length + 1) };
  });
}

export function clusterRole(name: string, rules: RuleSpec[], labels?: Record<string, string>): StoredObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules };
}

export function role(namespace: string, name: string, rules: RuleSpec[]): StoredObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

export function clusterRoleBinding(name: string, roleName: string, ...subjectSpecs: string[]): StoredObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    subjects: subjects(...subjectSpecs),
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName },
  };
}

export function roleBinding(namespace: string, name: string, roleKind: 'Role' | 'ClusterRole', roleName: string, ...subjectSpecs: string[]): StoredObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    subjects: subjects(...subjectSpecs),
    roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName },
  };
}

/** Puts RBAC objects into a reader by kind. */
export function loadRbac(reader: MemoryReader, objects: StoredObject[]): MemoryReader {
  const resources: Record<string, string> = {
    ClusterRole: 'clusterroles',
    Role: 'roles',
    ClusterRoleBinding: 'clusterrolebindings',
    RoleBinding: 'rolebindings',
  };
  for (const o of objects) reader.put(RBAC, resources[o.kind!], o);
  return reader;
}
