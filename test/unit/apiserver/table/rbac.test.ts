import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headers, meta, resource, table } from './fixtures';

const subjects = [
  { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
  { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
  { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
  { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
  { kind: 'ServiceAccount', name: 'default', namespace: 'default' },
  { kind: 'Robot', name: 'r2d2' },
];

describe('rbac binding tables', () => {
  for (const name of ['rolebindings', 'clusterrolebindings']) {
    it(`${name}: NAME ROLE AGE + USERS GROUPS SERVICEACCOUNTS`, () => {
      const bindings = resource(name);
      const t = table(bindings, [
        { metadata: meta('deployers'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects },
        { metadata: meta('nobody'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' } },
      ]);
      assert.deepEqual(headers(t), ['NAME', 'ROLE', 'AGE', '+USERS', '+GROUPS', '+SERVICEACCOUNTS']);
      const what = name === 'rolebindings' ? 'roleBinding' : 'clusterRoleBinding';
      assert.deepEqual(t.columnDefinitions.slice(3).map((c) => c.description), [`Users in the ${what}`, `Groups in the ${what}`, `ServiceAccounts in the ${what}`]);
      assert.deepEqual(t.rows.map((r) => r.cells), [
        ['deployers', 'ClusterRole/edit', '5m', 'alice, bob', 'system:authenticated', 'ci/builder, default/default'],
        ['nobody', 'Role/reader', '5m', '', '', ''],
      ]);
    });
  }
  for (const name of ['roles', 'clusterroles']) {
    it(`${name} have no printer upstream: NAME CREATED AT`, () => {
      const t = table(resource(name), [{ metadata: meta('admin', { creationTimestamp: '2024-05-01T10:00:00Z' }), rules: [] }]);
      assert.deepEqual(headers(t), ['NAME', 'CREATED AT']);
      assert.equal(t.columnDefinitions[1]!.type, 'date');
      assert.deepEqual(t.rows[0]!.cells, ['admin', '2024-05-01T10:00:00Z']);
    });
  }
});
