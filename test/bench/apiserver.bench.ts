/**
 * `npm run bench -- apiserver`: KubeLab's API server (embedded sql.js store, startTestCluster()) under load, in
 * process (the handler chain called directly, clients in the server's process) and over HTTPS (clients in a separate
 * load process, apiserver-load.ts, as kubectl would be). No peer is measured, so no line carries peer fields.
 *
 * Measured, each against its target (shown in the stderr progress, not in the JSON):
 *   creates/s with 32 concurrent clients, in process (≥ 5,000/s) and over HTTPS (≥ 2,000/s), realistic Pods;
 *   create and update latency under that load, and their combined p99 ("mutating", ≤ 50 ms);
 *   GET p50/p99 with no other load, over HTTPS and in process;
 *   listing 10,000 pods over HTTPS as JSON and as Table: wall time to the last byte (≤ 200 ms) and size;
 *   watch delivery to 100 watchers over HTTPS while pods are updated at a steady rate: write acknowledged → event
 *   received, p50/p99 (p99 ≤ 20 ms), and events delivered per second. Measured twice: with watchers that only find
 *   each event's line (apiserver-line-watch.ts: the server's delivery) and with HttpsTransport watchers decoding
 *   every event ("_decoding_clients": what KubeLab clients see, load-process CPU included); and in process.
 *   An event that arrives before its write's response counts as 0 ms ("after_ack"); "from_issue" is write sent →
 *   event received;
 *   peak RSS of the server process (the load process's own is in the progress output).
 * The progress output also gives, per phase, the server's event-loop delay, memory, CPU (server vs whole machine:
 * other work on the machine skews every figure), GC pauses, and every pause ≥ 100 ms with the store's state.
 *
 * Environment knobs (defaults are the benchmark):
 *   BENCH_PODS=10000        pods created per transport (the HTTPS ones are the listed ones)
 *   BENCH_CLIENTS=32        concurrent clients for creates and updates
 *   BENCH_UPDATES=5000      updates per transport
 *   BENCH_GETS=2000         sequential gets per transport
 *   BENCH_LIST_RUNS=5       timed lists per form (after one warm-up)
 *   BENCH_WATCHERS=100      watchers;  BENCH_WATCH_PODS=100 pods they see updated
 *   BENCH_WATCH_RATE=100    updates per second;  BENCH_WATCH_SECONDS=10
 *   BENCH_WATCH_IN_PROCESS=1  also measure watch delivery in process (0 to skip)
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { startLoadProcess, type LoadProxy } from './apiserver-load';
import { ApiLoad, type Timed, type WatchResult } from './apiserver-workloads';
import { emit, line, median, percentile, progress, RssSampler, type Better } from './util';

const BENCH = 'apiserver';

function knob(name: string, def: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : def;
}

const PODS = knob('BENCH_PODS', 10_000);
const CLIENTS = knob('BENCH_CLIENTS', 32);
const UPDATES = knob('BENCH_UPDATES', 5_000);
const GETS = knob('BENCH_GETS', 2_000);
const LIST_RUNS = knob('BENCH_LIST_RUNS', 5);
const WATCHERS = knob('BENCH_WATCHERS', 100);
const WATCH_PODS = knob('BENCH_WATCH_PODS', 100);
const WATCH_RATE = knob('BENCH_WATCH_RATE', 100);
const WATCH_SECONDS = knob('BENCH_WATCH_SECONDS', 10);
const WATCH_IN_PROCESS = process.env.BENCH_WATCH_IN_PROCESS !== '0';
const WARMUP = 300;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** 10000 → "10k", 2500 → "2500". */
const k = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

type Results = { metric: string; value: number; unit: string; better: Better }[];

function put(res: Results, metric: string, value: number, unit: string, better: Better): void {
  res.push({ metric, value, unit, better });
}

function verdict(value: number, target: number, better: Better): string {
  const ok = better === 'higher' ? value >= target : value <= target;
  return `${ok ? 'meets' : 'MISSES'} target ${better === 'higher' ? '≥' : '≤'} ${target}`;
}

