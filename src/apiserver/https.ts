/**
 * The HTTPS binding of the handler chain: reads bodies up to 3 MiB (413 beyond), turns requests into ApiRequests,
 * writes JSON / text responses with `Warning` headers, and streams watches as chunked JSON lines. An event object
 * shared by many watchers is serialized once. A watcher whose socket buffer grows past the limit is cut off, so a
 * slow client never slows the server or other clients. TLS 1.2 is the oldest protocol version accepted (whatever
 * node's --tls-min-v1.x flags say), as kube-apiserver's default --tls-min-version.
 */
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../base/logger';
import { StatusError } from '../api/status';
import type { VerifiedClientCertificate } from './authn/types';
import { peerCertificateInfo } from './pki/client-certs';
import { MAX_BODY_BYTES } from './registry/core';
import type { ApiRequest, ApiResponse, WatchEventOut } from './request';

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
}

export interface HttpsServer {
  readonly port: number;
  close(): Promise<void>;
}

const encoded = new WeakMap<object, string>();

function encodeObject(o: object): string {
  let s = encoded.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    if (Object.isFrozen(o)) encoded.set(o, s);
  }
  return s;
}

export function encodeEvent(ev: WatchEventOut): string {
  return `{"type":"${ev.type}","object":${encodeObject(ev.object)}}\n`;
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
  // Client certificates are asked for but not required: a verified one (socket.authorized) identifies the caller
  // through the x509 authenticator; bearer tokens work as before.
  const server = https.createServer({ key: opts.key, cert: opts.cert, ca: opts.ca, minVersion: 'TLSv1.2', requestCert: !!opts.ca, rejectUnauthorized: false, keepAlive: true }, (req, res) => {
    void onRequest(handle, req, res, limit, opts.logger);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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

async function onRequest(handle: (req: ApiRequest) => Promise<ApiResponse>, req: IncomingMessage, res: ServerResponse, limit: number, logger: Logger): Promise<void> {
  const ac = new AbortController();
  // Only a client that goes away early aborts (building the abort reason costs on every request otherwise).
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  let body: Buffer | undefined;
  try {
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    body = hasBody ? await readBody(req) : undefined;
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
  const url = new URL(req.url ?? '/', 'https://localhost');
  // Only set-cookie arrives as an array; no handler reads it, so the header object is passed as it is.
  const headers = req.headers as Record<string, string | undefined>;
  let out: ApiResponse;
  try {
    const clientCertificate = verifiedCertificate(req.socket as TLSSocket);
    out = await handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body, signal: ac.signal, clientCertificate });
  } catch (e) {
    logger.error(`unhandled: ${(e as Error).stack}`);
    out = { status: 500, body: StatusError.internal(e).status };
  }
  if (res.destroyed) return;
  if (out.stream) return stream(out, res, limit, ac.signal);
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
const CHUNK_BYTES = 1 << 20;

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
async function writeJsonStreamed(res: ServerResponse, status: number, body: object, big: { field: string; list: object[] }, out: ApiResponse | undefined): Promise<void> {
  const head = encodeObject({ ...body, [big.field]: [] });
  const open = head.slice(0, head.lastIndexOf(`"${big.field}":[]`) + big.field.length + 4);
  const close = head.slice(open.length);
  res.writeHead(status, { 'content-type': 'application/json', ...(out?.headers ?? {}), ...warningHeader(out?.warnings) });
  let chunk = open;
  for (let i = 0; i < big.list.length; i++) {
    chunk += (i ? ',' : '') + encodeObject(big.list[i]);
    if (chunk.length >= CHUNK_BYTES) {
      if (res.destroyed) return;
      const ok = res.write(chunk);
      chunk = '';
      if (!ok) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  res.end(chunk + close);
}

function writeJson(res: ServerResponse, status: number, body: unknown, out: ApiResponse | undefined, head: boolean): void {
  const big = head ? undefined : bigArray(body);
  if (big) {
    void writeJsonStreamed(res, status, body as object, big, out).catch(() => res.destroy());
    return;
  }
  const text = body === undefined ? '' : typeof body === 'object' && body !== null ? encodeObject(body) : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...(out?.headers ?? {}), ...warningHeader(out?.warnings), 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

function stream(out: ApiResponse, res: ServerResponse, limit: number, signal: AbortSignal): void {
  const s = out.stream!;
  res.writeHead(out.status, { 'content-type': s.contentType, 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked', ...(out.headers ?? {}) });
  res.flushHeaders();
  let ended = false;
  let corked = false;
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
      res.write(text ? (ev.object as { text: string }).text : encodeEvent(ev));
      return res.writableLength <= limit;
    },
    end() {
      if (ended) return;
      ended = true;
      if (res.writableLength > limit) res.destroy();
      else res.end();
    },
  });
  signal.addEventListener('abort', () => stop(), { once: true });
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? -1);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(StatusError.tooLarge(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(StatusError.tooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}
