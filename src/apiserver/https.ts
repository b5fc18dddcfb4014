/**
 * The HTTPS binding of the handler chain: reads bodies up to 3 MiB (413 beyond), turns requests into ApiRequests,
 * writes JSON / text responses with `Warning` headers, and streams watches as chunked JSON lines. An event object
 * shared by many watchers is serialized once. A watcher whose socket buffer grows past the limit is cut off, and so
 * is the worst laggard when all watchers together hold more than the total (watch-budget.ts), so a
 * slow client never slows the server or other clients. TLS 1.2 is the oldest protocol version accepted (whatever
 * node's --tls-min-v1.x flags say), as kube-apiserver's default --tls-min-version.
 *
 * Slow and dead clients, as kube-apiserver's http.Server bounds them: the TLS handshake and a request's headers must
 * arrive within 32 s (its ReadHeaderTimeout; node answers a late header with 408 and closes, Go closes silently),
 * and a request body within 60 s (its default --request-timeout; a slower body gets the 504 Timeout Status, then
 * the connection closes). Idle keep-alive connections close after 65 s; a client gone mid-request or mid-body
 * aborts its request and frees what it held.
 */
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../base/logger';
import { StatusError } from '../api/status';
import type { VerifiedClientCertificate } from './authn/types';
import { peerCertificateInfo } from './pki/client-certs';
import { objectJson } from './object-json';
import { MAX_BODY_BYTES } from './registry/core';
import { WatchBudget } from './watch-budget';
import type { ApiRequest, ApiResponse, WatchEventOut } from './request';
import { parseRequestTarget } from './request-target';

export interface HttpsOptions {
  host: string;
  port: number;
  key: string;
  cert: string;
  /** The cluster CA: client certificates it signed authenticate their CN/O (x509). */
  ca?: string;
  logger: Logger;
  /** Bytes a watch may have queued in its socket before it is cut off. */
  watchBufferBytes?: number;
  /** Bytes all watches together may have queued before the one with the most is cut (default 64 MiB). */
  watchBufferTotalBytes?: number;
  /** Time for the TLS handshake and for a request's headers (default 32 s, kube-apiserver's ReadHeaderTimeout). */
  headersTimeoutMs?: number;
  /** Time for a request's body (default 60 s, kube-apiserver's --request-timeout); later: 504 Timeout. */
  bodyTimeoutMs?: number;
}

/** The Status upstream's timeout filter writes when a request outlives --request-timeout. */
export function requestTimeoutError(): StatusError {
  return StatusError.make(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded', {});
}

export interface HttpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * JSON of a Table row, as JSON.stringify writes it: a row is built for this response, so it is written key by key
 * down to `depth` levels, and a frozen part of it (the row's object metadata, the watch cache's) reuses its cached
 * encoding.
 */
function encodeItem(o: object, depth: number): string {
  if (depth === 0 || Object.isFrozen(o) || Array.isArray(o) || typeof (o as { toJSON?: unknown }).toJSON === 'function') return objectJson(o);
  let out = '';
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out += `${out ? ',' : '{'}${JSON.stringify(k)}:${v !== null && typeof v === 'object' ? encodeItem(v, depth - 1) : JSON.stringify(v)}`;
  }
  return out ? `${out}}` : '{}';
}

/**
 * Writes one watch event line in three parts, so the object's encoding (shared by every watcher of the event) is
 * queued by reference rather than copied into one new string per watcher: a watcher that lags holds no copies.
 */
function writeEvent(res: ServerResponse, ev: WatchEventOut): void {
  res.write(`{"type":"${ev.type}","object":`);
  res.write(objectJson(ev.object));
  res.write('}\n');
}

const certs = new WeakMap<TLSSocket, VerifiedClientCertificate | null>();

/** The peer certificate of a connection, only when the TLS layer verified it against the cluster CA (per socket). */
function verifiedCertificate(sock: TLSSocket): VerifiedClientCertificate | undefined {
  let c = certs.get(sock);
  if (c === undefined) {
    c = null;
    if (sock.authorized) {
      const peer = sock.getPeerCertificate();
      if (peer && Object.keys(peer).length) c = peerCertificateInfo(peer);
    }
    certs.set(sock, c);
  }
  return c ?? undefined;
}

