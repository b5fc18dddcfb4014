/**
 * Scenarios adapted from structured-merge-diff's merge tests (multiple_appliers_test.go, nested_test.go,
 * set_test.go, typed/merge_test.go): sequences of applies and updates by several managers on a Widget, then the
 * resulting object and each manager's fields.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../../../src/api/status';
import { widgetSchema } from './fixtures';
import { Harness } from './harness';

type Op = ['apply' | 'update' | 'force', string, Record<string, unknown>];

function run(ops: Op[]): Harness {
  const h = new Harness(widgetSchema);
  for (const [kind, manager, content] of ops) {
    if (kind === 'update') h.update(manager, content);
    else h.apply(manager, content, kind === 'force');
  }
  return h;
}

const K = (name: string) => `k:{"name":"${name}"}`;
const item = (name: string, extra: Record<string, unknown> = {}) => ({ [K(name)]: { '.': {}, 'f:name': {}, ...extra } });

describe('multiple appliers on a list-map', () => {
  it('remove one: an applier dropping an item removes it; the other applier keeps its own', () => {
    const h = run([
      ['apply', 'apply-one', { list: [{ name: 'a' }, { name: 'b' }] }],
      ['apply', 'apply-two', { list: [{ name: 'c' }] }],
      ['apply', 'apply-one', { list: [{ name: 'a' }] }],
    ]);
    assert.deepEqual(h.content(), { list: [{ name: 'a' }, { name: 'c' }] });
    assert.deepEqual(h.fields(), { 'apply-one': { 'f:list': item('a') }, 'apply-two': { 'f:list': item('c') } });
  });

  it('same value: no conflict, both own the field', () => {
    const h = run([
      ['apply', 'apply-one', { list: [{ name: 'a', value: 0 }] }],
      ['apply', 'apply-two', { list: [{ name: 'a', value: 0 }] }],
    ]);
    const both = { 'f:list': item('a', { 'f:value': {} }) };
    assert.deepEqual(h.fields(), { 'apply-one': both, 'apply-two': both });
  });

  it('changed value: conflict names the other applier and the path', () => {
    const h = run([['apply', 'apply-one', { list: [{ name: 'a', value: 0 }] }]]);
    assert.throws(
      () => h.apply('apply-two', { list: [{ name: 'a', value: 1 }] }),
      (e: unknown) =>
        isStatusError(e) &&
        e.status.message === 'Apply failed with 1 conflict: conflict with "apply-one": .list[name="a"].value' &&
        e.status.details?.causes?.[0]?.field === '.list[name="a"].value',
    );
    assert.deepEqual(h.content(), { list: [{ name: 'a', value: 0 }] });
  });

  it('remove one, keep one shared item', () => {
    const h = run([
      ['apply', 'apply-one', { list: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }],
      ['apply', 'apply-two', { list: [{ name: 'c' }, { name: 'd' }] }],
      ['apply', 'apply-one', { list: [{ name: 'a' }] }],
    ]);
    assert.deepEqual(h.content(), { list: [{ name: 'a' }, { name: 'c' }, { name: 'd' }] });
    assert.deepEqual(h.fields()['apply-two'], { 'f:list': { ...item('c'), ...item('d') } });
  });
});

describe('nested lists', () => {
  it('an item removed by its applier goes, even with a sub-item another applier added to another item', () => {
    const h = run([
      ['apply', 'apply-one', { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] }],
      ['apply', 'apply-two', { listOfLists: [{ name: 'b', value: ['d'] }] }],
      ['apply', 'apply-one', { listOfLists: [{ name: 'a' }] }],
    ]);
    assert.deepEqual(h.content(), { listOfLists: [{ name: 'a' }, { name: 'b', value: ['d'] }] });
    assert.deepEqual(h.fields()['apply-two'], { 'f:listOfLists': item('b', { 'f:value': { 'v:"d"': {} } }) });
  });

  it('a controller’s sub-item in a kept item stays; the removed applier value goes', () => {
    const h = run([
      ['apply', 'apply-one', { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] }],
      ['apply', 'apply-two', { listOfLists: [{ name: 'b', value: ['d'] }] }],
      ['update', 'controller', { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c', 'd', 'e'] }] }],
      ['apply', 'apply-one', { listOfLists: [{ name: 'a' }] }],
    ]);
    assert.deepEqual(h.content(), { listOfLists: [{ name: 'a' }, { name: 'b', value: ['d', 'e'] }] });
    assert.deepEqual(h.fields().controller, { 'f:listOfLists': { [K('b')]: { 'f:value': { 'v:"e"': {} } } } });
  });

  it('an item only the leaving applier and a controller touched is removed entirely', () => {
    const h = run([
      ['apply', 'apply-one', { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] }],
      ['apply', 'apply-two', { listOfLists: [{ name: 'a', value: ['b'] }] }],
      ['update', 'controller', { listOfLists: [{ name: 'a', value: ['b'] }, { name: 'b', value: ['c', 'd'] }] }],
      ['apply', 'apply-one', { listOfLists: [{ name: 'a' }] }],
    ]);
    assert.deepEqual(h.content(), { listOfLists: [{ name: 'a', value: ['b'] }] });
    assert.equal(h.fields().controller, undefined);
  });
});

describe('maps and structs', () => {
  it('recursive maps: what other managers own survives an applier emptying its config', () => {
    const h = run([
      ['apply', 'apply-one', { mapOfMapsRecursive: { a: { b: null }, c: { d: null } } }],
      ['apply', 'apply-two', { mapOfMapsRecursive: { a: null, c: { d: null } } }],
      ['update', 'controller-one', { mapOfMapsRecursive: { a: { b: { c: null } }, c: { d: { e: null } } } }],
      ['update', 'controller-two', { mapOfMapsRecursive: { a: { b: { c: { d: null } } }, c: { d: { e: { f: null } } } } }],
      ['update', 'controller-one', { mapOfMapsRecursive: { a: { b: { c: { d: { e: null } } } }, c: { d: { e: { f: { g: null } } } } } }],
      ['apply', 'apply-one', { mapOfMapsRecursive: null }],
    ]);
    assert.deepEqual(h.content(), { mapOfMapsRecursive: { a: null, c: { d: { e: { f: { g: null } } } } } });
    assert.deepEqual(h.fields()['apply-two'], { 'f:mapOfMapsRecursive': { 'f:a': {}, 'f:c': { '.': {}, 'f:d': {} } } });
  });

  it('an applier dropping a struct field another updater set leaves that field', () => {
    const h = run([
      ['apply', 'default', { struct: { name: 'a' } }],
      ['update', 'controller', { struct: { name: 'a', value: 1 } }],
      ['apply', 'default', {}],
    ]);
    assert.deepEqual(h.content(), { struct: { value: 1 } });
    assert.deepEqual(h.fields(), { controller: { 'f:struct': { 'f:value': {} } } });
  });

  it('an updater that took a field over keeps it when the applier drops it', () => {
    const h = run([
      ['apply', 'default', { struct: { name: 'a' } }],
      ['update', 'controller', { struct: { name: 'b', value: 1 } }],
      ['apply', 'default', { struct: {} }],
    ]);
    assert.deepEqual(h.content(), { struct: { name: 'b', value: 1 } });
    assert.equal(h.fields().default, undefined);
  });

  it('removing everything an applier set removes the struct', () => {
    const h = run([
      ['apply', 'default', { struct: { name: 'a', value: 1 } }],
      ['apply', 'default', {}],
    ]);
    assert.deepEqual(h.content(), {});
    assert.deepEqual(h.fields(), {});
  });
});

describe('sets and atomic lists', () => {
  it('sets merge by value across appliers and prune by value', () => {
    const h = run([
      ['apply', 'one', { set: ['a', 'b'] }],
      ['apply', 'two', { set: ['b', 'c'] }],
      ['apply', 'one', { set: ['a'] }],
    ]);
    assert.deepEqual(h.content(), { set: ['a', 'b', 'c'] });
    assert.deepEqual(h.fields(), { one: { 'f:set': { 'v:"a"': {} } }, two: { 'f:set': { 'v:"b"': {}, 'v:"c"': {} } } });
  });

  it('an atomic list is replaced whole and conflicts as one field', () => {
    const h = run([['apply', 'one', { atomicList: ['a', 'b'] }]]);
    assert.throws(() => h.apply('two', { atomicList: ['a'] }), /conflict with "one": \.atomicList$/);
    h.apply('two', { atomicList: ['c'] }, true);
    assert.deepEqual(h.content(), { atomicList: ['c'] });
    assert.deepEqual(h.fields(), { two: { 'f:atomicList': {} } });
  });
});

describe('list merge order (typed/merge_test.go)', () => {
  const cases: [string[], string[], string[]][] = [
    [['a', 'b'], ['a', 'c'], ['a', 'b', 'c']],
    [['b'], ['a', 'b', 'c'], ['a', 'b', 'c']],
    [['a', 'b', 'c'], ['c', 'b'], ['a', 'c', 'b']],
    [['a', 'b', 'c'], ['c', 'a'], ['b', 'c', 'a']],
  ];
  for (const [live, applied, want] of cases) {
    it(`[${live}] + [${applied}] → [${want}]`, () => {
      const h = run([
        ['update', 'owner', { list: live.map((name) => ({ name })) }],
        ['force', 'applier', { list: applied.map((name) => ({ name })) }],
      ]);
      assert.deepEqual((h.content().list as { name: string }[]).map((x) => x.name), want);
    });
  }
});
