/**
 * The HTTPS transport: what kubectl does on the wire (bearer token, the cluster CA, JSON bodies, chunked JSON-line
 * watches), with keep-alive connections.
 */
import * as https from 'node:https';
import { EventQueue } from './event-queue';
import { queryString, type RestRequest, type RestResponse, type Transport, type WatchEvent, type WatchStream } from './transport';

export interface HttpsTransportOptions {
  url: string;
  caCert: string;
  token: string;
  userAgent?: string;
  maxSockets?: number;
}

export class HttpsTransport implements Transport {
  private readonly agent: https.Agent;
  private readonly stops = new Set<() => void>();

  constructor(private readonly o: HttpsTransportOptions) {
    this.agent = new https.Agent({ keepAlive: true, ca: o.caCert, maxSockets: o.maxSockets ?? 64 });
  }

  private open(req: RestRequest, onResponse: (res: import('node:http').IncomingMessage) => void, onError: (e: Error) => void) {
    const u = new URL(req.path + queryString(req.query), this.o.url);
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.o.token}`,
      'user-agent': this.o.userAgent ?? 'kubelab-https',
      accept: req.accept ?? 'application/json',
      ...(body !== undefined ? { 'content-type': req.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...(req.headers ?? {}),
    };
    const r = https.request(u, { method: req.method, headers, agent: this.agent }, onResponse);
    r.on('error', onError);
    r.end(body);
    return r;
  }

  request(req: RestRequest): Promise<RestResponse> {
    return new Promise((resolve, reject) => {
      this.open(
        req,
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const json = (res.headers['content-type'] ?? '').includes('json');
            let body: unknown = text;
            if (json && text) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
          res.on('error', reject);
        },
        reject,
      );
    });
  }

  watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    return new Promise((resolve, reject) => {
      const r = this.open(
        { ...req, query: { ...req.query, watch: 'true' } },
        (res) => {
          if (res.statusCode !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const t = Buffer.concat(chunks).toString('utf8');
              let body: unknown = t;
              try {
                body = JSON.parse(t);
              } catch {
                /* text */
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            });
            return;
          }
          const stop = () => {
            this.stops.delete(stop);
            r.destroy();
            queue.end();
          };
          const queue = new EventQueue(Number.MAX_SAFE_INTEGER, stop);
          this.stops.add(stop);
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buf += c;
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              if (line.trim()) queue.push(JSON.parse(line) as WatchEvent);
            }
          });
          res.on('end', () => queue.end());
          res.on('error', () => queue.end());
          resolve({ events: queue, stop });
        },
        reject,
      );
    });
  }

  close(): void {
    for (const s of [...this.stops]) s();
    this.agent.destroy();
  }
}
