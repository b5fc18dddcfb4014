/**
 * Sends one fuzzed request over HTTPS (node's client, a keep-alive agent) and reads the answer: the whole body, or —
 * for a 2xx without Content-Length (watches, follows) — what arrives in the first 200 ms, then it hangs up.
 *
 * Contract: never rejects; a request with no answer within FUZZ_TIMEOUT_MS (default 20 s) or a dropped connection
 * resolves with `error` (naming whether the socket was reused and after which request, the clue to a wedged
 * keep-alive connection).
 */
import * as https from 'node:https';
import type { FuzzRequest } from './http-arbitraries';
import type { FuzzResponse } from './http-response-check';

const TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 20_000);
/** Bodies a 2xx streams (watches, follow): read this long, then hang up. */
const STREAM_READ_MS = 200;

export interface Sent {
  res?: FuzzResponse;
  error?: string;
}

const lastOnSocket = new WeakMap<object, string>();

export function sendFuzzRequest(agent: https.Agent, port: number, ca: string, r: FuzzRequest): Promise<Sent> {
  const body = r.body?.bytes();
  return new Promise((resolve) => {
    let done = false;
    const finish = (s: Sent) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        resolve(s);
      }
    };
    const stage = { socket: 'none', written: false };
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${TIMEOUT_MS} ms (socket ${stage.socket}, request ${stage.written ? 'written' : 'not written'})` });
      req?.destroy();
    }, TIMEOUT_MS);
    let req: ReturnType<typeof https.request> | undefined;
    try {
      const headers = body && !r.body?.chunked ? { ...r.headers, 'content-length': String(body.length) } : r.headers;
      req = https.request({ host: '127.0.0.1', port, method: r.method, path: r.target, headers, ca, agent });
    } catch (e) {
      finish({ error: `unsendable: ${(e as Error).message}` });
      return;
    }
    req.on('error', (e) => finish({ error: e.message }));
    req.on('socket', (sock) => {
      stage.socket = sock.connecting ? 'connecting' : `reused after ${lastOnSocket.get(sock) ?? '?'}`;
      lastOnSocket.set(sock, `${r.method} ${r.target.slice(0, 150)} ${JSON.stringify(r.headers).slice(0, 300)} ${r.body ? r.body.describe().slice(0, 100) : ''}`);
      if (sock.connecting) sock.once('secureConnect', () => (stage.socket = 'connected'));
    });
    req.on('finish', () => (stage.written = true));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      const streaming = (res.statusCode ?? 0) < 400 && res.headers['content-length'] === undefined;
      let cut: NodeJS.Timeout | undefined;
      const end = (truncated: boolean) => {
        clearTimeout(cut);
        finish({ res: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated } });
      };
      if (streaming)
        cut = setTimeout(() => {
          end(true);
          res.destroy();
        }, STREAM_READ_MS);
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => end(false));
      res.on('error', () => end(true));
      res.on('aborted', () => end(true));
    });
    if (body && r.body?.chunked) {
      req.write(body.subarray(0, body.length >> 1));
      req.end(body.subarray(body.length >> 1));
    } else req.end(body);
  });
}

