/** etcd's range post-processing (applierV3.Range): read limit, revision filters, sorting, truncation, `more`. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { KeyValue, RangeResult } from '../../../../src/storage/store';
import { GrpcError } from '../../../../src/storage/grpc/grpc-error';
import { shapeRange, storeRangeOptions, type RangeShapeRequest } from '../../../../src/storage/grpc/range-shape';

const kv = (key: string, value: string, createRevision: number, modRevision: number, version: number): KeyValue => ({
  key,
  value,
  createRevision,
  modRevision,
  version,
  lease: '0',
});
// key order a < b < c < d; other orders differ
const A = kv('a', 'zz', 2, 9, 4);
const B = kv('b', 'aa', 3, 3, 1);
const C = kv('c', 'mm', 4, 7, 2);
const D = kv('d', 'bb', 5, 5, 1);
const ALL = [A, B, C, D];

/** What the Store would return for the options storeRangeOptions chose. */
function read(req: RangeShapeRequest): RangeResult {
  const o = storeRangeOptions(req);
  const kvs = o.countOnly ? [] : ALL.slice(0, o.limit || undefined).map((k) => (o.keysOnly ? { ...k, value: '' } : k));
  return { kvs, count: ALL.length, more: !!o.limit && o.limit < ALL.length, revision: 10 };
}

const keysOf = (req: RangeShapeRequest) => {
  const r = shapeRange(req, read(req));
  return { keys: r.kvs.map((k) => k.key.toString()), more: r.more, count: r.count };
};

describe('range shaping as etcd applies it', () => {
  const cases: [string, RangeShapeRequest, { keys: string[]; more: boolean; count: number }, number | undefined][] = [
    ['no limit', {}, { keys: ['a', 'b', 'c', 'd'], more: false, count: 4 }, undefined],
    ['limit reads one extra for more', { limit: '2' }, { keys: ['a', 'b'], more: true, count: 4 }, 3],
    ['limit equal to the size', { limit: '4' }, { keys: ['a', 'b', 'c', 'd'], more: false, count: 4 }, 5],
    ['descend by key reads all', { sort_order: 'Descend', sort_target: 'Key', limit: '2' }, { keys: ['d', 'c'], more: true, count: 4 }, undefined],
    ['ascend by mod', { sort_order: 'Ascend', sort_target: 'Mod' }, { keys: ['b', 'd', 'c', 'a'], more: false, count: 4 }, undefined],
    ['descend by version (stable for ties)', { sort_order: 'Descend', sort_target: 'Version' }, { keys: ['a', 'c', 'b', 'd'], more: false, count: 4 }, undefined],
    ['ascend by create', { sort_order: 'Ascend', sort_target: 'Create' }, { keys: ['a', 'b', 'c', 'd'], more: false, count: 4 }, undefined],
    ['ascend by value', { sort_order: 'Ascend', sort_target: 'Value' }, { keys: ['b', 'd', 'c', 'a'], more: false, count: 4 }, undefined],
    // etcd's quirk: a target other than key with order None sorts ascending, but only what limit+1 read
    ['target mod with order None and a limit', { sort_target: 'Mod', limit: '2' }, { keys: ['b', 'c'], more: true, count: 4 }, 3],
    ['max_mod_revision filter (count unchanged)', { max_mod_revision: '5' }, { keys: ['b', 'd'], more: false, count: 4 }, undefined],
    ['min_mod_revision filter', { min_mod_revision: '7' }, { keys: ['a', 'c'], more: false, count: 4 }, undefined],
    ['create revision window', { min_create_revision: '3', max_create_revision: '4' }, { keys: ['b', 'c'], more: false, count: 4 }, undefined],
    ['filter then limit', { min_mod_revision: '4', limit: '1' }, { keys: ['a'], more: true, count: 4 }, undefined],
    ['count only', { count_only: true }, { keys: [], more: false, count: 4 }, undefined],
  ];
  for (const [name, req, want, readLimit] of cases) {
    it(name, () => {
      assert.equal(storeRangeOptions(req).limit, readLimit, 'the limit read with');
      assert.deepEqual(keysOf(req), want);
    });
  }

  it('keys_only drops values after sorting (sorting by value still reads them)', () => {
    const req: RangeShapeRequest = { keys_only: true, sort_order: 'Descend', sort_target: 'Value' };
    assert.equal(storeRangeOptions(req).keysOnly, false);
    const r = shapeRange(req, read(req));
    assert.deepEqual(r.kvs.map((k) => k.key.toString()), ['a', 'c', 'd', 'b']);
    assert.ok(r.kvs.every((k) => k.value.length === 0));
    assert.equal(storeRangeOptions({ keys_only: true }).keysOnly, true);
  });

  it('an unknown sort order or target is refused with etcd\'s "invalid sort option"', () => {
    for (const req of [{ sort_order: 7 }, { sort_target: 9 }] as RangeShapeRequest[]) {
      assert.throws(
        () => storeRangeOptions(req),
        (e: unknown) => e instanceof GrpcError && e.code === status.INVALID_ARGUMENT && e.message === 'etcdserver: invalid sort option',
      );
    }
  });
});
