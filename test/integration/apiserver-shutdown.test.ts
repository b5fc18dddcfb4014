/**
 * An API server that has been closed answers resource requests with 503 "the API server is shutting down" (not
 * "starting"), so a component still writing during shutdown logs a truthful reason.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestCluster } from '../helpers/apiserver';

test('after close, resource requests get 503 "the API server is shutting down"', async () => {
  const tc = await startTestCluster();
  const token = tc.cluster.adminToken;
  tc.cluster.apiServer.close();
  const res = await tc.cluster.handle({ method: 'GET', path: '/api/v1/namespaces', query: new URLSearchParams(), headers: { authorization: `Bearer ${token}` } });
  await tc.stop();
  assert.equal(res.status, 503);
  assert.match(JSON.stringify(res.body), /the API server is shutting down/);
});
