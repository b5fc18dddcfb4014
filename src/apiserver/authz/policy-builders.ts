/**
 * Builders for the bootstrap RBAC objects, as upstream's rbacv1helpers (NewRule(...).RuleOrDie(), NewClusterBinding,
 * NewRoleBinding) and bootstrappolicy's addDefaultMetadata build them: every rule's lists are sorted (RuleOrDie sorts
 * verbs, apiGroups, resources, resourceNames and nonResourceURLs), every object carries the label
 * `kubernetes.io/bootstrapping: rbac-defaults` and the annotation `rbac.authorization.kubernetes.io/autoupdate:
 * "true"`. Each call returns fresh, mutable objects (callers may store or modify them).
 */
import type { StoredObject } from '../../api/object';
import { compareGoStrings } from '../../api/selectors';
import type { PolicyRule } from './aggregation';

export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
export const BOOTSTRAP_LABELS: Readonly<Record<string, string>> = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_UPDATE = ['get', 'list', 'watch', 'update', 'patch'];

export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

function sorted(v: readonly string[]): string[] {
  return [...v].sort(compareGoStrings);
}

/** NewRule(verbs...).Groups(groups...).Resources(resources...)[.Names(names...)].RuleOrDie() */
export function rule(verbs: readonly string[], groups: readonly string[], resources: readonly string[], names?: readonly string[]): PolicyRule {
  const r: PolicyRule = { verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources) };
  if (names) r.resourceNames = sorted(names);
  return r;
}

/** NewRule(verbs...).URLs(urls...).RuleOrDie() */
export function urlRule(verbs: readonly string[], urls: readonly string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(urls) };
}

/** bootstrappolicy.eventsRule(): create/update/patch of events in the core and events.k8s.io groups. */
export function eventsRule(): PolicyRule {
  return rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);
}

function metadata(name: string, namespace: string | undefined, labels: Record<string, string> = {}): StoredObject['metadata'] {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...labels, ...BOOTSTRAP_LABELS },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  };
}

export interface ClusterRoleOptions {
  labels?: Record<string, string>;
  /** matchLabels of each aggregationRule.clusterRoleSelectors entry. */
  aggregateFrom?: Record<string, string>[];
}

export function clusterRole(name: string, rules: PolicyRule[], opts: ClusterRoleOptions = {}): StoredObject {
  const obj: StoredObject = { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: metadata(name, undefined, opts.labels), rules };
  if (opts.aggregateFrom) obj.aggregationRule = { clusterRoleSelectors: opts.aggregateFrom.map((matchLabels) => ({ matchLabels })) };
  return obj;
}

export function role(namespace: string, name: string, rules: PolicyRule[]): StoredObject {
  return { apiVersion: RBAC_API_VERSION, kind: 'Role', metadata: metadata(name, namespace), rules };
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export function user(name: string): Subject {
  return { kind: 'User', apiGroup: RBAC_API_GROUP, name };
}

export function group(name: string): Subject {
  return { kind: 'Group', apiGroup: RBAC_API_GROUP, name };
}

export function serviceAccount(namespace: string, name: string): Subject {
  return { kind: 'ServiceAccount', name, namespace };
}

/** NewClusterBinding(roleName)...: the binding is named after the ClusterRole it binds. No subjects → none listed. */
export function clusterRoleBinding(roleName: string, subjects: Subject[]): StoredObject {
  const obj: StoredObject = { apiVersion: RBAC_API_VERSION, kind: 'ClusterRoleBinding', metadata: metadata(roleName, undefined) };
  if (subjects.length) obj.subjects = subjects;
  obj.roleRef = { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: roleName };
  return obj;
}

/** NewRoleBinding(roleName, namespace)... with an optional binding name different from the Role's name. */
export function roleBinding(namespace: string, roleName: string, subjects: Subject[], bindingName = roleName): StoredObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: metadata(bindingName, namespace),
    subjects,
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name: roleName },
  };
}