export async function serveHttps(handle: (req: ApiRequest) => Promise<ApiResponse>, opts: HttpsOptions): Promise<HttpsServer> {
  const limit = opts.watchBufferBytes ?? 16 * 1024 * 1024;
  const budget = new WatchBudget(limit, Math.max(limit, opts.watchBufferTotalBytes ?? 64 * 1024 * 1024));
  const headersTimeout = opts.headersTimeoutMs ?? 32_000;
  const bodyTimeout = opts.bodyTimeoutMs ?? 60_000;
  // Client certificates are asked for but not required: a verified one (socket.authorized) identifies the caller
  // through the x509 authenticator; bearer tokens work as before.
  const server = https.createServer({ key: opts.key, cert: opts.cert, ca: opts.ca, minVersion: 'TLSv1.2', requestCert: !!opts.ca, rejectUnauthorized: false, keepAlive: true, handshakeTimeout: headersTimeout, connectionsCheckingInterval: Math.min(30_000, Math.max(100, headersTimeout / 8)) }, (req, res) => {
    void onRequest(handle, req, res, budget, bodyTimeout, opts.logger);
  });
  server.keepAliveTimeout = 65_000;
  // Counted from a request's first byte (or the connection's start); idle keep-alive connections are not concerned.
  server.headersTimeout = headersTimeout;
  // A whole request may take long (watches, big lists); only its body is bounded, in readBody.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function onRequest(handle: (req: ApiRequest) => Promise<ApiResponse>, req: IncomingMessage, res: ServerResponse, budget: WatchBudget, bodyTimeout: number, logger: Logger): Promise<void> {
  // The abort signal is made only when a handler asks for it (watches, logs): an AbortController costs ~10 µs, a
  // good part of a small request. Only a client that goes away early aborts it.
  let ac: AbortController | undefined;
  let gone = false;
  const signal = (): AbortSignal => {
    if (!ac) {
      ac = new AbortController();
      if (gone) ac.abort();
    }
    return ac.signal;
  };
  res.on('close', () => {
    if (res.writableFinished) return;
    gone = true;
    ac?.abort();
  });
  let body: Buffer | undefined;
  try {
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    body = hasBody ? await readBody(req, bodyTimeout) : undefined;
    if (!hasBody) req.resume();
  } catch (e) {
    if (e instanceof StatusError) {
      res.setHeader('connection', 'close');
      writeJson(res, e.code, e.status, undefined, false);
      return;
    }
    res.destroy();
    return;
  }
  const url = parseRequestTarget(req.url);
  if (!url) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end('400 Bad Request');
    return;
  }
  // Only set-cookie arrives as an array; no handler reads it, so the header object is passed as it is.
  const headers = req.headers as Record<string, string | undefined>;
  let out: ApiResponse;
  try {
    const clientCertificate = verifiedCertificate(req.socket as TLSSocket);
    out = await handle({ method: req.method ?? 'GET', path: url.path, query: url.query, headers, body, get signal() { return signal(); }, clientCertificate });
  } catch (e) {
    logger.error(`unhandled: ${(e as Error).stack}`);
    out = { status: 500, body: StatusError.internal(e).status };
  }
  if (res.destroyed) return;
  if (out.stream) {
    // A HEAD has no body: the watch never starts (streaming it would hold the connection, whose next request the
    // client sends at once, until the watch times out).
    if (req.method === 'HEAD') return void res.writeHead(out.status, { 'content-type': out.stream.contentType, ...(out.headers ?? {}) }).end();
    return stream(out, res, budget, signal());
  }
  if (out.text !== undefined) {
    res.writeHead(out.status, { 'content-type': 'text/plain; charset=utf-8', ...out.headers, ...warningHeader(out.warnings) });
    res.end(req.method === 'HEAD' ? undefined : out.text);
    return;
  }
  if (out.rawJson !== undefined) {
    res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers, 'content-length': Buffer.byteLength(out.rawJson) });
    res.end(req.method === 'HEAD' ? undefined : out.rawJson);
    return;
  }
  writeJson(res, out.status, out.body, out, req.method === 'HEAD');
}

function warningHeader(w: string[] | undefined): Record<string, string[]> {
  if (!w?.length) return {};
  return { warning: w.map((m) => `299 - ${JSON.stringify(m)}`) };
}

const STREAM_ITEMS = 256;
/**
 * Characters per write of a streamed list. Kept below V8's large-object threshold (128 KiB): a bigger chunk string
 * (and the buffers the HTTP and TLS layers make of it) is a fresh allocation every time, and on these VMs the first
 * touch of fresh memory costs more than encrypting it (a 1 MiB chunk made a 10k-pod list 2x slower); a young-space
 * string reuses warm memory.
 */
