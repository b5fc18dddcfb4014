import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredObject } from '../../../../src/api/object';
import type { StatusError } from '../../../../src/api/status';
import { createNodeRestrictionPlugin, nodeIdentity } from '../../../../src/apiserver/admission/node-restriction';
import { ADMIN, attrs, context, FakeReader, nodeUser, pod, type AttrsInit } from './fixtures';

const plugin = createNodeRestrictionPlugin();
const N1 = nodeUser('n1');

const node = (name: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}): StoredObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, uid: `uid-${name}`, labels },
  spec,
});

const mirrorMeta = (extra: Record<string, unknown> = {}) => ({
  annotations: { 'kubernetes.io/config.mirror': 'hash' },
  ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-n1', controller: true }],
  ...extra,
});

function reader(): FakeReader {
  return new FakeReader()
    .add('', 'nodes', node('n1'))
    .add('', 'nodes', node('n2'))
    .add('', 'pods', { ...pod('mine', { nodeName: 'n1' }), metadata: { name: 'mine', namespace: 'default', uid: 'pod-uid-1' } })
    .add('', 'pods', pod('theirs', { nodeName: 'n2' }));
}

/** Runs the plugin as node n1 (unless `user` is given); returns 'allowed' or the error text and code. */
async function run(init: AttrsInit): Promise<'allowed' | string> {
  const a = attrs({ user: N1, ...init });
  if (!plugin.handles(a)) return 'allowed';
  try {
    await plugin.admit(a, context(reader()));
    return 'allowed';
  } catch (e) {
    const err = e as StatusError;
    return `${err.code} ${err.message}`;
  }
}

