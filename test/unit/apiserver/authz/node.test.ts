/**
 * The Node authorizer: who counts as a node, the relationship checks (pod → node, secrets/configmaps/pvcs/SA tokens
 * referenced by pods bound to the node, PVs and their secrets through bound claims, volume attachments), leases and
 * CSINodes named after the node, Node and Pod rules, the static system:node rules for everything else, and
 * upstream's reasons for each denial (cases after node_authorizer_test.go).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNodeAuthorizer } from '../../../../src/apiserver/authz/node';
import type { AuthzAttributes, AuthzResult } from '../../../../src/apiserver/authz/types';
import { nonRes, res, user } from './fixtures';
import { MemoryReader } from './memory-reader';

function pod(name: string, nodeName: string | undefined, spec: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { ...(nodeName ? { nodeName } : {}), containers: [], ...spec } };
}

function cluster(): MemoryReader {
  const r = new MemoryReader();
  r.put('', 'pods', pod('p1', 'n1', {
    serviceAccountName: 'sa1',
    imagePullSecrets: [{ name: 'pull1' }],
    containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 's3', key: 'k' } } }], envFrom: [{ configMapRef: { name: 'cm3' } }] }],
    volumes: [
      { name: 'a', secret: { secretName: 's1' } },
      { name: 'b', configMap: { name: 'cm1' } },
      { name: 'c', projected: { sources: [{ secret: { name: 's2' } }, { configMap: { name: 'cm2' } }] } },
      { name: 'd', persistentVolumeClaim: { claimName: 'claim1' } },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
    ],
  }));
  r.put('', 'pods', pod('p2', 'n2', { serviceAccountName: 'sa2', volumes: [{ name: 'a', secret: { secretName: 's-other' } }] }));
  r.put('', 'pods', pod('pending', undefined, { volumes: [{ name: 'a', secret: { secretName: 's-pending' } }] }));
  r.put('', 'persistentvolumes', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv1' },
    spec: { claimRef: { namespace: 'default', name: 'claim1' }, csi: { driver: 'd', volumeHandle: 'h', nodePublishSecretRef: { name: 'pv-secret', namespace: 'storage' } } },
  });
  r.put('', 'persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv2' }, spec: { claimRef: { namespace: 'default', name: 'other' } } });
  r.put('storage.k8s.io', 'volumeattachments', { metadata: { name: 'va1' }, spec: { nodeName: 'n1' } });
  r.put('storage.k8s.io', 'volumeattachments', { metadata: { name: 'va2' }, spec: { nodeName: 'n2' } });
  return r;
}

const n1 = user('system:node:n1', 'system:nodes', 'system:authenticated');
const NO_REL = "no relationship found between node 'n1' and this object";
const ALLOW: AuthzResult = { decision: 'allow', reason: '' };
const no = (reason = ''): AuthzResult => ({ decision: 'noOpinion', reason });
const ns = (resource: string, verb: string, name = '', extra: { subresource?: string; apiGroup?: string; namespace?: string } = {}) =>
  res(n1, verb, resource, { namespace: 'default', name, ...extra });

describe('Node authorizer', () => {
  const reader = cluster();
  const authz = createNodeAuthorizer(reader);

  const table: [string, AuthzAttributes, AuthzResult][] = [
    // identity
    ['ignores non-nodes', res(user('alice', 'system:nodes'), 'get', 'secrets', { namespace: 'default', name: 's1' }), no()],
    ['ignores node names outside system:nodes', res(user('system:node:n1'), 'get', 'secrets', { namespace: 'default', name: 's1' }), no()],
    ['cannot identify an empty node name', res(user('system:node:', 'system:nodes'), 'get', 'pods'), no('unknown node for user "system:node:"')],
    // secrets & configmaps
    ['secret volume', ns('secrets', 'get', 's1'), ALLOW],
    ['projected secret', ns('secrets', 'get', 's2'), ALLOW],
    ['env secretKeyRef (watch by name)', ns('secrets', 'watch', 's3'), ALLOW],
    ['imagePullSecrets', ns('secrets', 'get', 'pull1'), ALLOW],
    ["another node's secret", ns('secrets', 'get', 's-other'), no(NO_REL)],
    ['an unscheduled pod relates to no node', ns('secrets', 'get', 's-pending'), no(NO_REL)],
    ['unknown secret', ns('secrets', 'get', 'nope'), no(NO_REL)],
    ['list secrets without a name', ns('secrets', 'list'), no('No Object name found')],
    ['write a secret', ns('secrets', 'update', 's1'), no('can only read resources of this type')],
    ['secret subresource', ns('secrets', 'get', 's1', { subresource: 'x' }), no('cannot read subresource')],
    ['cluster-scoped secret read', ns('secrets', 'get', 's1', { namespace: '' }), no('can only read namespaced object of this type')],
    ['configmap volume', ns('configmaps', 'get', 'cm1'), ALLOW],
    ['projected configmap', ns('configmaps', 'get', 'cm2'), ALLOW],
    ['envFrom configmap', ns('configmaps', 'get', 'cm3'), ALLOW],
    ['unrelated configmap', ns('configmaps', 'get', 'kube-root-ca.crt'), no(NO_REL)],
    // pvcs, pvs, volume attachments
    ['bound claim', ns('persistentvolumeclaims', 'get', 'claim1'), ALLOW],
    ['generic ephemeral claim', ns('persistentvolumeclaims', 'get', 'p1-scratch'), ALLOW],
    ['list claims', ns('persistentvolumeclaims', 'list'), no('can only get individual resources of this type')],
    ['claim status update', ns('persistentvolumeclaims', 'patch', 'claim1', { subresource: 'status' }), ALLOW],
    ['claim status get', ns('persistentvolumeclaims', 'get', 'claim1', { subresource: 'status' }), no('can only get/update/patch this type')],
    ['pv bound to a used claim', ns('persistentvolumes', 'get', 'pv1', { namespace: '' }), ALLOW],
    ['pv of an unused claim', ns('persistentvolumes', 'get', 'pv2', { namespace: '' }), no(NO_REL)],
    ["the pv's CSI secret", res(n1, 'get', 'secrets', { namespace: 'storage', name: 'pv-secret' }), ALLOW],
    ['own volume attachment', res(n1, 'get', 'volumeattachments', { apiGroup: 'storage.k8s.io', name: 'va1' }), ALLOW],
    ["another node's attachment", res(n1, 'get', 'volumeattachments', { apiGroup: 'storage.k8s.io', name: 'va2' }), no(NO_REL)],
    // service account tokens
    ['token for a pod SA', ns('serviceaccounts', 'create', 'sa1', { subresource: 'token' }), ALLOW],
    ["token for another node's SA", ns('serviceaccounts', 'create', 'sa2', { subresource: 'token' }), no(NO_REL)],
    ['read a service account', ns('serviceaccounts', 'get', 'sa1'), no('can only create tokens for individual service accounts')],
    ['other SA subresource', ns('serviceaccounts', 'create', 'sa1', { subresource: 'x' }), no('can only create token subresource of serviceaccount')],
    // leases & csinodes
    ['own lease', res(n1, 'update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' }), ALLOW],
    ['create a lease (name unknown)', res(n1, 'create', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }), ALLOW],
    ["another node's lease", res(n1, 'get', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n2' }),
      no('can only access node lease with the same name as the requesting node')],
    ['lease elsewhere', res(n1, 'get', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'default', name: 'n1' }),
      no('can only access leases in the "kube-node-lease" system namespace')],
    ['list leases', res(n1, 'list', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }),
      no('can only get, create, update, patch, or delete a node lease')],
    ['own csinode', res(n1, 'update', 'csinodes', { apiGroup: 'storage.k8s.io', name: 'n1' }), ALLOW],
    ["another node's csinode", res(n1, 'patch', 'csinodes', { apiGroup: 'storage.k8s.io', name: 'n2' }),
      no('can only access CSINode with the same name as the requesting node')],
    // nodes
    ['register itself', res(n1, 'create', 'nodes'), ALLOW],
    ['read its own node', res(n1, 'get', 'nodes', { name: 'n1' }), ALLOW],
    ['read another node', res(n1, 'get', 'nodes', { name: 'n2' }), no("node 'n1' cannot read 'n2', only its own Node object")],
    ['list/watch all nodes', res(n1, 'watch', 'nodes'), no("node 'n1' cannot read all nodes, only its own Node object")],
    ['list/watch its own node by field selector', res(n1, 'watch', 'nodes', { fieldSelector: 'metadata.name=n1' }), ALLOW],
    ['list nodes selecting another name', res(n1, 'list', 'nodes', { fieldSelector: 'metadata.name=n2' }), no("node 'n1' cannot read all nodes, only its own Node object")],
    ['update own node status', res(n1, 'patch', 'nodes', { name: 'n1', subresource: 'status' }), ALLOW],
    ['update own node', res(n1, 'update', 'nodes', { name: 'n1' }), ALLOW],
    ["update another node's status", res(n1, 'patch', 'nodes', { name: 'n2', subresource: 'status' }),
      no("node 'n1' cannot modify 'n2', only its own Node object")],
    ['delete own node', res(n1, 'delete', 'nodes', { name: 'n1' }), no()],
    // pods
    ['get own pod', ns('pods', 'get', 'p1'), ALLOW],
    ["get another node's pod", ns('pods', 'get', 'p2'), no(NO_REL)],
    ['list all pods', res(n1, 'list', 'pods'), no('can only list/watch pods with spec.nodeName field selector')],
    ['list its pods by spec.nodeName', res(n1, 'list', 'pods', { fieldSelector: 'spec.nodeName=n1' }), ALLOW],
    ['watch its pods (== form) in a namespace', res(n1, 'watch', 'pods', { namespace: 'default', fieldSelector: 'spec.nodeName==n1' }), ALLOW],
    ["list another node's pods", res(n1, 'list', 'pods', { fieldSelector: 'spec.nodeName=n2' }), no('can only list/watch pods with spec.nodeName field selector')],
    ['a != selector is not a scope', res(n1, 'list', 'pods', { fieldSelector: 'spec.nodeName!=n2' }), no('can only list/watch pods with spec.nodeName field selector')],
    ['watch one own pod', ns('pods', 'watch', 'p1'), ALLOW],
    ['create a mirror pod', ns('pods', 'create'), ALLOW],
    ['delete own pod', ns('pods', 'delete', 'p1'), ALLOW],
    ["delete another node's pod", ns('pods', 'delete', 'p2'), no(NO_REL)],
    ['update own pod status', ns('pods', 'update', 'p1', { subresource: 'status' }), ALLOW],
    ["patch another node's pod status", ns('pods', 'patch', 'p2', { subresource: 'status' }), no(NO_REL)],
    ['evict own pod', ns('pods', 'create', 'p1', { subresource: 'eviction' }), ALLOW],
    ['update a pod spec', ns('pods', 'update', 'p1'), no()],
    ['read pod logs', ns('pods', 'get', 'p1', { subresource: 'log' }), no()],
    // static system:node rules
    ['create events', ns('events', 'create'), ALLOW],
    ['watch services', res(n1, 'watch', 'services'), ALLOW],
    ['get endpoints', ns('endpoints', 'get', 'kubernetes'), ALLOW],
    ['list endpoints', ns('endpoints', 'list'), no()],
    ['create CSRs', res(n1, 'create', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io' }), ALLOW],
    ['tokenreviews', res(n1, 'create', 'tokenreviews', { apiGroup: 'authentication.k8s.io' }), ALLOW],
    ['deployments', ns('deployments', 'list', '', { apiGroup: 'apps' }), no()],
    ['non-resource paths', nonRes(n1, 'get', '/healthz'), no()],
  ];
  for (const [name, attrs, want] of table) it(name, () => assert.deepEqual(authz.authorize(attrs), want));

  it('follows the reader: a newly bound pod makes its secrets readable, rebinding revokes them', () => {
    const r = cluster();
    const a = createNodeAuthorizer(r);
    const read = res(n1, 'get', 'secrets', { namespace: 'default', name: 's-pending' });
    assert.equal(a.authorize(read).decision, 'noOpinion');
    r.put('', 'pods', pod('pending', 'n1', { volumes: [{ name: 'a', secret: { secretName: 's-pending' } }] }));
    assert.equal(a.authorize(read).decision, 'allow');
    r.put('', 'pods', pod('pending', 'n2', { volumes: [{ name: 'a', secret: { secretName: 's-pending' } }] }));
    assert.equal(a.authorize(read).decision, 'noOpinion');
  });
});
