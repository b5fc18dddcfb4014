/**
 * The bootstrap policy objects: metadata as upstream writes it (labels, autoupdate annotation, aggregate-to-*
 * labels, namespaces), rule lists sorted as RuleOrDie sorts them, a few roles compared with upstream's
 * testdata/*.yaml verbatim, the bindings the API server creates, and — through the RBAC authorizer on the aggregated
 * policy — what the built-in identities can do.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredObject } from '../../../../src/api/object';
import { compareGoStrings } from '../../../../src/api/selectors';
import { aggregateAll } from '../../../../src/apiserver/authz/aggregation';
import {
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  bootstrapControllerRoleBindings,
  bootstrapControllerRoles,
  bootstrapNamespacedRoleBindings,
  bootstrapNamespacedRoles,
} from '../../../../src/apiserver/authz/bootstrap-policy';
import { createRbacAuthorizer } from '../../../../src/apiserver/authz/rbac';
import type { AuthzAttributes } from '../../../../src/apiserver/authz/types';
import { loadRbac, nonRes, res, user } from './fixtures';
import { MemoryReader } from './memory-reader';

const all = (): StoredObject[] => [
  ...bootstrapClusterRoles(),
  ...bootstrapClusterRoleBindings(),
  ...bootstrapNamespacedRoles(),
  ...bootstrapNamespacedRoleBindings(),
];
const find = (list: StoredObject[], name: string, ns?: string) => list.find((o) => o.metadata.name === name && o.metadata.namespace === ns)!;

describe('bootstrap policy objects', () => {
  it('carry upstream metadata and unique names', () => {
    const seen = new Set<string>();
    for (const o of all()) {
      assert.equal(o.apiVersion, 'rbac.authorization.k8s.io/v1');
      assert.equal(o.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', o.metadata.name);
      assert.deepEqual(o.metadata.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
      const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      assert.ok(!seen.has(key), key);
      seen.add(key);
      if (o.kind === 'Role' || o.kind === 'RoleBinding') assert.match(o.metadata.namespace!, /^kube-(system|public)$/);
      else assert.equal(o.metadata.namespace, undefined);
    }
  });

  it('sort every rule list, as RuleOrDie does', () => {
    for (const o of [...bootstrapClusterRoles(), ...bootstrapNamespacedRoles()]) {
      for (const r of o.rules as Record<string, string[]>[]) {
        for (const list of Object.values(r)) assert.deepEqual(list, [...list].sort(compareGoStrings), o.metadata.name);
      }
    }
  });

  it('every binding references an existing role', () => {
    const roles = bootstrapClusterRoles();
    for (const b of bootstrapClusterRoleBindings()) assert.ok(find(roles, (b.roleRef as { name: string }).name), b.metadata.name);
    const nsRoles = bootstrapNamespacedRoles();
    for (const b of bootstrapNamespacedRoleBindings()) assert.ok(find(nsRoles, (b.roleRef as { name: string }).name, b.metadata.namespace), b.metadata.name);
  });

  it('match upstream testdata for the aggregated roles and a few others', () => {
    const roles = bootstrapClusterRoles();
    assert.deepEqual(find(roles, 'view').aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
    assert.deepEqual(find(roles, 'view').metadata.labels, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    assert.deepEqual(find(roles, 'edit').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
    assert.deepEqual(find(roles, 'admin').rules, []);
    assert.deepEqual(find(roles, 'system:discovery').rules, [
      { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
    ]);
    assert.deepEqual((find(roles, 'system:kube-scheduler').rules as unknown[])[2], {
      verbs: ['get', 'update'],
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: ['kube-scheduler'],
    });
    assert.deepEqual((find(roles, 'system:controller:disruption-controller').rules as unknown[])[7], { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] });
    assert.deepEqual(find(bootstrapNamespacedRoles(), 'system:controller:bootstrap-signer', 'kube-public').rules, [
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'] },
      { verbs: ['update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'] },
      { verbs: ['create', 'patch', 'update'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
    ]);
  });

  it('bind the policy roles to the upstream subjects', () => {
    const subjectsOf = (name: string) => (find(bootstrapClusterRoleBindings(), name).subjects as { kind: string; name: string }[] | undefined)?.map((s) => `${s.kind}:${s.name}`);
    assert.deepEqual(subjectsOf('cluster-admin'), ['Group:system:masters']);
    assert.deepEqual(subjectsOf('system:basic-user'), ['Group:system:authenticated']);
    assert.deepEqual(subjectsOf('system:discovery'), ['Group:system:authenticated']);
    assert.deepEqual(subjectsOf('system:public-info-viewer'), ['Group:system:authenticated', 'Group:system:unauthenticated']);
    assert.deepEqual(subjectsOf('system:kube-scheduler'), ['User:system:kube-scheduler']);
    assert.deepEqual(subjectsOf('system:kube-controller-manager'), ['User:system:kube-controller-manager']);
    assert.deepEqual(subjectsOf('system:node-proxier'), ['User:system:kube-proxy']);
    assert.deepEqual(subjectsOf('system:monitoring'), ['Group:system:monitoring']);
    assert.equal(subjectsOf('system:node'), undefined);
  });

  it('bind every controller role to its ServiceAccount in kube-system', () => {
    const required = ['replicaset-controller', 'deployment-controller', 'statefulset-controller', 'daemon-set-controller', 'job-controller',
      'cronjob-controller', 'endpoint-controller', 'endpointslice-controller', 'namespace-controller', 'generic-garbage-collector',
      'node-controller', 'service-account-controller', 'persistent-volume-binder', 'resourcequota-controller', 'replication-controller',
      'ttl-after-finished-controller', 'disruption-controller', 'horizontal-pod-autoscaler', 'root-ca-cert-publisher',
      'clusterrole-aggregation-controller', 'pod-garbage-collector'];
    const roles = bootstrapControllerRoles().map((r) => r.metadata.name);
    for (const n of required) assert.ok(roles.includes(`system:controller:${n}`), n);
    for (const b of bootstrapControllerRoleBindings()) {
      const n = b.metadata.name!.slice('system:controller:'.length);
      assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: n, namespace: 'kube-system' }]);
      assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.metadata.name });
    }
  });
});

describe('what the bootstrap policy allows', () => {
  const reader = loadRbac(new MemoryReader(), [
    ...aggregateAll(bootstrapClusterRoles()),
    ...bootstrapClusterRoleBindings(),
    ...bootstrapNamespacedRoles(),
    ...bootstrapNamespacedRoleBindings(),
  ]);
  const authz = createRbacAuthorizer(reader);
  const authed = (name: string, ...groups: string[]) => user(name, ...groups, 'system:authenticated');
  const anon = user('system:anonymous', 'system:unauthenticated');
  const sa = (n: string) => authed(`system:serviceaccount:kube-system:${n}`, 'system:serviceaccounts', 'system:serviceaccounts:kube-system');
  const table: [string, AuthzAttributes, boolean][] = [
    ['masters do anything', res(authed('admin', 'system:masters'), 'deletecollection', 'nodes'), true],
    ['masters reach any path', nonRes(authed('admin', 'system:masters'), 'post', '/anything'), true],
    ['authenticated users discover APIs', nonRes(authed('u'), 'get', '/apis/apps/v1'), true],
    ['authenticated users review themselves', res(authed('u'), 'create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }), true],
    ['authenticated users cannot list pods', res(authed('u'), 'list', 'pods', { namespace: 'default' }), false],
    ['anonymous reads /version', nonRes(anon, 'get', '/version'), true],
    ['anonymous reads /healthz', nonRes(anon, 'get', '/healthz'), true],
    ['anonymous cannot discover /api', nonRes(anon, 'get', '/api'), false],
    ['anonymous cannot read /metrics', nonRes(anon, 'get', '/metrics'), false],
    ['monitoring reads /metrics', nonRes(authed('prom', 'system:monitoring'), 'get', '/metrics'), true],
    ['scheduler binds pods', res(authed('system:kube-scheduler'), 'create', 'pods', { namespace: 'default', name: 'p', subresource: 'binding' }), true],
    ['scheduler renews its lease', res(authed('system:kube-scheduler'), 'update', 'leases', { namespace: 'kube-system', name: 'kube-scheduler', apiGroup: 'coordination.k8s.io' }), true],
    ['scheduler cannot update another lease', res(authed('system:kube-scheduler'), 'update', 'leases', { namespace: 'kube-system', name: 'x', apiGroup: 'coordination.k8s.io' }), false],
    ['scheduler reads the auth configmap', res(authed('system:kube-scheduler'), 'get', 'configmaps', { namespace: 'kube-system', name: 'extension-apiserver-authentication' }), true],
    ['controller manager lists anything', res(authed('system:kube-controller-manager'), 'list', 'widgets', { apiGroup: 'example.com' }), true],
    ['controller manager leader-locks in kube-system', res(authed('system:kube-controller-manager'), 'watch', 'leases', { namespace: 'kube-system', apiGroup: 'coordination.k8s.io' }), true],
    ['kube-proxy watches endpointslices', res(authed('system:kube-proxy'), 'watch', 'endpointslices', { apiGroup: 'discovery.k8s.io' }), true],
    ['kube-proxy cannot read secrets', res(authed('system:kube-proxy'), 'get', 'secrets', { namespace: 'default', name: 's' }), false],
    ['replicaset controller creates pods', res(sa('replicaset-controller'), 'create', 'pods', { namespace: 'default' }), true],
    ['deployment controller creates replicasets', res(sa('deployment-controller'), 'create', 'replicasets', { namespace: 'a', apiGroup: 'apps' }), true],
    ['namespace controller empties namespaces', res(sa('namespace-controller'), 'deletecollection', 'widgets', { namespace: 'a', apiGroup: 'x.io' }), true],
    ['hpa scales anything', res(sa('horizontal-pod-autoscaler'), 'update', 'deployments', { namespace: 'a', apiGroup: 'apps', subresource: 'scale', name: 'd' }), true],
    ['replicaset controller cannot delete nodes', res(sa('replicaset-controller'), 'delete', 'nodes', { name: 'n' }), false],
    ['SAs read the OIDC discovery document', nonRes(sa('anything'), 'get', '/.well-known/openid-configuration'), true],
    ['nodes get nothing from RBAC (system:node is unbound)', res(authed('system:node:n1', 'system:nodes'), 'get', 'services', { namespace: 'default' }), false],
  ];
  for (const [name, attrs, want] of table) {
    it(name, () => assert.equal(authz.authorize(attrs).decision, want ? 'allow' : 'noOpinion'));
  }
});
