/**
 * The userspace proxy part of `npm run bench -- proxy` (called from proxy.bench.ts): traffic through a userspace
 * NodePort on loopback versus a direct connection to the same backend (peer "direct").
 *
 * Layout, as in a real node: the proxy (UserspaceMode, HostPorts, PodNetwork) runs in this process, like kube-proxy;
 * the backends and the load generator run in one child process (`node -e`, driven over IPC), like a pod and a
 * client. A direct run connects the child to itself; a proxied run goes child → this process → child.
 *
 * Lines (bench "proxy"): `userspace_bulk_mb_per_s` (one connection downloading BULK_MB at a time; median of
 * ROUNDS alternating runs of RUN_MS),
 * `userspace_keepalive_requests_per_s` (small HTTP/1.1 keep-alive GETs, CONCURRENCY in flight), `userspace_latency_
 * p50_us`/`_p99_us` (sequential keep-alive GETs), each with the direct figure as peer, and `userspace_added_latency_
 * p50_us`/`_p99_us` (proxied minus direct). Target: bulk throughput ≥ 50 % of direct (ratio ≥ 0.5).
 * Knobs: BENCH_PROXY_RUN_MS (per measurement, default 1000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PodNetwork } from '../../src/addons/cni/pod-network';
import { HostPorts } from '../../src/proxy/userspace/host-ports';
import { UserspaceMode } from '../../src/proxy/userspace/userspace-mode';
import type { ServicePortInfo } from '../../src/proxy/types';
import { emit, freePort, line, median, percentile, progress } from './util';
import { servicePort } from '../helpers/proxy-state';

const BENCH = 'proxy';
const RUN_MS = Number(process.env.BENCH_PROXY_RUN_MS) > 0 ? Number(process.env.BENCH_PROXY_RUN_MS) : 1000;
/** Bulk runs alternate direct and proxied this many times; the medians are reported (the machine's noise is large). */
const ROUNDS = 3;
const BULK_MB = 64;
const CONCURRENCY = 16;
const POD_IP = '10.244.1.5';

/** The child: a bulk sender, an HTTP server, and the load generator for both. */
const CHILD = String.raw`
const net = require('net'), http = require('http');
const chunk = Buffer.alloc(256 * 1024, 120);
const bulk = net.createServer((s) => {
  s.on('error', () => {});
  let left = ${BULK_MB} * 1024 * 1024;
  const pump = () => { while (left > 0) { left -= chunk.length; if (!s.write(chunk)) return void s.once('drain', pump); } s.end(); };
  pump();
});
const web = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 9 }); res.end('web-pod-1'); });
web.keepAliveTimeout = 60000;
const now = () => Number(process.hrtime.bigint()) / 1e3;
function download(port) {
  return new Promise((resolve, reject) => {
    let n = 0; const s = net.connect(port, '127.0.0.1');
    s.on('data', (d) => (n += d.length)); s.on('end', () => resolve(n)); s.on('error', reject);
  });
}
async function bulkRun(port, ms) {
  const t0 = now(); let bytes = 0;
  while (now() - t0 < ms * 1000) bytes += await download(port);
  return { bytes, us: now() - t0 };
}
function get(agent, port) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
  });
}
async function rpsRun(port, ms, conc) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
  const lat = []; let n = 0; const t0 = now(); const end = t0 + ms * 1000;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (now() < end) { const s = now(); await get(agent, port); lat.push(now() - s); n++; }
  }));
  agent.destroy();
  return { n, us: now() - t0, lat };
}
process.on('message', async (m) => {
  try {
    if (m.cmd === 'bulk') process.send({ id: m.id, ...(await bulkRun(m.port, m.ms)) });
    else if (m.cmd === 'rps') process.send({ id: m.id, ...(await rpsRun(m.port, m.ms, m.conc)) });
    else if (m.cmd === 'exit') process.exit(0);
  } catch (e) { process.send({ id: m.id, error: String(e && e.message || e) }); }
});
bulk.listen(0, '127.0.0.1', () => web.listen(0, '127.0.0.1', () => process.send({ ready: true, bulk: bulk.address().port, web: web.address().port })));
`;

interface Ready {
  bulk: number;
  web: number;
}

class Child {
  private seq = 0;
  private readonly proc: ChildProcess;
  readonly ready: Promise<Ready>;

  constructor() {
    this.proc = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('error', reject);
      this.proc.once('message', (m) => resolve(m as Ready));
    });
  }

  ask<T>(msg: Record<string, unknown>): Promise<T> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const on = (m: { id?: number; error?: string }) => {
        if (m.id !== id) return;
        this.proc.off('message', on);
        if (m.error) reject(new Error(m.error));
        else resolve(m as T);
      };
      this.proc.on('message', on);
      this.proc.send({ id, ...msg });
    });
  }

  stop(): void {
    this.proc.kill();
  }
}

