/** ClusterTreeModel: placement by controller owner (in any arrival order), changed ids, reveal paths, node usage, scale. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ClusterTreeModel } from '../../../../src/ui/cluster';
import type { KubeObject } from '../../../../src/api/object';

const NOW = Date.UTC(2026, 0, 1);
const own = (kind: string, name: string, uid = `${kind}-${name}`) => [{ apiVersion: 'apps/v1', kind, name, uid, controller: true }];
const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: `ns-${name}` }, status: { phase: 'Active' } });
const deploy = (name: string): KubeObject => ({ kind: 'Deployment', metadata: { name, namespace: 'default', uid: `Deployment-${name}` }, spec: { replicas: 2 }, status: { readyReplicas: 1 } });
const rs = (name: string, d?: string): KubeObject => ({ kind: 'ReplicaSet', metadata: { name, namespace: 'default', uid: `ReplicaSet-${name}`, ...(d ? { ownerReferences: own('Deployment', d) } : {}) }, spec: { replicas: 2 } });
const pod = (name: string, owner?: [string, string], extra: Record<string, unknown> = {}): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `pod-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...(owner ? { ownerReferences: own(owner[0], owner[1]) } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
  ...extra,
});
const node: KubeObject = { kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '2', memory: '4Gi' }, conditions: [{ type: 'Ready', status: 'True' }] } };

describe('ClusterTreeModel', () => {
  it('puts a Deployment’s pods under it (ReplicaSet hidden), bare pods and lone ReplicaSets under the namespace', () => {
    const m = new ClusterTreeModel(() => NOW);
    m.apply('namespaces', 'ADDED', ns('default'));
    m.apply('deployments', 'ADDED', deploy('web'));
    m.apply('replicasets', 'ADDED', rs('web-1', 'web'));
    m.apply('replicasets', 'ADDED', rs('solo'));
    m.apply('pods', 'ADDED', pod('web-1-a', ['ReplicaSet', 'web-1']));
    m.apply('pods', 'ADDED', pod('solo-a', ['ReplicaSet', 'solo']));
    m.apply('pods', 'ADDED', pod('bare'));
    assert.deepEqual(m.childIds('ns/default'), ['workload/default/deployment/web', 'workload/default/replicaset/solo', 'pod/default/bare']);
    assert.deepEqual(m.childIds('workload/default/deployment/web'), ['pod/default/web-1-a']);
    assert.deepEqual(m.childIds('workload/default/replicaset/solo'), ['pod/default/solo-a']);
    const d = m.item('workload/default/deployment/web')!;
    assert.equal(d.label, 'deployment/web');
    assert.equal(d.description, '1/2');
    assert.equal(d.icon, 'warning');
    assert.deepEqual(m.revealPath('pod', 'default', 'web-1-a'), ['namespaces', 'ns/default', 'workload/default/deployment/web', 'pod/default/web-1-a']);
    assert.deepEqual(m.revealPath('replicaset', 'default', 'web-1'), ['namespaces', 'ns/default', 'workload/default/deployment/web']);
  });

  it('places the same way whatever order the objects arrive in (property)', () => {
    const objects: [string, KubeObject][] = [
      ['namespaces', ns('default')],
      ['deployments', deploy('web')],
      ['replicasets', rs('web-1', 'web')],
      ['pods', pod('a', ['ReplicaSet', 'web-1'])],
      ['pods', pod('b', ['ReplicaSet', 'web-1'])],
      ['pods', pod('c')],
    ];
    const snapshot = (m: ClusterTreeModel) => JSON.stringify(['namespaces', 'ns/default', 'workload/default/deployment/web', 'workload/default/replicaset/web-1'].map((id) => m.childIds(id)));
    const ref = new ClusterTreeModel(() => NOW);
    for (const [r, o] of objects) ref.apply(r, 'ADDED', o);
    fc.assert(
      fc.property(fc.shuffledSubarray(objects, { minLength: objects.length }), (order) => {
        const m = new ClusterTreeModel(() => NOW);
        for (const [r, o] of order) m.apply(r, 'ADDED', o);
        assert.equal(snapshot(m), snapshot(ref));
      }),
    );
  });

  it('reports the ids to refresh: the parent on add/remove, the item on update, the node whose usage moved', () => {
    const m = new ClusterTreeModel(() => NOW);
    m.apply('nodes', 'ADDED', node);
    assert.deepEqual(m.apply('pods', 'ADDED', pod('bare')).sort(), ['namespaces', 'node/n1', 'ns/default']);
    assert.deepEqual(m.apply('pods', 'MODIFIED', pod('bare')).sort(), ['node/n1', 'pod/default/bare']);
    assert.match(m.item('node/n1')!.description!, /^Ready · 1 pod · cpu 100m\/2 · mem 64Mi\/4Gi$/);
    assert.deepEqual(m.apply('pods', 'DELETED', pod('bare')).sort(), ['namespaces', 'node/n1', 'ns/default']);
    assert.equal(m.item('ns/default'), undefined, 'an empty namespace without its object leaves the tree');
    assert.equal(m.item('node/n1')!.description, 'Ready · 0 pods · cpu 0/2 · mem 0/4Gi');
  });

  it('shows cordoned nodes with their own context value and icon; pod STATUS as kubectl prints it', () => {
    const m = new ClusterTreeModel(() => NOW);
    m.apply('nodes', 'ADDED', { ...node, spec: { unschedulable: true } });
    const n = m.item('node/n1')!;
    assert.equal(n.contextValue, 'kubelab.node.cordoned');
    assert.equal(n.icon, 'circle-slash');
    assert.match(n.description!, /^Ready,SchedulingDisabled · /);
    m.apply('pods', 'ADDED', pod('crash', undefined, { status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }));
    m.apply('pods', 'ADDED', { ...pod('gone'), metadata: { ...pod('gone').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    assert.equal(m.item('pod/default/crash')!.icon, 'error');
    assert.match(m.item('pod/default/crash')!.description!, /^CrashLoopBackOff · 0\/1 · 3 restarts · n1$/);
    assert.equal(m.item('pod/default/gone')!.icon, 'trash');
    assert.match(m.item('pod/default/gone')!.description!, /^Terminating/);
  });

  it('handles 10,000 pods under one Deployment cheaply', () => {
    const m = new ClusterTreeModel(() => NOW);
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) m.apply('pods', 'ADDED', pod(`p${i}`, ['ReplicaSet', 'web-1']));
    m.apply('replicasets', 'ADDED', rs('web-1', 'web'));
    m.apply('deployments', 'ADDED', deploy('web'));
    assert.equal(m.childIds('workload/default/deployment/web').length, 10_000);
    for (let i = 0; i < 10_000; i++) m.apply('pods', 'MODIFIED', pod(`p${i}`, ['ReplicaSet', 'web-1']));
    assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
  });
});
