/**
 * Everything RBAC that kube-apiserver 1.32 creates on first start (its rbac/bootstrap-roles post-start hook):
 * cluster-scoped roles and bindings (policy + per-controller), and the Roles/RoleBindings of kube-system and
 * kube-public. Each call returns fresh objects without uid/resourceVersion; the bootstrapper creates the ones that do
 * not exist yet. Aggregated roles (admin, edit, view) start without rules: the clusterrole-aggregation controller
 * fills them (aggregateAll() in aggregation.ts computes the same result in one go).
 */
import type { StoredObject } from '../../api/object';
import { bootstrapControllerRoleBindings, bootstrapControllerRoles } from './bootstrap-controller-roles';
import { bootstrapPolicyClusterRoleBindings } from './bootstrap-bindings';
import { bootstrapPolicyClusterRoles } from './bootstrap-roles';

export { bootstrapControllerRoleBindings, bootstrapControllerRoles, controllerNames, CONTROLLER_ROLE_PREFIX } from './bootstrap-controller-roles';
export { bootstrapNamespacedRoleBindings, bootstrapNamespacedRoles } from './bootstrap-namespace-policy';
export { bootstrapPolicyClusterRoleBindings } from './bootstrap-bindings';
import { bootstrapAddonClusterRoleBindings, bootstrapAddonClusterRoles } from './bootstrap-addon-roles';
export { bootstrapPolicyClusterRoles, nodeRules } from './bootstrap-roles';

/** All bootstrap ClusterRoles: the policy roles, the `system:controller:*` roles, then KubeLab's add-on roles. */
export function bootstrapClusterRoles(): StoredObject[] {
  return [...bootstrapPolicyClusterRoles(), ...bootstrapControllerRoles(), ...bootstrapAddonClusterRoles()];
}

/** All bootstrap ClusterRoleBindings: the policy bindings, the `system:controller:*` bindings, then the add-ons'. */
export function bootstrapClusterRoleBindings(): StoredObject[] {
  return [...bootstrapPolicyClusterRoleBindings(), ...bootstrapControllerRoleBindings(), ...bootstrapAddonClusterRoleBindings()];
}
