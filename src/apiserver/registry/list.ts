/**
 * Get and list with upstream's resourceVersion semantics, served from the watch cache: unset = consistent (wait
 * until the cache has everything committed), "0" = whatever the cache has, N = not older than N. Exact reads
 * (resourceVersionMatch=Exact) and continuation pages read the store at a fixed revision, as upstream reads etcd.
 * Continue tokens are upstream's: base64url of {"v":"meta.k8s.io/v1","rv":N,"start":"<key after prefix>"}.
 */
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { decodeStored } from '../watch/cached-object';
import type { RegistryCore } from './core';

export type ObjectFilter = (obj: Readonly<StoredObject>) => boolean;

export interface ListOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: Readonly<StoredObject>[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

const MAX_UINT64 = (1n << 64n) - 1n;

export function parseResourceVersion(rv: string | undefined | null, field = 'resourceVersion'): number | undefined {
  if (rv === undefined || rv === null || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw StatusError.badRequest(`${field}: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`);
  // Go parses a uint64: larger numbers are refused, not rounded (2^64 would read as 18446744073709552000).
  if (BigInt(rv) > MAX_UINT64) throw StatusError.badRequest(`${field}: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": value out of range`);
  return Number(rv);
}

/** Waits as the resourceVersion parameter asks before a cache read. */
export async function readyForRead(core: RegistryCore, rv: string | undefined, match: string | undefined): Promise<void> {
  const n = parseResourceVersion(rv);
  if (match !== undefined && match !== '' && match !== 'NotOlderThan' && match !== 'Exact') {
    throw StatusError.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match && n === undefined) throw StatusError.badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`);
  if (n === undefined) return core.deps.router.sync();
  if (n === 0) return;
  await core.deps.router.waitFor(n);
}

export async function getObject(core: RegistryCore, r: ResourceInfo, namespace: string, name: string, rv?: string): Promise<Readonly<StoredObject>> {
  await readyForRead(core, rv, undefined);
  const o = core.cache(r).get(core.key(r, namespace, name));
  if (!o) throw StatusError.notFound({ group: r.group, resource: r.resource }, name);
  return o.obj;
}

export async function listObjects(core: RegistryCore, r: ResourceInfo, namespace: string | undefined, o: ListOptions, filter: ObjectFilter | undefined, filtered: boolean): Promise<ListResult> {
  const limit = o.limit && o.limit > 0 ? o.limit : 0;
  if (o.continue) {
    if (o.resourceVersion) throw StatusError.badRequest('specifying resource version is not allowed when using continue');
    const tok = decodeContinue(o.continue);
    return fromStore(core, r, namespace, tok.rv, tok.start, limit, filter, filtered);
  }
  if (o.resourceVersionMatch === 'Exact') {
    const n = parseResourceVersion(o.resourceVersion);
    if (n === undefined || n === 0) throw StatusError.badRequest('resourceVersionMatch "Exact" requires a non-zero resourceVersion');
    return fromStore(core, r, namespace, n, '', limit, filter, filtered);
  }
  await readyForRead(core, o.resourceVersion, o.resourceVersionMatch);
  const rev = core.deps.router.revision;
  const all = core.cache(r).list(namespace);
  const useLimit = o.resourceVersion === '0' ? 0 : limit;
  const items: Readonly<StoredObject>[] = [];
  let i = 0;
  for (; i < all.length; i++) {
    const c = all[i];
    if (filter && !filter(c.obj)) continue;
    if (useLimit && items.length === useLimit) break;
    items.push(c.obj);
  }
  const res: ListResult = { items, resourceVersion: String(rev) };
  if (useLimit && i < all.length) {
    const lastKey = all[i - 1].key;
    res.continue = encodeContinue(rev, lastKey.slice(r.storagePrefix.length + 1) + '\0');
    if (!filtered) res.remainingItemCount = all.length - i;
  }
  return res;
}

async function fromStore(
  core: RegistryCore,
  r: ResourceInfo,
  namespace: string | undefined,
  rev: number,
  start: string,
  limit: number,
  filter: ObjectFilter | undefined,
  filtered: boolean,
): Promise<ListResult> {
  const base = namespace !== undefined && r.namespaced ? `${r.storagePrefix}/${namespace}/` : `${r.storagePrefix}/`;
  const end = base.slice(0, -1) + '0'; // '/' + 1
  let from = start ? `${r.storagePrefix}/${start}` : base;
  if (from < base) from = base;
  const items: Readonly<StoredObject>[] = [];
  let lastKey = '';
  let more = false;
  let firstCount = -1;
  let consumed = 0;
  try {
    for (;;) {
      const page = await core.deps.store.range({ key: from, end }, { revision: rev, limit: limit ? Math.max(limit, 100) : 5000 });
      if (firstCount < 0) firstCount = page.count;
      let stopped = false;
      for (const kv of page.kvs) {
        if (limit && items.length === limit) {
          more = true;
          stopped = true;
          break;
        }
        lastKey = kv.key;
        consumed++;
        const obj = decodeStored(kv.key, kv.value, kv.modRevision).obj;
        if (!filter || filter(obj)) items.push(obj);
      }
      if (stopped || !page.more || page.kvs.length === 0) break;
      from = page.kvs[page.kvs.length - 1].key + '\0';
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'compacted') throw StatusError.expired(start ? CONTINUE_EXPIRED : `too old resource version: ${rev}`);
    if ((e as { code?: string }).code === 'future-revision') {
      throw StatusError.timeout(`Too large resource version: ${rev}, current: ${core.deps.router.revision}`, 1);
    }
    throw e;
  }
  const res: ListResult = { items, resourceVersion: String(rev) };
  if (more) {
    res.continue = encodeContinue(rev, lastKey.slice(r.storagePrefix.length + 1) + '\0');
    if (!filtered) res.remainingItemCount = Math.max(0, firstCount - consumed);
  }
  return res;
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(token)) {
    const at = token.search(/[^A-Za-z0-9_=-]/);
    throw StatusError.badRequest(`invalid continue token: continue key is not valid: illegal base64 data at input byte ${at}`);
  }
  let t: { v?: string; rv?: number; start?: string };
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof t;
  } catch (e) {
    throw StatusError.badRequest(`invalid continue token: continue key is not valid: ${(e as Error).message}`);
  }
  if (t.v !== 'meta.k8s.io/v1') throw StatusError.badRequest('invalid continue token: continue key is not valid: server does not recognize this encoded key');
  if (typeof t.rv !== 'number' || t.rv <= 0 || !Number.isInteger(t.rv)) {
    throw StatusError.badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof t.start !== 'string' || t.start.includes('..') || t.start.startsWith('/')) {
    throw StatusError.badRequest('invalid continue token: continue key is not valid: encoded start key is invalid');
  }
  return { rv: t.rv, start: t.start };
}
