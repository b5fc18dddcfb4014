/**
 * Issue 11, Faults → "Slow and dead clients". (1) The server's own bounds, on an HTTPS front with short timeouts:
 * a TCP connection that never starts TLS and a TLS connection that sends nothing are closed after the headers
 * timeout (kube-apiserver: ReadHeaderTimeout 32 s), trickled headers get 408, a trickled body gets upstream's 504
 * Timeout Status after the body timeout (kube-apiserver: --request-timeout 60 s), while an idle keep-alive connection
 * and a quiet watch outlive both. (2) The cluster started as the README does, attacked by stalled watchers, requests
 * cut mid-request and mid-body, and held slow/silent clients while a probe does CRUD: the probe's requests all
 * succeed and stay fast, memory stays bounded, and the fds come back once the bad clients are gone.
 * test/integration/slow-watchers.test.ts covers one stalled watcher in-process and over HTTPS.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { silentLogger } from '../../src/base/logger';
import { serveHttps } from '../../src/apiserver/https';
import { isWatchStream } from '../../src/client/transport';
import { HttpsTransport } from '../../src/client/https-transport';
import { startTestCluster } from '../helpers/apiserver';
import { runBadClients } from '../helpers/reliability/bad-clients';
import { silentTcp, silentTls, slowBody, slowHeaders, type HeldClient, type Target } from '../helpers/reliability/raw-clients';
import { waitFor } from '../helpers/wait';

test('the HTTPS server closes silent and trickling clients; idle keep-alive connections and watches stay', { timeout: 60_000 }, async () => {
  const tc = await startTestCluster();
  const pki = path.join(tc.dir, 'pki');
  const front = await serveHttps((r) => tc.cluster.handle(r), {
    host: '127.0.0.1',
    port: 0,
    key: fs.readFileSync(path.join(pki, 'apiserver.key'), 'utf8'),
    cert: fs.readFileSync(path.join(pki, 'apiserver.crt'), 'utf8'),
    logger: silentLogger,
    headersTimeoutMs: 800,
    bodyTimeoutMs: 1500,
  });
  const url = `https://127.0.0.1:${front.port}`;
  const target: Target = { host: '127.0.0.1', port: front.port, creds: { url, caCert: tc.cluster.caCert, token: tc.cluster.adminToken } };
  const api = new HttpsTransport({ url, caCert: tc.cluster.caCert, token: tc.cluster.adminToken, maxSockets: 4 });
  const held: HeldClient[] = [];
  try {
    const path0 = '/api/v1/namespaces/default/configmaps';
    const w = await api.watch({ method: 'GET', path: path0 });
    assert.ok(isWatchStream(w));
    // A second, idle keep-alive connection that made one request.
    const agent = new https.Agent({ keepAlive: true, ca: tc.cluster.caCert, maxSockets: 1 });
    let idleClosed = false;
    await new Promise<void>((resolve, reject) => {
      https
        .get(`${url}/version`, { agent, headers: { authorization: `Bearer ${tc.cluster.adminToken}` } }, (res) => {
          res.socket.on('close', () => (idleClosed = true));
          res.resume().on('end', resolve);
        })
        .on('error', reject);
    });
    const started = Date.now();
    held.push(silentTcp(target), silentTls(target), slowHeaders(target, 100), slowBody(target, path0, 100));
    await waitFor(() => held.every((h) => h.closedByServer), 'the server to close every silent or trickling client', {
      timeoutMs: 8000,
      intervalMs: 50,
      describe: () => held.map((h) => [h.kind, h.closedByServer, h.answer]),
    });
    const [tcp, tlsOnly, headers, body] = held;
    assert.equal(tcp.answer, undefined, 'no TLS, no answer');
    assert.equal(headers.answer, 'HTTP/1.1 408 Request Timeout');
    assert.equal(body.answer, 'HTTP/1.1 504 Gateway Timeout');
    assert.ok([undefined, 'HTTP/1.1 408 Request Timeout'].includes(tlsOnly.answer), String(tlsOnly.answer));
    assert.ok(Date.now() - started >= 800, 'not before the timeout');

    // The 504 carries upstream's Status (the timeout filter's), and the connection closes.
    const status = JSON.parse(body.received.slice(body.received.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    assert.deepEqual(status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
      reason: 'Timeout',
      details: {},
      code: 504,
    });
    assert.match(body.received, /\r\nconnection: close\r\n/i);

    // The watch and the idle keep-alive connection outlived both timeouts.
    const created = await api.request({ method: 'POST', path: path0, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-timeouts' } } });
    assert.equal(created.status, 201);
    let seen = false;
    for await (const ev of w.events) {
      if ((ev.object.metadata as { name?: string }).name === 'after-timeouts') {
        seen = true;
        break;
      }
    }
    assert.ok(seen, 'the watch delivered the ConfigMap created after the timeouts');
    assert.equal(idleClosed, false, 'the idle keep-alive connection is still open');
    w.stop();
    agent.destroy();
  } finally {
    for (const h of held) h.close();
    api.close();
    await front.close();
    await tc.stop();
  }
});

test('slow and dead clients do not hurt a probe client; memory bounded; fds return', { timeout: 180_000 }, async () => {
  const r = await runBadClients({ baselineMs: 10_000, attackMs: 25_000, stalledWatchers: 30, floodBytes: 40 * 1024 * 1024, heldPerKind: 10, cutInFlight: 4 });
  const summary = JSON.stringify({ ...r, violations: undefined });
  assert.deepEqual(r.violations, [], summary);
  assert.equal(r.probeErrors, 0);
  assert.equal(r.stalledCut, 30, summary);
  assert.ok(r.cutRequests > 50, summary);
});
