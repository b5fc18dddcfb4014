/** Pod identity and storage of StatefulSet members, after upstream stateful_set_utils_test.go. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  claimsFor,
  getOrdinal,
  identityMatches,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  parentNameAndOrdinal,
  podInOrdinalRange,
  storageMatches,
  updateIdentity,
  updateStorage,
} from '../../../../src/controllers/statefulset/identity';
import type { Pod, StatefulSet } from '../../../../src/controllers/statefulset/types';

function set(o: { replicas?: number; start?: number; partition?: number; type?: string; currentReplicas?: number } = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid' },
    spec: {
      replicas: o.replicas ?? 3,
      ordinals: o.start === undefined ? undefined : { start: o.start },
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      updateStrategy: { type: o.type ?? 'RollingUpdate', rollingUpdate: o.partition === undefined ? undefined : { partition: o.partition } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] } },
      volumeClaimTemplates: [
        { metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'] } },
        { metadata: { name: 'logs' }, spec: {} },
      ],
    },
    status: { replicas: 0, availableReplicas: 0, currentReplicas: o.currentReplicas ?? 0 },
  };
}

describe('statefulset identity', () => {
  it('parses parent and ordinal from pod names as upstream statefulPodRegex', () => {
    const cases: [string, string, number][] = [
      ['web-0', 'web', 0],
      ['web-12', 'web', 12],
      ['my-web-3', 'my-web', 3],
      ['web', '', -1],
      ['web-', '', -1],
      ['web-a1', '', -1],
      ['web-2147483647', 'web', 2147483647],
      ['web-2147483648', 'web', -1],
    ];
    for (const [name, parent, ordinal] of cases) assert.deepEqual(parentNameAndOrdinal(name), { parent, ordinal }, name);
  });

  it('builds a member: name, labels, hostname/subdomain, claim volumes replacing same-named ones, owner', () => {
    const pod = newStatefulSetPod(set(), 1);
    assert.equal(pod.metadata.name, 'web-1');
    assert.equal(pod.metadata.generateName, 'web-');
    assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
    assert.equal(pod.spec?.hostname, 'web-1');
    assert.equal(pod.spec?.subdomain, 'nginx');
    assert.deepEqual(pod.spec?.volumes, [
      { name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } },
      { name: 'logs', persistentVolumeClaim: { claimName: 'logs-web-1' } },
      { name: 'cfg', configMap: { name: 'c' } },
    ]);
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
    assert.ok(identityMatches(set(), pod));
    assert.ok(storageMatches(set(), pod));
  });

  it('names claims <template>-<set>-<ordinal> with the selector labels over the template labels', () => {
    const claims = claimsFor(set(), { metadata: { name: 'web-4' } });
    assert.deepEqual([...claims.keys()], ['www', 'logs']);
    assert.deepEqual(claims.get('www')?.metadata, { name: 'www-web-4', namespace: 'ns', labels: { tier: 'data', app: 'web' } });
    assert.deepEqual(claims.get('logs')?.metadata, { name: 'logs-web-4', namespace: 'ns', labels: { app: 'web' } });
  });

  it('detects drifted identity and storage, and repairs them', () => {
    const s = set();
    const pod = newStatefulSetPod(s, 2);
    const noLabel: Pod = structuredClone(pod);
    delete noLabel.metadata.labels?.['statefulset.kubernetes.io/pod-name'];
    assert.equal(identityMatches(s, noLabel), false);
    updateIdentity(s, noLabel);
    assert.ok(identityMatches(s, noLabel));
    assert.equal(identityMatches(s, { ...pod, metadata: { ...pod.metadata, namespace: 'other' } }), false);
    assert.equal(identityMatches(s, { ...pod, metadata: { ...pod.metadata, name: 'db-2' } }), false);
    const wrongClaim: Pod = structuredClone(pod);
    wrongClaim.spec!.volumes![0] = { name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } };
    assert.equal(storageMatches(s, wrongClaim), false);
    updateStorage(s, wrongClaim);
    assert.ok(storageMatches(s, wrongClaim));
    assert.equal(storageMatches(s, { metadata: { name: 'web' } }), false);
  });

  it('keeps ordinals in [start, start+replicas)', () => {
    const s = set({ replicas: 2, start: 3 });
    assert.deepEqual([2, 3, 4, 5].map((o) => podInOrdinalRange({ metadata: { name: `web-${o}` } }, s)), [false, true, true, false]);
    assert.equal(getOrdinal(newStatefulSetPod(s, 3)), 3);
  });

  it('builds pods below the partition at the current revision, the others at the update revision', () => {
    const cur = set({ partition: 2, start: 1 });
    const upd = structuredClone(cur);
    (upd.spec.template!.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:2';
    const rev = (o: number) => newVersionedStatefulSetPod(cur, upd, 'web-cur', 'web-upd', o);
    assert.deepEqual([1, 2, 3, 4].map((o) => rev(o).metadata.labels?.['controller-revision-hash']), ['web-cur', 'web-cur', 'web-upd', 'web-upd']);
    assert.equal((rev(3).spec as { containers: { image: string }[] }).containers[0].image, 'nginx:2');
    // RollingUpdate without rollingUpdate: status.currentReplicas decides; OnDelete: always the update revision.
    const noRu = set({ currentReplicas: 1 });
    assert.deepEqual([0, 1].map((o) => newVersionedStatefulSetPod(noRu, noRu, 'c', 'u', o).metadata.labels?.['controller-revision-hash']), ['c', 'u']);
    const onDelete = set({ type: 'OnDelete', currentReplicas: 3 });
    assert.equal(newVersionedStatefulSetPod(onDelete, onDelete, 'c', 'u', 0).metadata.labels?.['controller-revision-hash'], 'u');
  });

  it('property: updateStorage makes storage match and is idempotent', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.array(fc.constantFrom('www', 'logs', 'cfg', 'tmp'), { maxLength: 4 }), (ordinal, names) => {
        const s = set();
        const pod: Pod = { metadata: { name: `web-${ordinal}` }, spec: { volumes: [...new Set(names)].map((name) => ({ name, emptyDir: {} })) } };
        updateStorage(s, pod);
        assert.ok(storageMatches(s, pod));
        const once = structuredClone(pod.spec?.volumes);
        updateStorage(s, pod);
        assert.deepEqual(pod.spec?.volumes, once);
        assert.equal(new Set(pod.spec?.volumes?.map((v) => v.name)).size, pod.spec?.volumes?.length);
      }),
    );
  });
});
