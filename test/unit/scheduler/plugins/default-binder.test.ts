import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestRequest, RestResponse, Transport } from '../../../../src/client/transport';
import { ApiClient } from '../../../../src/controllers/framework/api-client';
import { BINDING_ANNOTATIONS_KEY, BindingAnnotations, newDefaultBinder } from '../../../../src/scheduler/plugins/default-binder';
import { fakeHandle, makePod, newState } from '../../../helpers/scheduler-fixtures';

function recording(answer: RestResponse): { transport: Transport; requests: RestRequest[] } {
  const requests: RestRequest[] = [];
  const transport: Transport = {
    request: async (req) => {
      requests.push(req);
      return answer;
    },
    watch: async () => answer,
    close: () => {},
  };
  return { transport, requests };
}

describe('DefaultBinder (upstream TestDefaultBinder)', () => {
  const pod = makePod('foo', { namespace: 'ns' });
  const nodeName = 'foohost.kubernetes.mydomain.com';

  it('successful: POSTs a Binding to pods/binding', async () => {
    const { transport, requests } = recording({ status: 201, headers: {}, body: { kind: 'Status', status: 'Success' } });
    const binder = newDefaultBinder(undefined, { ...fakeHandle(), client: new ApiClient(transport) });
    const st = await binder.bind(newState(), pod, nodeName);
    assert.ok(st.isSuccess());
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'POST');
    assert.equal(requests[0].path, '/api/v1/namespaces/ns/pods/foo/binding');
    assert.deepEqual(requests[0].body, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { namespace: 'ns', name: 'foo', uid: pod.metadata?.uid },
      target: { kind: 'Node', name: nodeName },
    });
  });

  it('binding error: an Error status with the server message', async () => {
    const { transport } = recording({ status: 500, headers: {}, body: { kind: 'Status', status: 'Failure', message: 'binding error', reason: 'InternalError', code: 500 } });
    const binder = newDefaultBinder(undefined, { ...fakeHandle(), client: new ApiClient(transport) });
    const st = await binder.bind(newState(), pod, nodeName);
    assert.equal(st.code, 'Error');
    assert.equal(st.message(), 'binding error');
  });

  it('takes the Binding annotations from the CycleState', async () => {
    const { transport, requests } = recording({ status: 201, headers: {}, body: {} });
    const binder = newDefaultBinder(undefined, { ...fakeHandle(), client: new ApiClient(transport) });
    const state = newState();
    state.write(BINDING_ANNOTATIONS_KEY, new BindingAnnotations({ 'scheduler.kubelab.dev/selected-node': '{"node":"n1"}' }));
    await binder.bind(state, pod, 'n1');
    assert.deepEqual((requests[0].body as { metadata: { annotations?: unknown } }).metadata.annotations, { 'scheduler.kubelab.dev/selected-node': '{"node":"n1"}' });
  });
});