function report(res: Results, metric: string, value: number, unit: string, better: Better, target?: number): void {
  put(res, metric, value, unit, better);
  progress(`  ${metric} = ${value.toFixed(value < 10 ? 2 : 0)} ${unit}${target !== undefined ? `  (${verdict(value, target, better)} ${unit})` : ''}`);
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

/** Busy and total CPU time of the whole machine so far, in ms (Linux /proc/stat; zeros elsewhere). */
function machineCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = f[3] + (f[4] ?? 0);
    const tick = 10; // USER_HZ = 100 on Linux
    return { busy: (total - idle) * tick, total: total * tick };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** The store's state for the stall log (set once the cluster runs). */
let storeState: () => string = () => '';

/** Runs `fn` with the server's event-loop delay measured; prints it, memory, and who used the CPU meanwhile. */
async function loop<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const t0 = performance.now();
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  // Stalls of 100 ms or more, with the store's state right after (snapshots, sql.js growth) and long GC pauses.
  const stalls: string[] = [];
  let tick = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - tick >= 100) stalls.push(`stall ${(now - tick).toFixed(0)} ms at +${(tick - t0).toFixed(0)} ms (${storeState()})`);
    tick = now;
  }, 5);
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration >= 50) stalls.push(`GC ${e.duration.toFixed(0)} ms at +${(e.startTime - t0).toFixed(0)} ms`);
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  h.enable();
  try {
    return await fn();
  } finally {
    h.disable();
    obs.disconnect();
    clearInterval(timer);
    if (stalls.length) progress(`  ${stalls.length} long pauses: ${stalls.slice(0, 12).join('; ')}${stalls.length > 12 ? ' …' : ''}`);
    const m = process.memoryUsage();
    const mib = (b: number): string => (b / 1048576).toFixed(0);
    progress(
      `  server during ${label}: event loop p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms; ` +
        `after: RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)}/${mib(m.heapTotal)} MiB, external ${mib(m.external)} MiB, array buffers ${mib(m.arrayBuffers)} MiB`,
    );
    const wall = performance.now() - t0;
    const c = process.cpuUsage(cpu0);
    const m1 = machineCpu();
    progress(
      `  CPU during ${label} (cores): server process ${((c.user + c.system) / 1000 / wall).toFixed(2)}, ` +
        `whole machine ${((m1.busy - m0.busy) / wall).toFixed(2)} of ${os.cpus().length} (the rest is the load process and anything else running); ` +
        `server GC: ${gc.count} pauses, ${gc.totalMs.toFixed(0)} ms in all, longest ${gc.maxMs.toFixed(0)} ms`,
    );
  }
}

interface Side {
  name: 'in_process' | 'https';
  load: Pick<ApiLoad, 'createNamespace' | 'createPods' | 'updatePods' | 'getPods' | 'forget'>;
}

