/** The simulated local provisioner's pure parts: which claims and volumes it acts on, and the PV it makes. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provisionedVolume, shouldDelete, shouldProvision, standardStorageClass, volumePath } from '../../../../src/controllers/localprovisioner';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../../src/controllers/persistentvolume/types';
import { deleteStorageAsset } from '../../../../src/controllers/persistentvolume/reclaim';

const P = 'kubelab.dev/local-path-simulated';
const claim = (ann: Record<string, string>, extra: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'ns', uid: 'u1', resourceVersion: '7', annotations: ann },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, storageClassName: 'standard', ...extra },
});

describe('simulated local provisioner', () => {
  const wffc = standardStorageClass();
  const immediate = standardStorageClass('Immediate');

  it('provisions only claims handed to it, waiting for a node under WaitForFirstConsumer', () => {
    const handed = { 'volume.kubernetes.io/storage-provisioner': P };
    assert.equal(shouldProvision(claim(handed), wffc), false);
    assert.equal(shouldProvision(claim({ ...handed, 'volume.kubernetes.io/selected-node': 'n1' }), wffc), true);
    assert.equal(shouldProvision(claim(handed), immediate), true);
    assert.equal(shouldProvision(claim({ 'volume.beta.kubernetes.io/storage-provisioner': P }), immediate), true);
    assert.equal(shouldProvision(claim({ 'volume.kubernetes.io/storage-provisioner': 'other.io/x' }), immediate), false);
    assert.equal(shouldProvision(claim(handed, { volumeName: 'pv' }), immediate), false);
    assert.equal(shouldProvision(claim(handed), { ...immediate, provisioner: 'other.io/x' }), false);
  });

  it('builds the PV: name, capacity, claimRef, policy, path string and node affinity', () => {
    const node = { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'host-1' } } };
    const pv = provisionedVolume(claim({}), wffc, node, '/data/dir/');
    assert.equal(pv.metadata?.name, 'pvc-u1');
    assert.deepEqual(pv.metadata?.annotations, { 'pv.kubernetes.io/provisioned-by': P });
    assert.deepEqual(pv.spec?.capacity, { storage: '2Gi' });
    assert.deepEqual(pv.spec?.claimRef, { kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' });
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
    assert.deepEqual(pv.spec?.hostPath, { path: '/data/dir/pvc-u1_ns_data', type: 'DirectoryOrCreate' });
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-1'] }] }]);
    assert.equal(provisionedVolume(claim({}), immediate, undefined, '/d').spec?.nodeAffinity, undefined);
    assert.equal(volumePath('/x', claim({})), '/x/pvc-u1_ns_data');
  });

  it('deletes only its own Released volumes with policy Delete', () => {
    const pv = (phase: string, policy: string, by = P): PersistentVolume => ({
      metadata: { name: 'v', annotations: { 'pv.kubernetes.io/provisioned-by': by } },
      spec: { persistentVolumeReclaimPolicy: policy },
      status: { phase },
    });
    assert.equal(shouldDelete(pv('Released', 'Delete')), true);
    assert.equal(shouldDelete(pv('Bound', 'Delete')), false);
    assert.equal(shouldDelete(pv('Released', 'Retain')), false);
    assert.equal(shouldDelete(pv('Released', 'Delete', 'other.io/x')), false);
    // The binder leaves such volumes to it (external deleter).
    assert.equal(deleteStorageAsset(pv('Released', 'Delete')), 'external');
  });

  it("the binder's own (simulated) deleters answer as upstream's plugins", () => {
    const hp = (path: string): PersistentVolume => ({ metadata: { name: 'h' }, spec: { hostPath: { path } } });
    assert.equal(deleteStorageAsset(hp('/tmp/x')), 'deleted');
    assert.deepEqual(deleteStorageAsset(hp('/tmp/')), { error: 'host_path deleter only supports /tmp/.+ but received provided /tmp/' });
    assert.deepEqual(deleteStorageAsset({ metadata: { name: 'n' }, spec: { nfs: { server: 's', path: '/p' } } }), {
      error: 'error getting deleter volume plugin for volume "n": no deletable volume plugin matched',
    });
    assert.equal(deleteStorageAsset({ metadata: { name: 'c' }, spec: { csi: { driver: 'd', volumeHandle: 'h' } } }), 'external');
  });
});
