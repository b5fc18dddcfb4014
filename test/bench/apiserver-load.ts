/**
 * The API server benchmark's load process: HTTPS clients in their own Node process (as kubectl and other clients
 * are), so their TLS and JSON work does not run on the server's event loop. The parent calls `startLoadProcess()`
 * and gets a typed proxy: each method runs in the child (forked with IPC, structured-clone serialization) and
 * resolves to its result. Besides the ApiLoad workloads the child offers `listRaw` (a list timed to its last byte,
 * without parsing) and `stats` (its own peak RSS and CPU time). The child exits when the parent disconnects.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as https from 'node:https';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { HttpsTransport } from '../../src/client/https-transport';
import { LineWatchTransport } from './apiserver-line-watch';
import { ApiLoad, type WatchResult } from './apiserver-workloads';
import { RssSampler } from './util';

export interface Connection {
  url: string;
  caCert: string;
  token: string;
}

export interface RawList {
  times: number[];
  bytes: number;
  /** Items (JSON) or rows (Table) in the last response, parsed after timing. */
  count: number;
  contentType: string;
}

export interface LoadStats {
  peakRssBytes: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

/** What the child offers over HTTPS. */
export class HttpsLoad extends ApiLoad {
  private readonly rss = new RssSampler();
  private readonly agent: https.Agent;

  constructor(private readonly conn: Connection) {
    super(new HttpsTransport({ url: conn.url, caCert: conn.caCert, token: conn.token, maxSockets: 64 }));
    this.agent = new https.Agent({ keepAlive: true, ca: conn.caCert, maxSockets: 1 });
    this.rss.start(50);
  }

  /** GETs `path` `runs` times on one keep-alive connection; each time is request → last byte (no parsing). */
  async listRaw(path: string, accept: string, runs: number): Promise<RawList> {
    let bytes = 0;
    let contentType = '';
    let last: Buffer = Buffer.alloc(0);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      const r = await this.fetch(path, accept);
      times.push(r.lastByteAt - s);
      if (r.status !== 200) throw new Error(`GET ${path} (${accept}): HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
      bytes = r.body.length;
      contentType = r.contentType;
      last = r.body;
    }
    const b = JSON.parse(last.toString('utf8')) as { items?: unknown[]; rows?: unknown[] };
    return { times, bytes, count: (b.items ?? b.rows)?.length ?? -1, contentType };
  }

  /** One GET; `lastByteAt` is when the last byte arrived (before the chunks are joined: client work, not the wire). */
  private fetch(path: string, accept: string): Promise<{ status: number; body: Buffer; contentType: string; lastByteAt: number }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, this.conn.url),
        { method: 'GET', agent: this.agent, headers: { authorization: `Bearer ${this.conn.token}`, accept, 'user-agent': 'kubelab-bench' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const lastByteAt = performance.now();
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? ''), lastByteAt });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * watchDelivery with the watches on their own agent (one socket each), plus the child's event-loop delay and CPU
   * time. `decode`: watchers are HttpsTransports decoding every event (what a KubeLab client pays); otherwise they
   * are LineWatchTransports, which only find each event's line (the server's delivery, with little client work).
   */
  async watchDeliveryHttps(ns: string, watchers: number, rate: number, seconds: number, decode: boolean): Promise<WatchResult & { loop: LoopDelay; cpuMs: number }> {
    const o = { url: this.conn.url, caCert: this.conn.caCert, token: this.conn.token, maxSockets: watchers + 8 };
    const wt = decode ? new HttpsTransport(o) : new LineWatchTransport(o);
    const h = monitorEventLoopDelay({ resolution: 1 });
    const cpu0 = process.cpuUsage();
    h.enable();
    try {
      const r = await this.watchDelivery(ns, watchers, rate, seconds, wt);
      h.disable();
      const cpu = process.cpuUsage(cpu0);
      return { ...r, loop: { p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 }, cpuMs: (cpu.user + cpu.system) / 1000 };
    } finally {
      wt.close();
    }
  }

  stats(): Promise<LoadStats> {
    this.rss.sample();
    const c = process.cpuUsage();
    return Promise.resolve({ peakRssBytes: this.rss.peak, cpuUserMs: c.user / 1000, cpuSystemMs: c.system / 1000 });
  }
}

type Methods<T> = { [K in keyof T as T[K] extends (...a: never[]) => Promise<unknown> ? K : never]: T[K] };
export type LoadProxy = Methods<HttpsLoad> & { close(): Promise<void> };

interface Call {
  id: number;
  method: string;
  args: unknown[];
}
interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Forks this file as the load process, connected to the server at `conn`. */
export async function startLoadProcess(conn: Connection): Promise<LoadProxy> {
  // Bundled, __filename is this benchmark's bundle; under tsx, process.execArgv carries its loader, so the child runs
  // TypeScript too. Its stdout goes to our stderr.
  // The server's young generation at full size from the start (--min-semi-space-size) is not the client's: the
  // watchers' rare, large scavenges held events back (watch p99 after ack 13–23 ms with it, 11–17 ms without, in 3
  // interleaved pairs).
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--min-semi-space-size'));
  const child: ChildProcess = fork(__filename, ['--bench-load-child'], { stdio: ['ignore', 2, 2, 'ipc'], serialization: 'advanced', execArgv });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let exited = false;
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(`load process: ${m.error}`));
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`load process exited (${signal ?? code})`));
    pending.clear();
  });
  const call = (method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('load process has exited'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, method, args } satisfies Call);
    });
  await call('init', [conn]);
  const close = async (): Promise<void> => {
    if (exited) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.disconnect();
    await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
    if (!exited) child.kill();
  };
  return new Proxy({} as LoadProxy, {
    get: (_t, prop) => (prop === 'close' ? close : prop === 'then' ? undefined : (...args: unknown[]) => call(String(prop), args)),
  });
}

function childMain(): void {
  let load: HttpsLoad | undefined;
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: Call) => {
    const reply = (r: Omit<Reply, 'id'>): void => void process.send!({ id: m.id, ...r });
    void (async () => {
      try {
        if (m.method === 'init') {
          load = new HttpsLoad(m.args[0] as Connection);
          return reply({ ok: true });
        }
        const fn = load ? (load as unknown as Record<string, unknown>)[m.method] : undefined;
        if (typeof fn !== 'function') throw new Error(`no method ${m.method}`);
        reply({ ok: true, value: await (fn as (...a: unknown[]) => Promise<unknown>).apply(load, m.args) });
      } catch (e) {
        reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  });
}

if (process.argv.includes('--bench-load-child') && process.send) childMain();
