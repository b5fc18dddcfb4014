/**
 * The policy objects kube-apiserver creates at start (its rbac/bootstrap-roles and scheduling/bootstrap-system-
 * priority-classes post-start hooks): the bootstrap ClusterRoles and ClusterRoleBindings, the Roles and RoleBindings
 * of kube-system and kube-public, and the system PriorityClasses. Missing ones are created; existing ones annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "true"` get their rules, roleRef and subjects back if a user changed
 * them (aggregated roles' rules are the aggregation controller's). Writes go through the registry like any other.
 */
import { deepCopy, type StoredObject } from '../api/object';
import type { ResourceRegistry } from '../api/resources';
import { StatusError } from '../api/status';
import { bootstrapPriorityClasses } from './admission/priority';
import { aggregateAll } from './authz/aggregation';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapNamespacedRoleBindings, bootstrapNamespacedRoles } from './authz/bootstrap-policy';
import type { RegistryCore, WriteOptions } from './registry/core';
import { createObject } from './registry/create';
import { guaranteedUpdate } from './registry/update';

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

export async function bootstrapPolicy(core: RegistryCore, resources: ResourceRegistry): Promise<void> {
  const rbac = (resource: string) => resources.get('rbac.authorization.k8s.io', 'v1', resource)!;
  await ensure(core, rbac('clusterroles'), aggregateAll(bootstrapClusterRoles()), ['rules']);
  await ensure(core, rbac('clusterrolebindings'), bootstrapClusterRoleBindings(), ['roleRef', 'subjects']);
  await ensure(core, rbac('roles'), bootstrapNamespacedRoles(), ['rules']);
  await ensure(core, rbac('rolebindings'), bootstrapNamespacedRoleBindings(), ['roleRef', 'subjects']);
  await ensure(core, resources.get('scheduling.k8s.io', 'v1', 'priorityclasses')!, bootstrapPriorityClasses(), []);
}

async function ensure(core: RegistryCore, r: ReturnType<ResourceRegistry['get']> & object, objects: StoredObject[], reconciled: string[]): Promise<void> {
  const opts = (): WriteOptions => ({ dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Strict', warnings: [] });
  for (const want of objects) {
    const ns = want.metadata.namespace ?? '';
    const name = want.metadata.name ?? '';
    const cur = await core.current(r, ns, name);
    if (!cur) {
      try {
        await createObject(core, r, ns, deepCopy(want), opts());
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
      }
      continue;
    }
    if (cur.obj.metadata.annotations?.[AUTOUPDATE] !== 'true') continue;
    const fields = reconciled.filter((f) => !(f === 'rules' && cur.obj.aggregationRule));
    if (fields.every((f) => JSON.stringify(cur.obj[f] ?? null) === JSON.stringify(want[f] ?? null))) continue;
    await guaranteedUpdate(core, r, ns, name, '', opts(), (c) => {
      const next = core.copy(c as StoredObject);
      for (const f of fields) next[f] = deepCopy(want[f]);
      return { next, pinned: false };
    }, false);
  }
}
