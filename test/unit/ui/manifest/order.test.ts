/** applyOrder / deleteOrder: Namespaces and CRDs first, Helm's install order for the rest, stable within a kind. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyOrder, deleteOrder, installRank, parseManifests } from '../../../../src/ui/manifest';

const obj = (apiVersion: string, kind: string, name: string) => ({ object: { apiVersion, kind, metadata: { name } } });
const names = (docs: { object?: { metadata?: unknown } }[]) => docs.map((d) => (d.object?.metadata as { name?: string } | undefined)?.name ?? '(none)');

describe('applyOrder', () => {
  const file = [
    obj('apps/v1', 'Deployment', 'web'),
    obj('example.com/v1', 'Widget', 'w1'),
    obj('v1', 'Service', 'web-svc'),
    obj('networking.k8s.io/v1', 'Ingress', 'web-ing'),
    obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
    obj('v1', 'ConfigMap', 'cfg'),
    obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb'),
    obj('v1', 'ServiceAccount', 'sa'),
    obj('apps/v1', 'Deployment', 'worker'),
    obj('example.com/v1', 'Gadget', 'g1'),
    obj('v1', 'Namespace', 'team'),
    obj('rbac.authorization.k8s.io/v1', 'Role', 'r'),
    obj('batch/v1', 'CronJob', 'nightly'),
    obj('v1', 'Secret', 'creds'),
    obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'vwc'),
    obj('v1', 'PersistentVolumeClaim', 'data'),
    obj('example.com/v1', 'Widget', 'w0'),
    { object: undefined },
  ];

  it('Namespaces, CRDs, then config/RBAC/Services, workloads, Ingress, webhooks, unknown kinds (alphabetically), broken documents', () => {
    assert.deepEqual(names(applyOrder(file)), [
      'team', 'widgets.example.com', 'sa', 'creds', 'cfg', 'data', 'r', 'rb', 'web-svc', 'web', 'worker', 'nightly', 'web-ing', 'vwc', 'g1', 'w1', 'w0', '(none)',
    ]);
  });

  it('delete order is the exact reverse: custom resources before their CRD, the Namespace last', () => {
    assert.deepEqual(deleteOrder(file), [...applyOrder(file)].reverse());
    const d = names(deleteOrder(file));
    assert.ok(d.indexOf('w1') < d.indexOf('widgets.example.com'));
    assert.equal(d.at(-1), 'team');
  });

  it('a built-in kind name in another group is not the built-in kind', () => {
    assert.equal(installRank('Service', ''), installRank('Service', ''));
    assert.ok(installRank('Service', 'serving.knative.dev') > installRank('Ingress', 'networking.k8s.io'));
    assert.deepEqual(names(applyOrder([obj('serving.knative.dev/v1', 'Service', 'kn'), obj('v1', 'Service', 'core')])), ['core', 'kn']);
  });

  it('works on parsed documents and does not change its input', () => {
    const docs = parseManifests('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n', 'x.yaml');
    const before = [...docs];
    assert.deepEqual(applyOrder(docs).map((d) => d.index), [1, 0]);
    assert.deepEqual(docs, before);
  });

  it('property: a permutation, grouped by rank, stable within a kind', () => {
    const kinds: [string, string][] = [['v1', 'Namespace'], ['v1', 'Service'], ['apps/v1', 'Deployment'], ['v1', 'ConfigMap'], ['example.com/v1', 'A'], ['example.com/v1', 'B'], ['apiextensions.k8s.io/v1', 'CustomResourceDefinition']];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: kinds.length - 1 }), { maxLength: 30 }), (picks) => {
        const docs = picks.map((k, i) => obj(kinds[k][0], kinds[k][1], String(i)));
        const out = applyOrder(docs);
        assert.deepEqual([...out].sort((a, b) => Number(a.object.metadata.name) - Number(b.object.metadata.name)), docs);
        for (let i = 1; i < out.length; i++) {
          const [a, b] = [out[i - 1].object, out[i].object];
          const ra = installRank(a.kind, a.apiVersion.includes('/') ? a.apiVersion.split('/')[0] : '');
          const rb = installRank(b.kind, b.apiVersion.includes('/') ? b.apiVersion.split('/')[0] : '');
          assert.ok(ra < rb || (ra === rb && (a.kind < b.kind || (a.kind === b.kind && Number(a.metadata.name) < Number(b.metadata.name)))));
        }
      }),
    );
  });
});
