/**
 * The HTTPS binding's abort signal (made only when a handler asks for it): a client that goes away stops its watch
 * stream, and a handler that first looks at the signal after its client went away finds it aborted already; a
 * request answered normally never aborts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ClientRequest } from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveHttps, type HttpsServer } from '../../../src/apiserver/https';
import { ensurePki } from '../../../src/apiserver/pki/certs';
import type { ApiRequest, ApiResponse } from '../../../src/apiserver/request';
import { silentLogger } from '../../../src/base/logger';
import { waitFor } from '../../helpers/wait';

let server: HttpsServer;
let ca: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-abort-'));
let lateClientGone = false;
const seen: { path: string; aborted?: boolean; stopped?: boolean }[] = [];

async function handle(req: ApiRequest): Promise<ApiResponse> {
  const entry: (typeof seen)[number] = { path: req.path };
  seen.push(entry);
  if (req.path === '/watch') {
    return {
      status: 200,
      stream: {
        contentType: 'application/json',
        start: (sink) => {
          sink.write({ type: 'ADDED', object: { kind: 'X' } });
          return () => (entry.stopped = true);
        },
      },
    };
  }
  if (req.path === '/late') {
    // Looks at the signal only after its client has gone.
    await waitFor(() => lateClientGone, 'the client to go', { timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    entry.aborted = req.signal!.aborted;
    return { status: 200, body: {} };
  }
  if (req.path === '/plain') {
    const signal = req.signal!;
    await new Promise((r) => setImmediate(r));
    entry.aborted = signal.aborted;
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: {} };
}

function open(p: string, headers: Record<string, string> = {}): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.port, path: p, ca, headers }, (res) => {
      res.once('data', () => resolve(req));
    });
    req.on('error', (e) => (e.message === 'socket hang up' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
    if (p === '/late') resolve(req);
  });
}

before(async () => {
  const pki = ensurePki(dir, Date.now());
  ca = pki.caCert;
  server = await serveHttps(handle, { host: '127.0.0.1', port: 0, key: pki.serverKey, cert: pki.serverCert, logger: silentLogger });
});

after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS abort signal', () => {
  it('a client that goes away stops its watch stream', { timeout: 20_000 }, async () => {
    const req = await open('/watch');
    const entry = seen.find((s) => s.path === '/watch')!;
    assert.equal(entry.stopped, undefined);
    req.destroy();
    await waitFor(() => entry.stopped === true, 'the stream to stop', { timeoutMs: 5000 });
  });

  it('a handler that asks after its client went away gets an aborted signal', { timeout: 20_000 }, async () => {
    const req = await open('/late');
    await waitFor(() => seen.some((s) => s.path === '/late'), 'the request to arrive', { timeoutMs: 5000 });
    req.destroy();
    lateClientGone = true;
    await waitFor(() => seen.find((s) => s.path === '/late')!.aborted !== undefined, 'the handler to look', { timeoutMs: 5000 });
    assert.equal(seen.find((s) => s.path === '/late')!.aborted, true);
  });

  it('a request answered normally is not aborted', { timeout: 20_000 }, async () => {
    await open('/plain');
    await waitFor(() => seen.find((s) => s.path === '/plain')?.aborted !== undefined, 'the handler', { timeoutMs: 5000 });
    assert.equal(seen.find((s) => s.path === '/plain')!.aborted, false);
  });
});
