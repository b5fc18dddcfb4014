/**
 * ClusterRole aggregation as the clusterrole-aggregation controller computes it (cases after upstream's
 * clusterroleaggregation_controller_test: no aggregation rule, selector order, name order, de-duplication, self
 * exclusion, matchExpressions), and the bootstrap view/edit/admin roles aggregated from the bootstrap policy.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredObject } from '../../../../src/api/object';
import { aggregateAll, aggregateClusterRole, policyRulesEqual } from '../../../../src/apiserver/authz/aggregation';
import { bootstrapClusterRoles } from '../../../../src/apiserver/authz/bootstrap-policy';
import { createRbacAuthorizer } from '../../../../src/apiserver/authz/rbac';
import { clusterRole, clusterRoleBinding, loadRbac, res, roleBinding, user } from './fixtures';
import { MemoryReader } from './memory-reader';

function aggregated(name: string, selectors: object[], labels?: Record<string, string>): StoredObject {
  return { ...clusterRole(name, [], labels), aggregationRule: { clusterRoleSelectors: selectors } };
}

const r = (verb: string, resource: string) => ({ verbs: [verb], apiGroups: [''], resources: [resource] });

describe('aggregateClusterRole', () => {
  it('returns undefined for a role without aggregationRule', () => {
    assert.equal(aggregateClusterRole(clusterRole('plain', [r('get', 'pods')]), []), undefined);
  });

  it('unions the selected roles: selectors in order, roles by name, each rule once, itself skipped', () => {
    const roles = [
      clusterRole('zeta', [r('get', 'pods'), r('list', 'pods')], { foo: 'bar' }),
      clusterRole('alpha', [r('get', 'pods'), r('watch', 'pods')], { foo: 'bar' }),
      clusterRole('beta', [r('get', 'secrets')], { other: 'x' }),
      clusterRole('unlabelled', [r('delete', 'pods')]),
    ];
    const target = aggregated('target', [{ matchLabels: { other: 'x' } }, { matchLabels: { foo: 'bar' } }], { foo: 'bar' });
    assert.deepEqual(aggregateClusterRole(target, [...roles, target]), [r('get', 'secrets'), r('get', 'pods'), r('watch', 'pods'), r('list', 'pods')]);
  });

  it('matchExpressions, and semantic equality (absent list == empty list)', () => {
    const roles = [
      clusterRole('a', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }], { tier: 'gold' }),
      clusterRole('b', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], { tier: 'silver' }),
      clusterRole('c', [r('list', 'pods')], { tier: 'bronze' }),
    ];
    const target = aggregated('t', [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] }]);
    const rules = aggregateClusterRole(target, roles)!;
    assert.equal(rules.length, 1);
    assert.ok(policyRulesEqual(rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
    assert.deepEqual(aggregateClusterRole(aggregated('none', []), roles), []);
  });

  it('does not mutate its inputs and returns copies', () => {
    const src = Object.freeze(clusterRole('a', [r('get', 'pods')], { x: 'y' }));
    const out = aggregateClusterRole(aggregated('t', [{ matchLabels: { x: 'y' } }]), [src])!;
    out[0].verbs.push('delete');
    assert.deepEqual((src.rules as { verbs: string[] }[])[0].verbs, ['get']);
  });
});

describe('bootstrap view / edit / admin after aggregation', () => {
  const roles = aggregateAll(bootstrapClusterRoles());
  const byName = new Map(roles.map((x) => [x.metadata.name!, x]));

  it('view ⊂ edit ⊂ admin, in upstream order', () => {
    const count = (n: string) => (byName.get(n)!.rules as unknown[]).length;
    assert.equal(count('view'), 10);
    assert.equal(count('edit'), 23);
    assert.equal(count('admin'), 25);
    assert.deepEqual((byName.get('admin')!.rules as unknown[]).slice(0, 23), byName.get('edit')!.rules);
  });

  const reader = loadRbac(new MemoryReader(), [
    ...roles,
    roleBinding('team', 'v', 'ClusterRole', 'view', 'User:viewer'),
    roleBinding('team', 'e', 'ClusterRole', 'edit', 'User:editor'),
    roleBinding('team', 'a', 'ClusterRole', 'admin', 'User:admin'),
    clusterRoleBinding('cluster-viewer', 'view', 'User:global-viewer'),
  ]);
  const authz = createRbacAuthorizer(reader);
  const can = (who: string, verb: string, resource: string, group = '', sub = '') =>
    authz.authorize(res(user(who), verb, resource, { namespace: 'team', apiGroup: group, subresource: sub, name: verb === 'create' ? '' : 'x' })).decision ===
    'allow';

  const table: [string, string, string, string, string, boolean][] = [
    ['viewer', 'get', 'pods', '', '', true],
    ['viewer', 'get', 'pods', '', 'log', true],
    ['viewer', 'list', 'deployments', 'apps', '', true],
    ['viewer', 'get', 'secrets', '', '', false],
    ['viewer', 'create', 'pods', '', '', false],
    ['viewer', 'get', 'pods', '', 'exec', false],
    ['viewer', 'get', 'roles', 'rbac.authorization.k8s.io', '', false],
    ['editor', 'create', 'deployments', 'apps', '', true],
    ['editor', 'update', 'deployments', 'apps', 'scale', true],
    ['editor', 'delete', 'pods', '', '', true],
    ['editor', 'get', 'secrets', '', '', true],
    ['editor', 'create', 'pods', '', 'exec', true],
    ['editor', 'create', 'leases', 'coordination.k8s.io', '', true],
    ['editor', 'create', 'roles', 'rbac.authorization.k8s.io', '', false],
    ['editor', 'update', 'resourcequotas', '', '', false],
    ['editor', 'update', 'pods', '', 'status', false],
    ['admin', 'create', 'rolebindings', 'rbac.authorization.k8s.io', '', true],
    ['admin', 'create', 'localsubjectaccessreviews', 'authorization.k8s.io', '', true],
    ['admin', 'delete', 'jobs', 'batch', '', true],
    ['admin', 'create', 'resourcequotas', '', '', false],
  ];
  for (const [who, verb, resource, group, sub, want] of table) {
    it(`${who} ${want ? 'can' : 'cannot'} ${verb} ${resource}${sub ? '/' + sub : ''}${group ? '.' + group : ''}`, () => {
      assert.equal(can(who, verb, resource, group, sub), want);
    });
  }

  it('a ClusterRoleBinding to view grants it cluster-wide (any namespace, cluster-scoped namespaces list)', () => {
    assert.equal(authz.authorize(res(user('global-viewer'), 'list', 'pods', { namespace: 'other' })).decision, 'allow');
    assert.equal(authz.authorize(res(user('global-viewer'), 'list', 'namespaces')).decision, 'allow');
    assert.equal(authz.authorize(res(user('viewer'), 'list', 'namespaces')).decision, 'noOpinion');
  });
});
