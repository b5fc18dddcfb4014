/**
 * A watcher that stops reading is cut off without slowing writers or other watchers: in-process (bounded event
 * queue) and over HTTPS (bounded socket buffer; the client pauses its socket).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { InProcessTransport } from '../../src/client/in-process';
import { isWatchStream, type WatchEvent } from '../../src/client/transport';
import { startTestCluster } from '../helpers/apiserver';
import { waitFor } from '../helpers/wait';

test('slow watchers are cut off; others get every event', { timeout: 120_000 }, async () => {
  const t = await startTestCluster();
  try {
    const api = t.inProcess();
    const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
    const path = '/api/v1/namespaces/default/configmaps';

    // In-process: a queue limit of 20 unread events.
    const slow = new InProcessTransport({ handle: (r) => t.cluster.handle(r), token: t.cluster.adminToken, watchQueueLimit: 20 });
    const s = await slow.watch({ method: 'GET', path, query: { resourceVersion: '0' } });
    const fast = await api.watch({ method: 'GET', path, query: { resourceVersion: '0' } });
    assert.ok(isWatchStream(s) && isWatchStream(fast));
    const seen: WatchEvent[] = [];
    const reading = (async () => {
      for await (const e of fast.events) {
        seen.push(e);
        if (seen.length === 100) break;
      }
    })();
    for (let i = 0; i < 100; i++) assert.equal((await api.request({ method: 'POST', path, body: cm(`c${i}`) })).status, 201);
    await reading;
    assert.deepEqual(seen.map((e) => e.type), Array(100).fill('ADDED'));
    let slowCount = 0;
    for await (const e of s.events) {
      assert.equal(e.type, 'ADDED');
      slowCount++;
    }
    assert.ok(slowCount >= 20 && slowCount < 100, `the slow in-process watcher was cut after its queue filled (${slowCount} events)`);

    // HTTPS: a client that pauses its socket; 80 ConfigMaps of 512 KiB overflow the server's 16 MiB watch buffer.
    const u = new URL(`${path}?watch=true&resourceVersion=0`, t.cluster.url);
    let ended = false;
    let received = 0;
    let response: import('node:http').IncomingMessage | undefined;
    const req = https.get(u, { ca: t.cluster.caCert, headers: { authorization: `Bearer ${t.cluster.adminToken}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      res.pause();
      response = res;
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('end', () => (ended = true));
      res.on('error', () => (ended = true));
      res.on('close', () => (ended = true));
    });
    req.on('error', () => (ended = true));
    const big = 'x'.repeat(512 * 1024);
    const started = Date.now();
    for (let i = 0; i < 80; i++) assert.equal((await api.request({ method: 'POST', path, body: cm(`big${i}`, { v: big }) })).status, 201);
    assert.ok(Date.now() - started < 30_000, 'writers were not held up by the stalled client');
    // The server destroys the stalled stream; resuming the socket shows it ended short of everything.
    await waitFor(async () => {
      const r = await api.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps', query: { limit: 1 } });
      return r.status === 200;
    }, 'the server stays responsive');
    response?.resume();
    await waitFor(() => ended, 'the stalled HTTPS watch to be cut off', { timeoutMs: 20_000 });
    assert.ok(received < 80 * 512 * 1024, `it was cut before receiving everything (${received} bytes)`);
    s.stop();
    fast.stop();
    slow.close();
  } finally {
    await t.stop();
  }
});
