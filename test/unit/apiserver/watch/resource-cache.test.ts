import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ResourceCache } from '../../../../src/apiserver/watch/resource-cache';
import { CacheWatcher } from '../../../../src/apiserver/watch/cache-watcher';
import type { WatchEventOut } from '../../../../src/apiserver/request';
import type { StoredObject } from '../../../../src/api/object';
import { StatusError } from '../../../../src/api/status';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const P = '/registry/pods';

function put(c: ResourceCache, ns: string, name: string, rev: number, labels: Record<string, string> = {}, nodeName = '') {
  const key = `${P}/${ns}/${name}`;
  const value = JSON.stringify({ kind: 'Pod', apiVersion: 'v1', metadata: { name, namespace: ns, labels }, spec: { nodeName } });
  c.apply({ type: 'put', kv: { key, value, createRevision: rev, modRevision: rev, version: 1, lease: '0' } });
}

function del(c: ResourceCache, ns: string, name: string, rev: number) {
  c.apply({ type: 'delete', kv: { key: `${P}/${ns}/${name}`, value: '', createRevision: 0, modRevision: rev, version: 0, lease: '0' } });
}

function watcher(c: ResourceCache, matches: (o: Readonly<StoredObject>) => boolean, opts: { namespace?: string; nodeName?: string } = {}) {
  const got: WatchEventOut[] = [];
  let ended = false;
  const w = new CacheWatcher(1, { matches, ...opts }, { write: (e) => (got.push(e), true), end: () => (ended = true) }, (o) => o, { apiVersion: 'v1', kind: 'Pod' }, 0, (x) => c.removeWatcher(x));
  c.addWatcher(w);
  return { got, w, ended: () => ended };
}

test('objects are listed in key order, per namespace and overall, with resourceVersion = modRevision', () => {
  const c = new ResourceCache(P, 100, () => undefined, 0);
  put(c, 'b', 'x', 1);
  put(c, 'a-b', 'y', 2);
  put(c, 'a', 'z', 3);
  put(c, 'a', 'c', 4);
  assert.deepEqual(c.list().map((o) => o.key), [`${P}/a-b/y`, `${P}/a/c`, `${P}/a/z`, `${P}/b/x`]);
  assert.deepEqual(c.list('a').map((o) => o.name), ['c', 'z']);
  assert.equal(c.get(`${P}/a/c`)?.obj.metadata.resourceVersion, '4');
  assert.ok(Object.isFrozen(c.get(`${P}/a/c`)!.obj.metadata));
  del(c, 'a', 'c', 5);
  assert.deepEqual(c.list('a').map((o) => o.name), ['z']);
  assert.equal(c.size, 3);
});

test('changesSince replays from a revision and is 410 Expired once history is evicted', () => {
  const c = new ResourceCache(P, 3, () => undefined, 10);
  assert.throws(() => c.changesSince(9), (e: StatusError) => e.code === 410 && e.message === 'too old resource version: 9 (11)');
  for (let i = 11; i <= 15; i++) put(c, 'ns', `p${i}`, i);
  assert.deepEqual(c.changesSince(13).map((e) => e.rev), [14, 15]);
  assert.deepEqual(c.changesSince(12).map((e) => e.rev), [13, 14, 15]);
  assert.throws(() => c.changesSince(11), (e: StatusError) => e.reason === 'Expired');
});

test('a label-filtered watcher sees ADDED when an object starts matching and DELETED (old object, new RV) when it stops', () => {
  const c = new ResourceCache(P, 100, () => undefined, 0);
  const { got } = watcher(c, (o) => o.metadata.labels?.app === 'web');
  put(c, 'ns', 'p', 1, { app: 'db' });
  put(c, 'ns', 'p', 2, { app: 'web' });
  put(c, 'ns', 'p', 3, { app: 'web', v: '2' });
  put(c, 'ns', 'p', 4, { app: 'db' });
  put(c, 'ns', 'p', 5, { app: 'web' });
  del(c, 'ns', 'p', 6);
  assert.deepEqual(
    got.map((e) => [e.type, (e.object as StoredObject).metadata.resourceVersion, (e.object as StoredObject).metadata.labels?.app]),
    [
      ['ADDED', '2', 'web'],
      ['MODIFIED', '3', 'web'],
      ['DELETED', '4', 'web'],
      ['ADDED', '5', 'web'],
      ['DELETED', '6', 'web'],
    ],
  );
});

test('namespace and node-indexed watchers only get their own objects', () => {
  const c = new ResourceCache(P, 100, () => undefined, 0);
  const ns = watcher(c, () => true, { namespace: 'a' });
  const node = watcher(c, (o) => (o.spec as { nodeName?: string }).nodeName === 'n1', { nodeName: 'n1' });
  put(c, 'a', 'p1', 1);
  put(c, 'b', 'p2', 2, {}, 'n1');
  put(c, 'b', 'p2', 3, {}, 'n2');
  assert.deepEqual(ns.got.map((e) => e.type), ['ADDED']);
  assert.deepEqual(node.got.map((e) => [e.type, (e.object as StoredObject).metadata.resourceVersion]), [['ADDED', '2'], ['DELETED', '3']]);
});

