/**
 * Forwarding a connection upgrade (WebSocket and any other `Connection: Upgrade` request), as ingress-nginx does by
 * default (`proxy_set_header Upgrade $http_upgrade; Connection "upgrade"`): the request head is written to the
 * endpoint with the end-to-end and X-Forwarded-* headers of a plain request plus `Connection: upgrade` and the
 * client's `Upgrade`; then bytes are copied both ways (the endpoint's 101 answer included) until either side
 * ends or fails: the other side is then ended (after its pending bytes) and both sockets are destroyed. Errors before the tunnel exists are answered on the raw socket with the same
 * nginx-like pages as plain requests (`rawErrorResponse`).
 */
import type * as http from 'node:http';
import type * as net from 'node:net';
import type * as stream from 'node:stream';
import { errorPageBody, reasonPhrase } from './error-pages';
import { forwardedHeaders, type ForwardInfo } from './http-forward';

/** A complete HTTP/1.1 error response for a socket that has no http.ServerResponse. */
export function rawErrorResponse(status: number): string {
  const body = errorPageBody(status);
  return `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** The request head sent to the endpoint for an upgrade request. */
export function upgradeRequestHead(req: Pick<http.IncomingMessage, 'method' | 'url' | 'rawHeaders' | 'headers'>, info: ForwardInfo): string {
  const headers: Record<string, string | string[]> = { ...forwardedHeaders(req.rawHeaders, info), connection: 'upgrade' };
  const upgrade = req.headers.upgrade;
  if (upgrade) headers.upgrade = upgrade;
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
  return `${head}\r\n`;
}

/** Tunnels the upgraded `client` connection (with the bytes it already sent, `head`) to `upstream`. */
export function forwardUpgrade(req: http.IncomingMessage, client: stream.Duplex, head: Buffer, upstream: net.Socket, info: ForwardInfo): void {
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
  // One side's end ends the other once what it sent is flushed, then both are closed (no lingering half-open
  // tunnel: the HTTP server's sockets allow half-open connections, and an endpoint may never close its side).
  client.on('end', () => upstream.end(close));
  upstream.on('end', () => client.end(close));
  upstream.write(upgradeRequestHead(req, info));
  if (head.length) upstream.write(head);
  upstream.pipe(client, { end: false });
  client.pipe(upstream, { end: false });
}
