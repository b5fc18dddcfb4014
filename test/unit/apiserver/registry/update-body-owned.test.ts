/**
 * updateObject with a body handed over (what the PUT handlers pass for the body they decoded): an update pinned to
 * the stored resourceVersion uses the body itself (its parts become the stored object's) instead of a copy;
 * without the hand-over, or without a resourceVersion (the write may be retried), the caller's object is never
 * touched. Through the HTTP semantics: a stale resourceVersion is still upstream's 409, and a PUT without one still
 * lands after a concurrent write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredObject } from '../../../../src/api/object';
import { updateObject } from '../../../../src/apiserver/registry/update';
import type { Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

const dataOf = (o: StoredObject): Record<string, string> => (o as unknown as { data: Record<string, string> }).data;

describe('update with a handed-over body', () => {
  let c: TestCluster;
  let t: Transport;
  before(async () => {
    c = await startTestCluster();
    t = c.inProcess();
    const res = await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } } });
    assert.equal(res.status, 201);
  });
  after(() => c.stop());

  const server = () => c.cluster.apiServer;
  const configMaps = () => server().resources.get('', 'v1', 'configmaps')!;
  const current = async (): Promise<StoredObject> => (await t.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/cm' })).body as StoredObject;
  const opts = () => ({ dryRun: false, fieldManager: 'test', fieldValidation: 'Ignore' as const, warnings: [] });
  const body = (rv: string | undefined, a: string): StoredObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', ...(rv ? { resourceVersion: rv } : {}) }, data: { a } }) as StoredObject;

  it('pinned and owned: the body itself is stored; otherwise the caller’s object is left alone', async () => {
    const owned = body((await current()).metadata.resourceVersion, '2');
    const res = await updateObject(server().core, configMaps(), 'default', 'cm', owned, '', opts(), true);
    assert.equal(dataOf(res.obj).a, '2');
    assert.equal(res.obj.data, owned.data, 'the handed-over body’s parts are the stored object’s');

    for (const [rv, owns] of [[(await current()).metadata.resourceVersion, false], [undefined, true]] as const) {
      const mine = body(rv, rv ? '3' : '4');
      const before = JSON.stringify(mine);
      const out = await updateObject(server().core, configMaps(), 'default', 'cm', mine, '', opts(), owns);
      assert.equal(dataOf(out.obj).a, rv ? '3' : '4');
      assert.notEqual(out.obj.data, mine.data);
      assert.equal(JSON.stringify(mine), before, 'copied, not changed');
    }
  });

  it('over the API: a stale resourceVersion is a 409; a PUT without one lands', async () => {
    const stale = body('1', 'x');
    const res = await t.request({ method: 'PUT', path: '/api/v1/namespaces/default/configmaps/cm', body: stale });
    assert.equal(res.status, 409);
    assert.equal(
      (res.body as { message: string }).message,
      'Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again',
    );
    const cur = await current();
    const ok = await t.request({ method: 'PUT', path: '/api/v1/namespaces/default/configmaps/cm', body: body(cur.metadata.resourceVersion, 'y') });
    assert.equal(ok.status, 200);
    const unpinned = await t.request({ method: 'PUT', path: '/api/v1/namespaces/default/configmaps/cm', body: body(undefined, 'z') });
    assert.equal(unpinned.status, 200);
    assert.equal(dataOf(await current()).a, 'z');
  });
});
