/**
 * The GC graph helpers, as upstream graph_builder.go defines them: partitionDependents (namespace and coordinate
 * mismatches), getAlternateOwnerIdentity (the first identity sorting after the absent one, else the first),
 * referencesDiffs, objectReference.String(), and the absent-owner LRU.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  AbsentOwnerCache,
  alternateOwnerIdentity,
  GraphNode,
  partitionDependents,
  referenceLessThan,
  referencesDiffs,
  refString,
  type ObjectRef,
  type OwnerRef,
} from '../../../../src/controllers/garbagecollector/graph';

const ref = (name: string, uid: string, namespace = 'ns', kind = 'ConfigMap', apiVersion = 'v1'): ObjectRef => ({ apiVersion, kind, name, uid, namespace });
const owner = (r: ObjectRef, extra: Partial<OwnerRef> = {}): OwnerRef => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid, ...extra });

function dep(name: string, namespace: string, owners: OwnerRef[]): GraphNode {
  const n = new GraphNode(ref(name, `uid-${name}`, namespace), true);
  n.owners = owners;
  return n;
}

describe('GC graph helpers', () => {
  it('refString is upstream objectReference.String()', () => {
    assert.equal(refString(ref('a', 'u1')), '[v1/ConfigMap, namespace: ns, name: a, uid: u1]');
    assert.equal(refString(ref('n', 'u2', '', 'Namespace')), '[v1/Namespace, namespace: , name: n, uid: u2]');
  });

  it('partitionDependents: namespace mismatch, coordinate mismatch, both', () => {
    const o = ref('o', 'u-o');
    const ok = dep('ok', 'ns', [owner(o)]);
    const otherNs = dep('other-ns', 'elsewhere', [owner(o)]);
    const wrongKind = dep('wrong-kind', 'ns', [owner(o, { kind: 'Secret' })]);
    const both = dep('both', 'ns', [owner(o), owner(o, { name: 'renamed' })]);
    const unrelated = dep('unrelated', 'ns', [owner(ref('x', 'u-x'))]);
    const { matching, nonmatching } = partitionDependents([ok, otherNs, wrongKind, both, unrelated], o);
    assert.deepEqual(matching.map((n) => n.identity.name), ['ok', 'both']);
    assert.deepEqual(nonmatching.map((n) => n.identity.name), ['other-ns', 'wrong-kind', 'both']);
  });

  it('partitionDependents: a cluster-scoped owner matches dependents in any namespace', () => {
    const o = ref('cr', 'u-cr', '', 'ClusterRole', 'rbac.authorization.k8s.io/v1');
    const { matching, nonmatching } = partitionDependents([dep('a', 'ns1', [owner(o)]), dep('b', 'ns2', [owner(o)])], o);
    assert.equal(matching.length, 2);
    assert.equal(nonmatching.length, 0);
  });

  it('alternateOwnerIdentity: the first identity after the absent one, else the first, never the absent one', () => {
    const absent = ref('o', 'u', 'ns', 'Deployment', 'apps/v1');
    const deps = [
      dep('d1', 'ns', [owner(absent)]),
      dep('d2', 'ns', [owner(absent, { kind: 'ConfigMap', apiVersion: 'v1' })]),
      dep('d3', 'ns', [owner(absent, { kind: 'Secret', apiVersion: 'v1' })]),
    ];
    assert.deepEqual(alternateOwnerIdentity(deps, absent), { ...absent, kind: 'Secret', apiVersion: 'v1' });
    const absent2 = { ...absent, kind: 'Secret', apiVersion: 'v1' };
    // Nothing sorts after Secret except…: Deployment < Secret, ConfigMap < Secret → the first one seen.
    assert.deepEqual(alternateOwnerIdentity(deps, absent2), absent);
    assert.equal(alternateOwnerIdentity([deps[0]], absent), undefined);
  });

  it('alternateOwnerIdentity: a verified cluster-scoped identity clears the namespace of same-kind alternates', () => {
    const absent = ref('o', 'u', '', 'ClusterRole', 'rbac.authorization.k8s.io/v1');
    const deps = [dep('d1', 'ns1', [owner(absent, { name: 'other' })])];
    assert.deepEqual(alternateOwnerIdentity(deps, absent), { ...absent, name: 'other', namespace: '' });
  });

  it('referencesDiffs: added, removed, changed by uid', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: '1' };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: '2' };
    const c = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: '3' };
    const d = referencesDiffs([a, { ...b, blockOwnerDeletion: true }], [{ ...b, blockOwnerDeletion: false }, c]);
    assert.deepEqual(d.added, [c]);
    assert.deepEqual(d.removed, [a]);
    assert.deepEqual(d.changed, [{ old: { ...b, blockOwnerDeletion: true }, next: { ...b, blockOwnerDeletion: false } }]);
  });

  it('referenceLessThan is a strict total order (property)', () => {
    const arb = fc.record({ apiVersion: fc.constantFrom('v1', 'apps/v1'), kind: fc.constantFrom('A', 'B'), name: fc.constantFrom('x', 'y'), uid: fc.constantFrom('1', '2'), namespace: fc.constantFrom('', 'n') });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        assert.equal(referenceLessThan(a, b) || referenceLessThan(b, a), !same);
        assert.ok(!(referenceLessThan(a, b) && referenceLessThan(b, a)));
      }),
    );
  });

  it('AbsentOwnerCache keeps the most recently used entries', () => {
    const c = new AbsentOwnerCache(2);
    c.add(ref('a', '1'));
    c.add(ref('b', '2'));
    assert.ok(c.has(ref('a', '1')));
    c.add(ref('c', '3'));
    assert.ok(c.has(ref('a', '1')));
    assert.ok(!c.has(ref('b', '2')), 'least recently used entry evicted');
    assert.ok(c.has(ref('c', '3')));
    assert.ok(!c.has(ref('a', '1', 'other-ns')), 'the namespace is part of the key');
  });
});
