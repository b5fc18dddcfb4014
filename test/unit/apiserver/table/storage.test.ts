import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEC, ago, headers, meta, resource, table } from './fixtures';

describe('persistentvolumes table', () => {
  const pvs = resource('persistentvolumes');
  it('columns', () => {
    assert.deepEqual(headers(table(pvs, [])), ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE', '+VOLUMEMODE']);
  });
  it('bound, available and terminating volumes', () => {
    const t = table(pvs, [
      {
        metadata: meta('pv-data', { namespace: undefined }),
        spec: {
          capacity: { storage: '1.5Gi' },
          accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          claimRef: { namespace: 'db', name: 'data-pg-0' },
          storageClassName: 'standard',
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Bound' },
      },
      {
        metadata: meta('pv-free', { annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } }),
        spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadOnlyMany', 'ReadWriteOncePod'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'ignored', volumeAttributesClassName: 'gold' },
        status: { phase: 'Available' },
      },
      { metadata: meta('pv-gone', { deletionTimestamp: ago(SEC) }), spec: { capacity: { storage: '500Mi' } }, status: { phase: 'Released', reason: 'Failed' } },
    ]);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['pv-data', '1536Mi', 'RWO,RWX', 'Retain', 'Bound', 'db/data-pg-0', 'standard', '<unset>', '', '5m', 'Filesystem'],
      ['pv-free', '10Gi', 'ROX,RWOP', 'Delete', 'Available', '', 'legacy', 'gold', '', '5m', '<unset>'],
      ['pv-gone', '500Mi', '', '', 'Terminating', '', '', '<unset>', 'Failed', '5m', '<unset>'],
    ]);
  });
});

describe('persistentvolumeclaims table', () => {
  const pvcs = resource('persistentvolumeclaims');
  it('columns', () => {
    assert.deepEqual(headers(table(pvcs, [])), ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', '+VOLUMEMODE']);
  });
  it('capacity and access modes appear only once bound to a volume', () => {
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem' };
    const t = table(pvcs, [
      { metadata: meta('data-pg-0'), spec: { ...spec, volumeName: 'pvc-3f1c' }, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } } },
      { metadata: meta('pending'), spec, status: { phase: 'Pending' } },
      { metadata: meta('no-class', { deletionTimestamp: ago(SEC) }), spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } },
    ]);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['data-pg-0', 'Bound', 'pvc-3f1c', '2Gi', 'RWO', 'standard', '<unset>', '5m', 'Filesystem'],
      ['pending', 'Pending', '', '', '', 'standard', '<unset>', '5m', 'Filesystem'],
      ['no-class', 'Terminating', '', '', '', '', '<unset>', '5m', '<unset>'],
    ]);
  });
});

describe('storageclasses table', () => {
  const scs = resource('storageclasses');
  it('the default class is marked, defaults for unset policies', () => {
    const t = table(scs, [
      { metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' },
      { metadata: meta('fast', { annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }), provisioner: 'csi.example.com', allowVolumeExpansion: true },
      { metadata: meta('archive', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } }), provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Retain' },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '5m'],
      ['fast (default)', 'csi.example.com', 'Delete', 'Immediate', true, '5m'],
      ['archive', 'kubernetes.io/no-provisioner', 'Retain', 'Immediate', false, '5m'],
    ]);
  });
});
