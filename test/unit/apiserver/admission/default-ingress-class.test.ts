/**
 * DefaultIngressClass: which class an Ingress without one gets (newest default wins, ties by name, as upstream's
 * admission_test.go cases), and which Ingresses are left alone (class field, legacy annotation, updates).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDefaultIngressClassPlugin, defaultIngressClassName } from '../../../../src/apiserver/admission/default-ingress-class';
import { resolveAdmissionPlugins } from '../../../../src/apiserver/admission/registry';
import { attributes, context, FakeCluster } from './fake-cluster';

type Obj = Record<string, unknown>;

const ic = (name: string, created: string, annotations: Record<string, string> = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name, creationTimestamp: created, annotations },
  spec: { controller: 'example.com/controller' },
});
const DEFAULT = { 'ingressclass.kubernetes.io/is-default-class': 'true' };

describe('default IngressClass choice (getDefaultClass)', () => {
  const cases: [string, Obj[], string | undefined][] = [
    ['no classes', [], undefined],
    ['no default', [ic('a', '2024-01-01T00:00:00Z')], undefined],
    ['annotation "false"', [ic('a', '2024-01-01T00:00:00Z', { 'ingressclass.kubernetes.io/is-default-class': 'false' })], undefined],
    ['annotation "" ', [ic('a', '2024-01-01T00:00:00Z', { 'ingressclass.kubernetes.io/is-default-class': '' })], undefined],
    ['annotation "True" is not "true"', [ic('a', '2024-01-01T00:00:00Z', { 'ingressclass.kubernetes.io/is-default-class': 'True' })], undefined],
    ['storage class annotation does not count', [ic('a', '2024-01-01T00:00:00Z', { 'storageclass.kubernetes.io/is-default-class': 'true' })], undefined],
    ['one default among others', [ic('a', '2024-01-01T00:00:00Z'), ic('b', '2024-01-01T00:00:00Z', DEFAULT)], 'b'],
    ['two defaults: the newer', [ic('old', '2024-01-01T00:00:00Z', DEFAULT), ic('new', '2024-02-01T00:00:00Z', DEFAULT)], 'new'],
    ['three defaults: the newest', [ic('x', '2024-01-01T00:00:00Z', DEFAULT), ic('z', '2024-03-01T00:00:00Z', DEFAULT), ic('y', '2024-02-01T00:00:00Z', DEFAULT)], 'z'],
    ['same time: the smaller name', [ic('zeta', '2024-01-01T00:00:00Z', DEFAULT), ic('alpha', '2024-01-01T00:00:00Z', DEFAULT)], 'alpha'],
  ];
  for (const [name, classes, want] of cases) it(name, () => assert.equal(defaultIngressClassName(classes), want));
});

describe('DefaultIngressClass plugin', () => {
  const ingress = (spec: Obj = {}, annotations?: Record<string, string>): Obj => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } }, ...spec },
  });
  const cluster = (...classes: Obj[]) => {
    const c = new FakeCluster();
    for (const x of classes) c.add('ingressclasses', x);
    return c;
  };
  const standard = () => cluster(ic('kubelab', '2024-01-01T00:00:00Z', DEFAULT), ic('other', '2024-02-01T00:00:00Z'));
  const cases: [string, Obj, unknown][] = [
    ['no class: the default', ingress(), 'kubelab'],
    ['null class: the default', ingress({ ingressClassName: null }), 'kubelab'],
    ['explicit class is kept', ingress({ ingressClassName: 'other' }), 'other'],
    ['explicit "" is kept (set, even if empty)', ingress({ ingressClassName: '' }), ''],
    ['legacy annotation: left alone', ingress({}, { 'kubernetes.io/ingress.class': 'nginx' }), undefined],
    ['legacy annotation with empty value: left alone', ingress({}, { 'kubernetes.io/ingress.class': '' }), undefined],
    ['other annotations do not matter', ingress({}, { 'example.com/x': 'y' }), 'kubelab'],
  ];
  for (const [name, obj, want] of cases)
    it(name, async () => {
      const attrs = attributes('CREATE', 'networking.k8s.io', 'ingresses', obj);
      const plugin = createDefaultIngressClassPlugin();
      assert.equal(plugin.handles(attrs), true);
      await plugin.admit(attrs, context(standard()));
      assert.equal((attrs.object!.spec as Obj).ingressClassName, want);
    });

  it('several defaults: the newest is given, not an error (upstream ≥ 1.25)', async () => {
    const attrs = attributes('CREATE', 'networking.k8s.io', 'ingresses', ingress());
    await createDefaultIngressClassPlugin().admit(attrs, context(cluster(ic('a', '2024-01-01T00:00:00Z', DEFAULT), ic('b', '2024-05-01T00:00:00Z', DEFAULT))));
    assert.equal((attrs.object!.spec as Obj).ingressClassName, 'b');
  });

  it('no default class: the Ingress is unchanged', async () => {
    const attrs = attributes('CREATE', 'networking.k8s.io', 'ingresses', ingress());
    await createDefaultIngressClassPlugin().admit(attrs, context(cluster(ic('a', '2024-01-01T00:00:00Z'))));
    assert.equal('ingressClassName' in (attrs.object!.spec as Obj), false);
  });

  it('only Ingress CREATE without subresource', () => {
    const plugin = createDefaultIngressClassPlugin();
    assert.equal(plugin.handles(attributes('UPDATE', 'networking.k8s.io', 'ingresses', ingress(), { oldObject: ingress() })), false);
    assert.equal(plugin.handles(attributes('CREATE', 'networking.k8s.io', 'ingresses', ingress(), { subresource: 'status' })), false);
    assert.equal(plugin.handles(attributes('CREATE', 'networking.k8s.io', 'ingressclasses', ic('x', '2024-01-01T00:00:00Z'))), false);
  });

  it('is enabled by default and runs after DefaultStorageClass, in upstream order', () => {
    const names = resolveAdmissionPlugins().mutating.map((p) => p.name);
    assert.ok(names.includes('DefaultIngressClass'));
    assert.equal(names.indexOf('DefaultIngressClass'), names.indexOf('DefaultStorageClass') + 1);
  });
});
