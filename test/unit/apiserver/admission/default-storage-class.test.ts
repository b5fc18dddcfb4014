/** DefaultStorageClass: which class a claim without one gets (newest default wins), and which claims are left alone. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDefaultStorageClassPlugin, defaultStorageClassName } from '../../../../src/apiserver/admission/default-storage-class';
import { attributes, context, FakeCluster } from './fake-cluster';

type Obj = Record<string, unknown>;

const sc = (name: string, created: string, annotations: Record<string, string> = {}): Obj => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, creationTimestamp: created, annotations },
  provisioner: 'example.com/p',
});
const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };
const BETA_DEFAULT = { 'storageclass.beta.kubernetes.io/is-default-class': 'true' };

describe('default StorageClass choice (GetDefaultClass)', () => {
  const cases: [string, Obj[], string | undefined][] = [
    ['none', [sc('a', '2024-01-01T00:00:00Z')], undefined],
    ['annotation value must be "true"', [sc('a', '2024-01-01T00:00:00Z', { 'storageclass.kubernetes.io/is-default-class': 'false' })], undefined],
    ['one default', [sc('a', '2024-01-01T00:00:00Z'), sc('b', '2024-01-01T00:00:00Z', DEFAULT)], 'b'],
    ['beta annotation', [sc('beta', '2024-01-01T00:00:00Z', BETA_DEFAULT)], 'beta'],
    ['newest of several', [sc('old', '2024-01-01T00:00:00Z', DEFAULT), sc('new', '2024-03-01T00:00:00Z', DEFAULT), sc('mid', '2024-02-01T00:00:00Z', DEFAULT)], 'new'],
    ['same time: smaller name', [sc('zeta', '2024-01-01T00:00:00Z', DEFAULT), sc('alpha', '2024-01-01T00:00:00Z', DEFAULT)], 'alpha'],
  ];
  for (const [name, classes, want] of cases) it(name, () => assert.equal(defaultStorageClassName(classes), want));
});

describe('DefaultStorageClass plugin', () => {
  const claim = (spec: Obj = {}, annotations?: Record<string, string>): Obj => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });
  const cluster = () => {
    const c = new FakeCluster();
    c.add('storageclasses', sc('standard', '2024-01-01T00:00:00Z', DEFAULT));
    c.add('storageclasses', sc('fast', '2024-02-01T00:00:00Z'));
    return c;
  };
  const cases: [string, Obj, unknown][] = [
    ['no storageClassName: the default', claim(), 'standard'],
    ['null storageClassName: the default', claim({ storageClassName: null }), 'standard'],
    ['explicit "" (no class) is kept', claim({ storageClassName: '' }), ''],
    ['explicit class is kept', claim({ storageClassName: 'fast' }), 'fast'],
    ['beta class annotation: left alone', claim({}, { 'volume.beta.kubernetes.io/storage-class': 'fast' }), undefined],
  ];
  for (const [name, obj, want] of cases)
    it(name, async () => {
      const attrs = attributes('CREATE', '', 'persistentvolumeclaims', obj);
      const plugin = createDefaultStorageClassPlugin();
      assert.equal(plugin.handles(attrs), true);
      await plugin.admit(attrs, context(cluster()));
      assert.equal((attrs.object!.spec as Obj).storageClassName, want);
    });

  it('only claim CREATE', () => {
    const plugin = createDefaultStorageClassPlugin();
    assert.equal(plugin.handles(attributes('UPDATE', '', 'persistentvolumeclaims', claim(), { oldObject: claim() })), false);
    assert.equal(plugin.handles(attributes('CREATE', '', 'persistentvolumeclaims', claim(), { subresource: 'status' })), false);
    assert.equal(plugin.handles(attributes('CREATE', '', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })), false);
  });

  it('no default class: the claim is unchanged', async () => {
    const attrs = attributes('CREATE', '', 'persistentvolumeclaims', claim());
    await createDefaultStorageClassPlugin().admit(attrs, context(new FakeCluster()));
    assert.equal('storageClassName' in (attrs.object!.spec as Obj), false);
  });
});
