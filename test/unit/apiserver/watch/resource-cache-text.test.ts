/**
 * The watch cache in text mode (Events): objects kept as their stored JSON and decoded when read. Every case runs
 * the same changes through a decoded cache and a text cache and requires the same gets, lists, watch events and
 * history; plus what only text mode does (the write's hint consumed, not kept; corrupt values refused at once).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ResourceCache } from '../../../../src/apiserver/watch/resource-cache';
import { CacheWatcher } from '../../../../src/apiserver/watch/cache-watcher';
import { TextCachedObject } from '../../../../src/apiserver/watch/cached-object';
import type { WatchEventOut } from '../../../../src/apiserver/request';
import type { StoredObject } from '../../../../src/api/object';

const P = '/registry/events';

function event(ns: string, name: string, reason: string, count: number): string {
  return JSON.stringify({ kind: 'Event', apiVersion: 'v1', metadata: { name, namespace: ns, labels: { r: reason } }, reason, count, involvedObject: { kind: 'Pod', name: 'p' } });
}

type Change = ['put', string, string, string, number] | ['del', string, string];

function applyAll(c: ResourceCache, changes: Change[], rev0 = 1): void {
  changes.forEach((ch, i) => {
    const rev = rev0 + i;
    const key = ch[1] ? `${P}/${ch[1]}/${ch[2]}` : `${P}/${ch[2]}`;
    if (ch[0] === 'put') c.apply({ type: 'put', kv: { key, value: event(ch[1], ch[2], ch[3], ch[4]), createRevision: rev, modRevision: rev, version: 1, lease: '0' } });
    else c.apply({ type: 'delete', kv: { key, value: '', createRevision: 0, modRevision: rev, version: 0, lease: '0' } });
  });
}

function watch(c: ResourceCache, matches: (o: Readonly<StoredObject>) => boolean, namespace?: string): WatchEventOut[] {
  const got: WatchEventOut[] = [];
  const w = new CacheWatcher(1, { matches, namespace }, { write: (e) => (got.push(e), true), end: () => undefined }, (o) => o, { apiVersion: 'v1', kind: 'Event' }, 0, (x) => c.removeWatcher(x));
  c.addWatcher(w);
  return got;
}

const CHANGES: Change[] = [
  ['put', 'a', 'e1', 'Pulled', 1],
  ['put', 'b', 'e2', 'Created', 1],
  ['put', 'a', 'e1', 'Pulled', 2],
  ['put', 'a', 'e3', 'Started', 1],
  ['del', 'a', 'e1'],
  ['put', 'b', 'e2', 'Started', 3],
  ['put', '', 'cluster-wide', 'Odd', 1],
];

test('text mode: gets, lists, history and watch events equal the decoded cache\'s', () => {
  const [dec, txt] = [false, true].map((text) => new ResourceCache(P, 100, () => undefined, 0, undefined, text));
  const watches = [dec, txt].map((c) => ({ all: watch(c, () => true), ns: watch(c, () => true, 'a'), label: watch(c, (o) => o.metadata.labels?.r === 'Started') }));
  applyAll(dec, CHANGES);
  applyAll(txt, CHANGES);
  const view = (c: ResourceCache) => c.list().map((o) => [o.key, o.namespace, o.name, o.rev, o.obj]);
  assert.deepEqual(view(txt), view(dec));
  assert.deepEqual(txt.list('a').map((o) => o.obj), dec.list('a').map((o) => o.obj));
  assert.ok(txt.list().every((o) => o instanceof TextCachedObject && Object.isFrozen(o.obj) && Object.isFrozen(o.obj.metadata)));
  assert.equal(txt.get(`${P}/b/e2`)?.obj.metadata.resourceVersion, '6');
  assert.equal(txt.get(`${P}/a/e1`), undefined);
  assert.equal(txt.size, dec.size);
  const hist = (c: ResourceCache) => c.changesSince(0).map((e) => [e.type, e.rev, e.key, e.namespace, e.obj, e.prev]);
  assert.deepEqual(hist(txt), hist(dec));
  for (const k of ['all', 'ns', 'label'] as const) assert.deepEqual(watches[1][k], watches[0][k], k);
  // the label watcher saw e2 start matching (ADDED at 6) and e3 added, the namespace watcher e1's delete at rev 5
  assert.deepEqual(watches[1].label.map((e) => [e.type, (e.object as StoredObject).metadata.name]), [['ADDED', 'e3'], ['ADDED', 'e2']]);
  assert.deepEqual(watches[1].ns.filter((e) => e.type === 'DELETED').map((e) => (e.object as StoredObject).metadata.resourceVersion), ['5']);
});

test('text mode: a write announced by this server is taken as text, the announced object is not kept', () => {
  const announced = JSON.parse(event('a', 'e1', 'Pulled', 1)) as StoredObject;
  const asked: string[] = [];
  const c = new ResourceCache(P, 100, () => undefined, 0, (key) => (asked.push(key), announced), true);
  applyAll(c, [['put', 'a', 'e1', 'Pulled', 1]]);
  assert.deepEqual(asked, [`${P}/a/e1`], 'the hint is consumed');
  const o = c.get(`${P}/a/e1`)!;
  assert.notEqual(o.obj, announced);
  assert.equal(Object.isFrozen(announced), false, 'the announced object is left to its writer');
  assert.deepEqual(o.obj, { ...announced, metadata: { ...announced.metadata, resourceVersion: '1' } });
});

test('text mode: a corrupt or non-object stored value is skipped and reported when it arrives', () => {
  const bad: string[] = [];
  const c = new ResourceCache(P, 100, (k) => bad.push(k), 0, undefined, true);
  c.loadKv(`${P}/ns/x`, '{not json', 1);
  c.apply({ type: 'put', kv: { key: `${P}/ns/y`, value: '[1,2]', createRevision: 2, modRevision: 2, version: 1, lease: '0' } });
  c.apply({ type: 'put', kv: { key: `${P}/ns/z`, value: 'null', createRevision: 3, modRevision: 3, version: 1, lease: '0' } });
  assert.deepEqual(bad, [`${P}/ns/x`, `${P}/ns/y`, `${P}/ns/z`]);
  assert.equal(c.size, 0);
  c.loadKv(`${P}/ns/ok`, event('ns', 'ok', 'Pulled', 1), 4);
  assert.equal(c.get(`${P}/ns/ok`)?.obj.reason, 'Pulled');
});
