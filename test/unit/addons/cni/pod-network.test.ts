/**
 * PodNetwork, the pod network's data plane: attach/detach/replace, lazy listeners, Go-worded refusals and timeouts,
 * the PROXY v1 header for shared listeners, and half-open sockets for proxies.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PodNetwork } from '../../../../src/addons/cni/pod-network';

let server: net.Server;
let port: number;
let received: string[];

beforeEach(async () => {
  received = [];
  server = net.createServer((s) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString()));
    s.on('end', () => {
      received.push(text);
      s.end('bye');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

const talk = (s: net.Socket, text: string) =>
  new Promise<string>((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.end(text);
  });

describe('PodNetwork', () => {
  it('refuses an address nothing is attached to, in Go’s dialer words', async () => {
    const n = new PodNetwork();
    await assert.rejects(n.connect('10.244.1.5', 80), { code: 'ECONNREFUSED', message: 'dial tcp 10.244.1.5:80: connect: connection refused' });
  });

  it('connects to the attached listener, opening it lazily on each connection', async () => {
    const n = new PodNetwork();
    let opened = 0;
    n.attach('10.244.1.5', 80, async () => (opened++, { host: '127.0.0.1', port }));
    assert.equal(opened, 0);
    assert.equal(await talk(await n.connect('10.244.1.5', 80), 'hello'), 'bye');
    assert.equal(await talk(await n.connect('10.244.1.5', 80), 'again'), 'bye');
    assert.equal(opened, 2);
    assert.deepEqual(received, ['hello', 'again']);
    assert.deepEqual(n.list(), ['10.244.1.5:80']);
  });

  it('writes a PROXY v1 header naming the pod address for a shared listener', async () => {
    const n = new PodNetwork();
    n.attach('10.244.1.5', 8080, () => ({ host: '127.0.0.1', port, proxyProtocol: true }));
    await talk(await n.connect('10.244.1.5', 8080, { sourceIP: '10.244.2.9', sourcePort: 41000 }), 'GET /');
    assert.deepEqual(received, ['PROXY TCP4 10.244.2.9 10.244.1.5 41000 8080\r\nGET /']);
    await talk(await n.connect('10.244.1.5', 8080), '');
    assert.equal(received[1], 'PROXY TCP4 127.0.0.1 10.244.1.5 0 8080\r\n', 'defaults: 127.0.0.1 and port 0');
  });

  it('a second attach replaces the first; a stale detach leaves the new one; detachAll clears a pod', async () => {
    const n = new PodNetwork();
    const first = n.attach('10.244.1.5', 80, () => ({ host: '127.0.0.1', port: 1 }));
    n.attach('10.244.1.5', 80, () => ({ host: '127.0.0.1', port }));
    first();
    assert.equal(n.has('10.244.1.5', 80), true);
    assert.equal(await talk(await n.connect('10.244.1.5', 80), 'x'), 'bye');
    n.attach('10.244.1.5', 81, () => ({ host: '127.0.0.1', port }));
    n.attach('10.244.1.50', 80, () => ({ host: '127.0.0.1', port }));
    n.detachAll('10.244.1.5');
    assert.deepEqual(n.list(), ['10.244.1.50:80'], 'only that pod, not 10.244.1.50');
  });

  it('refuses when the listener refuses or cannot be opened', async () => {
    const n = new PodNetwork();
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const dead = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    n.attach('10.244.1.5', 80, () => ({ host: '127.0.0.1', port: dead }));
    await assert.rejects(n.connect('10.244.1.5', 80), { code: 'ECONNREFUSED', message: 'dial tcp 10.244.1.5:80: connect: connection refused' });
    n.attach('10.244.1.6', 80, () => Promise.reject(new Error('listener failed')));
    await assert.rejects(n.connect('10.244.1.6', 80), { code: 'ECONNREFUSED', message: 'dial tcp 10.244.1.6:80: connect: connection refused' });
  });

  it('times out a dial that does not complete in time, the listener’s opening included, in Go’s words', async () => {
    const n = new PodNetwork();
    n.attach('10.244.1.7', 80, () => new Promise(() => undefined));
    const t0 = Date.now();
    await assert.rejects(n.connect('10.244.1.7', 80, { timeoutMs: 40 }), { code: 'ETIMEDOUT', message: 'dial tcp 10.244.1.7:80: i/o timeout' });
    assert.ok(Date.now() - t0 >= 35);
    n.attach('10.244.1.8', 80, () => ({ host: '127.0.0.1', port }));
    assert.equal(await talk(await n.connect('10.244.1.8', 80, { timeoutMs: 1000 }), 'in time'), 'bye', 'a quick dial is not cut');
  });

  it('allowHalfOpen keeps the socket writable after the listener’s FIN', async () => {
    let done!: () => void;
    const serverGotEnd = new Promise<void>((resolve) => (done = resolve));
    const halfServer = net.createServer({ allowHalfOpen: true }, (s) => {
      s.end('first');
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('end', () => (received.push(text), s.destroy(), done()));
    });
    await new Promise<void>((resolve) => halfServer.listen(0, '127.0.0.1', resolve));
    try {
      const n = new PodNetwork();
      n.attach('10.244.1.8', 80, () => ({ host: '127.0.0.1', port: (halfServer.address() as net.AddressInfo).port }));
      const s = await n.connect('10.244.1.8', 80, { allowHalfOpen: true });
      s.resume();
      await new Promise<void>((resolve) => s.once('end', () => resolve()));
      assert.equal(s.writable, true, 'still writable after the FIN');
      await new Promise<void>((resolve) => s.end('after', () => resolve()));
      await serverGotEnd;
      assert.deepEqual(received, ['after']);
    } finally {
      halfServer.close();
    }
  });
});
