/**
 * Hand-written OpenAPI v3 schemas for the apply tests: a trimmed apps/v1 Deployment (with the list types, map types,
 * `default: {}` struct markers and $ref/allOf wrapping the real schemas use), a ConfigMap-like kind, and a resolver.
 */
import type { GroupVersionKind, KubeObject } from '../../../../src/api/object';
import type { Schema, SchemaResolver } from '../../../../src/api/openapi/schema-types';

const ref = (name: string, extra: Schema = {}): Schema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], ...extra });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer', format: 'int32' };
const strMap: Schema = { type: 'object', additionalProperties: { type: 'string', default: '' } };

export const schemas: Record<string, Schema> = {
  Deployment: {
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
    properties: {
      apiVersion: str,
      kind: str,
      metadata: ref('ObjectMeta', { default: {} }),
      spec: ref('DeploymentSpec', { default: {} }),
      status: ref('DeploymentStatus', { default: {} }),
    },
  },
  ConfigMap: {
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }],
    properties: { apiVersion: str, kind: str, metadata: ref('ObjectMeta', { default: {} }), data: strMap, immutable: { type: 'boolean' } },
  },
  ObjectMeta: {
    type: 'object',
    properties: {
      name: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: ref('Time'),
      labels: strMap,
      annotations: strMap,
      finalizers: { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
      ownerReferences: {
        type: 'array',
        items: ref('OwnerReference', { default: {} }),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  },
  Time: { type: 'string', format: 'date-time' },
  OwnerReference: { type: 'object', required: ['uid', 'name'], properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } } },
  DeploymentSpec: {
    type: 'object',
    required: ['selector', 'template'],
    properties: {
      replicas: int,
      minReadySeconds: int,
      selector: ref('LabelSelector'),
      template: ref('PodTemplateSpec', { default: {} }),
      strategy: ref('DeploymentStrategy', { default: {} }),
    },
  },
  LabelSelector: {
    type: 'object',
    'x-kubernetes-map-type': 'atomic',
    properties: { matchLabels: strMap, matchExpressions: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' } },
  },
  DeploymentStrategy: { type: 'object', properties: { type: str, rollingUpdate: ref('RollingUpdateDeployment') } },
  RollingUpdateDeployment: {
    type: 'object',
    properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } },
  },
  PodTemplateSpec: { type: 'object', properties: { metadata: ref('ObjectMeta', { default: {} }), spec: ref('PodSpec', { default: {} }) } },
  PodSpec: {
    type: 'object',
    required: ['containers'],
    properties: {
      containers: {
        type: 'array',
        items: ref('Container', { default: {} }),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      nodeSelector: { ...strMap, 'x-kubernetes-map-type': 'atomic' },
      tolerations: { type: 'array', items: { type: 'object', properties: { key: str, effect: str } }, 'x-kubernetes-list-type': 'atomic' },
      restartPolicy: str,
      dnsPolicy: str,
    },
  },
  Container: {
    type: 'object',
    required: ['name'],
    properties: {
      name: str,
      image: str,
      imagePullPolicy: str,
      args: { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic' },
      ports: {
        type: 'array',
        items: ref('ContainerPort', { default: {} }),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      },
      env: {
        type: 'array',
        items: ref('EnvVar', { default: {} }),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      resources: ref('ResourceRequirements', { default: {} }),
    },
  },
  ContainerPort: { type: 'object', required: ['containerPort'], properties: { name: str, containerPort: int, protocol: { type: 'string', default: 'TCP' } } },
  EnvVar: { type: 'object', required: ['name'], properties: { name: str, value: str } },
  ResourceRequirements: {
    type: 'object',
    properties: { limits: { type: 'object', additionalProperties: ref('Quantity') }, requests: { type: 'object', additionalProperties: ref('Quantity') } },
  },
  Quantity: { type: 'string' },
  DeploymentStatus: { type: 'object', properties: { replicas: int, observedGeneration: { type: 'integer' } } },
  /** A kind shaped like structured-merge-diff's test types. */
  Widget: {
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
    properties: {
      apiVersion: str,
      kind: str,
      metadata: ref('ObjectMeta', { default: {} }),
      list: {
        type: 'array',
        items: { type: 'object', properties: { name: str, value: { type: 'number' } } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      listOfLists: {
        type: 'array',
        items: { type: 'object', properties: { name: str, value: { type: 'array', items: str, 'x-kubernetes-list-type': 'set' } } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      mapOfMapsRecursive: ref('MapOfMaps'),
      struct: { type: 'object', properties: { name: str, value: { type: 'number' } } },
      set: { type: 'array', items: str, 'x-kubernetes-list-type': 'set' },
      atomicList: { type: 'array', items: str },
      atomicMap: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { a: str, b: str } },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      legacyList: {
        type: 'array',
        items: { type: 'object', properties: { id: str, v: str } },
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'id',
      },
      legacySet: { type: 'array', items: str, 'x-kubernetes-patch-strategy': 'merge' },
      wrappedAtomic: ref('RollingUpdateDeployment', { 'x-kubernetes-map-type': 'atomic' }),
    },
  },
  MapOfMaps: { type: 'object', additionalProperties: ref('MapOfMaps') },
};

export const resolver: SchemaResolver = {
  forKind(gvk: GroupVersionKind): Schema | undefined {
    return Object.values(schemas).find((s) =>
      s['x-kubernetes-group-version-kind']?.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind),
    );
  },
  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 20; i++) {
      if (s.$ref) s = schemas[s.$ref.split('/').pop()!]!;
      else if (s.allOf?.length === 1) s = s.allOf[0]!;
      else break;
    }
    return s;
  },
};

export const deploymentSchema = schemas.Deployment!;
export const configMapSchema = schemas.ConfigMap!;
export const widgetSchema = schemas.Widget!;

export const T0 = '2026-01-01T00:00:00Z';
export const T1 = '2026-01-01T00:01:00Z';
export const T2 = '2026-01-01T00:02:00Z';
export const T3 = '2026-01-01T00:03:00Z';

/** A Deployment body as `kubectl create`/`apply` would send it. */
export function deployment(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}
