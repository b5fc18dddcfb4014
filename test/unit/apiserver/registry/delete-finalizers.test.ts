/**
 * Deleting an object already being deleted with another propagation policy replaces the garbage-collection
 * finalizer, as upstream's deletionFinalizersForGarbageCollection does: orphan and foregroundDeletion are never both
 * set (the HTTP fuzzer of issue 11 stored Jobs with both, which validation refuses).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

let c: TestCluster;
let api: Transport;
const NS = '/api/v1/namespaces/default/configmaps';

before(async () => {
  // No garbage collector: the finalizers stay as the deletes leave them.
  c = await startTestCluster({ controllers: [] });
  api = c.inProcess();
});

after(async () => {
  await c.stop();
});

async function finalizersAfter(name: string, deletes: Record<string, string>[]): Promise<string[] | undefined> {
  const created = await api.request({ method: 'POST', path: NS, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, finalizers: ['example.com/keep'] } } });
  assert.equal(created.status, 201);
  for (const query of deletes) assert.ok((await api.request({ method: 'DELETE', path: `${NS}/${name}`, query })).status < 300);
  const got = await api.request({ method: 'GET', path: `${NS}/${name}` });
  return (got.body as { metadata: { finalizers?: string[] } }).metadata.finalizers;
}

describe('delete propagation finalizers', () => {
  it('Orphan then Foreground: foregroundDeletion replaces orphan', async () => {
    assert.deepEqual(await finalizersAfter('a', [{ propagationPolicy: 'Orphan' }, { propagationPolicy: 'Foreground' }]), ['example.com/keep', 'foregroundDeletion']);
  });

  it('Foreground then Orphan: orphan replaces foregroundDeletion', async () => {
    assert.deepEqual(await finalizersAfter('b', [{ propagationPolicy: 'Foreground' }, { orphanDependents: 'true' }]), ['example.com/keep', 'orphan']);
  });

  it('Foreground then Background: neither stays; no policy keeps what is there', async () => {
    assert.deepEqual(await finalizersAfter('c', [{ propagationPolicy: 'Foreground' }, { propagationPolicy: 'Background' }]), ['example.com/keep']);
    assert.deepEqual(await finalizersAfter('d', [{ propagationPolicy: 'Orphan' }, {}]), ['example.com/keep', 'orphan']);
  });
});