test('a watcher whose sink is full is stopped and forgotten', () => {
  const c = new ResourceCache(P, 100, () => undefined, 0);
  let ended = false;
  const w = new CacheWatcher(7, { matches: () => true }, { write: () => false, end: () => (ended = true) }, (o) => o, { apiVersion: 'v1', kind: 'Pod' }, 0, (x) => c.removeWatcher(x));
  c.addWatcher(w);
  put(c, 'ns', 'p', 1);
  assert.ok(ended);
  assert.equal(c.watchers.size, 0);
});

test('a corrupt stored value is skipped and reported', () => {
  const bad: string[] = [];
  const c = new ResourceCache(P, 100, (k) => bad.push(k), 0);
  c.loadKv(`${P}/ns/x`, '{not json', 1);
  assert.deepEqual(bad, [`${P}/ns/x`]);
  assert.equal(c.size, 0);
});

test('an event evicted from history no longer holds its object (memory stays at historyEvents events)', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const c = new ResourceCache(P, 100, () => undefined, 0);
  // p0 is created and then deleted: once its two events leave the history, nothing else refers to its objects
  put(c, 'ns', 'p0', 1);
  const ref = new WeakRef(c.get(`${P}/ns/p0`)!.obj);
  del(c, 'ns', 'p0', 2);
  // 150 more events: the first two are evicted, and the history array is not cut yet (that waits for 1,024)
  for (let i = 3; i < 153; i++) put(c, 'ns', `p${i}`, i);
  assert.throws(() => c.changesSince(1), (e: StatusError) => e.reason === 'Expired');
  await new Promise((r) => setImmediate(r));
  gc();
  assert.equal(ref.deref(), undefined, 'the evicted object is still reachable');
});

test('several keys changed in one revision (a lease ending) each reach a watcher once; replays do not repeat them', () => {
  const c = new ResourceCache(P, 100, () => undefined, 0);
  put(c, 'ns', 'a', 1);
  put(c, 'ns', 'b', 2);
  put(c, 'ns', 'c', 3);
  const { got, w } = watcher(c, () => true);
  del(c, 'ns', 'a', 4);
  del(c, 'ns', 'b', 4);
  del(c, 'ns', 'c', 4);
  assert.deepEqual(got.map((e) => [e.type, (e.object as StoredObject).metadata.name]), [['DELETED', 'a'], ['DELETED', 'b'], ['DELETED', 'c']]);
  // The same events again (a replay overlapping live delivery) are not sent twice.
  for (const e of c.changesSince(3)) w.deliver(e);
  assert.equal(got.length, 3);
  put(c, 'ns', 'd', 5);
  assert.deepEqual(got.map((e) => e.type), ['DELETED', 'DELETED', 'DELETED', 'ADDED']);
  // A watcher starting at revision 4 has seen everything at 4.
  const late = watcher(c, () => true);
  late.w.lastRev = 4;
  for (const e of c.changesSince(3)) late.w.deliver(e);
  assert.deepEqual(late.got.map((e) => [e.type, (e.object as StoredObject).metadata.name]), [['ADDED', 'd']]);
});

test('bookmarks follow upstream’s schedule: every bookmarkMs, one 2 s before the deadline, none after it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const c = new ResourceCache(P, 100, () => undefined, 0);
  const at = (got: WatchEventOut[], times: number[]) => got.filter((e) => e.type === 'BOOKMARK').length === times.length;
  const run = (timeoutMs: number | undefined, until: number) => {
    const { got, w, ended } = watcher(c, () => true);
    const seen: number[] = [];
    const start = Date.now();
    w.startTimers(60_000, timeoutMs, () => 7);
    for (let ms = 0; ms < until; ms += 500) {
      const before = got.length;
      t.mock.timers.tick(500);
      if (got.length > before && got[got.length - 1]!.type === 'BOOKMARK') seen.push(Date.now() - start);
    }
    assert.ok(at(got, seen));
    return { seen, got, ended: ended() };
  };
  const long = run(150_000, 200_000);
  assert.deepEqual(long.seen, [60_000, 120_000, 148_000]);
  assert.equal(long.ended, true);
  assert.deepEqual((long.got[0]!.object as { metadata: unknown }).metadata, { resourceVersion: '7' });
  assert.deepEqual(run(undefined, 185_000).seen, [60_000, 120_000, 180_000]);
  assert.deepEqual(run(1_500, 10_000).seen, [], 'a deadline under 2 s away: no bookmark');
  const short = run(30_000, 40_000);
  assert.deepEqual(short.seen, [28_000]);
  assert.equal(short.ended, true);
});