describe('NodeRestriction admission', () => {
  it('identifies nodes by user name and group', () => {
    assert.equal(nodeIdentity(N1), 'n1');
    assert.equal(nodeIdentity({ name: 'system:node:n1', groups: [] }), undefined);
    assert.equal(nodeIdentity(ADMIN), undefined);
    assert.equal(nodeIdentity({ name: 'system:node:', groups: ['system:nodes'] }), '');
  });

  const cases: [string, AttrsInit, string][] = [
    ['non-node users are not restricted', { user: ADMIN, resource: 'pods', object: pod('p', { nodeName: 'n2' }) }, 'allowed'],
    ['a node without a name', { user: { name: 'system:node:', groups: ['system:nodes'] }, resource: 'pods', object: pod('p', {}) }, '403 pods "p" is forbidden: could not determine node from user "system:node:"'],
    ['mirror pod bound to itself', { resource: 'pods', object: pod('static', { nodeName: 'n1', containers: [] }, mirrorMeta()) }, 'allowed'],
    ['a regular pod', { resource: 'pods', object: pod('p', { nodeName: 'n1' }) }, '403 pods "p" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods'],
    ['a mirror pod for another node', { resource: 'pods', object: pod('static', { nodeName: 'n2' }, mirrorMeta()) }, '403 pods "static" is forbidden: node "n1" can only create pods with spec.nodeName set to itself'],
    ['a mirror pod without owner', { resource: 'pods', object: pod('static', { nodeName: 'n1' }, mirrorMeta({ ownerReferences: [] })) }, '403 pods "static" is forbidden: node "n1" can only create pods with an owner reference set to itself'],
    [
      'a mirror pod owned by another node',
      { resource: 'pods', object: pod('static', { nodeName: 'n1' }, mirrorMeta({ ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n2', uid: 'uid-n2', controller: true }] })) },
      '403 pods "static" is forbidden: node "n1" can only create pods with an owner reference set to itself',
    ],
    [
      'a mirror pod with a non-controller owner',
      { resource: 'pods', object: pod('static', { nodeName: 'n1' }, mirrorMeta({ ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-n1' }] })) },
      '403 pods "static" is forbidden: node "n1" can only create pods with a controller owner reference set to itself',
    ],
    [
      'a mirror pod with the wrong node uid',
      { resource: 'pods', object: pod('static', { nodeName: 'n1' }, mirrorMeta({ ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'x', controller: true }] })) },
      '403 pods "static" is forbidden: node n1 UID mismatch: expected x got uid-n1',
    ],
    ['a mirror pod with a service account', { resource: 'pods', object: pod('static', { nodeName: 'n1', serviceAccountName: 'default' }, mirrorMeta()) }, '403 pods "static" is forbidden: node "n1" can not create pods that reference a service account'],
    [
      'a mirror pod with a secret volume',
      { resource: 'pods', object: pod('static', { nodeName: 'n1', volumes: [{ name: 's', secret: { secretName: 's' } }] }, mirrorMeta()) },
      '403 pods "static" is forbidden: node "n1" can not create pods that reference secrets',
    ],
    [
      'a mirror pod with a configmap env',
      { resource: 'pods', object: pod('static', { nodeName: 'n1', containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'cm' } }] }] }, mirrorMeta()) },
      '403 pods "static" is forbidden: node "n1" can not create pods that reference configmaps',
    ],
    [
      'a mirror pod with a PVC',
      { resource: 'pods', object: pod('static', { nodeName: 'n1', volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'c' } }] }, mirrorMeta()) },
      '403 pods "static" is forbidden: node "n1" can not create pods that reference persistentvolumeclaims',
    ],
    ['deleting its own pod', { operation: 'DELETE', resource: 'pods', namespace: 'default', name: 'mine' }, 'allowed'],
    ['deleting another node’s pod', { operation: 'DELETE', resource: 'pods', namespace: 'default', name: 'theirs' }, '403 pods "Unknown" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself'],
    ['deleting a missing pod', { operation: 'DELETE', resource: 'pods', namespace: 'default', name: 'gone' }, '404 pod "gone" not found'],
    ['updating a pod', { operation: 'UPDATE', resource: 'pods', object: pod('mine', { nodeName: 'n1' }), oldObject: pod('mine', { nodeName: 'n1' }) }, '403 pods "mine" is forbidden: unexpected operation "UPDATE", node "n1" can only create and delete mirror pods'],
    ['status of its own pod', { operation: 'UPDATE', resource: 'pods', subresource: 'status', object: pod('mine', { nodeName: 'n1' }), oldObject: pod('mine', { nodeName: 'n1' }) }, 'allowed'],
    [
      'status of another node’s pod',
      { operation: 'UPDATE', resource: 'pods', subresource: 'status', object: pod('theirs', { nodeName: 'n2' }), oldObject: pod('theirs', { nodeName: 'n2' }) },
      '403 pods "theirs" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself',
    ],
    [
      'labels through pod status',
      { operation: 'UPDATE', resource: 'pods', subresource: 'status', object: pod('mine', { nodeName: 'n1' }, { labels: { a: 'b' } }), oldObject: pod('mine', { nodeName: 'n1' }) },
      '403 pods "mine" is forbidden: node "n1" cannot update labels through pod status',
    ],
    ['evicting its own pod', { resource: 'pods', subresource: 'eviction', namespace: 'default', name: 'mine', object: { metadata: { name: 'mine', namespace: 'default' } } }, 'allowed'],
    [
      'evicting another node’s pod',
      { resource: 'pods', subresource: 'eviction', namespace: 'default', name: 'theirs', object: { metadata: { name: 'theirs', namespace: 'default' } } },
      '403 pods "theirs" is forbidden: node n1 can only evict pods with spec.nodeName set to itself',
    ],
    ['binding a pod', { resource: 'pods', subresource: 'binding', namespace: 'default', name: 'mine', object: { metadata: { name: 'mine', namespace: 'default' } } }, `403 pods "mine" is forbidden: unexpected pod subresource "binding", only 'status' and 'eviction' are allowed`],
    ['creating its own node', { resource: 'nodes', object: node('n1', { 'kubernetes.io/hostname': 'n1', 'node.kubernetes.io/exclude-from-external-load-balancers': '', 'example.com/x': 'y' }) }, 'allowed'],
    ['creating another node', { resource: 'nodes', object: node('n2') }, '403 nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"'],
    [
      'creating its node with restricted labels',
      { resource: 'nodes', object: node('n1', { 'node-role.kubernetes.io/control-plane': '', 'node-restriction.kubernetes.io/pool': 'a', 'foo.k8s.io/x': 'y' }) },
      '403 nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: foo.k8s.io/x, node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane',
    ],
    ['updating its node status', { operation: 'UPDATE', resource: 'nodes', subresource: 'status', name: 'n1', object: node('n1'), oldObject: node('n1') }, 'allowed'],
    ['updating another node status', { operation: 'UPDATE', resource: 'nodes', subresource: 'status', name: 'n2', object: node('n2'), oldObject: node('n2') }, '403 nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"'],
    [
      'changing its taints',
      { operation: 'UPDATE', resource: 'nodes', name: 'n1', object: node('n1', {}, { taints: [] }), oldObject: node('n1', {}, { taints: [{ key: 'k', effect: 'NoSchedule' }] }) },
      '403 nodes "n1" is forbidden: node "n1" is not allowed to modify taints',
    ],
    ['nil and empty taints are the same', { operation: 'UPDATE', resource: 'nodes', name: 'n1', object: node('n1', {}, { taints: [] }), oldObject: node('n1') }, 'allowed'],
    [
      'changing a kubernetes.io label',
      { operation: 'UPDATE', resource: 'nodes', name: 'n1', object: node('n1', { 'node-role.kubernetes.io/worker': '' }), oldObject: node('n1') },
      '403 nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/worker',
    ],
    ['changing allowed labels', { operation: 'UPDATE', resource: 'nodes', name: 'n1', object: node('n1', { 'kubelet.kubernetes.io/x': '1', 'topology.kubernetes.io/zone': 'z', app: 'x' }), oldObject: node('n1') }, 'allowed'],
    ['its own lease', { resource: 'coordination.k8s.io/leases', object: { metadata: { name: 'n1', namespace: 'kube-node-lease' } } }, 'allowed'],
    ['renewing its own lease', { operation: 'UPDATE', resource: 'coordination.k8s.io/leases', namespace: 'kube-node-lease', name: 'n1', object: { metadata: { name: 'n1', namespace: 'kube-node-lease' } } }, 'allowed'],
    [
      'another node’s lease',
      { resource: 'coordination.k8s.io/leases', object: { metadata: { name: 'n2', namespace: 'kube-node-lease' } } },
      '403 leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node',
    ],
    [
      'a lease elsewhere',
      { resource: 'coordination.k8s.io/leases', object: { metadata: { name: 'n1', namespace: 'default' } } },
      '403 leases.coordination.k8s.io "n1" is forbidden: can only access leases in the "kube-node-lease" system namespace',
    ],
    [
      'a token for its pod',
      { resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'default', object: { metadata: {}, spec: { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'mine', uid: 'pod-uid-1' } } } },
      'allowed',
    ],
    [
      'a token not bound to a pod',
      { resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'default', object: { metadata: {}, spec: {} } },
      '403 serviceaccounts "Unknown" is forbidden: node requested token not bound to a pod',
    ],
    ['PVC spec', { operation: 'UPDATE', resource: 'persistentvolumeclaims', namespace: 'default', name: 'c', object: { metadata: { name: 'c' } }, oldObject: { metadata: { name: 'c' } } }, '403 persistentvolumeclaims "c" is forbidden: may only update PVC status'],
    [
      'PVC status capacity',
      { operation: 'UPDATE', resource: 'persistentvolumeclaims', subresource: 'status', name: 'c', object: { metadata: { name: 'c', resourceVersion: '2' }, status: { capacity: { storage: '2Gi' } } }, oldObject: { metadata: { name: 'c', resourceVersion: '1' }, status: {} } },
      'allowed',
    ],
    ['other resources are not restricted', { resource: 'configmaps', object: { metadata: { name: 'c', namespace: 'default' } } }, 'allowed'],
  ];

  for (const [name, init, want] of cases) {
    it(name, async () => {
      assert.equal(await run(init), want);
    });
  }

  it('PVC status updates may not change anything but capacity and conditions', async () => {
    const got = await run({
      operation: 'UPDATE',
      resource: 'persistentvolumeclaims',
      subresource: 'status',
      name: 'c',
      object: { metadata: { name: 'c', labels: { a: 'b' } }, status: { phase: 'Bound' } },
      oldObject: { metadata: { name: 'c' }, status: { phase: 'Pending' } },
    });
    assert.match(got, /^403 persistentvolumeclaims "c" is forbidden: node "n1" is not allowed to update fields other than status.quantity and status.conditions: /);
  });
});
