/**
 * Discovery as the GC and the namespace controller read it: preferred versions per group-resource (a resource only
 * served in a non-preferred version is still included), subresources skipped, failing group versions reported with
 * upstream's ErrGroupDiscoveryFailed text, the GC's deletable filter (delete+list+watch, events ignored), and the
 * REST mapper (kind in an apiVersion → resource; RestMappingError wording).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestRequest, RestResponse, Transport } from '../../../../src/client/transport';
import { ApiClient } from '../../../../src/controllers/framework/api-client';
import { discover, discoveryFailedMessage, RestMapper } from '../../../../src/controllers/garbagecollector/discovery';
import { deletableResources } from '../../../../src/controllers/garbagecollector/garbage-collector';

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const docs: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'] },
  '/api/v1': {
    resources: [
      { name: 'pods', kind: 'Pod', namespaced: true, verbs: ALL },
      { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get'] },
      { name: 'events', kind: 'Event', namespaced: true, verbs: ALL },
      { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
      { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    ],
  },
  '/apis': {
    groups: [
      { name: 'autoscaling', versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }], preferredVersion: { version: 'v2' } },
      { name: 'broken.io', versions: [{ groupVersion: 'broken.io/v1', version: 'v1' }], preferredVersion: { version: 'v1' } },
    ],
  },
  '/apis/autoscaling/v2': { resources: [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: ALL }] },
  '/apis/autoscaling/v1': {
    resources: [
      { name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: ALL },
      { name: 'oldies', kind: 'Oldie', namespaced: true, verbs: ALL },
    ],
  },
};

const transport: Transport = {
  request: async (req: RestRequest): Promise<RestResponse> => {
    const body = docs[req.path];
    if (body) return { status: 200, headers: {}, body };
    return { status: 503, headers: {}, body: { kind: 'Status', message: 'the server is currently unable to handle the request', reason: 'ServiceUnavailable', code: 503 } };
  },
  watch: async () => ({ status: 405, headers: {}, body: {} }),
  close: () => undefined,
};

describe('GC discovery', () => {
  it('preferred resources, all resources, failures', async () => {
    const d = await discover(new ApiClient(transport));
    const key = (r: { group: string; version: string; resource: string }) => `${r.group}/${r.version}/${r.resource}`;
    assert.deepEqual(d.preferred.map(key).sort(), ['/v1/bindings', '/v1/events', '/v1/namespaces', '/v1/pods', 'autoscaling/v1/oldies', 'autoscaling/v2/horizontalpodautoscalers']);
    assert.equal(d.all.length, 7);
    assert.deepEqual([...d.failed.keys()], ['broken.io/v1']);
    assert.equal(discoveryFailedMessage(d.failed), 'unable to retrieve the complete list of server APIs: broken.io/v1: the server is currently unable to handle the request');
    assert.deepEqual(deletableResources(d.preferred).map(key).sort(), ['/v1/namespaces', '/v1/pods', 'autoscaling/v1/oldies', 'autoscaling/v2/horizontalpodautoscalers']);
    const m = new RestMapper(d.all);
    assert.equal(m.mapping('autoscaling/v1', 'HorizontalPodAutoscaler').version, 'v1');
    assert.equal(m.mapping('v1', 'Namespace').namespaced, false);
    assert.throws(() => m.mapping('apps/v1', 'Deployment'), { name: 'RestMappingError', message: 'unable to get REST mapping for apps/v1/Deployment.' });
    assert.throws(() => m.mapping('v1', 'pod'), /unable to get REST mapping for v1\/pod\./);
  });
});
