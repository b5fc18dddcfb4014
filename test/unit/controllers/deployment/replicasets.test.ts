import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { byRevision, bySizeNewer, bySizeOlder, equalIgnoreHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, getProportion, isSaturated, maxRevision, revisionOf } from '../../../../src/controllers/deployment/replicasets';
import { computeHash, fnv1a32 } from '../../../../src/controllers/deployment/hash';
import { deployment, replicaSet } from './fake-env';

const names = (rss: { metadata?: { name?: string } }[]) => rss.map((r) => r.metadata?.name);

test('fnv1a32 matches the FNV-1a reference vectors', () => {
  const cases: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [s, h] of cases) assert.equal(fnv1a32(Buffer.from(s)), h, s);
});

test('computeHash: safe-encoded, stable across key order, changed by the template and by collisionCount', () => {
  const t1 = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const t1b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web' } } };
  const h = computeHash(t1);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(computeHash(t1b), h);
  assert.notEqual(computeHash({ ...t1, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), h);
  assert.notEqual(computeHash(t1, 1), h);
  assert.notEqual(computeHash(t1, 1), computeHash(t1, 2));
  assert.equal(computeHash(t1, 0) === h, false, 'a collisionCount of 0 is still hashed in (upstream writes it when non-nil)');
});

test('equalIgnoreHash ignores only the pod-template-hash label (and empty vs absent fields)', () => {
  const d = deployment({ replicas: 1 });
  const rs = replicaSet('web-abc', 1, { image: 'nginx:1' });
  assert.equal(equalIgnoreHash(rs.spec?.template, d.spec?.template), true);
  assert.equal(equalIgnoreHash({ ...d.spec!.template, metadata: { labels: { app: 'web' }, annotations: {} } }, d.spec?.template), true);
  assert.equal(equalIgnoreHash({ ...d.spec!.template, metadata: { labels: { app: 'web', x: 'y' } } }, d.spec?.template), false);
  assert.equal(equalIgnoreHash(replicaSet('web-def', 1, { image: 'nginx:2' }).spec?.template, d.spec?.template), false);
});

test('findNewReplicaSet picks the oldest matching; findOldReplicaSets splits active from all', () => {
  const d = deployment({ replicas: 3 });
  const a = replicaSet('a', 0, { image: 'nginx:1', ageS: 10 });
  const b = replicaSet('b', 2, { image: 'nginx:1', ageS: 20 });
  const c = replicaSet('c', 1, { image: 'nginx:0', ageS: 30 });
  const z = replicaSet('z', 0, { image: 'nginx:-1', ageS: 40 });
  assert.equal(findNewReplicaSet(d, [a, b, c])?.metadata?.name, 'b');
  const [active, all] = findOldReplicaSets(d, [a, b, c, z]);
  assert.deepEqual(names(active), ['c']);
  assert.deepEqual(names(all), ['a', 'c', 'z']);
});

test('orderings: by size then age, by revision then age', () => {
  const rs = [replicaSet('s-old', 2, { ageS: 30 }), replicaSet('big', 5, { ageS: 10 }), replicaSet('s-new', 2, { ageS: 5 })];
  assert.deepEqual(names([...rs].sort(bySizeOlder)), ['big', 's-old', 's-new']);
  assert.deepEqual(names([...rs].sort(bySizeNewer)), ['big', 's-new', 's-old']);
  const revs = [replicaSet('r10', 0, { revision: '10', ageS: 1 }), replicaSet('r2', 0, { revision: '2', ageS: 2 }), replicaSet('bad', 0, { revision: 'x', ageS: 50 }), replicaSet('r2b', 0, { revision: '2', ageS: 9 })];
  assert.deepEqual(names([...revs.slice(0, 2), revs[3]].sort(byRevision)), ['r2b', 'r2', 'r10']);
  assert.equal(revisionOf(revs[2]), undefined);
  assert.equal(revisionOf(replicaSet('none', 0)), 0);
  assert.equal(maxRevision(revs), 10);
});

test('findActiveOrLatest: the single active one, the newest when none is active, nothing when several are', () => {
  const n = replicaSet('new', 0, { ageS: 1 });
  assert.equal(findActiveOrLatest(n, [replicaSet('o1', 0, { ageS: 5 })])?.metadata?.name, 'new');
  assert.equal(findActiveOrLatest(undefined, [replicaSet('o1', 0, { ageS: 5 }), replicaSet('o2', 0, { ageS: 2 })])?.metadata?.name, 'o2');
  assert.equal(findActiveOrLatest(n, [replicaSet('o1', 3, { ageS: 5 })])?.metadata?.name, 'o1');
  assert.equal(findActiveOrLatest(replicaSet('new', 1), [replicaSet('o1', 3, { ageS: 5 })]), undefined);
  assert.equal(findActiveOrLatest(undefined, []), undefined);
});

test('isSaturated needs replicas, the desired-replicas annotation and availability all equal to spec.replicas', () => {
  const d = deployment({ replicas: 3 });
  assert.equal(isSaturated(d, replicaSet('n', 3, { desired: 3 })), true);
  assert.equal(isSaturated(d, replicaSet('n', 3)), false);
  assert.equal(isSaturated(d, replicaSet('n', 3, { desired: 2 })), false);
  assert.equal(isSaturated(d, replicaSet('n', 3, { desired: 3, available: 2 })), false);
});

test('getProportion (upstream TestGetProportion-style): fraction of the max-replicas annotation, clamped to what is left', () => {
  const d = deployment({ replicas: 10, maxSurge: 0, maxUnavailable: 1 });
  assert.equal(getProportion(replicaSet('a', 2, { max: 5 }), d, 5, 0), 2);
  assert.equal(getProportion(replicaSet('a', 3, { max: 5 }), d, 5, 4), 1);
  assert.equal(getProportion(replicaSet('a', 0, { max: 5 }), d, 5, 0), 0);
  assert.equal(getProportion(undefined, d, 5, 0), 0);
  assert.equal(getProportion(replicaSet('a', 8, { max: 13 }), deployment({ replicas: 8, maxSurge: 0, maxUnavailable: 1 }), -5, 0), -3);
  assert.equal(getProportion(replicaSet('a', 4, { max: 13 }), deployment({ replicas: 0, maxSurge: 0, maxUnavailable: 1 }), -13, -2), -4);
});
