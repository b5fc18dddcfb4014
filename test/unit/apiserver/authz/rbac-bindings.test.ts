/**
 * The subject index: same answers as upstream's linear appliesTo() scan (checked against a direct model on random
 * bindings), first applicable subject per binding, list order, and reuse of an index while the reader returns the
 * same objects (rebuilt only when an object changes).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StoredObject } from '../../../../src/api/object';
import { BindingIndex, BindingIndexCache, type SubjectLike } from '../../../../src/apiserver/authz/rbac-bindings';
import type { UserInfo } from '../../../../src/apiserver/request';
import { clusterRoleBinding, roleBinding, user } from './fixtures';

/** upstream appliesToUser, literally. */
function appliesToUser(u: UserInfo, s: SubjectLike, namespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return u.name === s.name;
    case 'Group':
      return u.groups.includes(s.name ?? '');
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      return !!ns && u.name === `system:serviceaccount:${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function model(bindings: StoredObject[], u: UserInfo, namespace: string): [number, number][] {
  const out: [number, number][] = [];
  bindings.forEach((b, pos) => {
    const i = ((b.subjects as SubjectLike[]) ?? []).findIndex((s) => appliesToUser(u, s, namespace));
    if (i >= 0) out.push([pos, i]);
  });
  return out;
}

describe('BindingIndex', () => {
  it('property: matches the upstream scan (binding order, first applicable subject)', () => {
    const names = ['a', 'b', 'system:serviceaccount:ns1:a', 'system:serviceaccount:ns2:b'];
    const subject = fc.oneof(
      fc.constantFrom('User:a', 'User:b', 'User:system:serviceaccount:ns1:a', 'Group:g1', 'Group:g2', 'Group:system:serviceaccounts'),
      fc.constantFrom('ServiceAccount:a', 'ServiceAccount:ns1:a', 'ServiceAccount:ns2:b', 'ServiceAccount:b', 'Other:a'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(subject, { maxLength: 4 }), { maxLength: 8 }),
        fc.constantFrom('', 'ns1', 'ns2'),
        fc.constantFrom(...names),
        fc.subarray(['g1', 'g2', 'system:serviceaccounts', 'g1']),
        (subjectLists, ns, name, groups) => {
          const bindings = subjectLists.map((subs, i) =>
            ns ? roleBinding(ns, `b${i}`, 'ClusterRole', 'r', ...subs) : clusterRoleBinding(`b${i}`, 'r', ...subs),
          );
          const u = user(name, ...groups);
          const got = new BindingIndex(bindings, ns).applicable(u).map((c) => [c.pos, c.subjectIndex]);
          assert.deepEqual(got, model(bindings, u, ns));
        },
      ),
    );
  });

  it('reuses an index while the objects are the same; rebuilds when one changes', () => {
    const cache = new BindingIndexCache();
    const a = Object.freeze({ ...clusterRoleBinding('a', 'r', 'User:x'), metadata: { name: 'a', resourceVersion: '1' } });
    const b = Object.freeze({ ...clusterRoleBinding('b', 'r', 'User:y'), metadata: { name: 'b', resourceVersion: '2' } });
    const first = cache.forCluster([a, b]);
    assert.equal(cache.forCluster([a, b]), first, 'same objects in a new array');
    assert.equal(cache.forCluster([{ ...a }, { ...b }]), first, 'copies with the same resourceVersions');
    const b2 = { ...b, metadata: { name: 'b', resourceVersion: '3' }, subjects: [{ kind: 'User', name: 'z' }] };
    const rebuilt = cache.forCluster([a, b2]);
    assert.notEqual(rebuilt, first);
    assert.equal(rebuilt.applicable(user('z')).length, 1);
    assert.equal(cache.forNamespace('ns', []).applicable(user('x')).length, 0);
  });
});
