/**
 * API conformance, part 2: create, get and list of configmaps and namespaces; type meta from the URL; generateName;
 * the Status bodies of AlreadyExists and NotFound (core and named-group resources); a missing namespace.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cm, deployment, expectStatus, names, rvOf, type Obj } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

export function crudTests(h: ApiHarness): void {
  describe('create, get and list', () => {
    it('a configmap: POST 201 with server-set metadata, GET returns the same object, list contains it', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const created = await h.api.ok(h.api.post(path, cm('one', { a: '1' }, { app: 'x' })), 201);
      assert.equal(created.kind, 'ConfigMap');
      assert.equal(created.apiVersion, 'v1');
      assert.equal(created.metadata.name, 'one');
      assert.equal(created.metadata.namespace, ns);
      assert.match(created.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(created.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      rvOf(created);
      assert.equal(created.metadata.generation, undefined, 'configmaps have no generation');
      assert.deepEqual(created.data, { a: '1' });
      assert.deepEqual(created.metadata.labels, { app: 'x' });

      const got = await h.api.ok(h.api.get(`${path}/one`));
      assert.deepEqual(got, created);

      const list = await h.api.ok(h.api.get(path));
      assert.equal(list.kind, 'ConfigMapList');
      assert.equal(list.apiVersion, 'v1');
      assert.ok(rvOf(list) >= rvOf(created), 'the list is at least as new as the write');
      assert.deepEqual(names(list), ['one']);
      assert.deepEqual((list.items as Obj[]).find((i) => i.metadata.name === 'one'), created);

      const all = await h.api.ok(h.api.get('/api/v1/configmaps'));
      assert.ok((all.items as Obj[]).some((i) => i.metadata.namespace === ns && i.metadata.name === 'one'), 'the all-namespaces list contains it');
    });

    it('a namespace: POST 201, Active with the kubernetes finalizer and the metadata.name label', T, async () => {
      const name = `crud-ns-${Math.random().toString(36).slice(2, 8)}`;
      const created = await h.api.ok(h.api.post('/api/v1/namespaces', { metadata: { name } }), 201);
      assert.equal(created.kind, 'Namespace');
      assert.equal(created.apiVersion, 'v1');
      assert.equal(created.metadata.namespace, undefined, 'cluster-scoped');
      assert.equal(created.status?.phase, 'Active');
      assert.deepEqual(created.spec?.finalizers, ['kubernetes']);
      assert.equal(created.metadata.labels?.['kubernetes.io/metadata.name'], name);
      assert.deepEqual(await h.api.ok(h.api.get(`/api/v1/namespaces/${name}`)), created);
      const list = await h.api.ok(h.api.get('/api/v1/namespaces'));
      assert.ok(names(list).includes(name));
    });

    it('kind and apiVersion are filled from the URL when the body omits them', T, async () => {
      const ns = await h.namespace();
      const created = await h.api.ok(h.api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'bare' }, data: { k: 'v' } }), 201);
      assert.equal(created.kind, 'ConfigMap');
      assert.equal(created.apiVersion, 'v1');
      const d = deployment('bare');
      delete d.kind;
      delete d.apiVersion;
      const dep = await h.api.ok(h.api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, d), 201);
      assert.equal(dep.kind, 'Deployment');
      assert.equal(dep.apiVersion, 'apps/v1');
    });

    it('generateName: the server appends five characters of its alphabet', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const a = await h.api.ok(h.api.post(path, { metadata: { generateName: 'gen-' } }), 201);
      const b = await h.api.ok(h.api.post(path, { metadata: { generateName: 'gen-' } }), 201);
      for (const o of [a, b]) {
        assert.match(o.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.equal(o.metadata.generateName, 'gen-');
      }
      assert.notEqual(a.metadata.name, b.metadata.name);
      await h.api.ok(h.api.get(`${path}/${a.metadata.name}`));
    });
  });

  describe('AlreadyExists and NotFound', () => {
    it('creating an existing configmap is 409 AlreadyExists', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await h.api.ok(h.api.post(path, cm('x')), 201);
      expectStatus(await h.api.post(path, cm('x', { other: 'data' })), {
        code: 409,
        reason: 'AlreadyExists',
        message: 'configmaps "x" already exists',
        details: { name: 'x', kind: 'configmaps' },
      });
      const d = `/apis/apps/v1/namespaces/${ns}/deployments`;
      await h.api.ok(h.api.post(d, deployment('web')), 201);
      expectStatus(await h.api.post(d, deployment('web')), {
        code: 409,
        reason: 'AlreadyExists',
        message: 'deployments.apps "web" already exists',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      });
    });

    it('getting a missing object is 404 NotFound naming the resource (with its group)', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.get(`/api/v1/namespaces/${ns}/configmaps/x`), {
        code: 404,
        reason: 'NotFound',
        message: 'configmaps "x" not found',
        details: { name: 'x', kind: 'configmaps' },
      });
      expectStatus(await h.api.get(`/apis/apps/v1/namespaces/${ns}/deployments/x`), {
        code: 404,
        reason: 'NotFound',
        message: 'deployments.apps "x" not found',
        details: { name: 'x', group: 'apps', kind: 'deployments' },
      });
      expectStatus(await h.api.get('/api/v1/namespaces/no-such-namespace-here'), {
        code: 404,
        reason: 'NotFound',
        message: 'namespaces "no-such-namespace-here" not found',
        details: { name: 'no-such-namespace-here', kind: 'namespaces' },
      });
      expectStatus(await h.api.delete(`/api/v1/namespaces/${ns}/configmaps/x`), {
        code: 404,
        reason: 'NotFound',
        message: 'configmaps "x" not found',
        details: { name: 'x', kind: 'configmaps' },
      });
    });

    it('creating in a namespace that does not exist is 404 for the namespace', T, async () => {
      expectStatus(await h.api.post('/api/v1/namespaces/nope/configmaps', cm('x')), {
        code: 404,
        reason: 'NotFound',
        message: 'namespaces "nope" not found',
        details: { name: 'nope', kind: 'namespaces' },
      });
    });
  });
}
