/**
 * API conformance, part 6: list semantics — label selectors (=, !=, in, notin, exists, !key, AND), field selectors
 * (metadata.name; spec.nodeName on pods, including the empty value), 400s for unsupported fields and unparsable
 * selectors, pagination (limit/continue with remainingItemCount, tampered tokens) and resourceVersion="0".
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cm, expectStatus, names, pod, rvOf, type Obj } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

export function listTests(h: ApiHarness): void {
  describe('list', () => {
    it('label selectors: =, !=, in, notin, exists, !key and AND', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await h.api.ok(h.api.post(path, cm('c1', {}, { env: 'prod', tier: 'web' })), 201);
      await h.api.ok(h.api.post(path, cm('c2', {}, { env: 'dev', tier: 'web' })), 201);
      await h.api.ok(h.api.post(path, cm('c3', {}, { env: 'test' })), 201);
      await h.api.ok(h.api.post(path, cm('c4')), 201);
      const cases: [string, string[]][] = [
        ['env=prod', ['c1']],
        ['env==prod', ['c1']],
        ['env!=prod', ['c2', 'c3', 'c4']],
        ['env in (prod,dev)', ['c1', 'c2']],
        ['env notin (prod,dev)', ['c3', 'c4']],
        ['tier', ['c1', 'c2']],
        ['!tier', ['c3', 'c4']],
        ['env=prod,tier=web', ['c1']],
        ['tier=web,env!=prod', ['c2']],
        ['env=nothing', []],
        ['', ['c1', 'c2', 'c3', 'c4']],
      ];
      for (const [selector, want] of cases) {
        const list = await h.api.ok(h.api.get(path, { labelSelector: selector }));
        assert.deepEqual(names(list), want, `labelSelector=${selector}`);
      }
    });

    it('field selectors: metadata.name, and spec.nodeName on pods', T, async () => {
      const ns = await h.namespace();
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      for (const n of ['a', 'b', 'c']) await h.api.ok(h.api.post(cms, cm(n)), 201);
      assert.deepEqual(names(await h.api.ok(h.api.get(cms, { fieldSelector: 'metadata.name=b' }))), ['b']);
      assert.deepEqual(names(await h.api.ok(h.api.get(cms, { fieldSelector: 'metadata.name!=b' }))), ['a', 'c']);
      assert.deepEqual(names(await h.api.ok(h.api.get(cms, { fieldSelector: `metadata.namespace=${ns}` }))), ['a', 'b', 'c']);

      const pods = `/api/v1/namespaces/${ns}/pods`;
      await h.api.ok(h.api.post(pods, pod('p1', { nodeName: 'node-a' })), 201);
      await h.api.ok(h.api.post(pods, pod('p2', { nodeName: 'node-b' })), 201);
      await h.api.ok(h.api.post(pods, pod('p3', { nodeName: 'node-a' })), 201);
      await h.api.ok(h.api.post(pods, pod('p4')), 201);
      assert.deepEqual(names(await h.api.ok(h.api.get(pods, { fieldSelector: 'spec.nodeName=node-a' }))), ['p1', 'p3']);
      assert.deepEqual(names(await h.api.ok(h.api.get(pods, { fieldSelector: 'spec.nodeName=' }))), ['p4'], 'the unscheduled pods');
      assert.deepEqual(names(await h.api.ok(h.api.get(pods, { fieldSelector: 'spec.nodeName!=node-a,metadata.name!=p4' }))), ['p2']);
      const all = await h.api.ok(h.api.get('/api/v1/pods', { fieldSelector: 'spec.nodeName=node-b' }));
      assert.deepEqual((all.items as Obj[]).filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name), ['p2']);
    });

    it('an unsupported field selector is 400 with the kind\'s own message', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.get(`/api/v1/namespaces/${ns}/pods`, { fieldSelector: 'spec.foo=bar' }), {
        code: 400,
        reason: 'BadRequest',
        message: 'field label not supported: spec.foo',
      });
      expectStatus(await h.api.get(`/apis/apps/v1/namespaces/${ns}/deployments`, { fieldSelector: 'spec.replicas=1' }), {
        code: 400,
        reason: 'BadRequest',
        message: '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
      });
    });

    it('an unparsable label selector is 400', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.get(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'a b' }), {
        code: 400,
        reason: 'BadRequest',
        message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
      });
    });

    it('pagination: limit and continue over 25 objects, with remainingItemCount', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const created: string[] = [];
      for (let i = 0; i < 25; i++) {
        const name = `page-${String(i).padStart(2, '0')}`;
        await h.api.ok(h.api.post(path, cm(name, { i: String(i) })), 201);
        created.push(name);
      }
      const full = names(await h.api.ok(h.api.get(path)));
      for (const n of created) assert.ok(full.includes(n), n);
      const total = full.length;
      const seen: string[] = [];
      let token: string | undefined;
      let pageRv: string | undefined;
      for (let page = 0; ; page++) {
        const list = await h.api.ok(h.api.get(path, { limit: 10, continue: token }));
        seen.push(...names(list));
        if (page === 0) pageRv = list.metadata.resourceVersion;
        else assert.equal(list.metadata.resourceVersion, pageRv, 'every page is read at the first page\'s resourceVersion');
        token = list.metadata.continue;
        if (seen.length < total) {
          assert.equal(list.items.length, 10);
          assert.equal(typeof token, 'string', `page ${page} has a continue token`);
          assert.equal(list.metadata.remainingItemCount, total - seen.length, `remainingItemCount on page ${page}`);
        } else {
          assert.equal(token, undefined, 'the last page has no continue token');
          assert.equal(list.metadata.remainingItemCount, undefined, 'the last page has no remainingItemCount');
          break;
        }
        assert.ok(page < 5, 'pagination terminates');
      }
      assert.deepEqual(seen, full, 'the pages together are the full list, in order, without duplicates');
    });

    it('objects written between pages do not appear in later pages (a consistent snapshot)', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      for (const n of ['a', 'b', 'c']) await h.api.ok(h.api.post(path, cm(n)), 201);
      const first = await h.api.ok(h.api.get(path, { limit: 1 }));
      assert.deepEqual(names(first), ['a']);
      await h.api.ok(h.api.post(path, cm('bb')), 201);
      const rest = await h.api.ok(h.api.get(path, { limit: 10, continue: first.metadata.continue }));
      assert.deepEqual(names(rest), ['b', 'c']);
    });

    it('a tampered continue token is 400', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const zeroRv = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 0, start: 'x' })).toString('base64url');
      const cases: [string, string][] = [
        ['not-a-token!', 'invalid continue token: continue key is not valid: illegal base64 data at input byte 11'],
        [zeroRv, 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
      ];
      for (const [token, message] of cases) {
        expectStatus(await h.api.get(path, { limit: 1, continue: token }), { code: 400, reason: 'BadRequest', message });
      }
    });

    it('resourceVersion="0" lists from the cache and ignores limit', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      for (const n of ['a', 'b', 'c']) await h.api.ok(h.api.post(path, cm(n)), 201);
      const last = await h.api.ok(h.api.get(`${path}/c`));
      const list = await h.api.ok(h.api.get(path, { resourceVersion: '0', limit: 1 }));
      assert.equal(list.kind, 'ConfigMapList');
      assert.deepEqual(names(list), ['a', 'b', 'c']);
      assert.equal(list.metadata.continue, undefined);
      assert.ok(rvOf(list) >= rvOf(last));
    });
  });
}
