import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { rolloutRolling } from '../../../../src/controllers/deployment/rolling';
import { rolloutRecreate } from '../../../../src/controllers/deployment/recreate';
import { resolveFenceposts } from '../../../../src/controllers/deployment/fenceposts';
import { Work } from '../../../../src/controllers/deployment/work';
import type { ReplicaSet } from '../../../../src/controllers/deployment/types';
import type { CachedObject } from '../../../../src/client/informers';
import { deployment, fakeWorld, replicaSet, setField } from './fake-env';

/** The ReplicaSet controller and kubelet, abstracted: status follows spec; scale-down removes unavailable pods first. */
function settleReplicaSets(rss: Map<string, ReplicaSet>, makeAvailable: (rs: ReplicaSet, unavailable: number) => number): void {
  for (const rs of rss.values()) {
    const want = rs.spec!.replicas!;
    let available = Math.min(rs.status?.availableReplicas ?? 0, want);
    available += Math.min(want - available, makeAvailable(rs, want - available));
    setField(rs, 'status', { replicas: want, readyReplicas: available, availableReplicas: available, observedGeneration: rs.metadata?.generation });
  }
}

const available = (rss: Map<string, ReplicaSet>) => [...rss.values()].reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec!.replicas!), 0);
const total = (rss: Map<string, ReplicaSet>) => [...rss.values()].reduce((n, rs) => n + rs.spec!.replicas!, 0);

test('property: a RollingUpdate never exceeds replicas + maxSurge nor drops below replicas - maxUnavailable, and completes', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 12 }),
      fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)),
      fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 80, maxLength: 80 }),
      async (replicas, s, u, luck) => {
        const [surge, unavail] = resolveFenceposts(s, u, replicas);
        fc.pre(!(surge === 0 && unavail === 0));
        const world = fakeWorld();
        const old = replicaSet('web-old', replicas, { revision: '1', desired: replicas, max: replicas + surge, ageS: 100, image: 'nginx:1' });
        world.rss.set('web-old', old);
        let d = deployment({ replicas, maxSurge: s, maxUnavailable: u, image: 'nginx:2' });
        d.status = { replicas, availableReplicas: replicas, observedGeneration: 1 };
        const maxUnavail = Math.min(unavail, replicas);
        for (let step = 0; step < luck.length; step++) {
          await rolloutRolling(new Work(world.env, d), [...world.rss.values()]);
          d = world.deployment.current ?? d;
          assert.ok(total(world.rss) <= replicas + surge, `step ${step}: ${total(world.rss)} pods wanted > ${replicas}+${surge}`);
          settleReplicaSets(world.rss, () => luck[step]);
          assert.ok(available(world.rss) >= replicas - maxUnavail, `step ${step}: ${available(world.rss)} available < ${replicas}-${maxUnavail}`);
          world.clock.advance(1000);
        }
        // Let every pod become available, then the rollout must finish.
        for (let i = 0; i < 3 * replicas + 6; i++) {
          await rolloutRolling(new Work(world.env, d), [...world.rss.values()]);
          d = world.deployment.current ?? d;
          settleReplicaSets(world.rss, (_rs, n) => n);
        }
        const newRS = [...world.rss.values()].find((rs) => rs.metadata?.name !== 'web-old')!;
        assert.equal(newRS.spec!.replicas, replicas);
        assert.equal(world.rss.get('web-old')!.spec!.replicas, 0);
        assert.equal(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
      },
    ),
    { numRuns: 60 },
  );
});

test('Recreate: old scaled to 0 first; the new ReplicaSet only once no old pod is left', async () => {
  const world = fakeWorld();
  world.rss.set('web-old', replicaSet('web-old', 3, { revision: '1', desired: 3, max: 3, image: 'nginx:1' }));
  let d = deployment({ replicas: 3, type: 'Recreate', image: 'nginx:2' });
  const oldPod: CachedObject = { metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-old', uid: 'uid-web-old', controller: true }] }, status: { phase: 'Running' } };
  const podMap = new Map<string, CachedObject[]>([['uid-web-old', [oldPod]]]);
  await rolloutRecreate(new Work(world.env, d), [...world.rss.values()], podMap);
  d = world.deployment.current ?? d;
  assert.deepEqual(world.events, ['Normal ScalingReplicaSet Scaled down replica set web-old to 0 from 3']);
  settleReplicaSets(world.rss, () => 0);
  await rolloutRecreate(new Work(world.env, d), [...world.rss.values()], podMap);
  assert.equal(world.rss.size, 1, 'an old pod still runs: no new ReplicaSet yet');
  await rolloutRecreate(new Work(world.env, d), [...world.rss.values()], new Map<string, CachedObject[]>([['uid-web-old', [{ ...oldPod, status: { phase: 'Succeeded' } }]]]));
  assert.equal(world.rss.size, 2);
  assert.match(world.events[1], /^Normal ScalingReplicaSet Scaled up replica set web-[a-z0-9]+ to 3$/);
});
