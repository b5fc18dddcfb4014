import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupVersionKind } from '../../../../src/api/object';
import { ResourceRegistry, type ResourceInfo } from '../../../../src/api/resources';
import { openApiGroupVersion, openApiGroupVersionJson, openApiRoot } from '../../../../src/api/openapi/openapi-document';
import type { Schema } from '../../../../src/api/openapi/schema-types';

type Doc = { openapi: string; paths: Record<string, Record<string, Operation | Param[]>>; components: { schemas: Record<string, Schema> } };
type Param = { name: string; in: string; required?: boolean };
type Operation = {
  operationId: string;
  parameters: Param[];
  requestBody?: { content: Record<string, unknown> };
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
};

const gvDoc = (registry: ResourceRegistry, group: string, version: string, crd?: Record<string, Schema>): Doc => {
  const d = openApiGroupVersion(registry, group, version, crd);
  assert.ok(d, `no document for ${group}/${version}`);
  return d as Doc;
};

function operations(doc: Doc): [string, string, Operation][] {
  const out: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (method !== 'parameters') out.push([path, method, op as Operation]);
  }
  return out;
}

/** kubectl's QueryParamVerifierV3 + apply's gvkSupportsPatchOpenAPIV3, as they read the document. */
function kubectlView(doc: Doc, gvk: GroupVersionKind): { fieldValidation: boolean; smp: boolean } | undefined {
  for (const item of Object.values(doc.paths)) {
    const op = item.patch as Operation | undefined;
    const g = op?.['x-kubernetes-group-version-kind'];
    if (!op || !g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) continue;
    return {
      fieldValidation: op.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query'),
      smp: 'application/strategic-merge-patch+json' in (op.requestBody?.content ?? {}),
    };
  }
  return undefined;
}

/** `kubectl explain`'s walk: kind schema by GVK, then properties through $ref / single allOf. */
function explain(doc: Doc, gvk: GroupVersionKind, path: string[]): Schema | undefined {
  const schemas = doc.components.schemas;
  const deref = (s: Schema): Schema => {
    const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
    return ref ? schemas[ref.replace('#/components/schemas/', '')] : s;
  };
  let s = Object.values(schemas).find((x) => x['x-kubernetes-group-version-kind']?.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind));
  for (const f of path) {
    let cur = s && deref(s);
    if (cur?.type === 'array' && cur.items) cur = deref(cur.items);
    const p = cur?.properties?.[f];
    if (!p) return undefined;
    s = p;
  }
  return s;
}

function danglingRefs(doc: Doc): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) {
        if (k === '$ref' && typeof c === 'string') {
          if (!doc.components.schemas[c.replace('#/components/schemas/', '')]) out.push(c);
        } else visit(c);
      }
    }
  };
  visit(doc);
  return out;
}

