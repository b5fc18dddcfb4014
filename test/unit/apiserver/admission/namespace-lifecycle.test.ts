import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusError } from '../../../../src/api/status';
import { createNamespaceLifecyclePlugin } from '../../../../src/apiserver/admission/namespace-lifecycle';
import { attrs, context, FakeReader, namespace, pod, thrown } from './fixtures';

function setup() {
  const reader = new FakeReader()
    .add('', 'namespaces', namespace('default'))
    .add('', 'namespaces', namespace('team'))
    .add('', 'namespaces', namespace('dying', {}, { status: { phase: 'Terminating' } }))
    .add('', 'namespaces', namespace('deleted', {}, { metadata: { name: 'deleted', deletionTimestamp: '2025-01-01T00:00:00Z' } }));
  let waited = 0;
  const plugin = createNamespaceLifecyclePlugin({ sleep: async (ms) => void (waited += ms) });
  return { reader, plugin, ctx: context(reader), waited: () => waited };
}

const cm = (ns: string, name = 'cfg') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: {} });

describe('NamespaceLifecycle admission', () => {
  it('rejects creating in a missing namespace with NotFound, after waiting for the cache', async () => {
    const s = setup();
    for (const check of [s.plugin.admit]) {
      const err = (await thrown(() => check(attrs({ resource: 'configmaps', object: cm('nope') }), s.ctx))) as StatusError;
      assert.equal(err.code, 404);
      assert.equal(err.reason, 'NotFound');
      assert.equal(err.message, 'namespaces "nope" not found');
      assert.deepEqual(err.status.details, { name: 'nope', kind: 'namespaces' });
    }
    assert.equal(s.waited(), 50, "one wait for the cache before answering");
  });

  it('admits a create when the namespace shows up while waiting', async () => {
    const reader = new FakeReader();
    const plugin = createNamespaceLifecyclePlugin({ sleep: async () => void reader.add('', 'namespaces', namespace('late')) });
    await plugin.admit(attrs({ resource: 'configmaps', object: cm('late') }), context(reader));
  });

  it('rejects updates in a missing namespace without waiting', async () => {
    const s = setup();
    const err = (await thrown(() => s.plugin.admit(attrs({ operation: 'UPDATE', resource: 'configmaps', object: cm('nope'), oldObject: cm('nope') }), s.ctx))) as StatusError;
    assert.equal(err.message, 'namespaces "nope" not found');
    assert.equal(s.waited(), 0);
  });

  it('rejects creating in a terminating namespace', async () => {
    const s = setup();
    for (const ns of ['dying', 'deleted']) {
      const err = (await thrown(() => s.plugin.admit(attrs({ resource: 'pods', object: pod('web', {}, {}, ns) }), s.ctx))) as StatusError;
      assert.equal(err.code, 403);
      assert.equal(err.message, `pods "web" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
      assert.deepEqual(err.status.details, {
        name: 'web',
        kind: 'pods',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
      });
    }
    const dep = (await thrown(() =>
      s.plugin.admit(attrs({ resource: 'apps/deployments', object: { metadata: { name: 'd', namespace: 'dying' } } }), s.ctx),
    )) as StatusError;
    assert.equal(dep.message, 'deployments.apps "d" is forbidden: unable to create new content in namespace dying because it is being terminated');
  });

  it('allows updates and deletes in a terminating namespace', async () => {
    const s = setup();
    await s.plugin.admit(attrs({ operation: 'UPDATE', resource: 'configmaps', object: cm('dying'), oldObject: cm('dying') }), s.ctx);
    await s.plugin.admit(attrs({ operation: 'DELETE', resource: 'configmaps', namespace: 'dying', name: 'cfg', oldObject: cm('dying') }), s.ctx);
    await s.plugin.admit(attrs({ operation: 'DELETE', resource: 'configmaps', namespace: 'nope', name: 'cfg' }), s.ctx);
  });

  it('protects the immortal namespaces from deletion', async () => {
    const s = setup();
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const err = (await thrown(() => s.plugin.admit(attrs({ operation: 'DELETE', resource: 'namespaces', namespace: name, name }), s.ctx))) as StatusError;
      assert.equal(err.code, 403);
      assert.equal(err.message, `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    await s.plugin.admit(attrs({ operation: 'DELETE', resource: 'namespaces', namespace: 'team', name: 'team' }), s.ctx);
    await s.plugin.admit(attrs({ operation: 'DELETE', resource: 'namespaces', namespace: 'kube-node-lease', name: 'kube-node-lease' }), s.ctx);
    const strict = createNamespaceLifecyclePlugin({ immortalNamespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease'] });
    const err = (await thrown(() => strict.admit(attrs({ operation: 'DELETE', resource: 'namespaces', namespace: 'kube-node-lease', name: 'kube-node-lease' }), s.ctx))) as StatusError;
    assert.equal(err.message, 'namespaces "kube-node-lease" is forbidden: this namespace may not be deleted');
  });

  it('ignores namespaces themselves, cluster-scoped objects and access reviews', async () => {
    const s = setup();
    await s.plugin.admit(attrs({ resource: 'namespaces', namespace: 'fresh', name: 'fresh', object: namespace('fresh') }), s.ctx);
    await s.plugin.admit(attrs({ resource: 'nodes', object: { metadata: { name: 'n1' } } }), s.ctx);
    await s.plugin.admit(attrs({ resource: 'authorization.k8s.io/localsubjectaccessreviews', namespace: 'nope', object: { metadata: { namespace: 'nope' } } }), s.ctx);
    assert.equal(s.waited(), 0);
  });
});
