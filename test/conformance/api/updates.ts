/**
 * API conformance, part 3: PUT semantics — optimistic concurrency (409 Conflict on a stale resourceVersion,
 * unconditional updates without one), no-op updates, metadata.generation, the status/main split of resources with a
 * status subresource, dryRun=All for create/update/delete, and the scale subresource of deployments.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cm, copy, deployment, expectStatus, MERGE, rvOf } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function updateTests(h: ApiHarness): void {
  describe('update (PUT)', () => {
    it('a stale resourceVersion is 409 Conflict with upstream\'s message', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const v1 = await h.api.ok(h.api.post(path, cm('x', { a: '1' })), 201);
      const v2 = await h.api.ok(h.api.put(`${path}/x`, { ...v1, data: { a: '2' } }));
      assert.ok(rvOf(v2) > rvOf(v1));
      expectStatus(await h.api.put(`${path}/x`, { ...v1, data: { a: 'stale' } }), {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on configmaps "x": ${MODIFIED}`,
        details: { name: 'x', kind: 'configmaps' },
      });
      assert.deepEqual((await h.api.ok(h.api.get(`${path}/x`))).data, { a: '2' }, 'the stale write changed nothing');

      const d = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const dep = await h.api.ok(h.api.post(d, deployment('web')), 201);
      await h.api.ok(h.api.put(`${d}/web`, { ...dep, metadata: { ...dep.metadata, labels: { app: 'web', v: '2' } } }));
      expectStatus(await h.api.put(`${d}/web`, dep), {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on deployments.apps "web": ${MODIFIED}`,
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      });
    });

    it('an update without a resourceVersion is unconditional and succeeds', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const v1 = await h.api.ok(h.api.post(path, cm('x', { a: '1' })), 201);
      await h.api.ok(h.api.put(`${path}/x`, { ...v1, data: { a: '2' } }));
      const body = cm('x', { a: '3' });
      const v3 = await h.api.ok(h.api.put(`${path}/x`, body));
      assert.deepEqual(v3.data, { a: '3' });
      assert.equal(v3.metadata.uid, v1.metadata.uid);
      assert.equal(v3.metadata.creationTimestamp, v1.metadata.creationTimestamp);
      assert.ok(rvOf(v3) > rvOf(v1));
      const again = await h.api.ok(h.api.put(`${path}/x`, cm('x', { a: '3' })));
      assert.equal(again.metadata.resourceVersion, v3.metadata.resourceVersion, 'an unconditional update that changes nothing is not stored');
    });

    it('an update that leaves managedFields out keeps the stored entries, as one that sends them back unchanged', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      type Entry = { manager: string; operation: string; fieldsV1: unknown };
      const entries = (o: Record<string, unknown>) => ((o.metadata as { managedFields: Entry[] }).managedFields).map((m) => [m.manager, m.operation, m.fieldsV1]);
      const results = [];
      for (const [name, omit] of [['sent', false], ['omitted', true]] as const) {
        const v1 = await h.api.ok(h.api.post(path, cm(name, { a: '1' }), { fieldManager: 'first' }), 201);
        const meta = { ...v1.metadata };
        if (omit) delete meta.managedFields;
        const v2 = await h.api.ok(h.api.put(`${path}/${name}`, { ...v1, metadata: meta, data: { a: '1', b: '2' } }, { fieldManager: 'second' }));
        results.push(entries(v2));
      }
      assert.deepEqual(results[1], results[0]);
      assert.deepEqual(results[1].map((e) => e[0]), ['first', 'second']);
      assert.deepEqual(results[1][1][2], { 'f:data': { 'f:b': {} } });
    });

    it('an update that changes nothing keeps the resourceVersion', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const v1 = await h.api.ok(h.api.post(path, cm('x', { a: '1' }, { l: 'v' })), 201);
      const same = await h.api.ok(h.api.put(`${path}/x`, v1));
      assert.equal(same.metadata.resourceVersion, v1.metadata.resourceVersion);
      assert.deepEqual(same, v1);
      assert.equal((await h.api.ok(h.api.get(`${path}/x`))).metadata.resourceVersion, v1.metadata.resourceVersion);
    });

    it('metadata.generation of a deployment bumps on spec changes only', T, async () => {
      const ns = await h.namespace();
      const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const d1 = await h.api.ok(h.api.post(path, deployment('web')), 201);
      assert.equal(d1.metadata.generation, 1);
      const spec = copy(d1);
      spec.spec.replicas = 5;
      const d2 = await h.api.ok(h.api.put(`${path}/web`, spec));
      assert.equal(d2.metadata.generation, 2);
      const meta = copy(d2);
      meta.metadata.labels = { app: 'web', extra: 'yes' };
      meta.metadata.annotations = { note: 'metadata only' };
      const d3 = await h.api.ok(h.api.put(`${path}/web`, meta));
      assert.equal(d3.metadata.generation, 2, 'labels and annotations do not bump generation');
      assert.ok(rvOf(d3) > rvOf(d2));
      const d4 = await h.api.ok(h.api.patch(`${path}/web`, MERGE, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } }));
      assert.equal(d4.metadata.generation, 3, 'a template change is a spec change');
    });

    it('the status subresource ignores spec changes; the main resource ignores status changes', T, async () => {
      const ns = await h.namespace();
      const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const d1 = await h.api.ok(h.api.post(path, deployment('web', 2)), 201);
      const status = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
      const viaStatus = copy(d1);
      viaStatus.spec.replicas = 7;
      viaStatus.status = status;
      const d2 = await h.api.ok(h.api.put(`${path}/web/status`, viaStatus));
      assert.equal(d2.spec.replicas, 2, 'spec change through /status is ignored');
      assert.deepEqual(d2.status, status);
      assert.equal(d2.metadata.generation, 1, 'a status write does not bump generation');

      const viaMain = copy(d2);
      viaMain.status = { ...status, replicas: 9, observedGeneration: 5 };
      viaMain.spec.replicas = 3;
      const d3 = await h.api.ok(h.api.put(`${path}/web`, viaMain));
      assert.equal(d3.spec.replicas, 3);
      assert.deepEqual(d3.status, status, 'status change through the main resource is ignored');
      const got = await h.api.ok(h.api.get(`${path}/web/status`));
      assert.equal(got.kind, 'Deployment');
      assert.deepEqual(got.status, status);
    });

    it('a status write keeps metadata changes except what the kind resets (deployment labels, pod ownerReferences)', T, async () => {
      const ns = await h.namespace();
      const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const d = await h.api.ok(h.api.post(path, deployment('meta', 1)), 201);
      const viaStatus = copy(d);
      viaStatus.metadata.annotations = { note: 'from-status' };
      viaStatus.metadata.labels = { changed: 'yes' };
      viaStatus.status = { replicas: 1 };
      const d2 = await h.api.ok(h.api.put(`${path}/meta/status`, viaStatus));
      assert.deepEqual(d2.metadata.annotations, { note: 'from-status' });
      assert.deepEqual(d2.metadata.labels, d.metadata.labels);
      assert.equal(d2.status.replicas, 1);
    });

    it('the scale subresource of a deployment: GET is an autoscaling/v1 Scale, PATCH changes spec.replicas', T, async () => {
      const ns = await h.namespace();
      const path = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
      const d = await h.api.ok(h.api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web', 2)), 201);
      const scale = await h.api.ok(h.api.get(`${path}/scale`));
      assert.deepEqual(scale, {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: 'web', namespace: ns, uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion, creationTimestamp: d.metadata.creationTimestamp },
        spec: { replicas: 2 },
        status: { replicas: 0, selector: 'app=web' },
      });
      const patched = await h.api.ok(h.api.patch(`${path}/scale`, MERGE, { spec: { replicas: 5 } }));
      assert.equal(patched.kind, 'Scale');
      assert.equal(patched.spec.replicas, 5);
      assert.ok(rvOf(patched) > rvOf(d));
      const after = await h.api.ok(h.api.get(path));
      assert.equal(after.spec.replicas, 5);
      assert.equal(after.metadata.generation, 2);
      assert.equal(after.metadata.resourceVersion, patched.metadata.resourceVersion);
    });
  });

  describe('dryRun=All', () => {
    it('create, update and delete answer as usual but store nothing', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const dry = { dryRun: 'All' };
      const created = await h.api.ok(h.api.post(path, cm('x', { a: '1' }), dry), 201);
      assert.equal(created.metadata.name, 'x');
      assert.deepEqual(created.data, { a: '1' });
      assert.equal((await h.api.get(`${path}/x`)).status, 404, 'a dry-run create stores nothing');

      const real = await h.api.ok(h.api.post(path, cm('x', { a: '1' })), 201);
      const updated = await h.api.ok(h.api.put(`${path}/x`, { ...real, data: { a: '2' } }, dry));
      assert.deepEqual(updated.data, { a: '2' });
      const afterUpdate = await h.api.ok(h.api.get(`${path}/x`));
      assert.deepEqual(afterUpdate, real, 'a dry-run update stores nothing');

      const patched = await h.api.ok(h.api.patch(`${path}/x`, MERGE, { data: { b: '3' } }, dry));
      assert.deepEqual(patched.data, { a: '1', b: '3' });
      assert.deepEqual(await h.api.ok(h.api.get(`${path}/x`)), real, 'a dry-run patch stores nothing');

      await h.api.ok(h.api.delete(`${path}/x`, undefined, dry));
      assert.deepEqual(await h.api.ok(h.api.get(`${path}/x`)), real, 'a dry-run delete stores nothing');
    });
  });
}
