/** Rule coverage as upstream's validation.Covers / CompactRules / CompactString decide and word it. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakdownRule, compactRules, compactString, covers } from '../../../../src/apiserver/authz/rbac-covers';

describe('rbac-covers', () => {
  const cases: [string, object[], object[], boolean][] = [
    ['exact', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], true],
    ['star verb', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], [{ apiGroups: [''], resources: ['pods'], verbs: ['delete', 'get'] }], true],
    ['star group and resource', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }], [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] }], true],
    ['missing verb', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }], false],
    ['subresource needs its own grant', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }], false],
    ['*/subresource covers any parent', [{ apiGroups: [''], resources: ['*/scale'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['replicationcontrollers/scale'], verbs: ['get'] }], true],
    ['resourceNames narrow the owner', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], false],
    ['named servant under unnamed owner', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a', 'b'], verbs: ['get'] }], true],
    ['non-resource prefix star', [{ nonResourceURLs: ['/healthz*'], verbs: ['get'] }], [{ nonResourceURLs: ['/healthz/etcd'], verbs: ['get'] }], true],
    ['non-resource exact only', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }], [{ nonResourceURLs: ['/healthz/etcd'], verbs: ['get'] }], false],
    ['empty servant', [], [], true],
  ];
  for (const [name, owner, servant, ok] of cases) it(name, () => assert.equal(covers(owner, servant).ok, ok));

  it('breaks rules down per group, resource, verb and name', () => {
    assert.equal(breakdownRule({ apiGroups: ['', 'apps'], resources: ['a', 'b'], verbs: ['get', 'list'], resourceNames: ['x', 'y'] }).length, 16);
    assert.deepEqual(breakdownRule({ nonResourceURLs: ['/a', '/b'], verbs: ['get'] }), [
      { nonResourceURLs: ['/a'], verbs: ['get'] },
      { nonResourceURLs: ['/b'], verbs: ['get'] },
    ]);
  });

  it('compacts simple rules by target and words them as CompactString', () => {
    const missing = covers([], [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { nonResourceURLs: ['/x'], verbs: ['get'] }]).missing;
    assert.deepEqual(compactRules(missing).map(compactString), ['{NonResourceURLs:["/x"], Verbs:["get"]}', '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}']);
    assert.equal(compactString({ apiGroups: ['a'], resources: ['r'], resourceNames: ['n"q'], verbs: ['get'] }), '{APIGroups:["a"], Resources:["r"], ResourceNames:["n\\"q"], Verbs:["get"]}');
  });
});
