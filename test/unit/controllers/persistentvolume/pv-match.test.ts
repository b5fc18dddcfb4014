/**
 * Claim ↔ volume matching as upstream's findBestMatchForClaim / FindMatchingVolume / checkVolumeSatisfyClaim:
 * table cases after upstream's index_test.go, and a property: the chosen volume always fits the claim, and no
 * fitting volume of the same access-mode group is smaller.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseQuantity } from '../../../../src/api/quantity';
import {
  accessModesKey,
  checkAccessModes,
  checkVolumeSatisfyClaim,
  findBestMatchForClaim,
  findMatchingVolume,
  volumeClass,
} from '../../../../src/controllers/persistentvolume/pv-match';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../../src/controllers/persistentvolume/types';

interface V { name: string; size: string; modes: string[]; cls?: string; labels?: Record<string, string>; ref?: { name: string; uid?: string }; phase?: string; mode?: string; deleting?: boolean }
const vol = (v: V): PersistentVolume => ({
  metadata: { name: v.name, labels: v.labels, ...(v.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: {
    capacity: { storage: v.size },
    accessModes: v.modes,
    storageClassName: v.cls ?? '',
    volumeMode: v.mode,
    ...(v.ref ? { claimRef: { namespace: 'ns', name: v.ref.name, uid: v.ref.uid } } : {}),
  },
  status: { phase: v.phase ?? 'Available' },
});
interface C { size: string; modes: string[]; cls?: string; selector?: Record<string, string>; mode?: string }
const claim = (c: C): PersistentVolumeClaim => ({
  metadata: { name: 'claim', namespace: 'ns', uid: 'uid-1' },
  spec: {
    accessModes: c.modes,
    resources: { requests: { storage: c.size } },
    storageClassName: c.cls ?? '',
    volumeMode: c.mode,
    ...(c.selector ? { selector: { matchLabels: c.selector } } : {}),
  },
});

const VOLUMES: V[] = [
  { name: 'gce-1g', size: '1G', modes: ['ReadWriteOnce', 'ReadOnlyMany'] },
  { name: 'gce-5g', size: '5G', modes: ['ReadWriteOnce', 'ReadOnlyMany'] },
  { name: 'nfs-1g', size: '1G', modes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'] },
  { name: 'nfs-10g', size: '10G', modes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'] },
  { name: 'ebs-8g', size: '8G', modes: ['ReadWriteOnce'] },
  { name: 'gold-20g', size: '20G', modes: ['ReadWriteOnce'], cls: 'gold' },
  { name: 'labelled-3g', size: '3G', modes: ['ReadWriteOnce'], labels: { app: 'db' } },
  { name: 'bound-1g', size: '1G', modes: ['ReadWriteOnce'], ref: { name: 'someone-else', uid: 'x' }, phase: 'Bound' },
  { name: 'pending-500m', size: '500M', modes: ['ReadWriteOnce'], phase: 'Pending' },
  { name: 'block-2g', size: '2G', modes: ['ReadWriteOnce'], mode: 'Block' },
  { name: 'deleting-400m', size: '400M', modes: ['ReadWriteOnce'], deleting: true },
];

describe('findBestMatchForClaim', () => {
  const cases: [string, C, string | undefined][] = [
    ['RWO 1G: the exact RWO group first, smallest fitting', { size: '1G', modes: ['ReadWriteOnce'] }, 'labelled-3g'],
    ['RWO 4G: smallest of the RWO-only group', { size: '4G', modes: ['ReadWriteOnce'] }, 'ebs-8g'],
    ['RWO 9G: nothing in RWO, then RWO+ROX, then the NFS group', { size: '9G', modes: ['ReadWriteOnce'] }, 'nfs-10g'],
    ['ROX 1G: RWO+ROX group before RWO+ROX+RWX', { size: '1G', modes: ['ReadOnlyMany'] }, 'gce-1g'],
    ['RWX 1G: only the NFS group', { size: '1G', modes: ['ReadWriteMany'] }, 'nfs-1g'],
    ['RWX 11G: too big for anything', { size: '11G', modes: ['ReadWriteMany'] }, undefined],
    ['class gold', { size: '1G', modes: ['ReadWriteOnce'], cls: 'gold' }, 'gold-20g'],
    ['class without volumes', { size: '1G', modes: ['ReadWriteOnce'], cls: 'silver' }, undefined],
    ['selector', { size: '1G', modes: ['ReadWriteOnce'], selector: { app: 'db' } }, 'labelled-3g'],
    ['selector without match', { size: '1G', modes: ['ReadWriteOnce'], selector: { app: 'web' } }, undefined],
    ['block mode', { size: '1G', modes: ['ReadWriteOnce'], mode: 'Block' }, 'block-2g'],
    ['RWOP asks for a mode no volume has', { size: '1G', modes: ['ReadWriteOncePod'] }, undefined],
  ];
  for (const [name, c, want] of cases) {
    it(name, () => {
      assert.equal(findBestMatchForClaim(claim(c), VOLUMES.map(vol), false)?.metadata?.name, want);
    });
  }

  it('a volume pre-bound to the claim wins over a smaller one, but must fit', () => {
    const vs = [vol({ name: 'small', size: '1G', modes: ['ReadWriteOnce'] }), vol({ name: 'mine', size: '5G', modes: ['ReadWriteOnce'], ref: { name: 'claim' }, cls: 'x' })];
    assert.equal(findMatchingVolume(claim({ size: '1G', modes: ['ReadWriteOnce'] }), vs, false)?.metadata?.name, 'mine');
    assert.equal(findMatchingVolume(claim({ size: '6G', modes: ['ReadWriteOnce'] }), vs, false)?.metadata?.name, undefined);
    // With the claim's uid in the ref it still matches; another uid does not.
    const withUid = vol({ name: 'mine', size: '5G', modes: ['ReadWriteOnce'], ref: { name: 'claim', uid: 'uid-1' } });
    const other = vol({ name: 'theirs', size: '5G', modes: ['ReadWriteOnce'], ref: { name: 'claim', uid: 'uid-2' } });
    assert.equal(findMatchingVolume(claim({ size: '1G', modes: ['ReadWriteOnce'] }), [other, withUid], true)?.metadata?.name, 'mine');
  });

  it('delay binding (WaitForFirstConsumer) returns only pre-bound volumes', () => {
    const c = claim({ size: '1G', modes: ['ReadWriteOnce'] });
    assert.equal(findBestMatchForClaim(c, VOLUMES.map(vol), true), undefined);
  });

  it('accessModesKey is canonical', () => {
    assert.equal(accessModesKey(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'ReadWriteOnce,ReadWriteMany');
    assert.equal(accessModesKey([]), '');
  });

  it('checkVolumeSatisfyClaim words the mismatch as upstream', () => {
    const c = claim({ size: '2G', modes: ['ReadWriteMany'], cls: 'x' });
    assert.equal(checkVolumeSatisfyClaim(vol({ name: 'a', size: '1G', modes: ['ReadWriteMany'], cls: 'x' }), c), 'requested PV is too small');
    assert.equal(checkVolumeSatisfyClaim(vol({ name: 'a', size: '2G', modes: ['ReadWriteMany'], cls: 'y' }), c), 'storageClassName does not match');
    assert.equal(checkVolumeSatisfyClaim(vol({ name: 'a', size: '2G', modes: ['ReadWriteMany'], cls: 'x', mode: 'Block' }), c), 'incompatible volumeMode');
    assert.equal(checkVolumeSatisfyClaim(vol({ name: 'a', size: '2G', modes: ['ReadWriteOnce'], cls: 'x' }), c), 'incompatible accessMode');
    assert.equal(checkVolumeSatisfyClaim(vol({ name: 'a', size: '2G', modes: ['ReadWriteMany'], cls: 'x', deleting: true }), c), 'the volume is marked for deletion "a"');
    assert.equal(checkVolumeSatisfyClaim(vol({ name: 'a', size: '2Gi', modes: ['ReadWriteMany', 'ReadWriteOnce'], cls: 'x' }), c), undefined);
  });

  it('the beta class annotation wins over spec.storageClassName', () => {
    const v = vol({ name: 'a', size: '1G', modes: ['ReadWriteOnce'], cls: 'spec' });
    v.metadata!.annotations = { 'volume.beta.kubernetes.io/storage-class': 'ann' };
    assert.equal(volumeClass(v), 'ann');
  });

  it('property: the match fits, and nothing smaller in its access-mode group would', () => {
    const modes = fc.subarray(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'], { minLength: 1 });
    const volume = fc.record({ size: fc.integer({ min: 1, max: 20 }), modes, cls: fc.constantFrom('', 'a'), phase: fc.constantFrom('Available', 'Available', 'Released') });
    fc.assert(
      fc.property(fc.array(volume, { maxLength: 12 }), fc.integer({ min: 1, max: 20 }), modes, fc.constantFrom('', 'a'), (vs, size, want, cls) => {
        const volumes = vs.map((v, i) => vol({ name: `v${i}`, size: `${v.size}Gi`, modes: v.modes, cls: v.cls, phase: v.phase }));
        const c = claim({ size: `${size}Gi`, modes: want, cls });
        const got = findBestMatchForClaim(c, volumes, false);
        const fits = (v: PersistentVolume) => v.status?.phase === 'Available' && volumeClass(v) === cls && checkAccessModes(c, v) && parseQuantity(v.spec!.capacity!.storage as string).cmp(parseQuantity(`${size}Gi`)) >= 0;
        if (!got) return volumes.every((v) => !fits(v));
        if (!fits(got)) return false;
        const group = accessModesKey(got.spec?.accessModes);
        const size_ = (v: PersistentVolume) => parseQuantity(v.spec!.capacity!.storage as string);
        const fewerModes = volumes.filter((v) => fits(v) && (v.spec?.accessModes?.length ?? 0) < (got.spec?.accessModes?.length ?? 0));
        return fewerModes.length === 0 && volumes.every((v) => !fits(v) || accessModesKey(v.spec?.accessModes) !== group || size_(v).cmp(size_(got)) >= 0);
      }),
    );
  });
});
