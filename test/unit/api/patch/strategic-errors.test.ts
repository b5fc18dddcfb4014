/**
 * Strategic merge patch failures: the Status the API server answers with (400 for bad directive formats, the generic
 * 422 for lists of lists, 500 without a reason for every other apimachinery error) and upstream's exact wording.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyStrategicMergePatch } from '../../../../src/api/patch';
import { deepFreeze, DEPLOYMENT, deploymentResolver, MERGE_ITEM, mergeItemResolver } from './fixtures';
import { badRequest400, GENERIC_422, internal500, statusOf } from './helpers';

const onItem = (live: unknown, patch: unknown) => () => applyStrategicMergePatch(deepFreeze(live), deepFreeze(patch), MERGE_ITEM, mergeItemResolver);

const CASES: { name: string; run: () => unknown; want: object }[] = [
  {
    name: '$setElementOrder without /<list>',
    run: onItem({ mergingList: [] }, { $setElementOrdermergingList: [] }),
    want: badRequest400('invalid patch format of setElementOrder list'),
  },
  {
    name: '$deleteFromPrimitiveList without /<list>',
    run: onItem({ mergingIntList: [1] }, { $deleteFromPrimitiveListmergingIntList: [1] }),
    want: badRequest400('invalid patch format of primitive list'),
  },
  { name: '$retainKeys that is not a list', run: onItem({ retainKeysMap: { name: 'a' } }, { retainKeysMap: { $retainKeys: 'name' } }), want: badRequest400('invalid patch format of retainKeys') },
  {
    name: 'a patch key missing from $retainKeys',
    run: onItem({ retainKeysMap: { name: 'a' } }, { retainKeysMap: { $retainKeys: ['name'], value: 'v' } }),
    want: badRequest400('invalid patch format of retainKeys'),
  },
  { name: 'lists of lists', run: onItem({ mergingIntList: [[1]] }, { mergingIntList: [[2]] }), want: GENERIC_422 },
  {
    name: '$patch: merge in a map',
    run: onItem({ simpleMap: { a: 'b' } }, { simpleMap: { $patch: 'merge', a: 'c' } }),
    want: internal500('unknown patch type: merge in map: map[$patch:merge a:c]'),
  },
  {
    name: '$patch: merge in a list',
    run: onItem({ mergingList: [{ name: 1 }] }, { mergingList: [{ name: 1, $patch: 'merge' }] }),
    want: internal500('merging lists cannot yet be specified in the patch'),
  },
  {
    name: 'an unknown $patch in a list item',
    run: onItem({ mergingList: [{ name: 1 }] }, { mergingList: [{ name: 1, $patch: 7 }] }),
    want: internal500('unknown patch type: %!s(int64=7) in map: map[$patch:7 name:1]'),
  },
  {
    name: 'a $patch: delete item without the merge key',
    run: onItem({ mergingList: [{ name: 1 }] }, { mergingList: [{ $patch: 'delete', value: 'x' }] }),
    want: internal500('map: map[$patch:delete value:x] does not contain declared merge key: name'),
  },
  {
    name: 'a patch item without the merge key',
    run: onItem({ mergingList: [{ name: 1, value: 'a' }] }, { mergingList: [{ value: 'b' }] }),
    want: internal500('map: map[value:b] does not contain declared merge key: name'),
  },
  {
    name: '$setElementOrder in another order than the patch list',
    run: onItem(
      { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
      { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    ),
    want: internal500("the order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]"),
  },
  {
    name: 'the same for an int list',
    run: onItem({ mergingIntList: [1, 3, 2] }, { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] }),
    want: internal500("the order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]"),
  },
  {
    name: '$setElementOrder that is not a list',
    run: onItem({ mergingList: [] }, { '$setElementOrder/mergingList': 'x' }),
    want: internal500('expected a []interface {}, but received a string'),
  },
  {
    name: 'list element types that differ',
    run: onItem({ mergingIntList: [1] }, { mergingIntList: ['a'] }),
    want: internal500('list element types are not identical: [[1] [a]]'),
  },
  {
    name: 'a field the struct does not have (both sides objects)',
    run: onItem({ complex: { nested: true } }, { complex: { nested: false } }),
    want: internal500('unable to find api field in struct MergeItem for the json field "complex"'),
  },
  {
    name: 'merging objects inside a map of objects',
    run: onItem({ mapOfItems: { a: { name: 'x' } } }, { mapOfItems: { a: { value: 'y' } } }),
    want: internal500('merging an object in json but data type is not struct, instead is: map'),
  },
  {
    name: 'merging inside a schema-less object field (RawExtension-like)',
    run: onItem({ rawItem: { some: { foo: 'bar' } } }, { rawItem: { some: { foo: 'baz' } } }),
    want: internal500('unable to find api field in struct RawExtension for the json field "some"'),
  },
  {
    name: '$setElementOrder for a field PodSpec does not have',
    run: () =>
      applyStrategicMergePatch(
        { spec: { template: { spec: { containers: [] } } } },
        { spec: { template: { spec: { '$setElementOrder/sidecars': [{ name: 'a' }] } } } },
        DEPLOYMENT,
        deploymentResolver,
      ),
    want: internal500('unable to find api field in struct PodSpec for the json field "sidecars"'),
  },
  {
    name: 'a body that is not an object',
    run: onItem({}, [{ op: 'add' }]),
    want: badRequest400('json: cannot unmarshal array into Go value of type map[string]interface {}'),
  },
];

describe('strategic merge patch errors', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const s = statusOf(c.run);
      const { cause: _cause, ...status } = s;
      assert.deepEqual(status, c.want);
    });
  }

  it('the 422 keeps apimachinery\'s message as its cause', () => {
    assert.equal(statusOf(onItem({ mergingIntList: [[1]] }, { mergingIntList: [[2]] })).cause, 'lists of lists are not supported');
  });

  it('unknown fields are fine where nothing needs their metadata (added or scalar)', () => {
    assert.deepEqual(onItem({ name: 'a', complex: 1 }, { complex: 2, unknown: { x: 1 } })(), { name: 'a', complex: 2, unknown: { x: 1 } });
  });

  it('field lookup falls back to a case-insensitive match, as Go\'s JSON does', () => {
    assert.deepEqual(onItem({ MergingList: [{ name: 1 }] }, { MergingList: [{ name: 2 }] })(), { MergingList: [{ name: 2 }, { name: 1 }] });
  });
});
