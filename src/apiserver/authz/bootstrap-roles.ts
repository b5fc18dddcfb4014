/**
 * The ClusterRoles kube-apiserver 1.32 creates on first start (bootstrappolicy.ClusterRoles() with default feature
 * gates; testdata/cluster-roles.yaml), rule for rule and in upstream's rule order. `admin`, `edit` and `view` are
 * aggregated roles: they are created with no rules and an aggregationRule; the clusterrole-aggregation controller
 * (see aggregation.ts) fills them from the `system:aggregate-to-*` roles (and view → edit → admin via their
 * aggregate-to-* labels). The per-controller `system:controller:*` roles live in bootstrap-controller-roles.ts.
 */
import type { StoredObject } from '../../api/object';
import type { PolicyRule } from './aggregation';
import {
  AGGREGATE_TO_ADMIN,
  AGGREGATE_TO_EDIT,
  AGGREGATE_TO_VIEW,
  clusterRole,
  eventsRule,
  READ,
  READ_WRITE,
  rule,
  urlRule,
  WRITE,
} from './policy-builders';

const CORE = '';
const APPS = 'apps';
const AUTHN = 'authentication.k8s.io';
const AUTHZ = 'authorization.k8s.io';
const BATCH = 'batch';
const CERTS = 'certificates.k8s.io';
const COORD = 'coordination.k8s.io';
const EXT = 'extensions';
const NET = 'networking.k8s.io';
const STORAGE = 'storage.k8s.io';

/** bootstrappolicy.NodeRules(): the rules of `system:node`, also the Node authorizer's static rules. */
export function nodeRules(): PolicyRule[] {
  return [
    rule(['create'], [AUTHN], ['tokenreviews']),
    rule(['create'], [AUTHZ], ['subjectaccessreviews', 'localsubjectaccessreviews']),
    rule(READ, [CORE], ['services']),
    rule(['create', 'get', 'list', 'watch'], [CORE], ['nodes']),
    rule(['update', 'patch'], [CORE], ['nodes/status']),
    rule(['update', 'patch'], [CORE], ['nodes']),
    rule(['create', 'update', 'patch'], [CORE], ['events']),
    rule(READ, [CORE], ['pods']),
    rule(['create', 'delete'], [CORE], ['pods']),
    rule(['update', 'patch'], [CORE], ['pods/status']),
    rule(['create'], [CORE], ['pods/eviction']),
    rule(['get', 'list', 'watch'], [CORE], ['secrets', 'configmaps']),
    rule(['get'], [CORE], ['persistentvolumeclaims', 'persistentvolumes']),
    rule(['get'], [CORE], ['endpoints']),
    rule(['create', 'get', 'list', 'watch'], [CERTS], ['certificatesigningrequests']),
    rule(['get', 'create', 'update', 'patch', 'delete'], [COORD], ['leases']),
    rule(['get'], [STORAGE], ['volumeattachments']),
    rule(['create'], [CORE], ['serviceaccounts/token']),
    rule(['get', 'update', 'patch'], [CORE], ['persistentvolumeclaims/status']),
    rule(['get', 'watch', 'list'], [STORAGE], ['csidrivers']),
    rule(['get', 'create', 'update', 'patch', 'delete'], [STORAGE], ['csinodes']),
    rule(['get', 'list', 'watch'], ['node.k8s.io'], ['runtimeclasses']),
  ];
}

