/**
 * The namespaced resources deleter against a small fake API (discovery, one namespace, pods with deletecollection,
 * `widgets` without it): per-item deletion after a 405 on the collection (remembered), the pods' grace-period
 * estimate (0 once that long has passed since the namespace's deletionTimestamp), the 15 s estimate for items
 * held by finalizers, upstream's error for items that remain without finalizers, conditions written to the
 * status, and the `kubernetes` finalizer removed through `finalize` (other finalizers kept, sorted).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { silentLogger } from '../../../../src/base/logger';
import type { RestRequest, RestResponse, Transport } from '../../../../src/client/transport';
import { ApiClient } from '../../../../src/controllers/framework/api-client';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from '../../../../src/controllers/namespace/deleter';

type Item = { metadata: { name: string; finalizers?: string[]; deletionTimestamp?: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> };
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const BASE = '/api/v1/namespaces/ns';

class FakeApi implements Transport {
  readonly calls: string[] = [];
  ns: Record<string, unknown>;
  items: Record<string, Item[]> = { pods: [], widgets: [] };
  /** When true, a delete of an item leaves it (as a kubelet-less graceful delete would). */
  sticky = false;

  constructor(deletedAt: string, finalizers = ['kubernetes']) {
    this.ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', uid: 'u1', deletionTimestamp: deletedAt }, spec: { finalizers }, status: { phase: 'Terminating' } };
  }

  private remove(resource: string, filter: (i: Item) => boolean): void {
    const keep: Item[] = [];
    for (const i of this.items[resource]) {
      if (!filter(i)) keep.push(i);
      else if (i.metadata.finalizers?.length || this.sticky) keep.push({ ...i, metadata: { ...i.metadata, deletionTimestamp: 'x' } });
    }
    this.items[resource] = keep;
  }

  async request(req: RestRequest): Promise<RestResponse> {
    this.calls.push(`${req.method} ${req.path}`);
    const ok = (body: unknown): RestResponse => ({ status: 200, headers: {}, body });
    const docs: Record<string, unknown> = {
      '/api': { versions: ['v1'] },
      '/apis': { groups: [] },
      '/api/v1': {
        resources: [
          { name: 'pods', kind: 'Pod', namespaced: true, verbs: ALL },
          { name: 'widgets', kind: 'Widget', namespaced: true, verbs: ALL.filter((v) => v !== 'deletecollection') },
          { name: 'gizmos', kind: 'Gizmo', namespaced: true, verbs: ALL },
          { name: 'nodes', kind: 'Node', namespaced: false, verbs: ALL },
        ],
      },
    };
    if (req.method === 'GET' && docs[req.path]) return ok(docs[req.path]);
    if (req.path === '/api/v1/namespaces/ns') return ok(this.ns);
    if (req.path === '/api/v1/namespaces/ns/status' && req.method === 'PUT') return ok((this.ns = req.body as Record<string, unknown>));
    if (req.path === '/api/v1/namespaces/ns/finalize' && req.method === 'PUT') return ok((this.ns = { ...this.ns, spec: (req.body as { spec: unknown }).spec }));
    const m = /^\/api\/v1\/namespaces\/ns\/(\w+)(?:\/(.+))?$/.exec(req.path);
    if (m && m[1] === 'gizmos') return { status: 405, headers: {}, body: { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' } };
    if (m && this.items[m[1]]) {
      const [, resource, name] = m;
      if (req.method === 'GET' && !name) return ok({ items: this.items[resource] });
      if (req.method === 'DELETE' && !name) {
        if (resource === 'widgets') return { status: 405, headers: {}, body: { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' } };
        assert.equal((req.body as { propagationPolicy?: string }).propagationPolicy, 'Background');
        this.remove(resource, () => true);
        return ok({});
      }
      if (req.method === 'DELETE') {
        this.remove(resource, (i) => i.metadata.name === name);
        return ok({});
      }
    }
    return { status: 404, headers: {}, body: { reason: 'NotFound', message: `${req.path} not found` } };
  }

  watch(): Promise<RestResponse> {
    return Promise.resolve({ status: 405, headers: {}, body: {} });
  }

  close(): void {}

  conditions(): Map<string, Record<string, string>> {
    return new Map(((this.ns.status as { conditions?: Record<string, string>[] }).conditions ?? []).map((c) => [c.type, c]));
  }
}

const T0 = Date.UTC(2026, 0, 1);
const stamp = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('NamespacedResourcesDeleter', () => {
  it('deletes items one by one when deletecollection is refused, then finalizes', async () => {
    const api = new FakeApi(stamp(T0), ['kubernetes', 'z.io/last', 'a.io/first']);
    api.items.widgets = [{ metadata: { name: 'w1' } }, { metadata: { name: 'w2' } }];
    api.items.pods = [{ metadata: { name: 'p1' }, spec: {}, status: { phase: 'Succeeded' } }];
    const d = new NamespacedResourcesDeleter(new ApiClient(api), new FakeClock(T0), silentLogger);
    await d.delete('ns');
    assert.deepEqual(api.items, { pods: [], widgets: [] });
    assert.ok(api.calls.includes(`DELETE ${BASE}/widgets/w1`) && api.calls.includes(`DELETE ${BASE}/widgets/w2`));
    assert.ok(!api.calls.includes(`DELETE ${BASE}/widgets`), 'the discovery verbs say deletecollection is unsupported');
    assert.ok(api.calls.includes(`DELETE ${BASE}/gizmos`), 'tried, answered 405');
    assert.deepEqual((api.ns.spec as { finalizers: string[] }).finalizers, ['a.io/first', 'z.io/last']);
    assert.equal(api.conditions().get('NamespaceContentRemaining')?.status, 'False');
    // A second pass remembers the 405s: no more collection deletes or lists of gizmos.
    api.ns = { ...api.ns, spec: { finalizers: ['kubernetes'] } };
    api.calls.length = 0;
    await d.delete('ns');
    assert.ok(!api.calls.some((c) => c.includes('gizmos')), api.calls.join('\n'));
  });

  it('pods: the longest grace period of non-terminal pods is the estimate until it has passed', async () => {
    const api = new FakeApi(stamp(T0));
    api.sticky = true;
    api.items.pods = [
      { metadata: { name: 'a' }, spec: { terminationGracePeriodSeconds: 40 }, status: { phase: 'Running' } },
      { metadata: { name: 'b' }, spec: { terminationGracePeriodSeconds: 90 }, status: { phase: 'Failed' } },
    ];
    const clock = new FakeClock(T0 + 10_000);
    const d = new NamespacedResourcesDeleter(new ApiClient(api), clock, silentLogger);
    await assert.rejects(d.delete('ns'), (e: unknown) => e instanceof ResourcesRemainingError && e.estimate === 40 && e.message === 'some content remains in the namespace, estimate 40 seconds before it is removed');
    assert.equal(api.conditions().get('NamespaceContentRemaining')?.message, 'Some resources are remaining: pods. has 2 resource instances');
    clock.advance(30_000);
    await assert.rejects(d.delete('ns'), { message: 'unexpected items still remain in namespace: ns for gvr: /v1, Resource=pods' });
    assert.equal(api.conditions().get('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: ns for gvr: /v1, Resource=pods');
    assert.deepEqual((api.ns.spec as { finalizers: string[] }).finalizers, ['kubernetes'], 'not finalized');
  });

  it('items held by finalizers: a 15 s estimate and the finalizers condition', async () => {
    const api = new FakeApi(stamp(T0));
    api.items.widgets = [{ metadata: { name: 'w', finalizers: ['x.io/hold'] } }];
    const d = new NamespacedResourcesDeleter(new ApiClient(api), new FakeClock(T0), silentLogger);
    await assert.rejects(d.delete('ns'), (e: unknown) => e instanceof ResourcesRemainingError && e.estimate === 15);
    assert.equal(api.conditions().get('NamespaceFinalizersRemaining')?.message, 'Some finalizers are remaining: x.io/hold in 1 resource instances');
  });

  it('does nothing for a namespace that is not being deleted or is already finalized', async () => {
    const api = new FakeApi(stamp(T0), []);
    await new NamespacedResourcesDeleter(new ApiClient(api), new FakeClock(T0), silentLogger).delete('ns');
    assert.deepEqual(api.calls, [`GET ${BASE}`]);
    const live = new FakeApi(stamp(T0));
    delete (live.ns.metadata as { deletionTimestamp?: string }).deletionTimestamp;
    await new NamespacedResourcesDeleter(new ApiClient(live), new FakeClock(T0), silentLogger).delete('ns');
    assert.deepEqual(live.calls, [`GET ${BASE}`]);
  });
});
