/**
 * The per-controller ClusterRoles `system:controller:<name>` and their ClusterRoleBindings to the ServiceAccount
 * kube-system/<name>, as upstream's controller_policy.go builds them (kube-controller-manager runs each controller
 * with that ServiceAccount's credentials when --use-service-account-credentials is set). Rules follow
 * testdata/controller-roles.yaml of the 1.32 line including its patch releases (the `watch` verbs added for
 * WatchListClient were back-ported to 1.32). Controllers behind feature gates that are off by default in 1.32 (DRA,
 * ServiceCIDR, SELinux warnings, VolumeAttributesClass, storage-version GC/migrator) are not included.
 */
import type { StoredObject } from '../../api/object';
import type { PolicyRule } from './aggregation';
import { clusterRole, clusterRoleBinding, eventsRule, READ, rule, serviceAccount } from './policy-builders';

export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

const CORE = '';
const APPS_EXT = ['apps', 'extensions'];
const BATCH = 'batch';
const DISCOVERY = 'discovery.k8s.io';
const STORAGE = 'storage.k8s.io';
const CERTS = 'certificates.k8s.io';

const CONTROLLERS: Record<string, () => PolicyRule[]> = {
  'attachdetach-controller': () => [
    rule(['list', 'watch'], [CORE], ['persistentvolumes', 'persistentvolumeclaims']),
    rule(READ, [CORE], ['nodes']),
    rule(['patch', 'update'], [CORE], ['nodes/status']),
    rule(['list', 'watch'], [CORE], ['pods']),
    eventsRule(),
    rule(['get', 'create', 'delete', 'list', 'watch'], [STORAGE], ['volumeattachments']),
    rule(READ, [STORAGE], ['csidrivers']),
    rule(READ, [STORAGE], ['csinodes']),
  ],
  'certificate-controller': () => [
    rule(['get', 'list', 'watch', 'delete'], [CERTS], ['certificatesigningrequests']),
    rule(['update'], [CERTS], ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
    rule(['approve'], [CERTS], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    rule(['sign'], [CERTS], ['signers'], ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet',
      'kubernetes.io/kubelet-serving', 'kubernetes.io/legacy-unknown']),
    rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    eventsRule(),
  ],
  'clusterrole-aggregation-controller': () => [
    rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], ['rbac.authorization.k8s.io'], ['clusterroles']),
  ],
  'cronjob-controller': () => [
    rule(['get', 'list', 'watch', 'update'], [BATCH], ['cronjobs']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], [BATCH], ['jobs']),
    rule(['update'], [BATCH], ['cronjobs/status']),
    rule(['update'], [BATCH], ['cronjobs/finalizers']),
    rule(['list', 'watch', 'delete'], [CORE], ['pods']),
    eventsRule(),
  ],
  'daemon-set-controller': () => [
    rule(READ, APPS_EXT, ['daemonsets']),
    rule(['update'], APPS_EXT, ['daemonsets/status']),
    rule(['update'], APPS_EXT, ['daemonsets/finalizers']),
    rule(['list', 'watch'], [CORE], ['nodes']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [CORE], ['pods']),
    rule(['create'], [CORE], ['pods/binding']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
    eventsRule(),
  ],
  'deployment-controller': () => [
    rule(['get', 'list', 'watch', 'update'], APPS_EXT, ['deployments']),
    rule(['update'], APPS_EXT, ['deployments/status']),
    rule(['update'], APPS_EXT, ['deployments/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], APPS_EXT, ['replicasets']),
    rule(['get', 'list', 'watch', 'update'], [CORE], ['pods']),
    eventsRule(),
  ],
  'disruption-controller': () => [
    rule(READ, APPS_EXT, ['deployments']),
    rule(READ, APPS_EXT, ['replicasets']),
    rule(READ, [CORE], ['replicationcontrollers']),
    rule(READ, ['policy'], ['poddisruptionbudgets']),
    rule(READ, ['apps'], ['statefulsets']),
    rule(['update'], ['policy'], ['poddisruptionbudgets/status']),
    rule(['patch', 'update'], [CORE], ['pods/status']),
    rule(['get'], ['*'], ['*/scale']),
    eventsRule(),
  ],
  'endpoint-controller': () => [
    rule(READ, [CORE], ['services', 'pods']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], [CORE], ['endpoints']),
    rule(['create'], [CORE], ['endpoints/restricted']),
    eventsRule(),
  ],
  'endpointslice-controller': () => [
    rule(READ, [CORE], ['services', 'pods', 'nodes']),
    rule(['update'], [CORE], ['services/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], [DISCOVERY], ['endpointslices']),
    eventsRule(),
  ],
  'endpointslicemirroring-controller': () => [
    rule(READ, [CORE], ['services', 'endpoints']),
    rule(['update'], [CORE], ['services/finalizers']),
    rule(['update'], [CORE], ['endpoints/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], [DISCOVERY], ['endpointslices']),
    eventsRule(),
  ],
  'ephemeral-volume-controller': () => [
    rule(READ, [CORE], ['pods']),
    rule(['update'], [CORE], ['pods/finalizers']),
    rule(['get', 'list', 'watch', 'create'], [CORE], ['persistentvolumeclaims']),
    eventsRule(),
  ],
  'expand-controller': () => [
    rule(['get', 'list', 'watch', 'update', 'patch'], [CORE], ['persistentvolumes']),
    rule(['update', 'patch'], [CORE], ['persistentvolumeclaims/status']),
    rule(READ, [CORE], ['persistentvolumeclaims']),
    eventsRule(),
  ],
  'generic-garbage-collector': () => [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), eventsRule()],
  'horizontal-pod-autoscaler': () => [
    rule(READ, ['autoscaling'], ['horizontalpodautoscalers']),
    rule(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
    rule(['get', 'update'], ['*'], ['*/scale']),
    rule(['list', 'watch'], [CORE], ['pods']),
    rule(['list', 'watch'], ['metrics.k8s.io'], ['pods']),
    rule(READ, ['custom.metrics.k8s.io'], ['*']),
    rule(READ, ['external.metrics.k8s.io'], ['*']),
    eventsRule(),
  ],
  'job-controller': () => [
    rule(['get', 'list', 'watch', 'update', 'patch'], [BATCH], ['jobs']),
    rule(['update'], [BATCH], ['jobs/status']),
    rule(['update'], [BATCH], ['jobs/finalizers']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [CORE], ['pods']),
    eventsRule(),
  ],
  'legacy-service-account-token-cleaner': () => [
    rule(['get'], [CORE], ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']),
    rule(['delete', 'patch'], [CORE], ['secrets']),
  ],
  'namespace-controller': () => [
    rule(['get', 'list', 'watch', 'delete'], [CORE], ['namespaces']),
    rule(['update'], [CORE], ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
  ],
  'node-controller': () => [
    rule(['get', 'list', 'watch', 'update', 'delete', 'patch'], [CORE], ['nodes']),
    rule(['patch', 'update'], [CORE], ['nodes/status']),
    rule(['patch', 'update'], [CORE], ['pods/status']),
    rule(['get', 'list', 'watch', 'delete'], [CORE], ['pods']),
    eventsRule(),
  ],
  'persistent-volume-binder': () => [
    rule(['get', 'list', 'watch', 'update', 'create', 'delete'], [CORE], ['persistentvolumes']),
    rule(['update'], [CORE], ['persistentvolumes/status']),
    rule(['get', 'list', 'watch', 'update'], [CORE], ['persistentvolumeclaims']),
    rule(['update'], [CORE], ['persistentvolumeclaims/status']),
    rule(['list', 'watch', 'get', 'create', 'delete'], [CORE], ['pods']),
    rule(READ, [STORAGE], ['storageclasses']),
    rule(['watch', 'list'], [CORE], ['nodes']),
    eventsRule(),
    rule(['watch'], [CORE], ['events']),
  ],
  'pod-garbage-collector': () => [
    rule(['list', 'watch', 'delete'], [CORE], ['pods']),
    rule(READ, [CORE], ['nodes']),
    rule(['patch'], [CORE], ['pods/status']),
  ],
  'pv-protection-controller': () => [rule(['get', 'list', 'watch', 'update'], [CORE], ['persistentvolumes']), eventsRule()],
  'pvc-protection-controller': () => [
    rule(['get', 'list', 'watch', 'update'], [CORE], ['persistentvolumeclaims']),
    rule(['update'], [CORE], ['persistentvolumeclaims/status']),
    rule(READ, [CORE], ['pods']),
    eventsRule(),
  ],
  'replicaset-controller': () => [
    rule(['get', 'list', 'watch', 'update'], APPS_EXT, ['replicasets']),
    rule(['update'], APPS_EXT, ['replicasets/status']),
    rule(['update'], APPS_EXT, ['replicasets/finalizers']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [CORE], ['pods']),
    eventsRule(),
  ],
  'replication-controller': () => [
    rule(['get', 'list', 'watch', 'update'], [CORE], ['replicationcontrollers']),
    rule(['update'], [CORE], ['replicationcontrollers/status']),
    rule(['update'], [CORE], ['replicationcontrollers/finalizers']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [CORE], ['pods']),
    eventsRule(),
  ],
  'resourcequota-controller': () => [
    rule(['list', 'watch'], ['*'], ['*']),
    rule(['update'], [CORE], ['resourcequotas/status']),
    eventsRule(),
  ],
  'root-ca-cert-publisher': () => [rule(['create', 'update'], [CORE], ['configmaps']), eventsRule()],
  'route-controller': () => [rule(['list', 'watch'], [CORE], ['nodes']), rule(['patch'], [CORE], ['nodes/status']), eventsRule()],
  'service-account-controller': () => [rule(['create'], [CORE], ['serviceaccounts']), eventsRule()],
  'service-controller': () => [
    rule(READ, [CORE], ['services']),
    rule(['patch', 'update'], [CORE], ['services/status']),
    rule(['list', 'watch'], [CORE], ['nodes']),
    eventsRule(),
  ],
  'statefulset-controller': () => [
    rule(['list', 'watch'], [CORE], ['pods']),
    rule(READ, ['apps'], ['statefulsets']),
    rule(['update'], ['apps'], ['statefulsets/status']),
    rule(['update'], ['apps'], ['statefulsets/finalizers']),
    rule(['get', 'create', 'delete', 'update', 'patch'], [CORE], ['pods']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
    rule(['get', 'list', 'watch', 'create'], [CORE], ['persistentvolumeclaims']),
    rule(['update', 'delete'], [CORE], ['persistentvolumeclaims']),
    rule(['update'], [CORE], ['pods/finalizers']),
    eventsRule(),
  ],
  'ttl-after-finished-controller': () => [rule(['get', 'list', 'watch', 'delete'], [BATCH], ['jobs']), eventsRule()],
  'ttl-controller': () => [rule(['update', 'patch', 'list', 'watch'], [CORE], ['nodes']), eventsRule()],
  'validatingadmissionpolicy-status-controller': () => [
    rule(READ, ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']),
    rule(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']),
    eventsRule(),
  ],
};

/** The controller names (ServiceAccount names in kube-system), sorted. */
export function controllerNames(): string[] {
  return Object.keys(CONTROLLERS).sort();
}

/** ClusterRoles `system:controller:<name>`, sorted by name. */
export function bootstrapControllerRoles(): StoredObject[] {
  return controllerNames().map((n) => clusterRole(CONTROLLER_ROLE_PREFIX + n, CONTROLLERS[n]()));
}

/** ClusterRoleBindings `system:controller:<name>` → ServiceAccount kube-system/<name>, sorted by name. */
export function bootstrapControllerRoleBindings(): StoredObject[] {
  return controllerNames().map((n) => clusterRoleBinding(CONTROLLER_ROLE_PREFIX + n, [serviceAccount('kube-system', n)]));
}