function aggregateToEdit(): PolicyRule[] {
  return [
    rule(READ, [CORE], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
    rule(['impersonate'], [CORE], ['serviceaccounts']),
    rule(WRITE, [CORE], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
    rule(['create'], [CORE], ['pods/eviction']),
    rule(WRITE, [CORE], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy',
      'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
    rule(['create'], [CORE], ['serviceaccounts/token']),
    rule(WRITE, [APPS], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback',
      'replicasets', 'replicasets/scale']),
    rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
    rule(WRITE, [BATCH], ['jobs', 'cronjobs']),
    rule(WRITE, [EXT], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets',
      'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(WRITE, ['policy'], ['poddisruptionbudgets']),
    rule(WRITE, [NET], ['networkpolicies', 'ingresses']),
    rule(READ_WRITE, [COORD], ['leases']),
  ];
}

function aggregateToView(): PolicyRule[] {
  return [
    rule(READ, [CORE], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status',
      'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
    rule(READ, [CORE], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status',
      'replicationcontrollers/status', 'pods/log']),
    rule(READ, [CORE], ['namespaces']),
    rule(READ, ['discovery.k8s.io'], ['endpointslices']),
    rule(READ, [APPS], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status',
      'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
    rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    rule(READ, [BATCH], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
    rule(READ, [EXT], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses',
      'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    rule(READ, [NET], ['ingresses', 'ingresses/status', 'networkpolicies']),
  ];
}

function signerApprover(signer: string): PolicyRule[] {
  return [rule(['approve'], [CERTS], ['signers'], [`kubernetes.io/${signer}`])];
}

/** Every non-controller ClusterRole of kube-apiserver 1.32, sorted by name as testdata/cluster-roles.yaml lists them. */
export function bootstrapPolicyClusterRoles(): StoredObject[] {
  return [
    clusterRole('admin', [], { aggregateFrom: [{ [AGGREGATE_TO_ADMIN]: 'true' }] }),
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
    clusterRole('edit', [], { labels: { [AGGREGATE_TO_ADMIN]: 'true' }, aggregateFrom: [{ [AGGREGATE_TO_EDIT]: 'true' }] }),
    clusterRole('system:aggregate-to-admin', [
      rule(['create'], [AUTHZ], ['localsubjectaccessreviews']),
      rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['roles', 'rolebindings']),
    ], { labels: { [AGGREGATE_TO_ADMIN]: 'true' } }),
    clusterRole('system:aggregate-to-edit', aggregateToEdit(), { labels: { [AGGREGATE_TO_EDIT]: 'true' } }),
    clusterRole('system:aggregate-to-view', aggregateToView(), { labels: { [AGGREGATE_TO_VIEW]: 'true' } }),
    clusterRole('system:auth-delegator', [rule(['create'], [AUTHN], ['tokenreviews']), rule(['create'], [AUTHZ], ['subjectaccessreviews'])]),
    clusterRole('system:basic-user', [
      rule(['create'], [AUTHZ], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], [AUTHN], ['selfsubjectreviews']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      rule(['create'], [CERTS], ['certificatesigningrequests/nodeclient']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      rule(['create'], [CERTS], ['certificatesigningrequests/selfnodeclient']),
    ]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', signerApprover('kube-apiserver-client')),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', signerApprover('kube-apiserver-client-kubelet')),
    clusterRole('system:certificates.k8s.io:kubelet-serving-approver', signerApprover('kubelet-serving')),
    clusterRole('system:certificates.k8s.io:legacy-unknown-approver', signerApprover('legacy-unknown')),
    clusterRole('system:discovery', [
      urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*']),
    ]),
    clusterRole('system:heapster', [rule(READ, [CORE], ['events', 'pods', 'nodes', 'namespaces']), rule(READ, [EXT], ['deployments'])]),
    clusterRole('system:kube-aggregator', [rule(READ, [CORE], ['services', 'endpoints'])]),
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      rule(['create'], [COORD], ['leases']),
      rule(['get', 'update'], [COORD], ['leases'], ['kube-controller-manager']),
      rule(['create'], [CORE], ['secrets', 'serviceaccounts']),
      rule(['delete'], [CORE], ['secrets']),
      rule(['get'], [CORE], ['namespaces', 'secrets', 'serviceaccounts', 'configmaps']),
      rule(['update'], [CORE], ['secrets', 'serviceaccounts']),
      rule(['create'], [AUTHN], ['tokenreviews']),
      rule(['create'], [AUTHZ], ['subjectaccessreviews']),
      rule(['list', 'watch'], ['*'], ['*']),
      rule(['create'], [CORE], ['serviceaccounts/token']),
    ]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [CORE], ['endpoints', 'services'])]),
    clusterRole('system:kube-scheduler', [
      eventsRule(),
      rule(['create'], [COORD], ['leases']),
      rule(['get', 'update'], [COORD], ['leases'], ['kube-scheduler']),
      rule(READ, [CORE], ['nodes']),
      rule(['get', 'list', 'watch', 'delete'], [CORE], ['pods']),
      rule(['create'], [CORE], ['pods/binding', 'bindings']),
      rule(['patch', 'update'], [CORE], ['pods/status']),
      rule(READ, [CORE], ['replicationcontrollers', 'services']),
      rule(READ, [APPS, EXT], ['replicasets']),
      rule(READ, [APPS], ['statefulsets']),
      rule(READ, ['policy'], ['poddisruptionbudgets']),
      rule(READ, [CORE], ['persistentvolumeclaims', 'persistentvolumes']),
      rule(['create'], [AUTHN], ['tokenreviews']),
      rule(['create'], [AUTHZ], ['subjectaccessreviews']),
      rule(READ, [STORAGE], ['csinodes']),
      rule(READ, [CORE], ['namespaces']),
      rule(READ, [STORAGE], ['csidrivers']),
      rule(READ, [STORAGE], ['csistoragecapacities']),
    ]),
    clusterRole('system:kubelet-api-admin', [
      rule(READ, [CORE], ['nodes']),
      rule(['proxy'], [CORE], ['nodes']),
      rule(['*'], [CORE], ['nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log']),
    ]),
    clusterRole('system:monitoring', [
      urlRule(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*']),
    ]),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], [CERTS], ['certificatesigningrequests'])]),
    clusterRole('system:node-problem-detector', [rule(['get'], [CORE], ['nodes']), rule(['patch'], [CORE], ['nodes/status']), eventsRule()]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [CORE], ['services', 'endpoints']),
      rule(READ, [CORE], ['nodes']),
      eventsRule(),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:persistent-volume-provisioner', [
      rule(['get', 'list', 'watch', 'create', 'delete'], [CORE], ['persistentvolumes']),
      rule(['get', 'list', 'watch', 'update'], [CORE], ['persistentvolumeclaims']),
      rule(READ, [STORAGE], ['storageclasses']),
      rule(['watch'], [CORE], ['events']),
      eventsRule(),
    ]),
    clusterRole('system:public-info-viewer', [urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    clusterRole('system:service-account-issuer-discovery', [urlRule(['get'], ['/.well-known/openid-configuration', '/openid/v1/jwks'])]),
    clusterRole('system:volume-scheduler', [
      rule(['get', 'list', 'watch', 'patch', 'update'], [CORE], ['persistentvolumes']),
      rule(READ, [STORAGE], ['storageclasses']),
      rule(['get', 'list', 'watch', 'patch', 'update'], [CORE], ['persistentvolumeclaims']),
    ]),
    clusterRole('view', [], { labels: { [AGGREGATE_TO_EDIT]: 'true' }, aggregateFrom: [{ [AGGREGATE_TO_VIEW]: 'true' }] }),
  ];
}
