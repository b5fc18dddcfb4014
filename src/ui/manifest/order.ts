/**
 * The order a manifest's objects are applied in, so that what others depend on exists first: Namespaces, then
 * CustomResourceDefinitions (custom resources of the same file need them), then Helm's install order for the rest
 * (pkg/releaseutil/kind_sorter.go: policies, ServiceAccounts, Secrets, ConfigMaps, storage, RBAC, Services, then
 * workloads, then Ingresses and APIServices), then admission webhook configurations (so they cannot reject the
 * objects of their own file), then kinds not listed, alphabetically by kind as Helm sorts them. Objects of one kind
 * keep their file order (a stable sort). A built-in kind name under another API group (a custom `Service` kind) is
 * not the built-in kind.
 *
 * Delete is the exact reverse, so custom resources go before their CRDs and everything before its Namespace
 * (Helm's uninstall order differs in details; it never deletes CRDs).
 */
import { parseApiVersion } from '../../api/object';

const INSTALL_ORDER: [kind: string, group: string][] = [
  ['Namespace', ''],
  ['CustomResourceDefinition', 'apiextensions.k8s.io'],
  ['PriorityClass', 'scheduling.k8s.io'],
  ['NetworkPolicy', 'networking.k8s.io'],
  ['ResourceQuota', ''],
  ['LimitRange', ''],
  ['PodSecurityPolicy', 'policy'],
  ['PodDisruptionBudget', 'policy'],
  ['ServiceAccount', ''],
  ['Secret', ''],
  ['ConfigMap', ''],
  ['StorageClass', 'storage.k8s.io'],
  ['PersistentVolume', ''],
  ['PersistentVolumeClaim', ''],
  ['ClusterRole', 'rbac.authorization.k8s.io'],
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io'],
  ['Role', 'rbac.authorization.k8s.io'],
  ['RoleBinding', 'rbac.authorization.k8s.io'],
  ['Service', ''],
  ['DaemonSet', 'apps'],
  ['Pod', ''],
  ['ReplicationController', ''],
  ['ReplicaSet', 'apps'],
  ['Deployment', 'apps'],
  ['HorizontalPodAutoscaler', 'autoscaling'],
  ['StatefulSet', 'apps'],
  ['Job', 'batch'],
  ['CronJob', 'batch'],
  ['IngressClass', 'networking.k8s.io'],
  ['Ingress', 'networking.k8s.io'],
  ['APIService', 'apiregistration.k8s.io'],
  ['MutatingWebhookConfiguration', 'admissionregistration.k8s.io'],
  ['ValidatingWebhookConfiguration', 'admissionregistration.k8s.io'],
  ['ValidatingAdmissionPolicy', 'admissionregistration.k8s.io'],
  ['ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io'],
];

const RANK = new Map(INSTALL_ORDER.map(([kind, group], i) => [`${kind}.${group}`, i]));
const UNKNOWN = INSTALL_ORDER.length;

interface HasObject {
  object?: { apiVersion?: unknown; kind?: unknown } | undefined;
}

function kindOf(d: HasObject): { kind: string; group: string } {
  const kind = typeof d.object?.kind === 'string' ? d.object.kind : '';
  const apiVersion = typeof d.object?.apiVersion === 'string' ? d.object.apiVersion : '';
  return { kind, group: parseApiVersion(apiVersion).group };
}

/** The rank of a kind in the install order (`UNKNOWN` for kinds not listed). */
export function installRank(kind: string, group: string): number {
  return RANK.get(`${kind}.${group}`) ?? UNKNOWN;
}

/** A new array in apply order; documents without an object (parse errors) go last, in file order. */
export function applyOrder<T extends HasObject>(docs: readonly T[]): T[] {
  const keyed = docs.map((d, i) => {
    const { kind, group } = kindOf(d);
    return { d, i, rank: d.object ? installRank(kind, group) : UNKNOWN + 1, kind };
  });
  keyed.sort((a, b) => a.rank - b.rank || (a.rank === UNKNOWN && a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : 0) || a.i - b.i);
  return keyed.map((k) => k.d);
}

/** A new array in delete order: the reverse of the apply order. */
export function deleteOrder<T extends HasObject>(docs: readonly T[]): T[] {
  return applyOrder(docs).reverse();
}
