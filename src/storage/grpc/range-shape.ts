/**
 * What etcd's apply layer does around a range read (etcdserver applierV3.Range), as pure functions: which limit to
 * read with, then the mod/create revision filters, sorting, truncation to the limit and the `more` flag.
 *
 * etcd's rules, kept exactly: with a sort order or any revision filter everything is read and then truncated;
 * otherwise limit+1 keys are read so `more` can be told. A sort target other than the key with order None sorts
 * ascending (of what was read). `count` is the number of keys in the range before filters and limit.
 * keys_only drops values after sorting (sorting by value still sees them).
 */
import { compareKeys } from '../keys';
import type { KeyValue, RangeOptions, RangeResult } from '../store';
import { etcdError, etcdErrors } from './grpc-error';
import { int64Number, kvToMessage, type KeyValueMessage } from './codec';

export type SortOrder = 'None' | 'Ascend' | 'Descend';
export type SortTarget = 'Key' | 'Version' | 'Create' | 'Mod' | 'Value';

/** The RangeRequest fields that shape the result (as decoded: int64 as strings, enums as names). */
export interface RangeShapeRequest {
  limit?: string | number;
  sort_order?: string | number;
  sort_target?: string | number;
  keys_only?: boolean;
  count_only?: boolean;
  min_mod_revision?: string | number;
  max_mod_revision?: string | number;
  min_create_revision?: string | number;
  max_create_revision?: string | number;
}

export interface ShapedRange {
  kvs: KeyValueMessage[];
  more: boolean;
  count: number;
}

const ORDERS: readonly string[] = ['None', 'Ascend', 'Descend'];
const TARGETS: readonly string[] = ['Key', 'Version', 'Create', 'Mod', 'Value'];

function sortOf(req: RangeShapeRequest): { order: SortOrder; target: SortTarget } {
  const order = req.sort_order ?? 'None';
  const target = req.sort_target ?? 'Key';
  if (!ORDERS.includes(String(order)) || !TARGETS.includes(String(target))) throw etcdError(etcdErrors.invalidSortOption);
  return { order: order as SortOrder, target: target as SortTarget };
}

function filtersOf(req: RangeShapeRequest) {
  return {
    minMod: int64Number(req.min_mod_revision),
    maxMod: int64Number(req.max_mod_revision),
    minCreate: int64Number(req.min_create_revision),
    maxCreate: int64Number(req.max_create_revision),
  };
}

/** The Store options to read with (without revision). */
export function storeRangeOptions(req: RangeShapeRequest): Omit<RangeOptions, 'revision'> {
  const { order, target } = sortOf(req);
  const f = filtersOf(req);
  const limit = int64Number(req.limit);
  const readAll = order !== 'None' || f.minMod !== 0 || f.maxMod !== 0 || f.minCreate !== 0 || f.maxCreate !== 0;
  return {
    limit: !readAll && limit > 0 ? limit + 1 : undefined,
    // values are needed to sort by them; they are dropped afterwards
    keysOnly: !!req.keys_only && target !== 'Value',
    countOnly: !!req.count_only,
  };
}

const BY: Record<SortTarget, (a: KeyValue, b: KeyValue) => number> = {
  Key: (a, b) => compareKeys(a.key, b.key),
  Version: (a, b) => a.version - b.version,
  Create: (a, b) => a.createRevision - b.createRevision,
  Mod: (a, b) => a.modRevision - b.modRevision,
  Value: (a, b) => compareKeys(a.value, b.value),
};

/** Apply filters, sort, limit and keys_only to what the Store returned for storeRangeOptions(req). */
export function shapeRange(req: RangeShapeRequest, result: RangeResult): ShapedRange {
  const { order: requested, target } = sortOf(req);
  const f = filtersOf(req);
  const limit = int64Number(req.limit);
  let kvs = result.kvs.filter(
    (kv) =>
      (f.maxMod === 0 || kv.modRevision <= f.maxMod) &&
      (f.minMod === 0 || kv.modRevision >= f.minMod) &&
      (f.maxCreate === 0 || kv.createRevision <= f.maxCreate) &&
      (f.minCreate === 0 || kv.createRevision >= f.minCreate),
  );
  const order = target !== 'Key' && requested === 'None' ? 'Ascend' : requested;
  if (order !== 'None') {
    const by = BY[target];
    kvs = [...kvs].sort(order === 'Ascend' ? by : (a, b) => by(b, a));
  }
  let more = false;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    more = true;
  }
  return { kvs: kvs.map((kv) => kvToMessage(kv, !!req.keys_only)), more, count: result.count };
}
