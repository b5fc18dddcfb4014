import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { StatusError } from '../../../../src/api/status';
import { impersonate } from '../../../../src/apiserver/authn/impersonation';
import type { AuthzAttributes, AuthzResult } from '../../../../src/apiserver/authz/types';

const admin = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const dev = { name: 'x', groups: ['system:authenticated'] };
const allowAll = (): AuthzResult => ({ decision: 'allow', reason: '' });
const asked = (into: AuthzAttributes[]) => (a: AuthzAttributes): AuthzResult => {
  into.push(a);
  return { decision: 'allow', reason: '' };
};

test('no Impersonate-* header → undefined, nobody asked', () => {
  const seen: AuthzAttributes[] = [];
  assert.equal(impersonate({ authorization: 'Bearer x', 'impersonate-user': '' }, admin, asked(seen)), undefined);
  assert.deepEqual(seen, []);
});

type Case = [name: string, headers: Record<string, string>, user: unknown, checks: [resource: string, group: string, version: string, ns: string, name: string, sub: string][], remove: string[]];
const cases: Case[] = [
  ['user', { 'impersonate-user': 'dev-user' }, { name: 'dev-user', groups: ['system:authenticated'] }, [['users', '', '', '', 'dev-user', '']], ['impersonate-user']],
  [
    'user with repeated groups (comma-joined)',
    { 'impersonate-user': 'jane', 'impersonate-group': 'devs, ops' },
    { name: 'jane', groups: ['devs', 'ops', 'system:authenticated'] },
    [['users', '', '', '', 'jane', ''], ['groups', '', '', '', 'devs', ''], ['groups', '', '', '', 'ops', '']],
    ['impersonate-user', 'impersonate-group'],
  ],
  [
    'group system:unauthenticated keeps system:authenticated out',
    { 'impersonate-user': 'jane', 'impersonate-group': 'system:unauthenticated' },
    { name: 'jane', groups: ['system:unauthenticated'] },
    [['users', '', '', '', 'jane', ''], ['groups', '', '', '', 'system:unauthenticated', '']],
    ['impersonate-user', 'impersonate-group'],
  ],
  [
    'uid and extras (key unescaped, lower-cased)',
    { 'impersonate-user': 'jane', 'impersonate-uid': '1234', 'impersonate-extra-scopes': 'view, edit', 'impersonate-extra-example.com%2fteam': 'a' },
    { name: 'jane', uid: '1234', groups: ['system:authenticated'], extra: { 'example.com/team': ['a'], scopes: ['view', 'edit'] } },
    [
      ['users', '', '', '', 'jane', ''],
      ['userextras', 'authentication.k8s.io', 'v1', '', 'a', 'example.com/team'],
      ['userextras', 'authentication.k8s.io', 'v1', '', 'view', 'scopes'],
      ['userextras', 'authentication.k8s.io', 'v1', '', 'edit', 'scopes'],
      ['uids', 'authentication.k8s.io', 'v1', '', '1234', ''],
    ],
    ['impersonate-user', 'impersonate-uid', 'impersonate-extra-example.com%2fteam', 'impersonate-extra-scopes'],
  ],
  [
    'service account gets its groups',
    { 'impersonate-user': 'system:serviceaccount:ci:builder' },
    { name: 'system:serviceaccount:ci:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] },
    [['serviceaccounts', '', '', 'ci', 'builder', '']],
    ['impersonate-user'],
  ],
  [
    'service account with explicit groups gets only those',
    { 'impersonate-user': 'system:serviceaccount:ci:builder', 'impersonate-group': 'g' },
    { name: 'system:serviceaccount:ci:builder', groups: ['g', 'system:authenticated'] },
    [['serviceaccounts', '', '', 'ci', 'builder', ''], ['groups', '', '', '', 'g', '']],
    ['impersonate-user', 'impersonate-group'],
  ],
  [
    'malformed SA name is a plain user',
    { 'impersonate-user': 'system:serviceaccount:Bad_NS:x' },
    { name: 'system:serviceaccount:Bad_NS:x', groups: ['system:authenticated'] },
    [['users', '', '', '', 'system:serviceaccount:Bad_NS:x', '']],
    ['impersonate-user'],
  ],
  [
    'anonymous gets system:unauthenticated, not system:authenticated',
    { 'impersonate-user': 'system:anonymous' },
    { name: 'system:anonymous', groups: ['system:unauthenticated'] },
    [['users', '', '', '', 'system:anonymous', '']],
    ['impersonate-user'],
  ],
];

for (const [name, headers, user, checks, remove] of cases) {
  test(`impersonate: ${name}`, () => {
    const seen: AuthzAttributes[] = [];
    const r = impersonate(headers, admin, asked(seen));
    assert.deepEqual(r, { user, removeHeaders: remove });
    assert.deepEqual(
      seen.map((a) => [a.resource, a.apiGroup, a.apiVersion, a.namespace, a.name, a.subresource]),
      checks,
    );
    for (const a of seen) {
      assert.equal(a.verb, 'impersonate');
      assert.equal(a.isResourceRequest, true);
      assert.equal(a.user, admin);
    }
  });
}

function statusOf(fn: () => unknown): { code: number; message: string; reason: string; details?: unknown } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    return { code: e.code, message: e.status.message!, reason: e.reason, details: e.status.details };
  }
  assert.fail('did not throw');
}

