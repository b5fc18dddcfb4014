/**
 * Lists big enough to be written in slices over HTTPS (JSON and Table) arrive whole and in key order, identical to
 * the in-process answer.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { startTestCluster } from '../helpers/apiserver';

test('a 600-item list is streamed whole over HTTPS, as JSON and as a Table', { timeout: 120_000 }, async () => {
  const t = await startTestCluster();
  try {
    const api = t.inProcess();
    const https = t.https();
    // Secrets: unlike ConfigMaps, a namespace starts without any (kube-root-ca.crt is a ConfigMap).
    const path = '/api/v1/namespaces/default/secrets';
    const blob = 'y'.repeat(4000); // 600 × 4 KB: several 1 MiB slices
    for (let i = 0; i < 600; i++) {
      const name = `cm-${String(i).padStart(4, '0')}`;
      assert.equal((await api.request({ method: 'POST', path, body: { metadata: { name }, stringData: { blob } } })).status, 201);
    }
    const a = (await https.request({ method: 'GET', path })).body as { kind: string; metadata: { resourceVersion: string }; items: { metadata: { name: string }; data: { blob: string } }[] };
    const b = (await api.request({ method: 'GET', path })).body as typeof a;
    assert.equal(a.kind, 'SecretList');
    assert.equal(a.items.length, 600);
    assert.deepEqual(a.items.map((i) => i.metadata.name), b.items.map((i) => i.metadata.name));
    assert.deepEqual(a, JSON.parse(JSON.stringify(b)));
    assert.equal(Buffer.from(a.items[599].data.blob, 'base64').toString(), blob);
    const table = (await https.request({ method: 'GET', path, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' })).body as {
      kind: string;
      rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
    };
    assert.equal(table.kind, 'Table');
    assert.equal(table.rows.length, 600);
    assert.deepEqual(table.rows[0].cells.slice(0, 2), ['cm-0000', 'Opaque']);
    assert.equal(table.rows[599].object.kind, 'PartialObjectMetadata');
  } finally {
    await t.stop();
  }
});