async function writesAndGets(side: Side, res: Results): Promise<void> {
  const ns = `bench-${side.name.replace('_', '-')}`;
  const tag = `${side.name}_${CLIENTS}_clients`;
  await side.load.createNamespace(ns);
  await side.load.createNamespace(`${ns}-warm`);
  await side.load.createPods(`${ns}-warm`, 0, WARMUP, CLIENTS);
  await side.load.updatePods(`${ns}-warm`, WARMUP, CLIENTS);
  await side.load.getPods(`${ns}-warm`, WARMUP);

  progress(`${side.name}: ${PODS} pod creates, ${CLIENTS} clients`);
  const c: Timed = await loop('creates', () => side.load.createPods(ns, 0, PODS, CLIENTS));
  report(res, `create_throughput_${tag}`, (PODS / c.elapsedMs) * 1000, 'ops/s', 'higher', side.name === 'https' ? 2000 : 5000);
  report(res, `create_latency_p50_${tag}`, percentile(c.latencies, 50), 'ms', 'lower');
  report(res, `create_latency_p99_${tag}`, percentile(c.latencies, 99), 'ms', 'lower', 50);

  progress(`${side.name}: ${UPDATES} pod updates (PUT), ${CLIENTS} clients`);
  const u = await loop('updates', () => side.load.updatePods(ns, UPDATES, CLIENTS));
  if (u.conflicts) progress(`  ${u.conflicts} conflicts (409) retried`);
  report(res, `update_throughput_${tag}`, (UPDATES / u.elapsedMs) * 1000, 'ops/s', 'higher');
  report(res, `update_latency_p50_${tag}`, percentile(u.latencies, 50), 'ms', 'lower');
  report(res, `update_latency_p99_${tag}`, percentile(u.latencies, 99), 'ms', 'lower', 50);
  report(res, `mutating_latency_p99_${tag}`, percentile(concat(c.latencies, u.latencies), 99), 'ms', 'lower', 50);

  progress(`${side.name}: ${GETS} sequential gets, no other load`);
  const g = await side.load.getPods(ns, GETS);
  report(res, `get_latency_p50_${side.name}`, percentile(g.latencies, 50), 'ms', 'lower');
  report(res, `get_latency_p99_${side.name}`, percentile(g.latencies, 99), 'ms', 'lower');
  await side.load.forget(ns);
  await side.load.forget(`${ns}-warm`);
}

async function lists(load: LoadProxy, inProc: ApiLoad, res: Results): Promise<void> {
  const path = '/api/v1/namespaces/bench-https/pods';
  for (const [form, accept] of [['json', 'application/json'], ['table', TABLE]] as const) {
    progress(`https: list ${PODS} pods as ${form}, ${LIST_RUNS} runs after a warm-up`);
    const r = await loop(`${form} lists`, () => load.listRaw(path, accept, LIST_RUNS + 1));
    if (r.count !== PODS) throw new Error(`list as ${form} returned ${r.count} ${form === 'json' ? 'items' : 'rows'}, expected ${PODS}`);
    const times = r.times.slice(1);
    progress(`  runs (ms): ${times.map((x) => x.toFixed(0)).join(' ')}; content-type ${r.contentType}`);
    report(res, `list_${k(PODS)}_pods_${form}_https`, median(times), 'ms', 'lower', 200);
    report(res, `list_${k(PODS)}_pods_${form}_https_bytes`, r.bytes, 'bytes', 'lower');
    // Diagnostic only: the same list in process (no serialization, no TLS) separates server work from the wire.
    const s = performance.now();
    const ip = await inProc.listPods('bench-https', accept);
    progress(`  in process (diagnostic): ${ip.count} ${form === 'json' ? 'items' : 'rows'} in ${(performance.now() - s).toFixed(0)} ms`);
  }
}

function watchMetrics(r: WatchResult, tag: string, res: Results): void {
  const n = r.writes * r.watchers;
  const afterAck: number[] = [];
  const fromIssue: number[] = [];
  let early = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let w = 0; w < r.writes; w++) {
    first = Math.min(first, r.issued[w]);
    for (let i = 0; i < r.watchers; i++) {
      const at = r.received[w * r.watchers + i];
      if (Number.isNaN(at)) continue;
      last = Math.max(last, at);
      fromIssue.push(at - r.issued[w]);
      afterAck.push(Math.max(0, at - r.acked[w]));
      if (at < r.acked[w]) early++;
    }
  }
  const got = afterAck.length;
  progress(
    `  ${got} of ${n} events received; ${((100 * early) / Math.max(1, got)).toFixed(1)} % before the write's ack; ` +
      `other events ${JSON.stringify(r.otherEvents)}; watches ended early: ${r.endedEarly}`,
  );
  if (got < n) throw new Error(`watch ${tag}: ${n - got} of ${n} events never arrived`);
  report(res, `watch_delivery_after_ack_p50_${tag}`, percentile(afterAck, 50), 'ms', 'lower');
  report(res, `watch_delivery_after_ack_p99_${tag}`, percentile(afterAck, 99), 'ms', 'lower', 20);
  report(res, `watch_delivery_from_issue_p99_${tag}`, percentile(fromIssue, 99), 'ms', 'lower');
  report(res, `watch_events_delivered_per_s_${tag}`, (got / (last - first)) * 1000, 'events/s', 'higher');
}

