/**
 * The union authorizer (first allow/deny wins, reasons of the abstainers joined by newlines), the privileged-groups
 * authorizer, and the 403 text kube-apiserver writes (responsewriters.Forbidden + apierrors.NewForbidden).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forbiddenError, forbiddenMessage, unionAuthorizer } from '../../../../src/apiserver/authz/union';
import { privilegedGroupsAuthorizer } from '../../../../src/apiserver/authz/privileged-groups';
import type { Authorizer, AuthzResult } from '../../../../src/apiserver/authz/types';
import { nonRes, res, user } from './fixtures';

function fixed(name: string, result: AuthzResult, calls: string[] = []): Authorizer {
  return { name, authorize: () => (calls.push(name), result) };
}

describe('unionAuthorizer', () => {
  const a = res(user('u'), 'get', 'pods', { namespace: 'default', name: 'p' });

  it('returns the first allow or deny and stops there', () => {
    const calls: string[] = [];
    const u = unionAuthorizer([
      fixed('A', { decision: 'noOpinion', reason: 'a says no' }, calls),
      fixed('B', { decision: 'deny', reason: 'b denies' }, calls),
      fixed('C', { decision: 'allow', reason: 'c' }, calls),
    ]);
    assert.deepEqual(u.authorize(a), { decision: 'deny', reason: 'b denies' });
    assert.deepEqual(calls, ['A', 'B']);
    assert.deepEqual(unionAuthorizer([fixed('A', { decision: 'allow', reason: 'ok' })]).authorize(a), { decision: 'allow', reason: 'ok' });
  });

  it('joins the non-empty reasons with newlines when nobody decides', () => {
    const u = unionAuthorizer([
      fixed('Node', { decision: 'noOpinion', reason: "no relationship found between node 'n1' and this object" }),
      fixed('X', { decision: 'noOpinion', reason: '' }),
      fixed('RBAC', { decision: 'noOpinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "view2" not found' }),
    ]);
    assert.deepEqual(u.authorize(a), {
      decision: 'noOpinion',
      reason: 'no relationship found between node \'n1\' and this object\nRBAC: clusterrole.rbac.authorization.k8s.io "view2" not found',
    });
    assert.deepEqual(unionAuthorizer([]).authorize(a), { decision: 'noOpinion', reason: '' });
  });

  it('privileged groups: system:masters is allowed everything, others get no opinion', () => {
    const p = privilegedGroupsAuthorizer();
    assert.deepEqual(p.authorize(nonRes(user('x', 'system:masters'), 'delete', '/anything')), { decision: 'allow', reason: '' });
    assert.deepEqual(p.authorize(a), { decision: 'noOpinion', reason: '' });
  });
});

describe('forbidden message and Status', () => {
  const dev = user('dev-user', 'dev');
  const cases: [string, ReturnType<typeof res>, string, string][] = [
    ['namespaced', res(dev, 'delete', 'pods', { namespace: 'default', name: 'web' }), '',
      'pods "web" is forbidden: User "dev-user" cannot delete resource "pods" in API group "" in the namespace "default"'],
    ['collection', res(dev, 'list', 'deployments', { namespace: 'default', apiGroup: 'apps' }), '',
      'deployments.apps is forbidden: User "dev-user" cannot list resource "deployments" in API group "apps" in the namespace "default"'],
    ['cluster scope', res(dev, 'list', 'nodes'), '', 'nodes is forbidden: User "dev-user" cannot list resource "nodes" in API group "" at the cluster scope'],
    ['subresource', res(dev, 'get', 'pods', { namespace: 'default', name: 'web', subresource: 'log' }), '',
      'pods "web" is forbidden: User "dev-user" cannot get resource "pods/log" in API group "" in the namespace "default"'],
    ['with a reason', res(dev, 'get', 'pods', { namespace: 'default', name: 'web' }), 'RBAC: clusterrole.rbac.authorization.k8s.io "view2" not found',
      'pods "web" is forbidden: User "dev-user" cannot get resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "view2" not found'],
    ['non-resource', nonRes(dev, 'get', '/metrics'), '', 'forbidden: User "dev-user" cannot get path "/metrics"'],
    ['escaped attributes', nonRes(user('a<b>&c'), 'get', '/x'), 'r<>', 'forbidden: User "a&lt;b&gt;&amp;c" cannot get path "/x": r<>'],
  ];
  for (const [name, attrs, reason, message] of cases) {
    it(name, () => {
      const err = forbiddenError(attrs, reason);
      assert.equal(err.code, 403);
      assert.equal(err.reason, 'Forbidden');
      assert.equal(err.status.message, message);
      assert.ok(message.endsWith(forbiddenMessage(attrs, reason)));
    });
  }

  it('details name the resource, not the subresource', () => {
    assert.deepEqual(forbiddenError(res(dev, 'get', 'deployments', { namespace: 'a', apiGroup: 'apps', name: 'd', subresource: 'scale' })).status.details, {
      name: 'd',
      group: 'apps',
      kind: 'deployments',
    });
    assert.deepEqual(forbiddenError(nonRes(dev, 'get', '/x')).status.details, {});
  });
});