const CHUNK_CHARS = 48 * 1024;
/** Characters written before the writer yields to the event loop (other requests and watch events go on). */
const YIELD_CHARS = 1 << 20;

/** A list or Table big enough to be written in slices: its array of items or rows. */
function bigArray(body: unknown): { field: 'items' | 'rows'; list: object[] } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const field of ['items', 'rows'] as const) {
    const list = (body as Record<string, unknown>)[field];
    if (Array.isArray(list) && list.length > STREAM_ITEMS) return { field, list: list as object[] };
  }
  return undefined;
}

/**
 * Writes a large list as chunked JSON, one slice at a time with the event loop free in between (other requests and
 * watch events go on), waiting for the socket to drain. Each item is serialized on its own, so items shared with
 * the watch cache reuse their cached encoding.
 */
export async function writeJsonStreamed(res: ServerResponse, status: number, body: object, big: { field: string; list: object[] }, out: ApiResponse | undefined): Promise<void> {
  const head = objectJson({ ...body, [big.field]: [] });
  const open = head.slice(0, head.lastIndexOf(`"${big.field}":[]`) + big.field.length + 4);
  const close = head.slice(open.length);
  res.writeHead(status, { 'content-type': 'application/json', ...(out?.headers ?? {}), ...warningHeader(out?.warnings) });
  let chunk = open;
  let sinceYield = 0;
  // Table rows are built for this response around the cache's frozen metadata; list items are the cached objects
  // themselves (or, paging from the store, fresh ones that one JSON.stringify writes fastest).
  const rows = big.field === 'rows';
  for (let i = 0; i < big.list.length; i++) {
    const item = rows ? encodeItem(big.list[i], 2) : objectJson(big.list[i]);
    if (chunk.length + item.length >= CHUNK_CHARS && chunk.length) {
      if (res.destroyed) return;
      sinceYield += chunk.length;
      const ok = res.write(chunk);
      chunk = '';
      if (!ok) {
        await drainedOrClosed(res);
        sinceYield = 0;
      } else if (sinceYield >= YIELD_CHARS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sinceYield = 0;
      }
    }
    chunk += (i ? ',' : '') + item;
  }
  res.end(chunk + close);
}

/** Resolves when the response drains or closes, leaving no listener behind (a long list waits many times). */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function writeJson(res: ServerResponse, status: number, body: unknown, out: ApiResponse | undefined, head: boolean): void {
  const big = head ? undefined : bigArray(body);
  if (big) {
    void writeJsonStreamed(res, status, body as object, big, out).catch(() => res.destroy());
    return;
  }
  const text = body === undefined ? '' : typeof body === 'object' && body !== null ? objectJson(body) : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...(out?.headers ?? {}), ...warningHeader(out?.warnings), 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

function stream(out: ApiResponse, res: ServerResponse, budget: WatchBudget, signal: AbortSignal): void {
  const s = out.stream!;
  res.writeHead(out.status, { 'content-type': s.contentType, 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked', ...(out.headers ?? {}) });
  res.flushHeaders();
  let ended = false;
  let corked = false;
  // Cut streams are destroyed, not ended: ending would wait for a client that does not read to take the backlog.
  let cut = false;
  res.on('close', budget.add(res, () => res.destroy()));
  const text = s.contentType.startsWith('text/');
  const stop = s.start({
    write(ev) {
      if (ended || res.destroyed) return false;
      // Events of one tick go out together (one TLS record and syscall instead of one per event).
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(() => {
          corked = false;
          res.uncork();
        });
      }
      if (text) res.write((ev.object as { text: string }).text);
      else writeEvent(res, ev);
      if (!budget.check(res)) cut = true;
      return !cut;
    },
    end() {
      if (ended) return;
      ended = true;
      if (cut || res.writableLength > budget.perWatch) res.destroy();
      else res.end();
    },
  });
  signal.addEventListener('abort', () => stop(), { once: true });
}

/** The body, at most MAX_BODY_BYTES (413 beyond) received within `timeoutMs` (504 later; the rest is discarded). */
function readBody(req: IncomingMessage, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? -1);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(StatusError.tooLarge(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (e: Error) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.resume();
      chunks.length = 0;
      reject(e);
    };
    const timer = setTimeout(() => fail(requestTimeoutError()), timeoutMs);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        fail(StatusError.tooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(chunks.length ? Buffer.concat(chunks) : undefined);
    });
    req.on('error', fail);
    req.on('aborted', () => fail(new Error('aborted')));
  });
}
