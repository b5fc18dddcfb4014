/**
 * A watch-only Transport over raw HTTPS that does not decode events, for measuring the server's delivery rather than
 * the client's JSON work: 100 watchers each parsing every event would saturate the load process (on a 2-core machine
 * its decoding dominated the measured latency). Each complete JSON line (the server's watch framing) becomes an event
 * carrying only its type and the benchmark's sequence annotation, both found by string search. `request` is not
 * offered. Same wire as HttpsTransport: bearer token, the cluster CA, one keep-alive socket per watch.
 */
import * as https from 'node:https';
import { EventQueue } from '../../src/client/event-queue';
import { queryString, type RestRequest, type RestResponse, type Transport, type WatchEvent, type WatchStream } from '../../src/client/transport';
import { SEQ } from './apiserver-workloads';

const SEQ_FIELD = `${JSON.stringify(SEQ)}:"`;
const TYPE = /^\{"type":"([A-Z]+)"/;

/** The event in line s[from, to): its type, and the sequence annotation when the line has one. */
export function lineEvent(s: string, from: number, to: number): WatchEvent {
  const type = (TYPE.exec(s.slice(from, from + 32))?.[1] ?? 'ERROR') as WatchEvent['type'];
  const at = s.indexOf(SEQ_FIELD, from);
  const annotations: Record<string, string> = {};
  if (at >= 0 && at < to) {
    const start = at + SEQ_FIELD.length;
    annotations[SEQ] = s.slice(start, s.indexOf('"', start));
  }
  return { type, object: { metadata: { annotations } } };
}

export class LineWatchTransport implements Transport {
  private readonly agent: https.Agent;
  private readonly stops = new Set<() => void>();

  constructor(private readonly o: { url: string; caCert: string; token: string; maxSockets: number }) {
    this.agent = new https.Agent({ keepAlive: true, ca: o.caCert, maxSockets: o.maxSockets });
  }

  request(): Promise<RestResponse> {
    return Promise.reject(new Error('LineWatchTransport only opens watches'));
  }

  watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    return new Promise((resolve, reject) => {
      const u = new URL(req.path + queryString({ ...req.query, watch: 'true' }), this.o.url);
      const headers = { authorization: `Bearer ${this.o.token}`, accept: 'application/json', 'user-agent': 'kubelab-bench-line-watch' };
      const r = https.request(u, { method: 'GET', headers, agent: this.agent }, (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          return;
        }
        const stop = (): void => {
          this.stops.delete(stop);
          r.destroy();
          queue.end();
        };
        const queue = new EventQueue(Number.MAX_SAFE_INTEGER, stop);
        this.stops.add(stop);
        let buf = '';
        res.on('data', (c: string) => {
          buf += c;
          let from = 0;
          let nl: number;
          while ((nl = buf.indexOf('\n', from)) >= 0) {
            if (nl > from) queue.push(lineEvent(buf, from, nl));
            from = nl + 1;
          }
          if (from) buf = buf.slice(from);
        });
        res.on('end', () => queue.end());
        res.on('error', () => queue.end());
        resolve({ events: queue, stop });
      });
      r.on('error', reject);
      r.end();
    });
  }

  close(): void {
    for (const s of [...this.stops]) s();
    this.agent.destroy();
  }
}