const CRD_RESOURCE: ResourceInfo = {
  group: 'stable.example.com',
  version: 'v1',
  resource: 'crontabs',
  singular: 'crontab',
  kind: 'CronTab',
  listKind: 'CronTabList',
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['ct'],
  categories: [],
  subresources: [
    { name: 'status', kind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, verbs: ['get', 'patch', 'update'] },
    { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  ],
  storagePrefix: '/registry/stable.example.com/crontabs',
  crd: 'crontabs.stable.example.com',
};
const CRONTAB_SCHEMA: Schema = { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string', description: 'The cron spec.' } } } } };

describe('OpenAPI v3 documents', () => {
  const registry = new ResourceRegistry();

  it('the index lists every group-version with a hashed serverRelativeURL', () => {
    const root = openApiRoot(registry);
    assert.ok(root.paths['api/v1']);
    assert.match(root.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    assert.deepEqual(Object.keys(root.paths), [...Object.keys(root.paths)].sort());
    assert.equal(root.paths['apis/apps/v1'].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${openApiGroupVersionJson(registry, 'apps', 'v1')!.hash}`);
    for (const gv of ['apis/batch/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/apiextensions.k8s.io/v1']) assert.ok(root.paths[gv], gv);
  });

  it('apps/v1: kubectl finds fieldValidation on the Deployment PATCH and may compute strategic merge patches', () => {
    const doc = gvDoc(registry, 'apps', 'v1');
    assert.equal(doc.openapi, '3.0.0');
    assert.deepEqual(kubectlView(doc, { group: 'apps', version: 'v1', kind: 'Deployment' }), { fieldValidation: true, smp: true });
    assert.deepEqual(kubectlView(doc, { group: 'autoscaling', version: 'v1', kind: 'Scale' }), { fieldValidation: true, smp: true });
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch as Operation;
    assert.equal(patch.operationId, 'patchAppsV1NamespacedDeployment');
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch.parameters.map((p) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    assert.deepEqual(Object.keys(patch.requestBody!.content), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
  });

  it('has list/create on collections, get/replace/patch/delete on items, status and scale, all-namespaces and watch paths', () => {
    const doc = gvDoc(registry, 'apps', 'v1');
    const ids = new Map(operations(doc).map(([path, method, op]) => [op.operationId, `${method} ${path} ${op['x-kubernetes-action']}`]));
    const expected: [string, string][] = [
      ['listAppsV1NamespacedDeployment', 'get /apis/apps/v1/namespaces/{namespace}/deployments list'],
      ['createAppsV1NamespacedDeployment', 'post /apis/apps/v1/namespaces/{namespace}/deployments post'],
      ['deleteAppsV1CollectionNamespacedDeployment', 'delete /apis/apps/v1/namespaces/{namespace}/deployments deletecollection'],
      ['readAppsV1NamespacedDeployment', 'get /apis/apps/v1/namespaces/{namespace}/deployments/{name} get'],
      ['replaceAppsV1NamespacedDeployment', 'put /apis/apps/v1/namespaces/{namespace}/deployments/{name} put'],
      ['deleteAppsV1NamespacedDeployment', 'delete /apis/apps/v1/namespaces/{namespace}/deployments/{name} delete'],
      ['readAppsV1NamespacedDeploymentStatus', 'get /apis/apps/v1/namespaces/{namespace}/deployments/{name}/status get'],
      ['patchAppsV1NamespacedDeploymentScale', 'patch /apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale patch'],
      ['listAppsV1DeploymentForAllNamespaces', 'get /apis/apps/v1/deployments list'],
      ['watchAppsV1NamespacedDeploymentList', 'get /apis/apps/v1/watch/namespaces/{namespace}/deployments watchlist'],
      ['watchAppsV1NamespacedDeployment', 'get /apis/apps/v1/watch/namespaces/{namespace}/deployments/{name} watch'],
      ['watchAppsV1DeploymentListForAllNamespaces', 'get /apis/apps/v1/watch/deployments watchlist'],
    ];
    for (const [id, where] of expected) assert.equal(ids.get(id), where, id);
    const create = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].post as Operation;
    assert.deepEqual(create.parameters.map((p) => p.name), ['dryRun', 'fieldManager', 'fieldValidation']);
    const list = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].get as Operation;
    assert.ok(list.parameters.some((p) => p.name === 'watch') && list.parameters.some((p) => p.name === 'allowWatchBookmarks'));
    const itemParams = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].parameters as Param[];
    assert.deepEqual(itemParams.map((p) => `${p.name}:${p.in}`), ['name:path', 'namespace:path', 'pretty:query']);
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get as Operation;
    assert.deepEqual(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  });

  it('core/v1: cluster-scoped resources have no namespace segment; only declared verbs get operations', () => {
    const doc = gvDoc(registry, '', 'v1');
    const ids = new Set(operations(doc).map(([, , op]) => op.operationId));
    for (const id of ['readCoreV1Namespace', 'listCoreV1NamespacedPod', 'createCoreV1NamespacedPodBinding', 'createCoreV1NamespacedPodEviction', 'readCoreV1NamespacedPodLog', 'listCoreV1ComponentStatus']) {
      assert.ok(ids.has(id), id);
    }
    assert.ok(!ids.has('deleteCoreV1CollectionNamespace'), 'namespaces have no deletecollection');
    assert.ok(!ids.has('createCoreV1ComponentStatus'), 'componentstatuses are read-only');
    assert.ok(doc.paths['/api/v1/namespaces/{name}']);
    assert.ok(doc.paths['/api/v1/nodes/{name}/status']);
    const rbac = gvDoc(registry, 'rbac.authorization.k8s.io', 'v1');
    assert.ok(operations(rbac).some(([, , op]) => op.operationId === 'listRbacAuthorizationV1ClusterRole'));
  });

  it('components.schemas hold everything reachable, so the document is self-contained', () => {
    for (const [g, v] of [['apps', 'v1'], ['', 'v1'], ['batch', 'v1'], ['apiextensions.k8s.io', 'v1']]) {
      const doc = gvDoc(registry, g, v);
      assert.deepEqual(danglingRefs(doc), [], `${g}/${v}`);
    }
    const schemas = gvDoc(registry, 'apps', 'v1').components.schemas;
    for (const n of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentList', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent', 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch']) {
      assert.ok(schemas[n], n);
    }
    assert.ok(!schemas['io.k8s.api.networking.v1.Ingress'], 'unreachable definitions stay out');
  });

  it('supports kubectl explain deployment.spec.replicas and pod.spec.containers.ports', () => {
    const apps = gvDoc(registry, 'apps', 'v1');
    const replicas = explain(apps, { group: 'apps', version: 'v1', kind: 'Deployment' }, ['spec', 'replicas']);
    assert.match(replicas?.description ?? '', /^Number of desired pods/);
    assert.equal(replicas?.type, 'integer');
    const ports = explain(gvDoc(registry, '', 'v1'), { group: '', version: 'v1', kind: 'Pod' }, ['spec', 'containers', 'ports']);
    assert.equal(ports?.['x-kubernetes-patch-merge-key'], 'containerPort');
  });

  it('is cached and frozen until the group-version changes', () => {
    assert.equal(openApiGroupVersion(registry, 'apps', 'v1'), openApiGroupVersion(registry, 'apps', 'v1'));
    assert.ok(Object.isFrozen(openApiGroupVersion(registry, 'apps', 'v1')));
    assert.equal(openApiGroupVersion(registry, 'nope', 'v1'), undefined);
  });

  it('custom resources: schema from the CRD, standard fields, no strategic merge patch, hash follows changes', () => {
    const reg = new ResourceRegistry();
    const before = openApiRoot(reg);
    assert.equal(before.paths['apis/stable.example.com/v1'], undefined);
    reg.add(CRD_RESOURCE);
    const source = (schema: Schema) => (g: string, v: string) => (g === 'stable.example.com' && v === 'v1' ? { CronTab: schema } : undefined);
    const withCrd = openApiRoot(reg, source(CRONTAB_SCHEMA));
    assert.ok(withCrd.paths['apis/stable.example.com/v1']);
    assert.equal(withCrd.paths['apis/apps/v1'].serverRelativeURL, before.paths['apis/apps/v1'].serverRelativeURL);
    const changed: Schema = { ...CRONTAB_SCHEMA, properties: { ...CRONTAB_SCHEMA.properties, status: { type: 'object' } } };
    const afterChange = openApiRoot(reg, source(changed));
    assert.notEqual(afterChange.paths['apis/stable.example.com/v1'].serverRelativeURL, withCrd.paths['apis/stable.example.com/v1'].serverRelativeURL);

    const doc = gvDoc(reg, 'stable.example.com', 'v1', { CronTab: CRONTAB_SCHEMA });
    const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
    assert.deepEqual(kubectlView(doc, gvk), { fieldValidation: true, smp: false });
    const kind = doc.components.schemas['com.example.stable.v1.CronTab'];
    assert.deepEqual(kind['x-kubernetes-group-version-kind'], [gvk]);
    assert.deepEqual(Object.keys(kind.properties ?? {}), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(kind.properties?.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.equal(explain(doc, gvk, ['spec', 'cronSpec'])?.description, 'The cron spec.');
    assert.ok(doc.components.schemas['com.example.stable.v1.CronTabList']);
    assert.ok(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale']);
    assert.deepEqual(danglingRefs(doc), []);
    assert.equal(CRONTAB_SCHEMA.properties?.apiVersion, undefined, 'the CRD schema itself is not modified');
  });
});