const service = (name: string, clusterIP: string, port: number, nodePort: number): ServicePortInfo => servicePort('bench', name, '', { type: 'NodePort', clusterIP, port, nodePort });

export async function benchUserspace(): Promise<void> {
  const child = new Child();
  const network = new PodNetwork();
  const ports = new HostPorts();
  const mode = new UserspaceMode({ nodeName: 'bench', nodeIP: '192.168.49.2', clusterCIDR: '10.244.0.0/16' }, { network, ports });
  try {
    const ready = await child.ready;
    network.attach(POD_IP, 9000, () => ({ host: '127.0.0.1', port: ready.bulk }));
    network.attach(POD_IP, 80, () => ({ host: '127.0.0.1', port: ready.web }));
    const [bulkNP, webNP] = [await freePort(), await freePort()];
    const bulk = service('bulk', '10.96.0.50', 9000, bulkNP);
    const web = service('web', '10.96.0.51', 80, webNP);
    const ep = (port: number) => [{ ip: POD_IP, port, ready: true, serving: true, terminating: false }];
    const stats = await mode.sync({ state: { services: new Map([[bulk.key, bulk], [web.key, web]]), endpoints: new Map([[bulk.key, ep(9000)], [web.key, ep(80)]]) } });
    if (stats.problems.length) throw new Error(`proxy sync: ${stats.problems.join('; ')}`);

    type Bulk = { bytes: number; us: number };
    const mbps = (r: Bulk) => r.bytes / 1024 / 1024 / (r.us / 1e6);
    progress(`proxy: bulk transfer, direct and through userspace NodePort ${bulkNP} in turn (${ROUNDS} rounds of ${RUN_MS} ms each)`);
    await child.ask<Bulk>({ cmd: 'bulk', port: ready.bulk, ms: 200 }); // warm-up
    await child.ask<Bulk>({ cmd: 'bulk', port: bulkNP, ms: 200 });
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      direct.push(mbps(await child.ask<Bulk>({ cmd: 'bulk', port: ready.bulk, ms: RUN_MS })));
      proxied.push(mbps(await child.ask<Bulk>({ cmd: 'bulk', port: bulkNP, ms: RUN_MS })));
    }
    const directBulk = median(direct);
    const proxiedBulk = median(proxied);
    emit(line(BENCH, 'userspace_bulk_mb_per_s', proxiedBulk, 'MB/s', 'higher', { name: 'direct', value: directBulk }));

    type Rps = { n: number; us: number; lat: number[] };
    progress(`proxy: keep-alive HTTP requests (${CONCURRENCY} in flight), direct then through NodePort ${webNP}`);
    await child.ask<Rps>({ cmd: 'rps', port: ready.web, ms: 200, conc: CONCURRENCY });
    const directRps = await child.ask<Rps>({ cmd: 'rps', port: ready.web, ms: RUN_MS, conc: CONCURRENCY });
    await child.ask<Rps>({ cmd: 'rps', port: webNP, ms: 200, conc: CONCURRENCY });
    const proxiedRps = await child.ask<Rps>({ cmd: 'rps', port: webNP, ms: RUN_MS, conc: CONCURRENCY });
    const rate = (r: Rps) => r.n / (r.us / 1e6);
    emit(line(BENCH, 'userspace_keepalive_requests_per_s', rate(proxiedRps), 'req/s', 'higher', { name: 'direct', value: rate(directRps) }));

    progress('proxy: latency of sequential keep-alive requests, direct then proxied');
    const directLat = (await child.ask<Rps>({ cmd: 'rps', port: ready.web, ms: RUN_MS, conc: 1 })).lat;
    const proxiedLat = (await child.ask<Rps>({ cmd: 'rps', port: webNP, ms: RUN_MS, conc: 1 })).lat;
    for (const p of [50, 99]) {
      const d = percentile(directLat, p);
      const u = percentile(proxiedLat, p);
      emit(line(BENCH, `userspace_latency_p${p}_us`, u, 'µs', 'lower', { name: 'direct', value: d }));
      emit(line(BENCH, `userspace_added_latency_p${p}_us`, u - d, 'µs', 'lower'));
    }
    const ratio = proxiedBulk / directBulk;
    progress(`proxy: userspace bulk throughput ${proxiedBulk.toFixed(0)} MB/s = ${(ratio * 100).toFixed(0)} % of direct (target ≥ 50 %)`);
  } finally {
    await mode.dispose();
    await ports.close();
    child.stop();
  }
}
