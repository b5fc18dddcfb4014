/**
 * FieldSet algebra with structured-merge-diff's semantics (fieldpath/set_test.go): parents are not implied by
 * children, difference is per member (`parent − child = parent`), recursive difference drops whole subtrees, empty
 * nodes never survive; iteration order and path spelling as in conflict messages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FieldSet, fieldPE, indexPE, keyPE, pathString, setToFieldsV1, valuePE, type Path } from '../../../../src/api/apply';

const P = (...parts: (string | number | Record<string, unknown> | { v: unknown })[]): Path =>
  parts.map((p) =>
    typeof p === 'string'
      ? fieldPE(p)
      : typeof p === 'number'
        ? indexPE(p)
        : 'v' in p && Object.keys(p).length === 1
          ? valuePE((p as { v: unknown }).v)
          : keyPE(Object.entries(p).map(([name, value]) => ({ name, value }))),
  );
const S = (...paths: Path[]) => FieldSet.of(...paths);
const json = (s: FieldSet) => JSON.stringify(setToFieldsV1(s));

describe('FieldSet', () => {
  const cases: { name: string; op: (a: FieldSet, b: FieldSet) => FieldSet; a: FieldSet; b: FieldSet; want: FieldSet }[] = [
    { name: 'union merges members and children', op: (a, b) => a.union(b), a: S(P('a'), P('b', 'c')), b: S(P('b', 'd'), P('e')), want: S(P('a'), P('b', 'c'), P('b', 'd'), P('e')) },
    { name: 'intersection keeps common leaves only', op: (a, b) => a.intersection(b), a: S(P('a'), P('b', 'c'), P('b', 'd')), b: S(P('b', 'd'), P('a', 'x')), want: S(P('b', 'd')) },
    { name: 'parent − child = parent', op: (a, b) => a.difference(b), a: S(P('a')), b: S(P('a', 'b')), want: S(P('a')) },
    { name: 'child − parent = child', op: (a, b) => a.difference(b), a: S(P('a', 'b')), b: S(P('a')), want: S(P('a', 'b')) },
    { name: 'difference prunes emptied nodes', op: (a, b) => a.difference(b), a: S(P('a', 'b'), P('c')), b: S(P('a', 'b')), want: S(P('c')) },
    { name: 'recursive difference removes the subtree', op: (a, b) => a.recursiveDifference(b), a: S(P('a', 'b', 'c'), P('a', 'd'), P('e')), b: S(P('a', 'b')), want: S(P('a', 'd'), P('e')) },
    { name: 'recursive difference of a member drops its children', op: (a, b) => a.recursiveDifference(b), a: S(P('status', 'replicas'), P('spec')), b: S(P('status')), want: S(P('spec')) },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(json(c.op(c.a, c.b)), json(c.want)));
  }

  it('has() needs the exact member; the empty path is never a member', () => {
    const s = S(P('spec', 'replicas'), P('spec', 'template', 'spec', 'containers', { name: 'nginx' }));
    assert.ok(s.has(P('spec', 'replicas')));
    assert.ok(!s.has(P('spec')));
    assert.ok(s.has(P('spec', 'template', 'spec', 'containers', { name: 'nginx' })));
    s.insert([]);
    assert.ok(!s.has([]));
  });

  it('iterates members before children, in path-element order', () => {
    const s = S(P('spec', 'template', 'x'), P('spec', 'replicas'), P('metadata', 'labels', 'app'), P('spec', { v: 'a' }), P('spec', 0));
    assert.deepEqual(
      s.paths().map(pathString),
      ['.metadata.labels.app', '.spec.replicas', '.spec[="a"]', '.spec[0]', '.spec.template.x'],
    );
  });

  it('spells paths like upstream conflict messages', () => {
    assert.equal(pathString(P('spec', 'template', 'spec', 'containers', { name: 'nginx' }, 'image')), '.spec.template.spec.containers[name="nginx"].image');
    assert.equal(pathString(P('ports', { protocol: 'TCP', containerPort: 80 })), '.ports[containerPort=80,protocol="TCP"]');
    assert.equal(pathString(P('finalizers', { v: 'x"y' })), '.finalizers[="x\\"y"]');
    assert.equal(pathString(P('args', 2)), '.args[2]');
  });

  const pathArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }).map((xs) => xs.map(fieldPE));
  const setArb = fc.array(pathArb, { maxLength: 12 }).map((ps) => FieldSet.of(...ps));

  it('union/difference/intersection laws hold for leaves (property)', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        for (const p of a.paths()) assert.ok(a.union(b).has(p));
        for (const p of a.difference(b).paths()) assert.ok(a.has(p) && !b.has(p));
        for (const p of a.intersection(b).paths()) assert.ok(a.has(p) && b.has(p));
        assert.ok(a.union(b).equals(b.union(a)));
        assert.ok(a.difference(a).isEmpty());
      }),
    );
  });
});
