/**
 * Rule matching, table-driven from upstream's TestRuleMatches (plugin/pkg/auth/authorizer/rbac/rbac_test.go) plus
 * the cases the evaluation helpers define: `*\/subresource`, `pods/*` (literal), resourceNames with and without a
 * request name, and prefix nonResourceURLs. A property: a rule with `*` for verbs, groups and resources allows every
 * resource request, and `nonResourceURLs: ['*']` every non-resource request.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ruleAllows, type PolicyRuleLike } from '../../../../src/apiserver/authz/rbac-rules';
import { nonRes, res, user } from './fixtures';

const u = user('u');

interface Req {
  verb: string;
  group?: string;
  resource?: string;
  sub?: string;
  name?: string;
  url?: string;
}

function attrs(r: Req) {
  return r.url !== undefined ? nonRes(u, r.verb, r.url) : res(u, r.verb, r.resource!, { apiGroup: r.group, subresource: r.sub, name: r.name });
}

const cases: { name: string; rule: PolicyRuleLike; expect: [Req, boolean][] }[] = [
  {
    name: 'star verb, exact match other',
    rule: { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
    expect: [
      [{ verb: 'verb1', group: 'group1', resource: 'resource1' }, true],
      [{ verb: 'verb1', group: 'group2', resource: 'resource1' }, false],
      [{ verb: 'verb1', group: 'group1', resource: 'resource2' }, false],
      [{ verb: 'verb2', group: 'group1', resource: 'resource1' }, true],
      [{ verb: 'verb2', group: 'group2', resource: 'resource2' }, false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] },
    expect: [
      [{ verb: 'verb1', group: 'group1', resource: 'resource1' }, true],
      [{ verb: 'verb1', group: 'group2', resource: 'resource1' }, true],
      [{ verb: 'verb1', group: 'group1', resource: 'resource2' }, false],
      [{ verb: 'verb2', group: 'group1', resource: 'resource1' }, false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] },
    expect: [
      [{ verb: 'verb1', group: 'group1', resource: 'resource1' }, true],
      [{ verb: 'verb1', group: 'group1', resource: 'resource2' }, true],
      [{ verb: 'verb1', group: 'group1', resource: 'resource2', sub: 'status' }, true],
      [{ verb: 'verb1', group: 'group2', resource: 'resource1' }, false],
      [{ verb: 'verb2', group: 'group1', resource: 'resource1' }, false],
    ],
  },
  {
    name: 'tuple expansion',
    rule: { verbs: ['verb1', 'verb2'], apiGroups: ['group1', 'group2'], resources: ['resource1', 'resource2'] },
    expect: [
      [{ verb: 'verb1', group: 'group1', resource: 'resource1' }, true],
      [{ verb: 'verb2', group: 'group2', resource: 'resource2' }, true],
      [{ verb: 'verb2', group: 'group1', resource: 'resource2' }, true],
      [{ verb: 'verb3', group: 'group1', resource: 'resource1' }, false],
    ],
  },
  {
    name: 'subresource expansion',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
    expect: [
      [{ verb: 'verb1', group: 'group1', resource: 'resource1', sub: 'subresource1' }, true],
      [{ verb: 'verb1', group: 'group2', resource: 'resource1', sub: 'subresource2' }, false],
      [{ verb: 'verb1', group: 'group1', resource: 'resource2', sub: 'subresource1' }, false],
      [{ verb: 'verb1', group: 'group1', resource: 'resource1' }, false],
    ],
  },
  {
    name: 'a plain resource does not cover its subresources (and vice versa)',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    expect: [
      [{ verb: 'get', resource: 'pods' }, true],
      [{ verb: 'get', resource: 'pods', sub: 'log' }, false],
      [{ verb: 'get', resource: 'pods', sub: 'status' }, false],
    ],
  },
  {
    name: 'pods/log',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
    expect: [
      [{ verb: 'get', resource: 'pods', sub: 'log', name: 'p' }, true],
      [{ verb: 'get', resource: 'pods', name: 'p' }, false],
      [{ verb: 'get', resource: 'pods', sub: 'exec', name: 'p' }, false],
    ],
  },
  {
    name: '*/scale matches the scale subresource of any resource',
    rule: { verbs: ['get', 'update'], apiGroups: ['*'], resources: ['*/scale'] },
    expect: [
      [{ verb: 'update', group: 'apps', resource: 'deployments', sub: 'scale', name: 'd' }, true],
      [{ verb: 'get', group: '', resource: 'replicationcontrollers', sub: 'scale' }, true],
      [{ verb: 'get', group: 'apps', resource: 'deployments' }, false],
      [{ verb: 'get', group: 'apps', resource: 'deployments', sub: 'status' }, false],
      [{ verb: 'get', group: 'apps', resource: 'deployments', sub: 'xscale' }, false],
    ],
  },
  {
    name: 'pods/* is literal: only the subresource named "*"',
    rule: { verbs: ['*'], apiGroups: [''], resources: ['pods/*'] },
    expect: [
      [{ verb: 'get', resource: 'pods', sub: 'log' }, false],
      [{ verb: 'get', resource: 'pods' }, false],
      [{ verb: 'get', resource: 'pods', sub: '*' }, true],
    ],
  },
  {
    name: 'resourceNames restrict to named requests',
    rule: { verbs: ['get', 'update', 'list', 'create', 'delete', 'deletecollection', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cm1', 'cm2'] },
    expect: [
      [{ verb: 'get', resource: 'configmaps', name: 'cm1' }, true],
      [{ verb: 'update', resource: 'configmaps', name: 'cm2' }, true],
      [{ verb: 'get', resource: 'configmaps', name: 'cm3' }, false],
      [{ verb: 'list', resource: 'configmaps' }, false],
      [{ verb: 'watch', resource: 'configmaps' }, false],
      [{ verb: 'create', resource: 'configmaps' }, false],
      [{ verb: 'deletecollection', resource: 'configmaps' }, false],
      [{ verb: 'list', resource: 'configmaps', name: 'cm1' }, true],
    ],
  },
  {
    name: 'empty resourceNames match every name',
    rule: { verbs: ['delete'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
    expect: [
      [{ verb: 'delete', resource: 'pods', name: 'anything' }, true],
      [{ verb: 'delete', resource: 'pods' }, true],
    ],
  },
  {
    name: 'a rule with no apiGroups matches no resource request',
    rule: { verbs: ['*'], resources: ['*'] },
    expect: [[{ verb: 'get', resource: 'pods' }, false]],
  },
  {
    name: 'star nonresource, exact match other',
    rule: { verbs: ['verb1'], nonResourceURLs: ['*'] },
    expect: [
      [{ verb: 'verb1', url: '/foo' }, true],
      [{ verb: 'verb1', url: '/foo/bar/one' }, true],
      [{ verb: 'verb2', url: '/foo' }, false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
    expect: [
      [{ verb: 'verb1', url: '/foo' }, false],
      [{ verb: 'verb1', url: '/foo/bar' }, true],
      [{ verb: 'verb1', url: '/foo/baz/one' }, true],
      [{ verb: 'verb1', url: '/notfoo' }, false],
      [{ verb: 'verb1', url: '/notfoo/bar' }, false],
    ],
  },
  {
    name: 'trailing stars are all trimmed; a bare prefix star matches longer names',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz**', '/ver*'] },
    expect: [
      [{ verb: 'get', url: '/healthz' }, true],
      [{ verb: 'get', url: '/healthz/etcd' }, true],
      [{ verb: 'get', url: '/version' }, true],
      [{ verb: 'get', url: '/ve' }, false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: { verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] },
    expect: [
      [{ verb: 'verb1', url: '/foo' }, true],
      [{ verb: 'verb1', url: '/foo/bar' }, false],
      [{ verb: 'verb2', url: '/foo/bar/one' }, true],
      [{ verb: 'verb2', url: '/foo/baz/one' }, false],
    ],
  },
  {
    name: 'resource rules never match non-resource requests and vice versa',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    expect: [[{ verb: 'get', url: '/api' }, false]],
  },
];

describe('ruleAllows (upstream RuleAllows)', () => {
  for (const c of cases) {
    it(c.name, () => {
      for (const [req, want] of c.expect) assert.equal(ruleAllows(attrs(req), c.rule), want, JSON.stringify(req));
    });
  }

  it('property: verbs/apiGroups/resources "*" allow every resource request', () => {
    const word = fc.stringMatching(/^[a-z0-9.*-]{0,12}$/);
    fc.assert(
      fc.property(word, word, fc.stringMatching(/^[a-z0-9.-]{1,12}$/), word, word, word, (verb, group, resource, sub, name, ns) => {
        const a = res(u, verb, resource, { apiGroup: group, subresource: sub, name, namespace: ns });
        assert.equal(ruleAllows(a, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), true);
      }),
    );
  });

  it('property: nonResourceURLs "*" allow every non-resource request; a prefix rule exactly its prefix', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^\/[a-z/]{0,10}$/), fc.stringMatching(/^\/[a-z/]{0,10}$/), (verb, prefix, path) => {
        assert.equal(ruleAllows(nonRes(u, verb, path), { verbs: ['*'], nonResourceURLs: ['*'] }), true);
        assert.equal(ruleAllows(nonRes(u, 'get', path), { verbs: ['get'], nonResourceURLs: [`${prefix}*`] }), path.startsWith(prefix));
      }),
    );
  });
});
