/**
 * Strategic merge patch against apimachinery's own test cases (pkg/util/strategicpatch/patch_test.go), rewritten as
 * tables over the MergeItem schema: each case applies a patch to a live object and checks the exact result, list
 * order included. Where upstream pairs a two-way and a three-way patch, the case uses whichever exercises more.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyStrategicMergePatch } from '../../../../src/api/patch';
import { deepFreeze, MERGE_ITEM, mergeItemResolver } from './fixtures';

interface Case {
  name: string;
  live: Record<string, unknown>;
  patch: Record<string, unknown>;
  want: Record<string, unknown>;
}

const n = (name: number | string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const del = (name: number | string) => ({ name, $patch: 'delete' });
const ORDER_ML = '$setElementOrder/mergingList';
const ORDER_INT = '$setElementOrder/mergingIntList';
const DEL_INT = '$deleteFromPrimitiveList/mergingIntList';

const MAPS: Case[] = [
  { name: 'an empty patch changes nothing', live: { name: 1 }, patch: {}, want: { name: 1 } },
  { name: 'adds a field', live: { name: 1, other: 'a' }, patch: { value: 1 }, want: { name: 1, value: 1, other: 'a' } },
  { name: 'null deletes a field, others are added', live: { name: 1, other: 'a' }, patch: { name: null, value: 1 }, want: { value: 1, other: 'a' } },
  { name: 'null deletes inside a nested map', live: { simpleMap: { key1: 1, key2: 1, other: 'a' } }, patch: { simpleMap: { key2: null } }, want: { simpleMap: { key1: 1, other: 'a' } } },
  { name: 'a null for an absent field is dropped', live: { name: 'a', other: 'a' }, patch: { name: 1, value: 1, other: null }, want: { name: 1, value: 1 } },
  { name: '$patch: delete empties a nested map', live: { simpleMap: { key1: 1, key2: 1 } }, patch: { simpleMap: { $patch: 'delete' } }, want: { simpleMap: {} } },
  { name: '$patch: replace at the top drops every other key', live: { name: 1, value: 1 }, patch: { $patch: 'replace' }, want: {} },
  { name: '$patch: replace keeps the keys sent with it', live: { name: 1, value: 1 }, patch: { other: 'a', $patch: 'replace' }, want: { other: 'a' } },
  { name: 'nulls nested in an added value are discarded', live: { name: 'foo' }, patch: { complex: { key: { keep: 'v', drop: null } } }, want: { name: 'foo', complex: { key: { keep: 'v' } } } },
  { name: 'nulls in maps inside added lists are discarded', live: {}, patch: { complex: [{ inner: { a: 'foo', b: null } }] }, want: { complex: [{ inner: { a: 'foo' } }] } },
  { name: 'null elements of added scalar lists stay', live: {}, patch: { complex: ['k1', null, 'k2'] }, want: { complex: ['k1', null, 'k2'] } },
  { name: 'nulls already in the live object stay', live: { thing: null, complex: { key: null } }, patch: { nested: { value: 5 } }, want: { thing: null, complex: { key: null }, nested: { value: 5 } } },
  { name: 'a replace-strategy field is taken whole', live: { name: 'o', mergingList: [n(1)], replacingItem: { Some: 'Generic', Yaml: 'Inside', Field: 'Period' } }, patch: { replacingItem: { Newly: 'Modified', Yaml: 'Inside' } }, want: { name: 'o', mergingList: [n(1)], replacingItem: { Newly: 'Modified', Yaml: 'Inside' } } },
];

const LISTS: Case[] = [
  { name: 'scalar merge lists become a union', live: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, want: { mergingIntList: [1, 2, 3] } },
  { name: 'non-merging scalar lists are replaced', live: { nonMergingIntList: [1, 4] }, patch: { nonMergingIntList: [2, 3] }, want: { nonMergingIntList: [2, 3] } },
  { name: 'an empty merge list merges into an empty one', live: { mergingList: [] }, patch: { mergingList: [] }, want: { mergingList: [] } },
  { name: '$patch: replace inside a list empties it', live: { mergingList: [n(1), n(2)] }, patch: { mergingList: [{ $patch: 'replace' }] }, want: { mergingList: [] } },
  { name: '$patch: delete removes every duplicate', live: { mergingList: [n(1), n(1), n(2, { value: 'a' }), n(3), n(3)] }, patch: { mergingList: [del(1), del(3)] }, want: { mergingList: [n(2, { value: 'a' })] } },
  { name: 'deleting every item leaves an empty list', live: { mergingList: [n(1, { other: 'a' }), n(2, { other: 'b' })] }, patch: { mergingList: [del(1), del(2)] }, want: { mergingList: [] } },
  { name: 'the patch order wins for patched items', live: { mergingList: [n(1), n(2, { value: 'b' }), n(3)] }, patch: { mergingList: [n(3, { value: 'c' }), n(1, { value: 'a' }), n(2, { other: 'x' })] }, want: { mergingList: [n(3, { value: 'c' }), n(1, { value: 'a' }), n(2, { value: 'b', other: 'x' })] } },
  { name: 'server-only items keep their live place', live: { mergingList: [n(1), n(2, { value: 'b' }), n(3)] }, patch: { mergingList: [n(3, { value: 'c' }), n(1, { value: 'a' })] }, want: { mergingList: [n(2, { value: 'b' }), n(3, { value: 'c' }), n(1, { value: 'a' })] } },
  { name: 'the patch order wins in an int list', live: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, want: { mergingIntList: [3, 1, 2] } },
  { name: 'server-only ints keep their place', live: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, want: { mergingIntList: [2, 3, 1] } },
  { name: 'a $patch: delete item for a list absent from the object is dropped', live: { name: 'hi' }, patch: { mergingList: [n('hello'), del('doesntexist')] }, want: { name: 'hi', mergingList: [n('hello')] } },
  { name: 'nested $setElementOrder and delete of a missing item', live: { name: 'hi', mergingList: [n('hello2')] }, patch: { [ORDER_ML]: [n('hello'), n('doesntexist')], mergingList: [n('hello'), del('doesntexist')] }, want: { name: 'hi', mergingList: [n('hello'), n('hello2')] } },
  { name: 'merge lists of maps with $setElementOrder', live: { mergingList: [n(1, { other: 'a' }), n(2, { value: 2, other: 'b' })] }, patch: { [ORDER_ML]: [n(4), n(1), n(2), n(3)], mergingList: [n(4, { value: 4 }), n(3, { value: 3 })] }, want: { mergingList: [n(4, { value: 4 }), n(1, { other: 'a' }), n(2, { value: 2, other: 'b' }), n(3, { value: 3 })] } },
  { name: 'merge into an item that differs', live: { mergingList: [n(1, { other: 'a' }), n(2, { value: 3, other: 'b' })] }, patch: { [ORDER_ML]: [n(1), n(2), n(3)], mergingList: [n(2, { value: 2 }), n(3, { value: 3 })] }, want: { mergingList: [n(1, { other: 'a' }), n(2, { value: 2, other: 'b' }), n(3, { value: 3 })] } },
  { name: 'items missing live are added in $setElementOrder order', live: { mergingList: [n(1, { other: 'a' }), n(3, { value: 2, other: 'b' })] }, patch: { [ORDER_ML]: [n(1), n(2)], mergingList: [n(1, { value: 1 }), n(2, { value: 2 })] }, want: { mergingList: [n(1, { value: 1, other: 'a' }), n(2, { value: 2 }), n(3, { value: 2, other: 'b' })] } },
  { name: 'delete an item', live: { mergingList: [n(1), n(2, { other: 'b' })] }, patch: { [ORDER_ML]: [n(2)], mergingList: [del(1)] }, want: { mergingList: [n(2, { other: 'b' })] } },
  { name: 'delete a missing item and add another', live: { mergingList: [n(3, { other: 'a' })] }, patch: { [ORDER_ML]: [n(2)], mergingList: [n(2), del(1)] }, want: { mergingList: [n(2), n(3, { other: 'a' })] } },
  { name: 'add and delete: the freed live slot orders the result (Go slice aliasing)', live: { mergingList: [n(1, { other: 'a' }), n(4, { other: 'c' })] }, patch: { [ORDER_ML]: [n(2), n(3)], mergingList: [n(2), n(3), del(1)] }, want: { mergingList: [n(4, { other: 'c' }), n(2), n(3)] } },
  { name: 'add and delete with a kept server item', live: { mergingList: [n(1), n(2, { other: 'b' }), n(4, { other: 'c' })] }, patch: { [ORDER_ML]: [n(2), n(3)], mergingList: [n(3), del(1)] }, want: { mergingList: [n(2, { other: 'b' }), n(4, { other: 'c' }), n(3)] } },
  { name: 'null deletes a field of an item', live: { mergingList: [n(1, { value: 1, other: 'a' }), n(2, { value: 2, other: 'b' })] }, patch: { [ORDER_ML]: [n(1), n(2)], mergingList: [n(1, { value: null })] }, want: { mergingList: [n(1, { other: 'a' }), n(2, { value: 2, other: 'b' })] } },
  { name: 'a non-merging list inside an item is replaced', live: { mergingList: [n(1, { other: 'a', nonMergingList: [n(1), n(2, { value: 2 })] }), n(2, { other: 'b' })] }, patch: { [ORDER_ML]: [n(1), n(2)], mergingList: [n(1, { nonMergingList: [n(1, { value: 1 })] })] }, want: { mergingList: [n(1, { other: 'a', nonMergingList: [n(1, { value: 1 })] }), n(2, { other: 'b' })] } },
  { name: 'nested merging list with its own $setElementOrder', live: { mergingList: [n(1, { other: 'a', mergingList: [n(2, { value: 2, other: 'd' })] }), n(2, { other: 'b' })] }, patch: { [ORDER_ML]: [n(1), n(2)], mergingList: [{ [ORDER_ML]: [n(2), n(1)], name: 1, mergingList: [n(1, { value: 1 })] }] }, want: { mergingList: [n(1, { other: 'a', mergingList: [n(2, { value: 2, other: 'd' }), n(1, { value: 1 })] }), n(2, { other: 'b' })] } },
  { name: '$setElementOrder may name items that do not exist', live: { mergingList: [n(1), n(3)] }, patch: { [ORDER_ML]: [n(3), n(2), n(1)], mergingList: [n(3, { value: 3 }), n(1, { value: 1 })] }, want: { mergingList: [n(3, { value: 3 }), n(1, { value: 1 })] } },
  { name: 'reorder only', live: { mergingList: [n(1, { other: 'a' }), n(3, { value: 3 }), n(4, { value: 4 }), n(2, { value: 2 }), n(9)] }, patch: { [ORDER_ML]: [n(4), n(2), n(3), n(1)] }, want: { mergingList: [n(4, { value: 4 }), n(2, { value: 2 }), n(3, { value: 3 }), n(1, { other: 'a' }), n(9)] } },
  { name: 'reorder with server-only items in the middle', live: { mergingList: [n(1, { other: 'a' }), n(2, { value: 2 }), n(7), n(9), n(8), n(3, { value: 3 }), n(4, { value: 4 })] }, patch: { [ORDER_ML]: [n(2), n(1), n(4), n(3)] }, want: { mergingList: [n(2, { value: 2 }), n(1, { other: 'a' }), n(7), n(9), n(8), n(4, { value: 4 }), n(3, { value: 3 })] } },
  { name: 'reorder a list with duplicates', live: { mergingList: [n(1), n(2, { value: 'dup1' }), n(3), n(2, { value: 'dup2' }), n(4)] }, patch: { [ORDER_ML]: [n(2), n(1), n(4), n(3), n(2)] }, want: { mergingList: [n(2, { value: 'dup1' }), n(2, { value: 'dup2' }), n(1), n(4), n(3)] } },
];

const PRIMITIVES: Case[] = [
  { name: 'merge ints with $setElementOrder', live: { mergingIntList: [1, 2, 4] }, patch: { [ORDER_INT]: [1, 2, 3], mergingIntList: [3] }, want: { mergingIntList: [1, 2, 3, 4] } },
  { name: 'add an int at the front', live: { mergingIntList: [1, 4, 2] }, patch: { [ORDER_INT]: [3, 1, 2], mergingIntList: [3] }, want: { mergingIntList: [3, 1, 4, 2] } },
  { name: '$deleteFromPrimitiveList with $setElementOrder', live: { mergingIntList: [1, 2, 3, 4] }, patch: { [ORDER_INT]: [1, 2], [DEL_INT]: [3] }, want: { mergingIntList: [1, 2, 4] } },
  { name: '$deleteFromPrimitiveList removes duplicates too', live: { mergingIntList: [1, 2, 3, 3, 4] }, patch: { [ORDER_INT]: [1, 2], [DEL_INT]: [3] }, want: { mergingIntList: [1, 2, 4] } },
  { name: 'add and delete ints', live: { mergingIntList: [1, 2, 3, 4] }, patch: { [ORDER_INT]: [1, 2, 4], [DEL_INT]: [3], mergingIntList: [4] }, want: { mergingIntList: [1, 2, 4] } },
  { name: 'delete and reorder ints', live: { mergingIntList: [1, 2, 3] }, patch: { [ORDER_INT]: [2, 1], [DEL_INT]: [3] }, want: { mergingIntList: [2, 1] } },
  { name: 'reorder ints around server-only ones', live: { mergingIntList: [1, 2, 7, 9, 8, 3, 4] }, patch: { [ORDER_INT]: [2, 1, 4, 3] }, want: { mergingIntList: [2, 1, 7, 9, 8, 4, 3] } },
  { name: 'reorder ints with duplicates', live: { mergingIntList: [1, 2, 3, 2, 4] }, patch: { [ORDER_INT]: [2, 1, 4, 3, 2] }, want: { mergingIntList: [2, 2, 1, 4, 3] } },
  { name: '$setElementOrder naming missing ints', live: { mergingIntList: [1, 3] }, patch: { [ORDER_INT]: [3, 2, 1] }, want: { mergingIntList: [3, 1] } },
  { name: 'deleting a missing int adds nothing', live: { mergingIntList: [1, 2] }, patch: { [DEL_INT]: [3] }, want: { mergingIntList: [1, 2] } },
  { name: 'deleting from a null list leaves it', live: { mergingIntList: null }, patch: { [DEL_INT]: [3] }, want: { mergingIntList: null } },
  { name: 'deleting from an absent list does not create it', live: { foo: ['bar'] }, patch: { [DEL_INT]: [3] }, want: { foo: ['bar'] } },
  { name: '$deleteFromPrimitiveList works on a non-merging list too', live: { nonMergingIntList: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/nonMergingIntList': [2] }, want: { nonMergingIntList: [1, 3] } },
];

const RETAIN_KEYS: Case[] = [
  { name: 'without $retainKeys a retainKeys map merges', live: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: { value: 'b' } }, want: { retainKeysMap: { name: 'foo', value: 'b' } } },
  { name: '$retainKeys clears unlisted (defaulted) fields', live: { retainKeysMap: { value: 'foo' } }, patch: { retainKeysMap: { $retainKeys: ['other'], other: 'bar' } }, want: { retainKeysMap: { other: 'bar' } } },
  { name: '$retainKeys switches a discriminated union', live: { retainKeysMap: { name: 'type1', value: 'foo' } }, patch: { retainKeysMap: { $retainKeys: ['name', 'other'], name: 'type2', other: 'bar' } }, want: { retainKeysMap: { name: 'type2', other: 'bar' } } },
  { name: '$retainKeys with a null for a dropped field', live: { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } }, patch: { retainKeysMap: { $retainKeys: ['name'], value: null } }, want: { retainKeysMap: { name: 'foo' } } },
  { name: '$retainKeys alone clears', live: { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } }, patch: { retainKeysMap: { $retainKeys: ['name', 'value'] } }, want: { retainKeysMap: { name: 'foo', value: 'bar' } } },
  { name: '$retainKeys keeps a nested map merging', live: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key3: 'c' } } }, patch: { retainKeysMap: { $retainKeys: ['name', 'simpleMap', 'value'], simpleMap: { key2: 'b' } } }, want: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key2: 'b', key3: 'c' } } } },
  { name: '$retainKeys with a nested int list order', live: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } }, patch: { retainKeysMap: { $retainKeys: ['mergingIntList', 'name', 'value'], [ORDER_INT]: [1, 2], value: 'bar' } }, want: { retainKeysMap: { name: 'foo', value: 'bar', mergingIntList: [1, 2, 3] } } },
  { name: '$retainKeys with add and delete in a nested int list', live: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3, 4] } }, patch: { retainKeysMap: { $retainKeys: ['mergingIntList', 'name'], mergingIntList: [5], [DEL_INT]: [2], [ORDER_INT]: [1, 3, 5] } }, want: { retainKeysMap: { name: 'foo', mergingIntList: [1, 3, 5, 4] } } },
  { name: '$retainKeys with a delete in a nested merging list', live: { retainKeysMap: { name: 'foo', mergingList: [n('a'), n('b'), n('x')] } }, patch: { retainKeysMap: { $retainKeys: ['mergingList', 'name'], [ORDER_ML]: [n('a')], mergingList: [del('b')] } }, want: { retainKeysMap: { name: 'foo', mergingList: [n('a'), n('x')] } } },
  { name: '$retainKeys deleting a nested list', live: { retainKeysMap: { name: 'foo', mergingList: [n('a'), n('b')] } }, patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar', mergingList: null } }, want: { retainKeysMap: { name: 'foo', value: 'bar' } } },
  { name: '$retainKeys in an item of a merge,retainKeys list', live: { retainKeysMergingList: [n('bar'), n('foo', { value: 'a', other: 'x' })] }, patch: { '$setElementOrder/retainKeysMergingList': [n('bar'), n('foo')], retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo' }] }, want: { retainKeysMergingList: [n('bar'), n('foo', { value: 'a' })] } },
  { name: '$retainKeys in an item, changing a field', live: { retainKeysMergingList: [n('bar'), n('foo', { value: 'old', other: 'x' })] }, patch: { '$setElementOrder/retainKeysMergingList': [n('bar'), n('foo')], retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo', value: 'new' }] }, want: { retainKeysMergingList: [n('bar'), n('foo', { value: 'new' })] } },
];

describe('strategic merge patch: upstream strategicpatch cases', () => {
  for (const [group, cases] of [['maps', MAPS], ['lists of maps', LISTS], ['lists of scalars', PRIMITIVES], ['retainKeys', RETAIN_KEYS]] as const) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          const got = applyStrategicMergePatch(deepFreeze(c.live), deepFreeze(c.patch), MERGE_ITEM, mergeItemResolver);
          assert.deepEqual(got, c.want);
        });
      }
    });
  }
});
