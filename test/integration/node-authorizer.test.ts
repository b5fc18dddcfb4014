/**
 * The Node authorizer through the real request path (AuthorizeNodeWithSelectors, on in 1.32): a kubelet lists and
 * watches only its own pods (`spec.nodeName=<node>` field selector) and reads only its own Node object, with
 * upstream's 403 text otherwise.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InProcessTransport } from '../../src/client/in-process';
import type { Transport } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';

describe('Node authorizer with selectors', () => {
  let tc: TestCluster;
  let kubelet: Transport;
  before(async () => {
    tc = await startTestCluster();
    kubelet = new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] } });
  });
  after(async () => {
    kubelet.close();
    await tc.stop();
  });

  const get = (path: string, query?: Record<string, string>) => kubelet.request({ method: 'GET', path, query });

  it('lists and watches its own pods with the spec.nodeName selector only', async () => {
    assert.equal((await get('/api/v1/pods', { fieldSelector: 'spec.nodeName=n1' })).status, 200);
    assert.equal((await get('/api/v1/namespaces/default/pods', { fieldSelector: 'spec.nodeName=n1' })).status, 200);
    const all = await get('/api/v1/pods');
    assert.equal(all.status, 403);
    assert.equal(
      (all.body as { message: string }).message,
      'pods is forbidden: User "system:node:n1" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector',
    );
    assert.equal((await get('/api/v1/pods', { fieldSelector: 'spec.nodeName=n2' })).status, 403);
  });

  it('reads only its own Node object', async () => {
    const mine = await get('/api/v1/nodes', { fieldSelector: 'metadata.name=n1' });
    assert.equal(mine.status, 200);
    const all = await get('/api/v1/nodes');
    assert.equal(all.status, 403);
    assert.equal(
      (all.body as { message: string }).message,
      `nodes is forbidden: User "system:node:n1" cannot list resource "nodes" in API group "" at the cluster scope: node 'n1' cannot read all nodes, only its own Node object`,
    );
    const other = await get('/api/v1/nodes/n2');
    assert.equal(other.status, 403);
    assert.match((other.body as { message: string }).message, /node 'n1' cannot read 'n2', only its own Node object$/);
  });
});
