/**
 * API conformance, part 10: custom resources from a CustomResourceDefinition — discovery, create, list, watch
 * (including 410 Expired from a resourceVersion older than the new resource's watch cache), the status and scale
 * subresources, OpenAPI schema validation (422), and deleting the CRD taking the resource away (404).
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectCode, expectStatus, MERGE, names, rvOf, type Obj } from '../../helpers/api-assert';
import { waitFor } from '../../helpers/wait';
import { openWatch } from '../../helpers/watch-reader';
import { ALL_VERBS, resourcesByName } from './basics';
import { T, type ApiHarness } from './harness';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export function widgetCrd(group: string, plural = 'widgets', kind = 'Widget'): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List`, shortNames: ['wg'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 }, replicas: { type: 'integer' } } },
                status: { type: 'object', properties: { phase: { type: 'string' }, replicas: { type: 'integer' }, selector: { type: 'string' } } },
              },
            },
          },
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
        },
      ],
    },
  };
}

/** Creates a CRD and waits until its resource is served. */
export async function establish(h: ApiHarness, crd: Obj): Promise<void> {
  await h.api.ok(h.api.post(CRDS, crd), 201);
  const gv = `/apis/${crd.spec.group}/v1`;
  await waitFor(
    async () => {
      const got = await h.api.get(`${CRDS}/${crd.metadata.name}`);
      const established = ((got.body as Obj).status?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Established' && c.status === 'True');
      return established && (await h.api.get(gv)).status === 200;
    },
    `CRD ${crd.metadata.name} established and served`,
    { timeoutMs: 10_000, intervalMs: 20 },
  );
}

const widget = (name: string, size: number, replicas = 1): Obj => ({ apiVersion: 'conformance.kubelab.test/v1', kind: 'Widget', metadata: { name, labels: { app: 'w' } }, spec: { size, replicas } });

export function crdTests(h: ApiHarness): void {
  describe('custom resources', () => {
    const group = 'conformance.kubelab.test';
    let ns = '';
    let base = '';
    before(async () => {
      await establish(h, widgetCrd(group));
      ns = await h.namespace('crd');
      base = `/apis/${group}/v1/namespaces/${ns}/widgets`;
    });

    it('discovery lists the custom resource with its names and subresources', T, async () => {
      const list = await h.api.ok(h.api.get(`/apis/${group}/v1`));
      assert.equal(list.groupVersion, `${group}/v1`);
      const r = resourcesByName(list);
      const main = r.get('widgets')!;
      assert.deepEqual({ ...main, verbs: [...main.verbs].sort() }, {
        name: 'widgets',
        singularName: 'widget',
        namespaced: true,
        kind: 'Widget',
        verbs: ALL_VERBS,
        shortNames: ['wg'],
        categories: ['all'],
      });
      assert.deepEqual(r.get('widgets/status'), { name: 'widgets/status', singularName: '', namespaced: true, kind: 'Widget', verbs: ['get', 'patch', 'update'] });
      assert.deepEqual(r.get('widgets/scale'), { name: 'widgets/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
      const groups = await h.api.ok(h.api.get('/apis'));
      const g = (groups.groups as Obj[]).find((x) => x.name === group);
      assert.deepEqual(g?.preferredVersion, { groupVersion: `${group}/v1`, version: 'v1' });
    });

    it('create, get and list a custom resource', T, async () => {
      const created = await h.api.ok(h.api.post(base, { metadata: { name: 'w1', labels: { app: 'w' } }, spec: { size: 3, replicas: 1 } }), 201);
      assert.equal(created.kind, 'Widget');
      assert.equal(created.apiVersion, `${group}/v1`);
      assert.equal(created.metadata.namespace, ns);
      assert.equal(created.metadata.generation, 1);
      assert.deepEqual(created.spec, { size: 3, replicas: 1 });
      assert.deepEqual(await h.api.ok(h.api.get(`${base}/w1`)), created);
      const list = await h.api.ok(h.api.get(base));
      assert.equal(list.kind, 'WidgetList');
      assert.equal(list.apiVersion, `${group}/v1`);
      assert.ok(names(list).includes('w1'));
      expectStatus(await h.api.get(`${base}/missing`), {
        code: 404,
        reason: 'NotFound',
        message: `widgets.${group} "missing" not found`,
        details: { name: 'missing', group, kind: 'widgets' },
      });
    });

    it('watch a custom resource', T, async () => {
      const list = await h.api.ok(h.api.get(base));
      const w = await openWatch(h.api.t, base, { resourceVersion: list.metadata.resourceVersion });
      try {
        const created = await h.api.ok(h.api.post(base, widget('watched', 2)), 201);
        const e = await w.next();
        assert.equal(e.type, 'ADDED');
        assert.deepEqual(e.object, created);
      } finally {
        w.stop();
      }
    });

    it('a watch from a resourceVersion older than the watch cache gets ERROR 410 Expired, then ends', T, async () => {
      await h.api.ok(h.api.post(base, widget('old', 2)), 201);
      const w = await openWatch(h.api.t, base, { resourceVersion: '1' });
      try {
        const e = await w.next();
        assert.equal(e.type, 'ERROR');
        const s = e.object as Obj;
        assert.match(s.message, /^too old resource version: 1 \(\d+\)$/);
        assert.deepEqual(s, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: s.message, reason: 'Expired', code: 410 });
        await w.ends();
      } finally {
        w.stop();
      }
    });

    it('the status subresource ignores spec; the main resource ignores status; generation follows spec', T, async () => {
      const w = await h.api.ok(h.api.post(base, widget('st', 3)), 201);
      const viaStatus = { ...w, spec: { size: 99, replicas: 1 }, status: { phase: 'Ready', replicas: 1, selector: 'app=w' } };
      const s1 = await h.api.ok(h.api.put(`${base}/st/status`, viaStatus));
      assert.deepEqual(s1.spec, { size: 3, replicas: 1 });
      assert.deepEqual(s1.status, { phase: 'Ready', replicas: 1, selector: 'app=w' });
      assert.equal(s1.metadata.generation, 1);
      const viaMain = { ...s1, spec: { size: 4, replicas: 1 }, status: { phase: 'Changed' } };
      const s2 = await h.api.ok(h.api.put(`${base}/st`, viaMain));
      assert.deepEqual(s2.spec, { size: 4, replicas: 1 });
      assert.deepEqual(s2.status, { phase: 'Ready', replicas: 1, selector: 'app=w' });
      assert.equal(s2.metadata.generation, 2);
    });

    it('the scale subresource reads and writes the CRD\'s replica paths', T, async () => {
      const w = await h.api.ok(h.api.post(base, widget('sc', 3, 2)), 201);
      await h.api.ok(h.api.patch(`${base}/sc/status`, MERGE, { status: { replicas: 1, selector: 'app=w' } }));
      const scale = await h.api.ok(h.api.get(`${base}/sc/scale`));
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.apiVersion, 'autoscaling/v1');
      assert.equal(scale.metadata.uid, w.metadata.uid);
      assert.deepEqual(scale.spec, { replicas: 2 });
      assert.deepEqual(scale.status, { replicas: 1, selector: 'app=w' });
      const patched = await h.api.ok(h.api.patch(`${base}/sc/scale`, MERGE, { spec: { replicas: 6 } }));
      assert.equal(patched.spec.replicas, 6);
      const after = await h.api.ok(h.api.get(`${base}/sc`));
      assert.equal(after.spec.replicas, 6);
      assert.equal(after.spec.size, 3);
      assert.ok(rvOf(after) > rvOf(w));
    });

    it('an object violating the schema is 422 Invalid', T, async () => {
      expectStatus(await h.api.post(base, widget('bad', 0)), {
        code: 422,
        reason: 'Invalid',
        message: `Widget.${group} "bad" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1`,
        details: {
          name: 'bad',
          group,
          kind: 'Widget',
          causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0: spec.size in body should be greater than or equal to 1', field: 'spec.size' }],
        },
      });
      const missing = await h.api.post(base, { metadata: { name: 'bad2' }, spec: { replicas: 1 } });
      expectStatus(missing, {
        code: 422,
        reason: 'Invalid',
        message: `Widget.${group} "bad2" is invalid: spec.size: Required value`,
        details: { name: 'bad2', group, kind: 'Widget', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' }] },
      });
      assert.equal((await h.api.get(`${base}/bad`)).status, 404);
    });
  });

  describe('custom resource definition deletion', () => {
    it('deleting the CRD removes the resource: its objects and paths answer 404', T, async () => {
      const group = 'gone.kubelab.test';
      await establish(h, widgetCrd(group, 'gizmos', 'Gizmo'));
      const ns = await h.namespace('crd-del');
      const path = `/apis/${group}/v1/namespaces/${ns}/gizmos`;
      await h.api.ok(h.api.post(path, { metadata: { name: 'g1' }, spec: { size: 1 } }), 201);
      expectCode(await h.api.delete(`${CRDS}/gizmos.${group}`), 200);
      await waitFor(async () => (await h.api.get(`${CRDS}/gizmos.${group}`)).status === 404, 'the CRD is gone', { timeoutMs: 10_000, intervalMs: 20 });
      const notFound = { code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} };
      await waitFor(async () => (await h.api.get(`${path}/g1`)).status === 404, 'the custom resource is gone', { timeoutMs: 10_000, intervalMs: 20 });
      expectStatus(await h.api.get(`${path}/g1`), notFound);
      expectStatus(await h.api.get(path), notFound);
      expectStatus(await h.api.get(`/apis/${group}/v1`), notFound);
      const groups = await h.api.ok(h.api.get('/apis'));
      assert.ok(!(groups.groups as Obj[]).some((g) => g.name === group), 'the group left discovery');
    });
  });
}
