/**
 * One proxied connection (forwardConnection) byte for byte: large transfers both ways survive the reused read buffer
 * under backpressure from a slow client, half-closes pass through, a reset endpoint resets the client, and a failed
 * dial moves on to the next endpoint with the client's affinity reset.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../src/base/logger';
import { PodNetwork } from '../../../../src/addons/cni/pod-network';
import { forwardConnection, normalizeIP } from '../../../../src/proxy/userspace/forward';
import { LoadBalancer } from '../../../../src/proxy/userspace/load-balancer';

const pattern = (bytes: number, seed: number) => {
  const b = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 7 + seed) % 251;
  return b;
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const BIG = pattern(6 * 1024 * 1024 + 123, 3);

let network: PodNetwork;
let lb: LoadBalancer;
let proxy: net.Server;
let proxyPort: number;
/** A proxy whose client sockets have a huge high-water mark: writes never return false, so 'drain' never comes. */
let bigProxy: net.Server;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

async function serve(ip: string, handler: (s: net.Socket) => void): Promise<void> {
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => undefined);
    handler(s);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  servers.push(srv);
  network.attach(ip, 80, () => ({ host: '127.0.0.1', port: (srv.address() as net.AddressInfo).port }));
}

before(async () => {
  network = new PodNetwork();
  lb = new LoadBalancer({ random: () => 0.9999 });
  const forward = (client: net.Socket) =>
    void forwardConnection(client, { network, lb, lbKey: 'k', service: 'default/svc', logger: silentLogger, track: (s) => sockets.add(s), isAlive: () => true, dialTimeoutsMs: [300, 300, 300] });
  proxy = net.createServer({ allowHalfOpen: true }, forward);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as net.AddressInfo).port;
  bigProxy = net.createServer({ allowHalfOpen: true, highWaterMark: 64 * 1024 * 1024 }, forward);
  await new Promise<void>((resolve) => bigProxy.listen(0, '127.0.0.1', resolve));
  // Sends BIG then half-closes; records what it received.
  await serve('10.244.0.1', (s) => s.end(BIG));
  // Echoes everything and ends when the client does.
  await serve('10.244.0.2', (s) => s.pipe(s));
  // Resets every connection once it has read something.
  await serve('10.244.0.3', (s) => s.once('data', () => s.resetAndDestroy()));
});

after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([proxy, bigProxy, ...servers].map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
});

/** Connects to the proxy, writes `send` in pieces, half-closes, reads slowly; resolves with all received bytes. */
function through(send: Buffer, slow: boolean, port = proxyPort): Promise<{ data: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let n = 0;
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      if (slow && ++n % 8 === 0) {
        s.pause();
        setTimeout(() => s.resume(), 2);
      }
    });
    let error: string | undefined;
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    s.on('close', () => resolve({ data: Buffer.concat(chunks), ...(error ? { error } : {}) }));
    s.on('connect', () => {
      let off = 0;
      const writeMore = () => {
        while (off < send.length) {
          const piece = send.subarray(off, off + 100_000);
          off += piece.length;
          if (!s.write(piece)) return void s.once('drain', writeMore);
        }
        s.end();
      };
      writeMore();
    });
  });
}

describe('forwardConnection', () => {
  it('delivers a large download intact to a slow client (the read buffer is never reused under a pending write)', async () => {
    lb.update('k', ['10.244.0.1:80']);
    const { data } = await through(Buffer.alloc(0), true);
    assert.equal(data.length, BIG.length);
    assert.equal(sha(data), sha(BIG));
  });

  it('resumes after a pending write completes even when the client never passes its high-water mark', { timeout: 15_000 }, async () => {
    lb.update('k', ['10.244.0.1:80']);
    const { data } = await through(Buffer.alloc(0), true, (bigProxy.address() as net.AddressInfo).port);
    assert.equal(sha(data), sha(BIG));
  });

  it('carries both directions at once and passes the client’s half-close through (echo)', async () => {
    lb.update('k', ['10.244.0.2:80']);
    const send = pattern(3 * 1024 * 1024 + 7, 11);
    const { data } = await through(send, true);
    assert.equal(sha(data), sha(send));
  });

  it('a reset from the endpoint resets the client', async () => {
    lb.update('k', ['10.244.0.3:80']);
    const r = await through(Buffer.from('hello'), false);
    assert.equal(r.data.length, 0);
    assert.equal(r.error, 'ECONNRESET');
  });

  it('after a failed dial takes the next endpoint and re-pins the client to it', async () => {
    lb.update('k', ['10.244.0.9:80', '10.244.0.1:80'], 600);
    const first = await through(Buffer.alloc(0), false);
    assert.equal(first.data.length, BIG.length, '10.244.0.9 refused; 10.244.0.1 answered');
    assert.equal(lb.next('k', '127.0.0.1'), '10.244.0.1:80', 'the affinity record now names the live endpoint');
  });

  it('closes the client when no endpoint can be dialed', async () => {
    lb.update('k', ['10.244.0.8:80', '10.244.0.9:80']);
    const r = await through(Buffer.from('x'), false);
    assert.equal(r.data.length, 0);
  });

  it('normalizes IPv4-mapped client addresses', () => {
    assert.equal(normalizeIP('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeIP('10.0.0.1'), '10.0.0.1');
  });
});
