/**
 * Misbehaving HTTPS clients for the slow/dead-client scenario, written against raw sockets so each one does exactly
 * one bad thing: a watch that never reads (paused socket), a request cut after its headers or halfway through its
 * body, headers or a body trickled a byte at a time, a TLS connection that sends nothing, a TCP connection that never
 * starts TLS. Held clients report whether the server closed them and the status line it answered, if any.
 */
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { KubeconfigCredentials } from './cluster-client';

export interface Target {
  host: string;
  port: number;
  creds: KubeconfigCredentials;
}

export function targetOf(creds: KubeconfigCredentials): Target {
  const u = new URL(creds.url);
  return { host: u.hostname, port: Number(u.port), creds };
}

/** A connection the scenario holds open; `closedByServer` once the server ended it, `answer` its status line. */
export interface HeldClient {
  kind: string;
  closedByServer: boolean;
  answer?: string;
  /** What the server sent (the first 64 KiB). */
  received: string;
  close(): void;
}

function tlsConnect(t: Target): tls.TLSSocket {
  const s = tls.connect({ host: t.host, port: t.port, ca: t.creds.caCert });
  s.on('error', () => undefined);
  return s;
}

function requestHead(t: Target, method: string, path: string, extra: Record<string, string | number> = {}): string {
  const h = { host: `${t.host}:${t.port}`, authorization: `Bearer ${t.creds.token}`, 'user-agent': 'kubelab-bad-client', ...extra };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(h)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** Tracks a held socket: what the server answered and whether it closed the connection. */
function hold(kind: string, sock: net.Socket, onClose: () => void = () => undefined): HeldClient {
  let byUs = false;
  const c: HeldClient = {
    kind,
    closedByServer: false,
    received: '',
    close: () => {
      byUs = true;
      onClose();
      sock.destroy();
    },
  };
  sock.on('data', (d: Buffer) => {
    if (c.received.length < 65536) c.received += d.toString('latin1');
    const nl = c.received.indexOf('\r\n');
    if (c.answer === undefined && nl >= 0) c.answer = c.received.slice(0, nl);
  });
  sock.on('close', () => {
    onClose();
    if (!byUs) c.closedByServer = true;
  });
  return c;
}

/** A watch whose reader paused right after the response headers: the server's buffer for it fills up. */
export interface StalledWatcher extends HeldClient {
  /** Reads again; true when the stream then ends within `ms` (the server had cut it), false if it is still open. */
  drain(ms: number): Promise<boolean>;
}

export function stalledWatcher(t: Target, path: string): Promise<StalledWatcher> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${t.creds.url}${path}`, { ca: t.creds.caCert, agent: false, headers: { authorization: `Bearer ${t.creds.token}` } }, (res) => {
      // No 'data' listener until drain(): the socket stays paused, so it does not see the server's FIN either.
      res.pause();
      if (res.statusCode !== 200) reject(new Error(`watch ${path}: ${res.statusCode}`));
      let ended = false;
      res.socket.on('close', () => (ended = true));
      res.on('error', () => undefined);
      resolve({
        kind: 'stalled-watcher',
        closedByServer: false,
        answer: `HTTP/1.1 ${res.statusCode}`,
        received: '',
        close: () => req.destroy(),
        drain: async (ms) => {
          res.resume();
          const deadline = Date.now() + ms;
          while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
          return ended;
        },
      });
    });
    req.on('error', () => undefined);
    req.on('error', reject);
  });
}

/** Sends a whole request's headers (and `bodyBytes` of a body `declaredBytes` long), then destroys the socket. */
export function cutRequest(t: Target, method: string, path: string, declaredBytes = 0, bodyBytes = 0): Promise<void> {
  return new Promise((resolve) => {
    const s = tlsConnect(t);
    s.on('close', () => resolve());
    s.on('secureConnect', () => {
      const extra: Record<string, string | number> = declaredBytes ? { 'content-type': 'application/json', 'content-length': declaredBytes } : {};
      s.write(requestHead(t, method, path, extra));
      if (bodyBytes) s.write(Buffer.alloc(bodyBytes, 0x20));
      // Let the bytes leave before the connection dies mid-request.
      setImmediate(() => s.destroy());
    });
  });
}

/** Headers trickled one line every `everyMs`: the request line, then made-up headers, never the blank line. */
export function slowHeaders(t: Target, everyMs: number): HeldClient {
  const s = tlsConnect(t);
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  s.on('secureConnect', () => {
    s.write('GET /api/v1/namespaces HTTP/1.1\r\n');
    timer = setInterval(() => s.writable && s.write(`x-slow-${n++}: y\r\n`), everyMs);
  });
  return hold('slow-headers', s, () => clearInterval(timer));
}

/** A POST whose declared JSON body arrives one byte every `everyMs`. */
export function slowBody(t: Target, path: string, everyMs: number): HeldClient {
  const s = tlsConnect(t);
  let timer: NodeJS.Timeout | undefined;
  s.on('secureConnect', () => {
    s.write(requestHead(t, 'POST', path, { 'content-type': 'application/json', 'content-length': 100_000 }));
    timer = setInterval(() => s.writable && s.write(' '), everyMs);
  });
  return hold('slow-body', s, () => clearInterval(timer));
}

/** A TLS connection that never sends a request. */
export function silentTls(t: Target): HeldClient {
  return hold('silent-tls', tlsConnect(t));
}

/** A TCP connection that never starts the TLS handshake. */
export function silentTcp(t: Target): HeldClient {
  const s = net.connect({ host: t.host, port: t.port });
  s.on('error', () => undefined);
  return hold('silent-tcp', s);
}
