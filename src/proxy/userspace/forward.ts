/**
 * One proxied TCP connection of the userspace mode (upstream proxysocket.go's tryConnect + proxyTCP):
 * pick an endpoint from the load balancer for the client's IP, dial it through the pod network, and copy bytes both
 * ways with backpressure until both sides are done.
 *
 * Contract:
 * - Dialing tries up to `DIAL_TIMEOUTS_MS.length` endpoints (upstream: 250 ms, 500 ms, 1 s, 2 s); after a failed dial
 *   the next pick resets session affinity, as upstream does. No endpoint (none usable, or every dial failed): the
 *   client connection is closed, as upstream closes it, and the reason logged with upstream's words.
 * - Client → endpoint: `pipe` (backpressure, and the client's FIN ends the write side towards the endpoint).
 *   Endpoint → client: the endpoint socket reads into one per-connection buffer (net's `onread`) and each chunk is
 *   written to the client; until a write has been taken by the kernel, reading pauses (so the buffer is never
 *   reused under a pending write). This halves the proxy's CPU per byte against `pipe`'s allocation per chunk. The
 *   endpoint's FIN ends the client's write side.
 * - When one side closes, the other is destroyed once it has flushed what it was sent; a side that closed with an
 *   error (a reset) resets the other at once.
 * - `track` is told of every socket this connection holds (client and backend) so the owner can count and destroy
 *   them; `isAlive()` false after the dial aborts the connection (the proxy was disposed meanwhile).
 */
import type * as net from 'node:net';
import type { Logger } from '../../base/logger';
import type { PodNetwork } from '../../addons/cni/pod-network';
import type { LoadBalancer } from './load-balancer';

/** Upstream's endpointDialTimeout: one attempt per entry. */
export const DIAL_TIMEOUTS_MS: readonly number[] = [250, 500, 1000, 2000];

/** The per-connection read buffer of the endpoint → client direction. */
export const READ_BUFFER_BYTES = 64 * 1024;

export interface ForwardContext {
  network: PodNetwork;
  lb: LoadBalancer;
  /** The load balancer key of the frontend the connection arrived on. */
  lbKey: string;
  /** The service port name, for log messages. */
  service: string;
  logger: Logger;
  track(socket: net.Socket): void;
  isAlive(): boolean;
  /** Dial timeouts to use (default DIAL_TIMEOUTS_MS). */
  dialTimeoutsMs?: readonly number[];
}

export async function forwardConnection(client: net.Socket, ctx: ForwardContext): Promise<void> {
  ctx.track(client);
  client.on('error', () => undefined);
  client.setNoDelay(true);
  const clientIP = normalizeIP(client.remoteAddress ?? '127.0.0.1');
  const reader = new EndpointReader(client);
  const backend = await dial(clientIP, client.remotePort, reader.onread, ctx);
  if (!backend || !ctx.isAlive() || client.destroyed) {
    backend?.destroy();
    client.destroy();
    return;
  }
  ctx.track(backend);
  backend.on('error', () => undefined);
  reader.attach(backend);
  client.pipe(backend);
  const ended = new WeakSet<net.Socket>();
  client.once('end', () => ended.add(client));
  backend.once('end', () => {
    ended.add(backend);
    client.end();
  });
  const follow = (closed: net.Socket, other: net.Socket) => (hadError: boolean) => {
    if (other.destroyed) return;
    if (hadError) return void other.resetAndDestroy();
    if (!ended.has(closed)) return void other.destroy();
    // The closed side sent its FIN and took ours: the other side has nothing left to say to it.
    if (other.writableFinished) other.destroy();
    else other.once('finish', () => other.destroy());
  };
  client.once('close', follow(client, backend));
  backend.once('close', follow(backend, client));
}

/** Endpoint → client copy through one reused buffer, pausing the endpoint until a pending write has completed. */
class EndpointReader {
  private backend?: net.Socket;
  /** A write of the buffer is pending: the endpoint is paused until it completes. */
  private waiting = false;
  readonly onread: net.OnReadOpts;

  constructor(private readonly client: net.Socket) {
    this.onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      callback: (n: number, buf: Uint8Array): boolean => {
        if (this.client.destroyed) return false;
        let paused = false;
        // The write's own callback, not 'drain': 'drain' comes only after a write that passed the high-water mark.
        this.client.write(buf.subarray(0, n), () => {
          if (!paused) return;
          this.waiting = false;
          this.backend?.resume();
        });
        if (this.client.writableLength === 0) return true; // written through to the kernel: the buffer is free
        paused = this.waiting = true;
        return false;
      },
    };
  }

  attach(backend: net.Socket): void {
    this.backend = backend;
    if (!this.waiting && backend.isPaused()) backend.resume();
  }
}

async function dial(clientIP: string, clientPort: number | undefined, onread: net.OnReadOpts, ctx: ForwardContext): Promise<net.Socket | undefined> {
  let reset = false;
  for (const timeoutMs of ctx.dialTimeoutsMs ?? DIAL_TIMEOUTS_MS) {
    if (!ctx.isAlive()) return undefined;
    const endpoint = ctx.lb.next(ctx.lbKey, clientIP, reset);
    if (!endpoint) {
      ctx.logger.debug(`Couldn't find an endpoint for ${ctx.service}: ${ctx.lb.has(ctx.lbKey) ? 'missing endpoints' : 'missing service entry'}`);
      return undefined;
    }
    const i = endpoint.lastIndexOf(':');
    try {
      return await ctx.network.connect(endpoint.slice(0, i), Number(endpoint.slice(i + 1)), {
        sourceIP: clientIP,
        ...(clientPort !== undefined ? { sourcePort: clientPort } : {}),
        timeoutMs,
        allowHalfOpen: true,
        onread,
      });
    } catch (e) {
      ctx.logger.debug(`Dial failed: ${e instanceof Error ? e.message : String(e)}`);
      reset = true;
    }
  }
  ctx.logger.debug(`Failed to connect to balancer: failed to connect to an endpoint.`);
  return undefined;
}

/** `::ffff:127.0.0.1` → `127.0.0.1` (an IPv4 client seen by a dual-stack socket). */
export function normalizeIP(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
