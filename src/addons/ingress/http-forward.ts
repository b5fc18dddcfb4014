/**
 * Forwarding one HTTP request to a chosen endpoint over an already connected pod-network socket.
 *
 * Contract:
 * - The request goes out with the client's method, target and headers (original case order not kept; repeated
 *   headers kept), minus the hop-by-hop headers (Connection and the headers it names, Keep-Alive,
 *   Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade); the body is streamed with backpressure. `Host` is
 *   the client's. Like ingress-nginx it adds `X-Forwarded-For` (the client's value, if any, then the client's IP),
 *   `X-Real-IP`, `X-Forwarded-Host` (the client's Host), `X-Forwarded-Port` (the controller's port),
 *   `X-Forwarded-Proto`, `X-Forwarded-Scheme` and `X-Scheme` (`http`).
 * - The endpoint's status, reason and headers (hop-by-hop removed) and its streamed body are the answer. The socket
 *   belongs to this exchange: it is used for one request (`Connection: close` towards the endpoint) and destroyed
 *   with it.
 * - The endpoint failing before its response head arrives answers 502 (ingress-nginx's Bad Gateway); failing
 *   afterwards, or the client going away, destroys both sides. The returned promise settles (never rejects) when
 *   the exchange is over, with the status sent (0 when the client went away first).
 */
import * as http from 'node:http';
import type * as net from 'node:net';
import { sendErrorPage } from './error-pages';

export interface ForwardInfo {
  /** The client's IP address. */
  clientIP: string;
  /** The port the controller listens on (X-Forwarded-Port). */
  listenPort: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Headers of a raw (name, value, name, value …) list without the hop-by-hop ones, names lower-cased. */
export function endToEndHeaders(raw: readonly string[]): Record<string, string | string[]> {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === 'connection') for (const t of raw[i + 1].split(',')) named.add(t.trim().toLowerCase());
  }
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    const prev = out[name];
    out[name] = prev === undefined ? raw[i + 1] : Array.isArray(prev) ? [...prev, raw[i + 1]] : [prev, raw[i + 1]];
  }
  return out;
}

/** The end-to-end headers of a client request plus the ingress-nginx X-Forwarded-* headers. */
export function forwardedHeaders(raw: readonly string[], info: ForwardInfo): Record<string, string | string[]> {
  const h = endToEndHeaders(raw);
  const prior = h['x-forwarded-for'];
  const priorText = Array.isArray(prior) ? prior.join(', ') : prior;
  h['x-forwarded-for'] = priorText ? `${priorText}, ${info.clientIP}` : info.clientIP;
  h['x-real-ip'] = info.clientIP;
  const host = h.host;
  if (typeof host === 'string') h['x-forwarded-host'] = host;
  h['x-forwarded-port'] = String(info.listenPort);
  h['x-forwarded-proto'] = 'http';
  h['x-forwarded-scheme'] = 'http';
  h['x-scheme'] = 'http';
  return h;
}

/** The headers sent to the endpoint for a plain (non-upgrade) request: one request per connection. */
export function upstreamHeaders(raw: readonly string[], info: ForwardInfo): Record<string, string | string[]> {
  return { ...forwardedHeaders(raw, info), connection: 'close' };
}

/** Forwards `req` to the endpoint behind `socket` and streams the answer to `res`. */
export function forwardHttp(req: http.IncomingMessage, res: http.ServerResponse, socket: net.Socket, info: ForwardInfo): Promise<number> {
  return new Promise<number>((resolve) => {
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      resolve(status);
    };
    const upstream = http.request({
      method: req.method,
      path: req.url,
      headers: upstreamHeaders(req.rawHeaders, info),
      setHost: false,
      createConnection: () => socket,
    });
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      res.writeHead(status, answer.statusMessage, endToEndHeaders(answer.rawHeaders));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
      res.on('finish', () => done(status));
    });
    upstream.on('error', () => {
      socket.destroy();
      if (res.headersSent) {
        res.destroy();
        done(0);
      } else {
        sendErrorPage(res, 502);
        done(502);
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
        socket.destroy();
        done(0);
      }
    });
    req.pipe(upstream);
  });
}
