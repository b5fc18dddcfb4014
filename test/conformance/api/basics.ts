/**
 * API conformance, part 1: /version, health endpoints, authentication failure, legacy and aggregated discovery
 * (verbs, short names, categories, subresources with their own group), and the namespaces every cluster has.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGGREGATED_ACCEPT, Api, expectCode, expectStatus, headerValues, type Obj } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GPU = ['get', 'patch', 'update'];

/** APIResourceList entries by name, without storageVersionHash (an opaque hash no client compares). */
export function resourcesByName(list: Obj): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const r of list.resources as Obj[]) {
    const { storageVersionHash: _hash, ...rest } = r;
    m.set(r.name, rest);
  }
  return m;
}

function sortedSubresources(r: Obj): Obj {
  return { ...r, subresources: [...(r.subresources ?? [])].sort((a: Obj, b: Obj) => a.subresource.localeCompare(b.subresource)) };
}

export function basicTests(h: ApiHarness): void {
  describe('non-resource endpoints and authentication', () => {
    it('/version reports major "1", minor "32"', T, async () => {
      const v = await h.api.ok(h.api.get('/version'));
      assert.equal(v.major, '1');
      assert.equal(v.minor, '32');
      assert.match(v.gitVersion, /^v1\.32\.\d+/);
      for (const k of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) assert.equal(typeof v[k], 'string', k);
    });

    for (const path of ['/healthz', '/livez', '/readyz']) {
      it(`${path} answers the text "ok"`, T, async () => {
        const res = await h.api.get(path);
        expectCode(res, 200);
        assert.equal(res.body, 'ok');
        assert.match(headerValues(res, 'content-type')[0] ?? '', /^text\/plain/);
      });
    }

    it('a wrong bearer token gets 401 Unauthorized, for resources and non-resources alike', T, async () => {
      const bad = new Api(h.transport('not-the-right-token'));
      for (const path of ['/api/v1/namespaces', '/api/v1/namespaces/default/configmaps/x', '/version']) {
        expectStatus(await bad.get(path), { code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
      }
      expectStatus(await bad.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'x' } }), { code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
    });
  });

  describe('discovery', () => {
    it('/api lists the legacy version v1', T, async () => {
      const b = await h.api.ok(h.api.get('/api'));
      assert.equal(b.kind, 'APIVersions');
      assert.deepEqual(b.versions, ['v1']);
      assert.equal(b.serverAddressByClientCIDRs?.[0]?.clientCIDR, '0.0.0.0/0');
    });

    it('/api/v1 describes core resources and their subresources', T, async () => {
      const b = await h.api.ok(h.api.get('/api/v1'));
      assert.equal(b.kind, 'APIResourceList');
      assert.equal(b.groupVersion, 'v1');
      const r = resourcesByName(b);
      assert.deepEqual(r.get('pods'), { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ALL_VERBS, shortNames: ['po'], categories: ['all'] });
      assert.deepEqual(r.get('pods/status'), { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: GPU });
      assert.deepEqual(r.get('pods/binding'), { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
      assert.deepEqual(r.get('pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
      assert.deepEqual(r.get('configmaps'), { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ALL_VERBS, shortNames: ['cm'] });
      assert.deepEqual(r.get('namespaces'), {
        name: 'namespaces',
        singularName: 'namespace',
        namespaced: false,
        kind: 'Namespace',
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['ns'],
      });
      assert.deepEqual(r.get('services')?.categories, ['all']);
      assert.deepEqual(r.get('componentstatuses'), { name: 'componentstatuses', singularName: 'componentstatus', namespaced: false, kind: 'ComponentStatus', verbs: ['get', 'list'], shortNames: ['cs'] });
    });

    it('/apis lists groups with their preferred versions', T, async () => {
      const b = await h.api.ok(h.api.get('/apis'));
      assert.equal(b.kind, 'APIGroupList');
      const groups = new Map((b.groups as Obj[]).map((g) => [g.name, g]));
      assert.deepEqual(groups.get('apps'), { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
      for (const g of ['batch', 'autoscaling', 'apiextensions.k8s.io', 'rbac.authorization.k8s.io']) assert.ok(groups.has(g), `group ${g} is served`);
      assert.ok(!groups.has(''), 'the legacy group is not an API group');
    });

    it('/apis/apps/v1 describes deployments, with deployments/scale in group autoscaling', T, async () => {
      const b = await h.api.ok(h.api.get('/apis/apps/v1'));
      assert.equal(b.kind, 'APIResourceList');
      assert.equal(b.groupVersion, 'apps/v1');
      const r = resourcesByName(b);
      assert.deepEqual(r.get('deployments'), {
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
        verbs: ALL_VERBS,
        shortNames: ['deploy'],
        categories: ['all'],
      });
      assert.deepEqual(r.get('deployments/scale'), { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: GPU });
      assert.deepEqual(r.get('deployments/status'), { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: GPU });
      assert.deepEqual(r.get('replicasets')?.categories, ['all']);
      assert.deepEqual(r.get('controllerrevisions')?.categories, undefined);
    });

    it('aggregated discovery (apidiscovery.k8s.io/v2) for /apis and /api when Accept asks for it', T, async () => {
      const ct = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
      const apis = await h.api.get('/apis', undefined, { accept: AGGREGATED_ACCEPT });
      expectCode(apis, 200);
      assert.equal(headerValues(apis, 'content-type')[0], ct);
      const b = apis.body as Obj;
      assert.equal(b.kind, 'APIGroupDiscoveryList');
      assert.equal(b.apiVersion, 'apidiscovery.k8s.io/v2');
      const apps = (b.items as Obj[]).find((i) => i.metadata?.name === 'apps');
      assert.ok(apps, 'apps is in the aggregated list');
      const v1 = (apps.versions as Obj[]).find((v) => v.version === 'v1')!;
      assert.equal(v1.freshness, 'Current');
      const deploy = (v1.resources as Obj[]).find((r) => r.resource === 'deployments')!;
      assert.deepEqual(sortedSubresources(deploy), {
        resource: 'deployments',
        responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        scope: 'Namespaced',
        singularResource: 'deployment',
        verbs: ALL_VERBS,
        shortNames: ['deploy'],
        categories: ['all'],
        subresources: [
          { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: GPU },
          { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: GPU },
        ],
      });

      const core = await h.api.get('/api', undefined, { accept: AGGREGATED_ACCEPT });
      expectCode(core, 200);
      assert.equal(headerValues(core, 'content-type')[0], ct);
      const items = (core.body as Obj).items as Obj[];
      assert.equal(items.length, 1, 'the legacy group only');
      const pods = (items[0].versions[0].resources as Obj[]).find((r) => r.resource === 'pods')!;
      assert.equal(pods.scope, 'Namespaced');
      assert.deepEqual(pods.categories, ['all']);
      assert.deepEqual(pods.shortNames, ['po']);
      const binding = (pods.subresources as Obj[]).find((s) => s.subresource === 'binding');
      assert.deepEqual(binding, { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] });
    });

    it('without the aggregated Accept, /apis is the legacy APIGroupList', T, async () => {
      const res = await h.api.get('/apis', undefined, { accept: 'application/json' });
      expectCode(res, 200);
      assert.equal((res.body as Obj).kind, 'APIGroupList');
    });
  });

  describe('namespaces every cluster has', () => {
    it('default, kube-system, kube-public and kube-node-lease exist and are Active', T, async () => {
      const list = await h.api.ok(h.api.get('/api/v1/namespaces'));
      assert.equal(list.kind, 'NamespaceList');
      const byName = new Map((list.items as Obj[]).map((n) => [n.metadata.name, n]));
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
        const ns = byName.get(name);
        assert.ok(ns, `namespace ${name} exists`);
        assert.equal(ns.status?.phase, 'Active', name);
        const got = await h.api.ok(h.api.get(`/api/v1/namespaces/${name}`));
        assert.equal(got.metadata.uid, ns.metadata.uid);
      }
    });
  });
}