const badRequests: [headers: Record<string, string>, message: string][] = [
  [{ 'impersonate-group': 'system:masters' }, 'requested [{Group  system:masters    }] without impersonating a user'],
  [{ 'impersonate-group': 'a, b' }, 'requested [{Group  a    } {Group  b    }] without impersonating a user'],
  [{ 'impersonate-uid': 'u1' }, 'requested [{UID  u1  authentication.k8s.io/v1  }] without impersonating a user'],
  [{ 'impersonate-extra-scopes': 'view' }, 'requested [{UserExtra  view  authentication.k8s.io/v1  scopes}] without impersonating a user'],
];
for (const [headers, message] of badRequests) {
  test(`impersonate: 400 ${message}`, () => {
    const s = statusOf(() => impersonate(headers, admin, allowAll));
    assert.equal(s.code, 400);
    assert.equal(s.reason, 'BadRequest');
    assert.equal(s.message, message);
  });
}

const denied: [headers: Record<string, string>, allowed: string[], message: string, details: unknown][] = [
  [{ 'impersonate-user': 'dev-user' }, [], 'users "dev-user" is forbidden: User "x" cannot impersonate resource "users" in API group "" at the cluster scope', { name: 'dev-user', kind: 'users' }],
  [{ 'impersonate-user': 'jane', 'impersonate-group': 'system:masters' }, ['users'], 'groups "system:masters" is forbidden: User "x" cannot impersonate resource "groups" in API group "" at the cluster scope', { name: 'system:masters', kind: 'groups' }],
  [{ 'impersonate-user': 'system:serviceaccount:kube-system:admin' }, [], 'serviceaccounts "admin" is forbidden: User "x" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"', { name: 'admin', kind: 'serviceaccounts' }],
  [
    { 'impersonate-user': 'jane', 'impersonate-extra-scopes': 'edit' },
    ['users'],
    'userextras.authentication.k8s.io "edit" is forbidden: User "x" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    { name: 'edit', group: 'authentication.k8s.io', kind: 'userextras' },
  ],
  [{ 'impersonate-user': 'jane', 'impersonate-uid': '42' }, ['users'], 'uids.authentication.k8s.io "42" is forbidden: User "x" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope', { name: '42', group: 'authentication.k8s.io', kind: 'uids' }],
];
for (const [headers, allowed, message, details] of denied) {
  test(`impersonate: 403 ${message.split(':')[0]}`, () => {
    const s = statusOf(() => impersonate(headers, dev, (a) => ({ decision: allowed.includes(a.resource) ? 'allow' : 'noOpinion', reason: '' })));
    assert.equal(s.code, 403);
    assert.equal(s.reason, 'Forbidden');
    assert.equal(s.message, message);
    assert.deepEqual(s.details, details);
  });
}

test('impersonate: a deny reason is appended as upstream does', () => {
  const s = statusOf(() => impersonate({ 'impersonate-user': 'dev-user' }, dev, () => ({ decision: 'deny', reason: 'denied by policy' })));
  assert.equal(s.message, 'users "dev-user" is forbidden: User "x" cannot impersonate resource "users" in API group "" at the cluster scope: denied by policy');
});
