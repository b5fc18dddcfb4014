/**
 * The scale subresource under concurrent writers, as upstream: a PATCH that names no resourceVersion (what
 * `kubectl scale` sends) is retried on the fresh object when another write lands first, so concurrent scale patches
 * all succeed and the last one wins; a write that names a stale resourceVersion still gets 409 Conflict.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('scale subresource: concurrent writers', { timeout: 60_000 }, () => {
  let tc: TestCluster;
  let t: Transport;
  before(async () => {
    tc = await startTestCluster({ controllers: [] });
    t = tc.inProcess();
  });
  after(() => tc.stop());

  const patchScale = (name: string, replicas: number, body: object = { spec: { replicas } }) =>
    t.request({ method: 'PATCH', path: `${DEPLOY}/${name}/scale`, contentType: 'application/merge-patch+json', body });

  it('concurrent merge patches without a resourceVersion all succeed', async () => {
    assert.equal((await t.request({ method: 'POST', path: DEPLOY, body: deployment('many') })).status, 201);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => patchScale('many', i + 1)));
    assert.deepEqual(answers.map((a) => a.status), answers.map(() => 200), JSON.stringify(answers.find((a) => a.status !== 200)?.body));
    const replicas = ((await t.request({ method: 'GET', path: `${DEPLOY}/many` })).body as { spec: { replicas: number } }).spec.replicas;
    assert.ok(replicas >= 1 && replicas <= 12);
  });

  it('concurrent with updates of the Deployment itself, a scale patch still succeeds', async () => {
    assert.equal((await t.request({ method: 'POST', path: DEPLOY, body: deployment('mixed') })).status, 201);
    const label = (i: number) => t.request({ method: 'PATCH', path: `${DEPLOY}/mixed`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { n: String(i) } } } });
    const answers = await Promise.all([label(1), patchScale('mixed', 4), label(2), label(3)]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
    assert.equal(((await t.request({ method: 'GET', path: `${DEPLOY}/mixed/scale` })).body as { spec: { replicas: number } }).spec.replicas, 4);
  });

  it('a patch or update naming a stale resourceVersion gets 409 Conflict', async () => {
    const created = await t.request({ method: 'POST', path: DEPLOY, body: deployment('pinned') });
    const staleRv = (created.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    assert.equal((await patchScale('pinned', 2)).status, 200);
    const patched = await patchScale('pinned', 3, { metadata: { resourceVersion: staleRv }, spec: { replicas: 3 } });
    assert.equal(patched.status, 409);
    assert.equal((patched.body as { reason: string }).reason, 'Conflict');
    const put = await t.request({ method: 'PUT', path: `${DEPLOY}/pinned/scale`, body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'pinned', namespace: 'default', resourceVersion: staleRv }, spec: { replicas: 5 } } });
    assert.equal(put.status, 409);
    assert.equal(((await t.request({ method: 'GET', path: `${DEPLOY}/pinned/scale` })).body as { spec: { replicas: number } }).spec.replicas, 2);
  });
});
