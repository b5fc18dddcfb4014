/**
 * Property: the validators never throw, whatever JSON they are given (wrong types, nulls inside lists, odd keys),
 * for create, update and status updates of every built-in kind they know — the API server must answer such
 * objects with 422 (or 400 from decoding), never a 500 from validation.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../../../../src/api/object';
import { hasValidation, validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { deployment, gvk, pod, type Any } from './helpers';

const KINDS = [
  gvk('', 'Pod'), gvk('', 'PodTemplate'), gvk('', 'ReplicationController'), gvk('', 'Service'), gvk('', 'Endpoints'), gvk('', 'ConfigMap'),
  gvk('', 'Secret'), gvk('', 'ServiceAccount'), gvk('', 'Namespace'), gvk('', 'Node'), gvk('', 'PersistentVolume'), gvk('', 'PersistentVolumeClaim'),
  gvk('', 'LimitRange'), gvk('', 'ResourceQuota'), gvk('', 'Event'), gvk('events.k8s.io', 'Event'), gvk('apps', 'Deployment'), gvk('apps', 'ReplicaSet'),
  gvk('apps', 'StatefulSet'), gvk('apps', 'DaemonSet'), gvk('apps', 'ControllerRevision'), gvk('batch', 'Job'), gvk('batch', 'CronJob'),
  gvk('coordination.k8s.io', 'Lease'), gvk('discovery.k8s.io', 'EndpointSlice'), gvk('networking.k8s.io', 'Ingress'), gvk('networking.k8s.io', 'IngressClass'),
  gvk('rbac.authorization.k8s.io', 'Role'), gvk('rbac.authorization.k8s.io', 'ClusterRole'), gvk('rbac.authorization.k8s.io', 'RoleBinding'),
  gvk('rbac.authorization.k8s.io', 'ClusterRoleBinding'), gvk('scheduling.k8s.io', 'PriorityClass'), gvk('storage.k8s.io', 'StorageClass'),
  gvk('apiextensions.k8s.io', 'CustomResourceDefinition'),
];

/** A field name a validator is likely to read, or any string. */
const key = fc.oneof(
  fc.constantFrom(
    'metadata', 'spec', 'status', 'name', 'namespace', 'labels', 'annotations', 'template', 'selector', 'matchLabels', 'matchExpressions', 'containers',
    'initContainers', 'ports', 'port', 'targetPort', 'nodePort', 'resources', 'limits', 'requests', 'livenessProbe', 'httpGet', 'tolerations', 'affinity',
    'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', 'volumes', 'data', 'binaryData', 'type', 'rules', 'subsets',
    'clusterIPs', 'ipFamilies', 'updateStrategy', 'rollingUpdate', 'strategy', 'jobTemplate', 'schedule', 'accessModes', 'capacity', 'versions', 'schema',
    'ownerReferences', 'finalizers', 'managedFields', 'topologySpreadConstraints', 'matchLabelKeys', 'env', 'valueFrom', 'volumeMounts', 'securityContext',
  ),
  fc.string({ maxLength: 8 }),
);
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('1Gi', '-1', 'None', 'Always', '10%', 'a b'));
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
}));

/** Random documents, and valid objects with random subtrees grafted in — as JSON.parse would hand them over. */
const doc = fc.oneof(
  tree,
  fc.tuple(fc.constantFrom<Any>(pod(), deployment()), fc.array(fc.tuple(fc.array(key, { minLength: 1, maxLength: 5 }), tree), { maxLength: 4 })).map(([base, grafts]) => {
    const o = JSON.parse(JSON.stringify(base)) as Any;
    for (const [path, value] of grafts) {
      let cur = o;
      for (const k of path.slice(0, -1)) cur = cur[k] !== null && typeof cur[k] === 'object' ? cur[k] : (cur[k] = {});
      cur[path[path.length - 1]] = value;
    }
    return o;
  }),
).map((d) => JSON.parse(JSON.stringify(d) ?? 'null') as unknown);

describe('validators are total functions', () => {
  it('every listed kind has validation', () => assert.deepEqual(KINDS.filter((k) => !hasValidation(k)), []));
  it('never throw on arbitrary JSON (create, update, status update)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), doc, doc, (kind, a, b) => {
        const o = a as KubeObject;
        const old = b as KubeObject;
        validateCreate(kind, o);
        validateUpdate(kind, o, old);
        validateStatusUpdate(kind, o, old);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});
