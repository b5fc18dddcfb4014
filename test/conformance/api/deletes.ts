/**
 * API conformance, part 9: deletion — what DELETE answers (a success Status for most kinds, the object for pods),
 * graceful deletion of a pod bound through pods/binding (and binding twice → 409), finalizers holding an object
 * until removed, deletecollection with a label selector, and a namespace turning Terminating (new content → 403).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cm, expectCode, expectStatus, MERGE, names, pod, rvOf } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

function binding(name: string, node: string) {
  return { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
}

export function deleteTests(h: ApiHarness): void {
  describe('delete', () => {
    it('deleting a configmap answers a success Status naming it; deleting a pod answers the pod', T, async () => {
      const ns = await h.namespace();
      const c = await h.api.ok(h.api.post(`/api/v1/namespaces/${ns}/configmaps`, cm('gone')), 201);
      const res = await h.api.delete(`/api/v1/namespaces/${ns}/configmaps/gone`);
      expectCode(res, 200);
      assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'gone', kind: 'configmaps', uid: c.metadata.uid } });
      assert.equal((await h.api.get(`/api/v1/namespaces/${ns}/configmaps/gone`)).status, 404);

      const p = await h.api.ok(h.api.post(`/api/v1/namespaces/${ns}/pods`, pod('p')), 201);
      const del = await h.api.ok(h.api.delete(`/api/v1/namespaces/${ns}/pods/p`, { propagationPolicy: 'Background' }));
      assert.equal(del.kind, 'Pod');
      assert.equal(del.metadata.uid, p.metadata.uid);
      assert.equal(del.metadata.deletionTimestamp, undefined, 'an unscheduled pod goes at once');
      assert.equal((await h.api.get(`/api/v1/namespaces/${ns}/pods/p`)).status, 404);
    });

    it('pods/binding assigns a node (201 Status); binding again is 409 Conflict', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/pods`;
      const created = await h.api.ok(h.api.post(path, pod('b')), 201);
      const res = await h.api.post(`${path}/b/binding`, binding('b', 'node-1'));
      expectCode(res, 201);
      assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      const bound = await h.api.ok(h.api.get(`${path}/b`));
      assert.equal(bound.spec.nodeName, 'node-1');
      const scheduled = (bound.status.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
      assert.equal(scheduled?.status, 'True');
      // As upstream's BindingREST (a storage-level update, not through the field manager): managedFields untouched.
      assert.ok(created.metadata.managedFields?.length);
      assert.deepEqual(bound.metadata.managedFields, created.metadata.managedFields);
      expectStatus(await h.api.post(`${path}/b/binding`, binding('b', 'node-2')), {
        code: 409,
        reason: 'Conflict',
        message: 'Operation cannot be fulfilled on pods/binding "b": pod b is already assigned to node "node-1"',
        details: { name: 'b', kind: 'pods/binding' },
      });
      assert.equal((await h.api.ok(h.api.get(`${path}/b`))).spec.nodeName, 'node-1');
    });

    it('a bound pod is deleted gracefully: deletionTimestamp first, gone after gracePeriodSeconds=0', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/pods`;
      await h.api.ok(h.api.post(path, pod('g')), 201);
      expectCode(await h.api.post(`${path}/g/binding`, binding('g', 'node-1')), 201);
      const res = await h.api.delete(`${path}/g`);
      expectCode(res, 200);
      const pending = res.body as { kind: string; metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number } };
      assert.equal(pending.kind, 'Pod');
      assert.match(pending.metadata.deletionTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(pending.metadata.deletionGracePeriodSeconds, 30);
      const still = await h.api.ok(h.api.get(`${path}/g`));
      assert.equal(still.metadata.deletionTimestamp, pending.metadata.deletionTimestamp, 'the pod stays while its grace period runs');

      const now = await h.api.delete(`${path}/g`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
      expectCode(now, 200);
      expectStatus(await h.api.get(`${path}/g`), { code: 404, reason: 'NotFound', message: 'pods "g" not found', details: { name: 'g', kind: 'pods' } });
    });

    it('finalizers keep an object (with a deletionTimestamp) until they are removed', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const body = cm('held');
      body.metadata.finalizers = ['example.com/hold'];
      await h.api.ok(h.api.post(path, body), 201);
      const res = await h.api.delete(`${path}/held`);
      expectCode(res, 200);
      const marked = res.body as { kind: string; metadata: { deletionTimestamp?: string; finalizers?: string[] } };
      assert.equal(marked.kind, 'ConfigMap', 'a pending deletion answers the object');
      assert.ok(marked.metadata.deletionTimestamp);
      const held = await h.api.ok(h.api.get(`${path}/held`));
      assert.deepEqual(held.metadata.finalizers, ['example.com/hold']);
      assert.ok(held.metadata.deletionTimestamp);
      expectCode(await h.api.patch(`${path}/held`, MERGE, { metadata: { finalizers: null } }), 200);
      assert.equal((await h.api.get(`${path}/held`)).status, 404, 'removing the last finalizer completes the deletion');
    });

    it('deletecollection deletes exactly what the label selector matches', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await h.api.ok(h.api.post(path, cm('a', {}, { x: '1' })), 201);
      await h.api.ok(h.api.post(path, cm('b', {}, { x: '1' })), 201);
      await h.api.ok(h.api.post(path, cm('c', {}, { x: '2' })), 201);
      expectCode(await h.api.delete(path, undefined, { labelSelector: 'x=1' }), 200);
      assert.deepEqual(names(await h.api.ok(h.api.get(path))), ['c']);
    });

    it('deleting a namespace makes it Terminating; creating in it is 403 Forbidden', T, async () => {
      const ns = await h.namespace('term');
      const cmPath = `/api/v1/namespaces/${ns}/configmaps`;
      await h.api.ok(h.api.post(cmPath, cm('old')), 201);
      const res = await h.api.delete(`/api/v1/namespaces/${ns}`);
      expectCode(res, 200);
      const deleted = res.body as { kind: string; status: { phase: string }; metadata: { deletionTimestamp?: string } };
      assert.equal(deleted.kind, 'Namespace');
      assert.equal(deleted.status.phase, 'Terminating');
      assert.ok(deleted.metadata.deletionTimestamp);
      const got = await h.api.ok(h.api.get(`/api/v1/namespaces/${ns}`));
      assert.equal(got.status.phase, 'Terminating');
      assert.deepEqual(got.spec.finalizers, ['kubernetes'], 'the namespace waits for its content to go');
      const detail = `unable to create new content in namespace ${ns} because it is being terminated`;
      expectStatus(await h.api.post(cmPath, cm('new')), {
        code: 403,
        reason: 'Forbidden',
        message: `configmaps "new" is forbidden: ${detail}`,
        details: { name: 'new', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] },
      });
      const old = await h.api.ok(h.api.get(`${cmPath}/old`));
      assert.ok(rvOf(old) > 0, 'existing content is still readable');
      expectCode(await h.api.patch(`${cmPath}/old`, MERGE, { data: { updates: 'allowed' } }), 200);
    });
  });
}