async function watches(load: LoadProxy, inProc: ApiLoad, res: Results): Promise<void> {
  const plan = `${WATCHERS} watchers, ${WATCH_RATE} updates/s over ${WATCH_PODS} pods for ${WATCH_SECONDS} s`;
  await load.createNamespace('bench-watch');
  await load.createPods('bench-watch', 0, WATCH_PODS, CLIENTS);
  for (const decode of [false, true]) {
    const how = decode ? 'HttpsTransport watchers decoding every event' : 'line watchers (no decoding)';
    progress(`https: watch delivery, ${plan}; ${how}`);
    const r = await loop(`watch delivery (https, ${decode ? 'decoding' : 'lines'})`, () => load.watchDeliveryHttps('bench-watch', WATCHERS, WATCH_RATE, WATCH_SECONDS, decode));
    progress(`  load process during watch: event loop p99 ${r.loop.p99Ms.toFixed(1)} ms, max ${r.loop.maxMs.toFixed(1)} ms, CPU ${(r.cpuMs / 1000).toFixed(1)} s`);
    watchMetrics(r, `${WATCHERS}_watchers_https${decode ? '_decoding_clients' : ''}`, res);
  }
  if (!WATCH_IN_PROCESS) return;
  progress(`in_process: watch delivery, ${plan}`);
  await inProc.createNamespace('bench-watch-ip');
  await inProc.createPods('bench-watch-ip', 0, WATCH_PODS, CLIENTS);
  const ri = await loop('watch delivery (in process)', () => inProc.watchDelivery('bench-watch-ip', WATCHERS, WATCH_RATE, WATCH_SECONDS));
  watchMetrics(ri, `${WATCHERS}_watchers_in_process`, res);
}

export async function run(): Promise<void> {
  const t0 = performance.now();
  const res: Results = [];
  const rss = new RssSampler();
  rss.start();
  let cluster: TestCluster | undefined;
  let load: LoadProxy | undefined;
  let failure: unknown;
  try {
    progress(`load average before the run: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs (other work skews every figure)`);
    progress('starting the cluster (sql.js store + API server + HTTPS)');
    cluster = await startTestCluster();
    const c = cluster.cluster;
    storeState = () => {
      const st = c.status().store;
      return `rev ${st.revision}, WAL ${(st.walBytes / 1048576).toFixed(1)} MiB`;
    };
    const inProc = new ApiLoad(cluster.inProcess());
    load = await startLoadProcess({ url: cluster.cluster.url, caCert: cluster.cluster.caCert, token: cluster.cluster.adminToken });
    progress(`cluster at ${cluster.cluster.url}; HTTPS clients run in load process`);
    await writesAndGets({ name: 'in_process', load: inProc }, res);
    await writesAndGets({ name: 'https', load }, res);
    await lists(load, inProc, res);
    await watches(load, inProc, res);
  } catch (e) {
    failure = e;
    progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    rss.stop();
    if (load) {
      const s = await load.stats().catch(() => undefined);
      if (s) progress(`load process: peak RSS ${(s.peakRssBytes / 1048576).toFixed(0)} MiB, CPU ${((s.cpuUserMs + s.cpuSystemMs) / 1000).toFixed(1)} s`);
      await load.close();
    }
    if (cluster) {
      const st = cluster.cluster.status().store;
      progress(`store: revision ${st.revision}, ${st.keys} keys, WAL ${(st.walBytes / 1048576).toFixed(1)} MiB`);
      await cluster.stop().catch((e: unknown) => progress(`stop failed: ${String(e)}`));
    }
  }
  report(res, 'peak_rss', rss.peak / 1048576, 'MiB', 'lower');
  for (const r of res) emit(line(BENCH, r.metric, r.value, r.unit, r.better));
  progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (failure) throw failure;
}
