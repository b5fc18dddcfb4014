/**
 * The Roles and RoleBindings kube-apiserver 1.32 bootstraps into kube-system and kube-public (bootstrappolicy's
 * namespace_policy.go): the extension-apiserver-authentication reader, the leader-locking roles of the scheduler and
 * controller manager, and the bootstrap-signer, cloud-provider and token-cleaner controller roles. Every object
 * carries its namespace; kube-system objects come first, in upstream's registration order.
 */
import type { StoredObject } from '../../api/object';
import { eventsRule, role, roleBinding, rule, serviceAccount, user } from './policy-builders';

const SYSTEM = 'kube-system';
const PUBLIC = 'kube-public';
const CORE = '';

export function bootstrapNamespacedRoles(): StoredObject[] {
  return [
    role(SYSTEM, 'extension-apiserver-authentication-reader', [
      rule(['get', 'list', 'watch'], [CORE], ['configmaps'], ['extension-apiserver-authentication']),
    ]),
    role(SYSTEM, 'system:controller:bootstrap-signer', [rule(['get', 'list', 'watch'], [CORE], ['secrets'])]),
    role(SYSTEM, 'system:controller:cloud-provider', [rule(['create', 'get', 'list', 'watch'], [CORE], ['configmaps'])]),
    role(SYSTEM, 'system:controller:token-cleaner', [rule(['get', 'list', 'watch', 'delete'], [CORE], ['secrets']), eventsRule()]),
    role(SYSTEM, 'system::leader-locking-kube-controller-manager', [
      rule(['watch'], [CORE], ['configmaps']),
      rule(['get', 'update'], [CORE], ['configmaps'], ['kube-controller-manager']),
      rule(['get', 'watch', 'list', 'create', 'update'], ['coordination.k8s.io'], ['leases']),
    ]),
    role(SYSTEM, 'system::leader-locking-kube-scheduler', [
      rule(['watch'], [CORE], ['configmaps']),
      rule(['get', 'update'], [CORE], ['configmaps'], ['kube-scheduler']),
    ]),
    role(PUBLIC, 'system:controller:bootstrap-signer', [
      rule(['get', 'list', 'watch'], [CORE], ['configmaps']),
      rule(['update'], [CORE], ['configmaps'], ['cluster-info']),
      eventsRule(),
    ]),
  ];
}

export function bootstrapNamespacedRoleBindings(): StoredObject[] {
  return [
    roleBinding(
      SYSTEM,
      'extension-apiserver-authentication-reader',
      [user('system:kube-controller-manager'), user('system:kube-scheduler')],
      'system::extension-apiserver-authentication-reader',
    ),
    roleBinding(SYSTEM, 'system::leader-locking-kube-controller-manager', [
      user('system:kube-controller-manager'),
      serviceAccount(SYSTEM, 'kube-controller-manager'),
      serviceAccount(SYSTEM, 'leader-election-controller'),
    ]),
    roleBinding(SYSTEM, 'system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), serviceAccount(SYSTEM, 'kube-scheduler')]),
    roleBinding(SYSTEM, 'system:controller:bootstrap-signer', [serviceAccount(SYSTEM, 'bootstrap-signer')]),
    roleBinding(SYSTEM, 'system:controller:cloud-provider', [serviceAccount(SYSTEM, 'cloud-provider')]),
    roleBinding(SYSTEM, 'system:controller:token-cleaner', [serviceAccount(SYSTEM, 'token-cleaner')]),
    roleBinding(PUBLIC, 'system:controller:bootstrap-signer', [serviceAccount(SYSTEM, 'bootstrap-signer')]),
  ];
}
