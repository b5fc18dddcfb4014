/**
 * The ClusterRoleBindings kube-apiserver 1.32 creates on first start for its policy roles (bootstrappolicy.
 * ClusterRoleBindings(); testdata/cluster-role-bindings.yaml), sorted by name. `system:node` is created without
 * subjects (nodes are authorized by the Node authorizer since 1.8). The controller bindings live in
 * bootstrap-controller-roles.ts.
 */
import type { StoredObject } from '../../api/object';
import { clusterRoleBinding, group, serviceAccount, user } from './policy-builders';

export function bootstrapPolicyClusterRoleBindings(): StoredObject[] {
  return [
    clusterRoleBinding('cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
    clusterRoleBinding('system:node', []),
    clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
    clusterRoleBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
    clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
  ];
}
