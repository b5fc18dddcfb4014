/**
 * Hand-written OpenAPI schemas for the patch tests (not the generated ones): upstream strategicpatch's test type
 * `MergeItem` rewritten as schemas, and a Deployment-like shape with containers, ports, env, volumes, finalizers,
 * ownerReferences and tolerations carrying the same patch extensions as the real Kubernetes schemas. Plus a tiny
 * SchemaResolver over a components map and a deep-freeze helper (frozen inputs prove the code does not mutate them).
 */
import type { Schema, SchemaResolver } from '../../../../src/api/openapi/schema-types';

export function resolverFor(components: Record<string, Schema>): SchemaResolver {
  const resolve = (schema: Schema): Schema => {
    let s = schema;
    for (let i = 0; i < 50; i++) {
      if (s.$ref) {
        const name = s.$ref.replace('#/components/schemas/', '');
        const next = components[name];
        if (!next) throw new Error(`unknown $ref ${s.$ref}`);
        s = next;
      } else if (s.allOf?.length === 1 && !s.properties && !s.type) {
        s = s.allOf[0]!;
      } else {
        return s;
      }
    }
    throw new Error('$ref loop');
  };
  return {
    forKind: (gvk) =>
      Object.values(components).find((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.kind === gvk.kind && g.group === gvk.group)),
    resolve,
  };
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** Upstream's `MergeItem` / `RetainKeysMergeItem` test structs as OpenAPI. */
export const MERGE_ITEM_COMPONENTS: Record<string, Schema> = {
  'test.MergeItem': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      mergingList: { type: 'array', items: ref('test.MergeItem'), 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      nonMergingList: { type: 'array', items: ref('test.MergeItem') },
      mergingIntList: { type: 'array', items: { type: 'integer', format: 'int32' }, 'x-kubernetes-patch-strategy': 'merge' },
      nonMergingIntList: { type: 'array', items: { type: 'integer', format: 'int32' } },
      simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
      replacingItem: { allOf: [ref('test.RawExtension')], 'x-kubernetes-patch-strategy': 'replace' },
      retainKeysMap: { allOf: [ref('test.RetainKeysMergeItem')], 'x-kubernetes-patch-strategy': 'retainKeys' },
      retainKeysMergingList: {
        type: 'array',
        items: ref('test.MergeItem'),
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
        'x-kubernetes-patch-merge-key': 'name',
      },
      mapOfItems: { type: 'object', additionalProperties: ref('test.MergeItem') },
      rawItem: ref('test.RawExtension'),
    },
  },
  'test.RetainKeysMergeItem': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
      mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
      mergingList: { type: 'array', items: ref('test.MergeItem'), 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      nonMergingList: { type: 'array', items: ref('test.MergeItem') },
    },
  },
  'test.RawExtension': { type: 'object' },
};

export const MERGE_ITEM: Schema = ref('test.MergeItem');
export const mergeItemResolver = resolverFor(MERGE_ITEM_COMPONENTS);

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer', format: 'int32' };
const strMap: Schema = { type: 'object', additionalProperties: str };
const mergeList = (item: string, key: string, strategy = 'merge'): Schema => ({
  type: 'array',
  items: ref(item),
  'x-kubernetes-patch-strategy': strategy,
  'x-kubernetes-patch-merge-key': key,
});

/** A Deployment-like slice of the real apps/v1 and core/v1 schemas, with their patch extensions. */
export const DEPLOYMENT_COMPONENTS: Record<string, Schema> = {
  'io.k8s.api.apps.v1.Deployment': {
    type: 'object',
    properties: {
      apiVersion: str,
      kind: str,
      metadata: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')], default: {} },
      spec: { allOf: [ref('io.k8s.api.apps.v1.DeploymentSpec')], default: {} },
    },
    'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    properties: {
      replicas: int,
      selector: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'),
      template: { allOf: [ref('io.k8s.api.core.v1.PodTemplateSpec')], default: {} },
      strategy: { allOf: [ref('io.k8s.api.apps.v1.DeploymentStrategy')], 'x-kubernetes-patch-strategy': 'retainKeys' },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    type: 'object',
    properties: { type: str, rollingUpdate: { type: 'object', properties: { maxSurge: str, maxUnavailable: str } } },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    type: 'object',
    properties: { matchLabels: strMap, matchExpressions: { type: 'array', items: { type: 'object', properties: { key: str } } } },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: str,
      namespace: str,
      labels: strMap,
      annotations: strMap,
      finalizers: { type: 'array', items: str, 'x-kubernetes-patch-strategy': 'merge' },
      ownerReferences: mergeList('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference', 'uid'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    type: 'object',
    properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    type: 'object',
    properties: {
      metadata: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')], default: {} },
      spec: { allOf: [ref('io.k8s.api.core.v1.PodSpec')], default: {} },
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    properties: {
      containers: mergeList('io.k8s.api.core.v1.Container', 'name'),
      volumes: mergeList('io.k8s.api.core.v1.Volume', 'name', 'merge,retainKeys'),
      tolerations: { type: 'array', items: ref('io.k8s.api.core.v1.Toleration') },
      nodeSelector: strMap,
    },
  },
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    properties: {
      name: str,
      image: str,
      args: { type: 'array', items: str },
      env: mergeList('io.k8s.api.core.v1.EnvVar', 'name'),
      ports: mergeList('io.k8s.api.core.v1.ContainerPort', 'containerPort'),
      resources: { type: 'object', properties: { limits: strMap, requests: strMap } },
    },
  },
  'io.k8s.api.core.v1.EnvVar': { type: 'object', properties: { name: str, value: str } },
  'io.k8s.api.core.v1.ContainerPort': { type: 'object', properties: { containerPort: int, name: str, protocol: str } },
  'io.k8s.api.core.v1.Volume': {
    type: 'object',
    properties: {
      name: str,
      emptyDir: { type: 'object', properties: { medium: str } },
      configMap: { type: 'object', properties: { name: str } },
      hostPath: { type: 'object', properties: { path: str } },
    },
  },
  'io.k8s.api.core.v1.Toleration': { type: 'object', properties: { key: str, operator: str, value: str, effect: str } },
};

export const deploymentResolver = resolverFor(DEPLOYMENT_COMPONENTS);
export const DEPLOYMENT: Schema = deploymentResolver.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
export const DEPLOYMENT_REF: Schema = ref('io.k8s.api.apps.v1.Deployment');

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}
