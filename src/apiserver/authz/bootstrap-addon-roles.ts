/**
 * Policy for KubeLab's own add-ons (not upstream's bootstrap policy; named `kubelab:*` so nobody mistakes them for
 * it): the simulated local volume provisioner runs as the ServiceAccount kube-system/kubelab-local-provisioner with
 * upstream's `system:persistent-volume-provisioner` rules plus creating the default `standard` StorageClass it
 * ships (as minikube's storage-provisioner add-on binds that role to its own ServiceAccount).
 */
import type { StoredObject } from '../../api/object';
import { clusterRole, clusterRoleBinding, eventsRule, READ, rule, serviceAccount } from './policy-builders';

export const LOCAL_PROVISIONER_SERVICE_ACCOUNT = 'kubelab-local-provisioner';
const LOCAL_PROVISIONER_ROLE = 'kubelab:local-provisioner';

export function bootstrapAddonClusterRoles(): StoredObject[] {
  return [
    clusterRole(LOCAL_PROVISIONER_ROLE, [
      rule(['get', 'list', 'watch', 'create', 'delete'], [''], ['persistentvolumes']),
      rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      rule([...READ, 'create'], ['storage.k8s.io'], ['storageclasses']),
      rule(READ, [''], ['nodes']),
      rule(['watch'], [''], ['events']),
      eventsRule(),
    ]),
  ];
}

export function bootstrapAddonClusterRoleBindings(): StoredObject[] {
  return [clusterRoleBinding(LOCAL_PROVISIONER_ROLE, [serviceAccount('kube-system', LOCAL_PROVISIONER_SERVICE_ACCOUNT)])];
}
