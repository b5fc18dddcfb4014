/**
 * The RBAC authorizer against an in-memory reader: upstream's TestAuthorizer cases (RoleBinding to a ClusterRole is
 * namespace-scoped; users vs groups; non-resource URLs; subresource resolution), the dev-user walk-through, subjects
 * (User, Group, ServiceAccount with and without namespace), upstream's reason strings, resolution errors, rulesFor()
 * (SelfSubjectRulesReview), that changes in the reader are seen on the next call, and the decision time with 200
 * bindings.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRbacAuthorizer } from '../../../../src/apiserver/authz/rbac';
import type { AuthzAttributes } from '../../../../src/apiserver/authz/types';
import { clusterRole, clusterRoleBinding, loadRbac, nonRes, RBAC, res, role, roleBinding, user } from './fixtures';
import { MemoryReader } from './memory-reader';

const VIEW_LIKE = clusterRole('view', [
  { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log', 'services'] },
  { verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments'] },
]);

function setup(...objects: Parameters<typeof loadRbac>[1]) {
  const reader = loadRbac(new MemoryReader(), objects);
  return { reader, authz: createRbacAuthorizer(reader) };
}

function decide(authz: ReturnType<typeof createRbacAuthorizer>, a: AuthzAttributes): boolean {
  const r = authz.authorize(a);
  assert.notEqual(r.decision, 'deny', 'RBAC never denies');
  return r.decision === 'allow';
}

describe('RBAC authorizer', () => {
  it('dev-user in group dev bound to ClusterRole view in one namespace can read but not delete there, nothing elsewhere', () => {
    const { authz } = setup(VIEW_LIKE, roleBinding('team-a', 'dev-view', 'ClusterRole', 'view', 'Group:dev'));
    const dev = user('dev-user', 'dev', 'system:authenticated');
    const table: [AuthzAttributes, boolean][] = [
      [res(dev, 'list', 'pods', { namespace: 'team-a' }), true],
      [res(dev, 'get', 'pods', { namespace: 'team-a', name: 'web' }), true],
      [res(dev, 'get', 'pods', { namespace: 'team-a', name: 'web', subresource: 'log' }), true],
      [res(dev, 'watch', 'deployments', { namespace: 'team-a', apiGroup: 'apps' }), true],
      [res(dev, 'delete', 'pods', { namespace: 'team-a', name: 'web' }), false],
      [res(dev, 'get', 'pods', { namespace: 'team-a', name: 'web', subresource: 'exec' }), false],
      [res(dev, 'list', 'deployments', { namespace: 'team-a', apiGroup: 'extensions' }), false],
      [res(dev, 'list', 'pods', { namespace: 'team-b' }), false],
      [res(dev, 'list', 'pods'), false],
      [res(user('other', 'qa'), 'list', 'pods', { namespace: 'team-a' }), false],
    ];
    for (const [a, want] of table) assert.equal(decide(authz, a), want, `${a.verb} ${a.resource}/${a.subresource} in ${a.namespace}`);
  });

  it('writes upstream reasons for RoleBindings, ClusterRoleBindings and ServiceAccount subjects', () => {
    const { authz } = setup(
      clusterRole('cluster-admin', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }]),
      clusterRoleBinding('cluster-admin', 'cluster-admin', 'Group:system:masters'),
      VIEW_LIKE,
      roleBinding('default', 'dev-view', 'ClusterRole', 'view', 'User:dev-user'),
      role('default', 'cm-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]),
      roleBinding('default', 'sa-cm', 'Role', 'cm-reader', 'ServiceAccount:builder', 'ServiceAccount:other:bot'),
    );
    assert.deepEqual(authz.authorize(res(user('admin', 'system:masters'), 'delete', 'nodes', { name: 'n1' })), {
      decision: 'allow',
      reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
    assert.equal(
      authz.authorize(res(user('dev-user'), 'list', 'pods', { namespace: 'default' })).reason,
      'RBAC: allowed by RoleBinding "dev-view/default" of ClusterRole "view" to User "dev-user"',
    );
    assert.equal(
      authz.authorize(res(user('system:serviceaccount:default:builder', 'system:serviceaccounts'), 'get', 'configmaps', { namespace: 'default', name: 'x' }))
        .reason,
      'RBAC: allowed by RoleBinding "sa-cm/default" of Role "cm-reader" to ServiceAccount "builder/default"',
    );
    assert.equal(
      authz.authorize(res(user('system:serviceaccount:other:bot'), 'get', 'configmaps', { namespace: 'default', name: 'x' })).reason,
      'RBAC: allowed by RoleBinding "sa-cm/default" of Role "cm-reader" to ServiceAccount "bot/other"',
    );
    assert.deepEqual(authz.authorize(res(user('nobody'), 'get', 'pods', { namespace: 'default', name: 'p' })), { decision: 'noOpinion', reason: '' });
  });

  it('ServiceAccount subjects: defaulted namespace in RoleBindings, none in ClusterRoleBindings; SA groups are plain groups', () => {
    const { authz } = setup(
      VIEW_LIKE,
      clusterRoleBinding('sa-no-ns', 'view', 'ServiceAccount:lost'),
      clusterRoleBinding('sa-ns', 'view', 'ServiceAccount:kube-system:reader'),
      clusterRoleBinding('all-sas-in-ci', 'view', 'Group:system:serviceaccounts:ci'),
    );
    const sa = (ns: string, n: string) => user(`system:serviceaccount:${ns}:${n}`, 'system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated');
    assert.equal(decide(authz, res(sa('default', 'lost'), 'list', 'pods')), false);
    assert.equal(decide(authz, res(sa('kube-system', 'reader'), 'list', 'pods')), true);
    assert.equal(decide(authz, res(sa('default', 'reader'), 'list', 'pods')), false);
    assert.equal(decide(authz, res(sa('ci', 'anyone'), 'list', 'services')), true);
    assert.equal(decide(authz, res(user('system:serviceaccount:ci:x'), 'list', 'services')), false, 'the group, not the name, grants');
  });

  it("upstream TestAuthorizer: a RoleBinding to a ClusterRole applies only within the binding's namespace", () => {
    const { authz } = setup(
      clusterRole('admin', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
      roleBinding('ns1', 'admin', 'ClusterRole', 'admin', 'User:admin', 'Group:admins'),
    );
    for (const [u, verb, resource, ns] of [
      [user('admin'), 'get', 'Pods', 'ns1'],
      [user('admin'), 'watch', 'Pods', 'ns1'],
      [user('admin', 'group1'), 'watch', 'Foobar', 'ns1'],
      [user('joe', 'admins'), 'watch', 'Foobar', 'ns1'],
      [user('joe', 'group1', 'admins'), 'watch', 'Foobar', 'ns1'],
    ] as const)
      assert.equal(decide(authz, res(u, verb, resource, { namespace: ns })), true);
    for (const [u, verb, resource, ns] of [
      [user('admin'), 'GET', 'Pods', 'ns2'],
      [user('admin'), 'GET', 'Nodes', ''],
      [user('admin', 'admins'), 'GET', 'Pods', 'ns2'],
    ] as const)
      assert.equal(decide(authz, res(u, verb, resource, { namespace: ns })), false);
  });

  it('upstream TestAuthorizer: non-resource URLs, exact and prefixed', () => {
    const { authz } = setup(
      clusterRole('non-resource-url-getter', [{ verbs: ['get'], nonResourceURLs: ['/apis'] }]),
      clusterRole('non-resource-url', [{ verbs: ['*'], nonResourceURLs: ['/apis'] }]),
      clusterRole('non-resource-url-prefix', [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }]),
      clusterRoleBinding('non-resource-url-getter', 'non-resource-url-getter', 'User:foo', 'Group:bar'),
      clusterRoleBinding('non-resource-url', 'non-resource-url', 'User:admin', 'Group:admin'),
      clusterRoleBinding('non-resource-url-prefix', 'non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
    );
    const pass: [string, string[], string, string][] = [
      ['foo', [], 'get', '/apis'],
      ['', ['bar'], 'get', '/apis'],
      ['admin', [], 'watch', '/apis'],
      ['', ['admin'], 'watch', '/apis'],
      ['prefixed', [], 'get', '/apis/v1'],
      ['', ['prefixed'], 'get', '/apis/v1/foobar'],
    ];
    const fail: [string, string[], string, string][] = [
      ['foo', [], 'watch', '/apis'],
      ['', ['bar'], 'get', '/api/v1'],
      ['admin', [], 'get', '/api/v1'],
      ['prefixed', [], 'get', '/api/v1'],
      ['prefixed', [], 'get', '/apis'],
    ];
    for (const [n, g, v, p] of pass) assert.equal(decide(authz, nonRes(user(n, ...g), v, p)), true, `${n} ${v} ${p}`);
    for (const [n, g, v, p] of fail) assert.equal(decide(authz, nonRes(user(n, ...g), v, p)), false, `${n} ${v} ${p}`);
  });

  it('missing roles: noOpinion with upstream error text; other bindings still apply', () => {
    const { authz } = setup(
      clusterRoleBinding('dangling', 'view2', 'Group:dev'),
      roleBinding('default', 'dangling-role', 'Role', 'gone', 'Group:dev'),
      VIEW_LIKE,
      roleBinding('default', 'ok', 'ClusterRole', 'view', 'Group:dev'),
    );
    const dev = user('dev-user', 'dev');
    assert.deepEqual(authz.authorize(res(dev, 'delete', 'pods', { namespace: 'default', name: 'p' })), {
      decision: 'noOpinion',
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "view2" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
    assert.deepEqual(authz.authorize(res(dev, 'list', 'nodes')), {
      decision: 'noOpinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "view2" not found',
    });
    assert.equal(decide(authz, res(dev, 'get', 'pods', { namespace: 'default', name: 'p' })), true);
  });

  it('rulesFor: cluster-wide plus namespace rules, evaluationError for missing roles', () => {
    const { authz } = setup(
      clusterRole('basic', [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectrulesreviews'] }]),
      clusterRole('disc', [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }]),
      clusterRoleBinding('basic', 'basic', 'Group:system:authenticated'),
      clusterRoleBinding('disc', 'disc', 'Group:system:authenticated'),
      role('default', 'cm', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] }]),
      roleBinding('default', 'cm', 'Role', 'cm', 'User:dev-user'),
      roleBinding('default', 'broken', 'ClusterRole', 'nope', 'User:dev-user'),
    );
    const dev = user('dev-user', 'system:authenticated');
    assert.deepEqual(authz.rulesFor(dev, 'default'), {
      resourceRules: [
        { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectrulesreviews'] },
        { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] },
      ],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }],
      incomplete: false,
      evaluationError: 'clusterrole.rbac.authorization.k8s.io "nope" not found',
    });
    const clusterOnly = authz.rulesFor(dev, '');
    assert.equal(clusterOnly.resourceRules.length, 1);
    assert.equal(clusterOnly.evaluationError, undefined);
  });

  it('sees changes in the reader on the next call (no stale index)', () => {
    const { reader, authz } = setup(VIEW_LIKE);
    const dev = user('dev-user', 'dev');
    const list = res(dev, 'list', 'pods', { namespace: 'default' });
    assert.equal(decide(authz, list), false);
    reader.put(RBAC, 'rolebindings', roleBinding('default', 'b', 'ClusterRole', 'view', 'Group:dev'));
    assert.equal(decide(authz, list), true);
    reader.put(RBAC, 'rolebindings', roleBinding('default', 'b', 'ClusterRole', 'view', 'Group:qa'));
    assert.equal(decide(authz, list), false);
    reader.put(RBAC, 'clusterrolebindings', clusterRoleBinding('c', 'view', 'User:dev-user'));
    assert.equal(decide(authz, list), true);
    reader.put(RBAC, 'clusterroles', clusterRole('view', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
    assert.equal(decide(authz, list), false, 'role rules are read on every call');
    reader.delete(RBAC, 'clusterrolebindings', '', 'c');
    assert.equal(decide(authz, res(dev, 'get', 'pods', { namespace: 'default', name: 'x' })), false);
  });

  it('decides in well under 50 µs with 200 bindings', () => {
    const objects = [VIEW_LIKE];
    for (let i = 0; i < 100; i++) objects.push(clusterRoleBinding(`crb-${i}`, 'view', `User:u${i}`, `Group:g${i}`));
    for (let i = 0; i < 100; i++) objects.push(roleBinding('default', `rb-${i}`, 'ClusterRole', 'view', `User:v${i}`, `ServiceAccount:sa${i}`));
    const { authz } = setup(...objects);
    const hit = res(user('system:serviceaccount:default:sa99', 'system:serviceaccounts'), 'get', 'pods', { namespace: 'default', name: 'p' });
    const miss = res(user('stranger', 'g-none', 'system:authenticated'), 'delete', 'pods', { namespace: 'default', name: 'p' });
    assert.equal(decide(authz, hit), true);
    for (let i = 0; i < 2000; i++) authz.authorize(i % 2 ? hit : miss); // warm up
    const n = 20000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) authz.authorize(i % 2 ? hit : miss);
    const perCallUs = Number(process.hrtime.bigint() - t0) / n / 1000;
    assert.ok(perCallUs < 50, `${perCallUs.toFixed(2)} µs per decision`);
    console.log(`RBAC decision with 200 bindings: ${perCallUs.toFixed(2)} µs`);
  });
});
