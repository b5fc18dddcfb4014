/**
 * What the HTTP fuzzer (issue 11) found in the HTTPS binding, over a real cluster: a HEAD on a watch must not hold
 * its keep-alive connection (the client's next request on it went unanswered until the watch timed out), a watch's
 * timeout beyond node's timer range must not end it at once, a request
 * target that is no URL gets 400 instead of an unhandled rejection and no answer, and an unknown non-API path gets
 * Go's plain "404 page not found" while unknown /api paths keep the 404 Status.
 */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';

let c: TestCluster;
let agent: https.Agent;

before(async () => {
  c = await startTestCluster();
  agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
});

after(async () => {
  agent.destroy();
  await c.stop();
});

function send(method: string, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: c.cluster.port, method, path, agent, ca: c.cluster.caCert, headers: { authorization: `Bearer ${c.cluster.adminToken}` }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS request handling', () => {
  it('a HEAD on a watch answers at once and leaves the connection usable', { timeout: 20_000 }, async () => {
    const head = await send('HEAD', '/api/v1/namespaces?watch=true');
    assert.equal(head.status, 200);
    // Same single keep-alive socket: the GET must be answered.
    const next = await send('GET', '/version');
    assert.equal(next.status, 200);
  });

  it('a watch whose timeoutSeconds is beyond node timers (24.8 days) stays open instead of ending at once', { timeout: 20_000 }, async () => {
    const ended = await new Promise<boolean>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: c.cluster.port, path: '/api/v1/namespaces?watch=true&timeoutSeconds=3000000', ca: c.cluster.caCert, headers: { authorization: `Bearer ${c.cluster.adminToken}` } }, (res) => {
        let done = false;
        res.on('end', () => (done = true)).resume();
        setTimeout(() => {
          req.destroy();
          resolve(done);
        }, 700);
      });
      req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
      req.end();
    });
    assert.equal(ended, false);
  });

  it('a request target that is no URL is 400, and the server goes on', { timeout: 20_000 }, async () => {
    const bad = await send('GET', 'http://[');
    assert.deepEqual([bad.status, bad.body], [400, '400 Bad Request']);
    assert.equal((await send('GET', '//apis%zz/x')).status, 404);
    assert.equal((await send('GET', '/readyz')).body, 'ok');
  });

  it('unknown paths: plain text off the API, a Status under /api and /apis', { timeout: 20_000 }, async () => {
    for (const p of ['/foo', '/healthz/bogus', '/version/x', '/openapi/v9']) {
      const r = await send('GET', p);
      assert.deepEqual([r.status, r.type, r.body], [404, 'text/plain; charset=utf-8', '404 page not found\n'], p);
    }
    assert.equal((await send('POST', '/foo')).body, '404 page not found\n');
    // `/` is kube-apiserver's index: every path served, sorted.
    const root = await send('GET', '/');
    assert.equal(root.status, 200);
    const paths = (JSON.parse(root.body) as { paths: string[] }).paths;
    assert.deepEqual(paths, [...paths].sort());
    for (const want of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/livez/ping', '/openapi/v3', '/readyz', '/version']) assert.ok(paths.includes(want), want);
    const api = await send('GET', '/apis/nope.example.com');
    assert.equal(api.status, 404);
    assert.deepEqual(JSON.parse(api.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404, details: {} });
  });
});
