/**
 * API conformance, part 4: PATCH — JSON merge patch, JSON patch, strategic merge patch (lists merged by key, unlike
 * merge patch) and server-side apply (create by apply, ownership in managedFields, 409 conflicts naming the other
 * manager, force=true taking the field over).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPLY, cm, deployment, expectStatus, JSON_PATCH, MERGE, rvOf, STRATEGIC, type Obj } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

function owners(o: Obj): Obj[] {
  return (o.metadata.managedFields ?? []) as Obj[];
}

function ownsDataKey(entry: Obj, key: string): boolean {
  return Boolean(entry.fieldsV1?.['f:data']?.[`f:${key}`]);
}

export function patchTests(h: ApiHarness): void {
  describe('patch', () => {
    it('JSON merge patch: maps merge, null deletes', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const v1 = await h.api.ok(h.api.post(path, cm('x', { a: '1', b: '2' }, { keep: 'me' })), 201);
      const v2 = await h.api.ok(h.api.patch(`${path}/x`, MERGE, { metadata: { labels: { added: 'yes' } }, data: { a: null, c: '3' } }));
      assert.deepEqual(v2.data, { b: '2', c: '3' });
      assert.deepEqual(v2.metadata.labels, { keep: 'me', added: 'yes' });
      assert.ok(rvOf(v2) > rvOf(v1));
      assert.deepEqual(await h.api.ok(h.api.get(`${path}/x`)), v2);
    });

    it('JSON patch: add, replace and remove operations in order', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await h.api.ok(h.api.post(path, cm('x', { a: '1', b: '2' })), 201);
      const ops = [
        { op: 'add', path: '/data/c', value: '3' },
        { op: 'replace', path: '/data/a', value: 'one' },
        { op: 'remove', path: '/data/b' },
        { op: 'add', path: '/metadata/labels', value: { l: 'v' } },
      ];
      const v2 = await h.api.ok(h.api.patch(`${path}/x`, JSON_PATCH, ops));
      assert.deepEqual(v2.data, { a: 'one', c: '3' });
      assert.deepEqual(v2.metadata.labels, { l: 'v' });
    });

    it('strategic merge patch merges containers by name; merge patch replaces the list', T, async () => {
      const ns = await h.namespace();
      const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const two = [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'sidecar', image: 'busybox:1.36' },
      ];
      await h.api.ok(h.api.post(path, deployment('smp', 1, two)), 201);
      const smp = await h.api.ok(h.api.patch(`${path}/smp`, STRATEGIC, { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37' }] } } } }));
      const images = (smp.spec.template.spec.containers as Obj[]).map((c) => `${c.name}=${c.image}`);
      assert.deepEqual(images, ['web=nginx:1.27', 'sidecar=busybox:1.37']);

      await h.api.ok(h.api.post(path, deployment('mp', 1, two)), 201);
      const mp = await h.api.ok(h.api.patch(`${path}/mp`, MERGE, { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37' }] } } } }));
      assert.deepEqual((mp.spec.template.spec.containers as Obj[]).map((c) => c.name), ['sidecar']);
    });

    it('server-side apply creates a missing object (201) and records the manager as an Apply owner', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps/ssa`;
      const res = await h.api.patch(path, APPLY, cm('ssa', { key: 'a' }), { fieldManager: 'mgr-a' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const o = res.body as Obj;
      assert.equal(o.kind, 'ConfigMap');
      assert.deepEqual(o.data, { key: 'a' });
      const entries = owners(o).filter((e) => e.manager === 'mgr-a');
      assert.equal(entries.length, 1, JSON.stringify(owners(o)));
      assert.equal(entries[0].operation, 'Apply');
      assert.equal(entries[0].apiVersion, 'v1');
      assert.equal(entries[0].fieldsType, 'FieldsV1');
      assert.ok(ownsDataKey(entries[0], 'key'), JSON.stringify(entries[0].fieldsV1));
      const again = await h.api.ok(h.api.patch(path, APPLY, cm('ssa', { key: 'a' }), { fieldManager: 'mgr-a' }));
      assert.equal(again.metadata.resourceVersion, o.metadata.resourceVersion, 'applying the same configuration changes nothing');
    });

    it('server-side apply: a second manager changing an owned field is 409 Conflict naming the owner; force=true takes it', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps/ssa`;
      await h.api.ok(h.api.patch(path, APPLY, cm('ssa', { key: 'a' }), { fieldManager: 'mgr-a' }), 201);
      expectStatus(await h.api.patch(path, APPLY, cm('ssa', { key: 'b' }), { fieldManager: 'mgr-b' }), {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "mgr-a": .data.key',
        details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "mgr-a"', field: '.data.key' }] },
      });
      assert.deepEqual((await h.api.ok(h.api.get(path))).data, { key: 'a' }, 'the conflicting apply changed nothing');

      expectStatus(await h.api.patch(path, APPLY, cm('ssa', { key: 'b' }), { fieldManager: 'mgr-b', force: 'false' }), {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "mgr-a": .data.key',
        details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "mgr-a"', field: '.data.key' }] },
      });

      const forced = await h.api.ok(h.api.patch(path, APPLY, cm('ssa', { key: 'b' }), { fieldManager: 'mgr-b', force: 'true' }));
      assert.deepEqual(forced.data, { key: 'b' });
      const b = owners(forced).find((e) => e.manager === 'mgr-b');
      assert.ok(b && b.operation === 'Apply' && ownsDataKey(b, 'key'), JSON.stringify(owners(forced)));
      assert.ok(!owners(forced).some((e) => e.manager === 'mgr-a' && ownsDataKey(e, 'key')), 'mgr-a lost data.key');

      const shared = await h.api.ok(h.api.patch(path, APPLY, cm('ssa', { key: 'b', other: 'x' }), { fieldManager: 'mgr-a' }));
      assert.deepEqual(shared.data, { key: 'b', other: 'x' }, 'applying the same value is not a conflict');
    });

    it('server-side apply without fieldManager is 422 Invalid PatchOptions', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.patch(`/api/v1/namespaces/${ns}/configmaps/ssa`, APPLY, cm('ssa', { key: 'a' })), {
        code: 422,
        reason: 'Invalid',
        message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        details: {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
        },
      });
    });

    it('patching a missing object is 404 (only apply creates)', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.patch(`/api/v1/namespaces/${ns}/configmaps/none`, MERGE, { data: { a: '1' } }), {
        code: 404,
        reason: 'NotFound',
        message: 'configmaps "none" not found',
        details: { name: 'none', kind: 'configmaps' },
      });
    });
  });
}
