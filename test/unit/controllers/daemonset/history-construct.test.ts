import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Indexer, Lister, type CachedObject } from '../../../../src/client/informers';
import { ApiError, type ApiClient, type Obj } from '../../../../src/controllers/framework/api-client';
import { cleanupHistory, constructHistory, revisionDataOf } from '../../../../src/controllers/daemonset/history';
import type { Pod } from '../../../../src/controllers/daemonset/types';
import { ds, pod } from './fixtures';

/** An ApiClient stand-in that keeps revisions by name and records every call. */
function fakeClient(existing: Obj[] = []) {
  const store = new Map(existing.map((o) => [String(o.metadata?.name), o]));
  const calls: string[] = [];
  const client = {
    async create(r: { resource: string }, _ns: string, body: Obj) {
      const name = String(body.metadata?.name);
      calls.push(`create ${r.resource} ${name}`);
      if (store.has(name)) throw new ApiError(409, 'AlreadyExists', `${r.resource} "${name}" already exists`);
      store.set(name, body);
      return body;
    },
    async get(r: { resource: string }, _ns: string, name: string) {
      calls.push(`get ${r.resource} ${name}`);
      if (r.resource === 'daemonsets') return structuredClone(ds()) as Obj;
      const o = store.get(name);
      if (!o) throw new ApiError(404, 'NotFound', 'not found');
      return o;
    },
    async update(r: { resource: string }, _ns: string, body: Obj) {
      calls.push(`update ${r.resource} ${String(body.metadata?.name)}`);
      store.set(String(body.metadata?.name), body);
      return body;
    },
    async updateStatus(r: { resource: string }, _ns: string, body: Obj) {
      calls.push(`updateStatus ${r.resource} ${JSON.stringify(body.status)}`);
      return body;
    },
    async patch(r: { resource: string }, _ns: string, name: string, p: unknown) {
      calls.push(`patch ${r.resource} ${name} ${JSON.stringify(p)}`);
      return {};
    },
    async delete(r: { resource: string }, _ns: string, name: string) {
      calls.push(`delete ${r.resource} ${name}`);
      store.delete(name);
      return {};
    },
  };
  return { client: client as unknown as ApiClient, calls, store };
}

function revision(name: string, revisionNo: number, data: unknown, labels: Record<string, string> = { 'controller-revision-hash': name.replace('ds-', '') }): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name, namespace: 'default', labels: { app: 'ds', ...labels }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds-uid', controller: true }] },
    data,
    revision: revisionNo,
  };
}

function lister(objs: Obj[]): Lister {
  const ix = new Indexer();
  for (const o of objs) ix.upsert(o as CachedObject);
  return new Lister(ix);
}

const set = ds();
const owner = set as unknown as CachedObject;
const other = revisionDataOf(ds({ hostNetwork: true }));

describe('constructHistory', () => {
  it('creates the current revision after the old ones, labelled with its hash and owned by the set', async () => {
    const old = revision('ds-old', 4, other);
    const f = fakeClient();
    const { cur, old: olds } = await constructHistory({ client: f.client, revisions: lister([old]), pods: async () => [] }, owner, set);
    assert.equal(cur.revision, 5);
    assert.equal(olds.length, 1);
    const hash = String(cur.metadata?.labels?.['controller-revision-hash']);
    assert.equal(cur.metadata?.name, `ds-${hash}`);
    assert.deepEqual(cur.data, revisionDataOf(set));
    assert.deepEqual(f.calls, [`create controllerrevisions ds-${hash}`]);
  });

  it('bumps status.collisionCount and fails when the name is taken by other data', async () => {
    const f1 = fakeClient();
    const { cur } = await constructHistory({ client: f1.client, revisions: lister([]), pods: async () => [] }, owner, set);
    const f = fakeClient([{ ...revision(String(cur.metadata?.name), 1, other) }]);
    await assert.rejects(constructHistory({ client: f.client, revisions: lister([]), pods: async () => [] }, owner, set), { message: /already exists/ });
    assert.ok(f.calls.some((c) => c.startsWith('updateStatus daemonsets') && c.includes('"collisionCount":1')), f.calls.join('\n'));
  });

  it('returns an equal revision that already exists instead of failing', async () => {
    const f1 = fakeClient();
    const { cur } = await constructHistory({ client: f1.client, revisions: lister([]), pods: async () => [] }, owner, set);
    const f = fakeClient([cur as Obj]);
    const again = await constructHistory({ client: f.client, revisions: lister([]), pods: async () => [] }, owner, set);
    assert.equal(again.cur.metadata?.name, cur.metadata?.name);
  });

  it('dedups current revisions: keeps the highest, relabels pods, deletes the rest, and renumbers past old ones', async () => {
    const data = revisionDataOf(set);
    const revs = [revision('ds-a', 1, data), revision('ds-b', 2, data), revision('ds-old', 3, other)];
    const f = fakeClient(revs);
    const pods: Pod[] = [pod('p1', { hash: 'a' }), pod('p2', { hash: 'b' })];
    const { cur } = await constructHistory({ client: f.client, revisions: lister(revs), pods: async () => pods }, owner, set);
    assert.equal(cur.metadata?.name, 'ds-b');
    assert.equal(cur.revision, 4);
    assert.deepEqual(f.calls, [
      'patch pods p1 {"metadata":{"labels":{"controller-revision-hash":"b"}}}',
      'delete controllerrevisions ds-a',
      'update controllerrevisions ds-b',
    ]);
  });

  it('adds a missing hash label (the revision name) to an owned revision', async () => {
    const old = revision('ds-legacy', 1, other, {});
    const f = fakeClient([old]);
    await constructHistory({ client: f.client, revisions: lister([old]), pods: async () => [] }, owner, set);
    const labels = (f.store.get('ds-legacy')?.metadata as { labels?: Record<string, string> } | undefined)?.labels;
    assert.equal(labels?.['controller-revision-hash'], 'ds-legacy');
  });
});

describe('cleanupHistory', () => {
  it('deletes the oldest revisions beyond the limit that no live pod carries', async () => {
    const limited = ds();
    (limited.spec as { revisionHistoryLimit?: number }).revisionHistoryLimit = 1;
    const olds = [revision('ds-r3', 3, other), revision('ds-r1', 1, other), revision('ds-r2', 2, other)] as CachedObject[];
    const f = fakeClient();
    await cleanupHistory({ client: f.client, revisions: lister([]), pods: async () => [] }, limited, olds, [pod('live', { hash: 'r1' })]);
    assert.deepEqual(f.calls, ['delete controllerrevisions ds-r2', 'delete controllerrevisions ds-r3']);
  });
});
