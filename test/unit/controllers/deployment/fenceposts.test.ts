import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts, valueFromIntOrPercent } from '../../../../src/controllers/deployment/fenceposts';
import { deployment, replicaSet } from './fake-env';

const NOT_PCT = 'invalid value for IntOrString: invalid type: string is not a percentage';

test('resolveFenceposts: surge rounds up, unavailable rounds down, 0/0 gives unavailable 1 (upstream TestResolveFenceposts)', () => {
  const cases: [number | string, number | string, number, [number, number] | string][] = [
    ['0', '0', 0, NOT_PCT],
    ['0%', '0%', 0, [0, 1]],
    ['39%', '39%', 10, [4, 3]],
    ['oops', '1', 10, NOT_PCT],
    ['55%', 'urg', 10, NOT_PCT],
    ['5', '1', 10, NOT_PCT],
    [5, 1, 10, [5, 1]],
    ['25%', '25%', 3, [1, 0]],
    ['25%', '25%', 4, [1, 1]],
    ['25%', '25%', 1, [1, 0]],
    ['0%', '0%', 10, [0, 1]],
    [0, '1%', 10, [0, 1]],
    ['1%', 0, 2, [1, 0]],
    ['50%', '50%', 5, [3, 2]],
    ['x%', 0, 2, 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax'],
  ];
  for (const [s, u, desired, want] of cases) {
    if (typeof want === 'string') assert.throws(() => resolveFenceposts(s, u, desired), { message: want }, `${s}/${u}/${desired}`);
    else assert.deepEqual(resolveFenceposts(s, u, desired), want, `${s}/${u}/${desired}`);
  }
});

test('maxSurge / maxUnavailable: Recreate has none; unavailable is 0 at 0 replicas and capped at replicas', () => {
  assert.equal(maxSurge(deployment({ replicas: 3, type: 'Recreate' })), 0);
  assert.equal(maxUnavailable(deployment({ replicas: 3, type: 'Recreate' })), 0);
  assert.equal(maxUnavailable(deployment({ replicas: 0, maxUnavailable: 5 })), 0);
  assert.equal(maxUnavailable(deployment({ replicas: 2, maxUnavailable: 5 })), 2);
  assert.equal(maxSurge(deployment({ replicas: 10, maxSurge: '25%' })), 3);
  assert.equal(maxUnavailable(deployment({ replicas: 10, maxUnavailable: '25%' })), 2);
});

test('newRSNewReplicas (upstream TestNewRSNewReplicas)', () => {
  const cases: { name: string; type: 'RollingUpdate' | 'Recreate'; replicas: number; newRS: number; surge: number; want: number }[] = [
    { name: 'can not scale up - to newRSReplicas', type: 'RollingUpdate', replicas: 1, newRS: 5, surge: 1, want: 5 },
    { name: 'scale up - to depReplicas', type: 'RollingUpdate', replicas: 6, newRS: 2, surge: 10, want: 6 },
    { name: 'recreate - to depReplicas', type: 'Recreate', replicas: 3, newRS: 1, surge: 1, want: 3 },
  ];
  for (const c of cases) {
    const d = deployment({ replicas: c.replicas, type: c.type, maxSurge: c.surge, maxUnavailable: 1 });
    const rs = replicaSet('web-new', c.newRS);
    assert.equal(newRSNewReplicas(d, [rs], rs), c.want, c.name);
  }
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  assert.equal(newRSNewReplicas(d, [replicaSet('old', 10), replicaSet('new', 0)], replicaSet('new', 0)), 3);
  assert.equal(newRSNewReplicas(d, [replicaSet('old', 8), replicaSet('new', 3)], replicaSet('new', 3)), 5);
});

test('property: the new ReplicaSet never takes the total over replicas + maxSurge, nor itself over replicas', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (replicas, surgePct, oldN, newN) => {
      const d = deployment({ replicas, maxSurge: `${surgePct}%`, maxUnavailable: 1 });
      const nrs = replicaSet('new', Math.min(newN, replicas));
      const all = [replicaSet('old', oldN), nrs];
      const got = newRSNewReplicas(d, all, nrs);
      const surge = valueFromIntOrPercent(`${surgePct}%`, replicas, true);
      assert.ok(got >= (nrs.spec?.replicas ?? 0));
      assert.ok(got <= Math.max(replicas, nrs.spec?.replicas ?? 0));
      if (got > (nrs.spec?.replicas ?? 0)) assert.ok(oldN + got <= replicas + surge);
    }),
  );
});
