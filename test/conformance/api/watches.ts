/**
 * API conformance, part 8: watch — replay and live events from a list's resourceVersion (in order, each carrying
 * its resourceVersion), selector watches that see DELETED/ADDED when an object leaves/enters the selection,
 * sendInitialEvents with the `k8s.io/initial-events-end` BOOKMARK, and timeoutSeconds ending the stream.
 * (410 Expired for a resourceVersion older than the watch cache is in the CRD part, where a cache starts late.)
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cm, expectStatus, MERGE, rvOf, type Obj } from '../../helpers/api-assert';
import { isWatchStream } from '../../../src/client/transport';
import { openWatch } from '../../helpers/watch-reader';
import { T, type ApiHarness } from './harness';

/** Every namespace holds the kube-root-ca.crt ConfigMap; watches that expect exact initial events leave it out. */
const NOT_ROOT_CA = 'metadata.name!=kube-root-ca.crt';

export function watchTests(h: ApiHarness): void {
  describe('watch', () => {
    it('from a list\'s resourceVersion: ADDED, MODIFIED, DELETED in order with resourceVersions', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await h.api.ok(h.api.post(path, cm('before')), 201);
      const list = await h.api.ok(h.api.get(path));
      const w = await openWatch(h.api.t, path, { resourceVersion: list.metadata.resourceVersion });
      try {
        const created = await h.api.ok(h.api.post(path, cm('w', { a: '1' })), 201);
        const updated = await h.api.ok(h.api.patch(`${path}/w`, MERGE, { data: { a: '2' } }));
        await h.api.ok(h.api.delete(`${path}/w`));
        const e1 = await w.next();
        assert.equal(e1.type, 'ADDED');
        assert.deepEqual(e1.object, created);
        const e2 = await w.next();
        assert.equal(e2.type, 'MODIFIED');
        assert.deepEqual(e2.object, updated);
        const e3 = await w.next();
        assert.equal(e3.type, 'DELETED');
        assert.equal((e3.object as Obj).metadata.name, 'w');
        assert.deepEqual((e3.object as Obj).data, { a: '2' }, 'DELETED carries the last state');
        assert.ok(rvOf(e3.object) > rvOf(updated), 'DELETED carries the deletion\'s resourceVersion');
        await w.quiet(150);
      } finally {
        w.stop();
      }
    });

    it('a label-filtered watch sees DELETED when an object stops matching and ADDED when it matches again', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const list = await h.api.ok(h.api.get(path, { labelSelector: 'app=a' }));
      const w = await openWatch(h.api.t, path, { resourceVersion: list.metadata.resourceVersion, labelSelector: 'app=a' });
      try {
        const created = await h.api.ok(h.api.post(path, cm('x', {}, { app: 'a' })), 201);
        await h.api.ok(h.api.post(path, cm('other', {}, { app: 'b' })), 201);
        const moved = await h.api.ok(h.api.patch(`${path}/x`, MERGE, { metadata: { labels: { app: 'b' } } }));
        const back = await h.api.ok(h.api.patch(`${path}/x`, MERGE, { metadata: { labels: { app: 'a' } } }));
        const e1 = await w.next();
        assert.equal(e1.type, 'ADDED');
        assert.deepEqual(e1.object, created);
        const e2 = await w.next();
        assert.equal(e2.type, 'DELETED');
        assert.deepEqual((e2.object as Obj).metadata.labels, { app: 'a' }, 'the object as it was when it last matched');
        assert.equal((e2.object as Obj).metadata.resourceVersion, moved.metadata.resourceVersion, 'at the resourceVersion of the change');
        const e3 = await w.next();
        assert.equal(e3.type, 'ADDED');
        assert.deepEqual(e3.object, back);
        await w.quiet(150);
      } finally {
        w.stop();
      }
    });

    it('sendInitialEvents=true: ADDED for each object, then a BOOKMARK marking the end of the initial events', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const a = await h.api.ok(h.api.post(path, cm('a')), 201);
      const b = await h.api.ok(h.api.post(path, cm('b')), 201);
      const w = await openWatch(h.api.t, path, { sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', fieldSelector: NOT_ROOT_CA });
      try {
        const initial = [await w.next(), await w.next()];
        assert.deepEqual(initial.map((e) => e.type), ['ADDED', 'ADDED']);
        const byName = new Map(initial.map((e) => [(e.object as Obj).metadata.name, e.object]));
        assert.deepEqual(byName.get('a'), a);
        assert.deepEqual(byName.get('b'), b);
        const bm = await w.next();
        assert.equal(bm.type, 'BOOKMARK');
        assert.ok(rvOf(bm.object) >= rvOf(b), 'the bookmark is at least as new as every object sent');
        const rv = (bm.object as Obj).metadata?.resourceVersion;
        assert.deepEqual(bm.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } } });
        const c = await h.api.ok(h.api.post(path, cm('c')), 201);
        const live = await w.next();
        assert.equal(live.type, 'ADDED');
        assert.deepEqual(live.object, c);
      } finally {
        w.stop();
      }
    });

    it('sendInitialEvents without resourceVersionMatch=NotOlderThan is 422 Invalid ListOptions', T, async () => {
      const ns = await h.namespace();
      const res = await h.api.t.watch({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps`, query: { sendInitialEvents: 'true', allowWatchBookmarks: 'true' } });
      if (isWatchStream(res)) {
        res.stop();
        assert.fail('the watch should be refused');
      }
      const detail = 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan';
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: ${detail}`,
        details: { group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field: 'resourceVersionMatch' }] },
      });
    });

    it('timeoutSeconds=1 ends the watch after about a second', T, async () => {
      const ns = await h.namespace();
      const started = Date.now();
      const w = await openWatch(h.api.t, `/api/v1/namespaces/${ns}/configmaps`, { timeoutSeconds: 1, fieldSelector: NOT_ROOT_CA });
      try {
        await w.ends(4000);
        const took = Date.now() - started;
        assert.ok(took >= 900, `ended after ${took} ms`);
      } finally {
        w.stop();
      }
    });
  });
}
