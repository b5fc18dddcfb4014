/**
 * Strategic merge patch on a Deployment-like schema: the bodies kubectl apply sends (shared/reference/kubectl-wire.md
 * §3) and the Kubernetes fields whose patch strategies matter (containers/env/ports by key, finalizers as a set,
 * ownerReferences by uid, tolerations replaced, volumes and the deployment strategy with retainKeys).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyStrategicMergePatch } from '../../../../src/api/patch';
import { deepFreeze, DEPLOYMENT, DEPLOYMENT_REF, deploymentResolver } from './fixtures';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function deployment() {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED]: '{"old":true}', team: 'a' },
      finalizers: ['example.com/a', 'example.com/b'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u1' }],
    },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'X', value: 'x' }] },
            { name: 'log', image: 'fluentd' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }],
        },
      },
    },
  });
}

const smp = (doc: unknown, patch: unknown) => applyStrategicMergePatch(doc, deepFreeze(patch), DEPLOYMENT, deploymentResolver) as ReturnType<typeof deployment>;

describe('strategic merge patch on a Deployment', () => {
  it('applies the exact body kubectl apply sends (wire reference §3)', () => {
    const body = JSON.parse(
      '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"new\\":true}"},"labels":null},' +
        '"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],' +
        '"containers":[{"env":[{"name":"A","value":"1"}],"name":"nginx","ports":null},{"image":"busybox","name":"sidecar"}]}}}}',
    );
    const live = deepFreeze({
      metadata: { name: 'web', labels: { app: 'web' }, annotations: { [LAST_APPLIED]: '{"old":true}' } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
    });
    assert.deepEqual(smp(live, body), {
      metadata: { name: 'web', annotations: { [LAST_APPLIED]: '{"new":true}' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx', env: [{ name: 'A', value: '1' }] },
              { name: 'sidecar', image: 'busybox' },
            ],
          },
        },
      },
    });
  });

  it('works the same when handed the kind schema as a $ref', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'log', image: 'fluent-bit' }] } } } };
    assert.deepEqual(applyStrategicMergePatch(deployment(), patch, DEPLOYMENT_REF, deploymentResolver), smp(deployment(), patch));
  });

  it('merges containers, env and ports by their keys, keeping live items and order', () => {
    const out = smp(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [{ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'Y', value: 'y' }], ports: [{ containerPort: 443 }] }],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.containers, [
      { name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }], env: [{ name: 'Y', value: 'y' }, { name: 'X', value: 'x' }] },
      { name: 'log', image: 'fluentd' },
    ]);
  });

  it('$patch: delete removes one container, $patch: replace replaces the list', () => {
    const gone = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'log', $patch: 'delete' }] } } } });
    assert.deepEqual(gone.spec.template.spec.containers.map((c) => c.name), ['nginx']);
    const replaced = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } });
    assert.deepEqual(replaced.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);
  });

  it('finalizers merge as a set; $deleteFromPrimitiveList removes them', () => {
    const added = smp(deployment(), { metadata: { finalizers: ['example.com/b', 'example.com/c'] } });
    assert.deepEqual(added.metadata.finalizers, ['example.com/a', 'example.com/b', 'example.com/c']);
    const removed = smp(deployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a'] } });
    assert.deepEqual(removed.metadata.finalizers, ['example.com/b']);
    const cleared = smp(deployment(), { metadata: { finalizers: null } });
    assert.equal('finalizers' in cleared.metadata, false);
  });

  it('ownerReferences merge by uid', () => {
    const out = smp(deployment(), { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'u2' }] } });
    assert.deepEqual(out.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u1', controller: true },
      { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'u2' },
    ]);
  });

  it('tolerations have no strategy: the patch list replaces the live one', () => {
    const out = smp(deployment(), { spec: { template: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } } } });
    assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'c', operator: 'Exists' }]);
  });

  it('volumes (merge,retainKeys) switch their source with $retainKeys', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } } },
    });
    assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('the deployment strategy (retainKeys) drops rollingUpdate when switching to Recreate', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  it('labels: null removes the map; annotations merge', () => {
    const out = smp(deployment(), { metadata: { labels: null, annotations: { team: null, extra: '1' } } });
    assert.equal('labels' in out.metadata, false);
    assert.deepEqual(out.metadata.annotations, { [LAST_APPLIED]: '{"old":true}', extra: '1' });
  });

  it('a null patch changes nothing; neither argument is mutated (inputs are frozen)', () => {
    assert.deepEqual(applyStrategicMergePatch(deployment(), null, DEPLOYMENT, deploymentResolver), deployment());
    const live = deployment();
    const patch = deepFreeze({ spec: { template: { spec: { containers: [{ name: 'new', env: [{ name: 'E', value: null }] }] } } } });
    const out = applyStrategicMergePatch(live, patch, DEPLOYMENT, deploymentResolver) as ReturnType<typeof deployment>;
    (out.spec.template.spec.containers[0] as { image: string }).image = 'changed';
    assert.deepEqual(live, deployment());
  });

  it('without a schema, lists are replaced and maps merge like a merge patch', () => {
    const out = applyStrategicMergePatch(deployment(), { metadata: { finalizers: ['x'], labels: { tier: 'fe' } } }, undefined, deploymentResolver) as ReturnType<typeof deployment>;
    assert.deepEqual(out.metadata.finalizers, ['x']);
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'fe' });
  });
});
