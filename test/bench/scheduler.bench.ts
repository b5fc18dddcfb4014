/**
 * `npm run bench -- scheduler`: kube-scheduler's scheduler_perf workloads (see scheduler-workloads.ts) against an
 * in-process cluster — no kubelets, pods are only bound. Per workload and run: a fresh cluster, BENCH_SCHED_NODES
 * (5,000) nodes, the init pods scheduled by a first scheduler (unmeasured, then stopped), the measured pods created
 * with no scheduler running (so the figure is the scheduler's, not the API's create rate), then a fresh scheduler
 * (default profile) timed from its cache sync until every measured pod is bound.
 * The scheduler runs as kube-scheduler is deployed: a process of its own (scheduler-process.ts) that reaches the
 * API server over HTTPS as system:kube-scheduler, so its memory is its own; BENCH_SCHED_INPROCESS=1 runs it in the
 * API server's process instead (one thread for both; what BENCH_SCHED_PROFILE_DIR then profiles).
 * Emits per workload `<name>_pods_per_s` (median of BENCH_SCHED_RUNS runs, default 3), `<name>_scheduler_heap_mb`
 * (the scheduler's heap after GC once idle; in process: growth since it started), `<name>_scheduler_peak_rss_mb`
 * (the scheduler process), `<name>_apiserver_peak_rss_mb` (API server, store, the bench's own informer) and
 * `<name>_api_create_pods_per_s`; overall `scheduler_peak_rss_mb` and `apiserver_peak_rss_mb`.
 * Targets on 2 cores: SchedulingBasic ≥ 1,000, NodeAffinity ≥ 300, PodAntiAffinity ≥ 100, PodAffinity ≥ 60 pods/s;
 * ≤ 500 MB RSS (the scheduler with its 5,000-node cache). Knobs: BENCH_SCHED_NODES, BENCH_SCHED_POD_SCALE (0..1,
 * default 1), BENCH_SCHED_RUNS, BENCH_SCHED_WORKLOADS (comma-separated names), BENCH_SCHED_TIMEOUT_S (per phase,
 * default 600), BENCH_SCHED_PROFILE_DIR (a CPU profile of each measured phase — of the scheduler process, or of
 * the one process — summarized on stderr), BENCH_SCHED_ALLOC_PROFILE_DIR (an allocation profile of the scheduler
 * process, collected objects included).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../../src/base/logger';
import { SharedInformerFactory } from '../../src/client/informers';
import { ApiClient, R } from '../../src/controllers/framework';
import { startScheduler, type RunningScheduler } from '../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { schedulerToken, SchedulerProcess } from './scheduler-remote';
import { PhaseProfiler } from './cluster-profile';
import { emit, line, median, progress, RssSampler, runConcurrent } from './util';
import { nodeDefault, workloads, type Workload } from './scheduler-workloads';

const BENCH = 'scheduler';
const env = (k: string, d: number) => (Number(process.env[k]) > 0 ? Number(process.env[k]) : d);
const NODES = Math.floor(env('BENCH_SCHED_NODES', 5000));
const POD_SCALE = Math.min(1, env('BENCH_SCHED_POD_SCALE', 1));
const RUNS = Math.floor(env('BENCH_SCHED_RUNS', 3));
const TIMEOUT_MS = env('BENCH_SCHED_TIMEOUT_S', 600) * 1000;
const ONLY = (process.env.BENCH_SCHED_WORKLOADS ?? '').split(',').filter(Boolean);
const IN_PROCESS = process.env.BENCH_SCHED_INPROCESS === '1';
const TARGETS: Record<string, number> = { SchedulingBasic: 1000, NodeAffinity: 300, PodAntiAffinity: 100, PodAffinity: 60 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function waitFor(what: string, done: () => boolean, count: () => number, total: number): Promise<void> {
  const t0 = performance.now();
  let last = t0;
  while (!done()) {
    await sleep(5);
    const now = performance.now();
    if (now - last > 5000) {
      last = now;
      progress(`  ${what}: ${count()}/${total} after ${((now - t0) / 1000).toFixed(1)} s`);
    }
    if (now - t0 > TIMEOUT_MS) throw new Error(`${what}: only ${count()}/${total} after ${TIMEOUT_MS / 1000} s`);
  }
}

/** Heap in use after a full GC (bytes). */
function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** A scheduler under test: in this process (profiling) or a process of its own (the default). */
interface BenchScheduler {
  /** Resolves once its informers have synced. */
  start(): Promise<void>;
  /** Waits until idle; its heap after GC and peak RSS (process mode) in bytes. */
  report(): Promise<{ heap: number; peakRss?: number }>;
  stop(): Promise<void>;
}

function inProcessScheduler(tc: TestCluster): BenchScheduler {
  let sched: RunningScheduler | undefined;
  let heap0 = 0;
  return {
    async start() {
      heap0 = heapAfterGc();
      sched = await startScheduler({ handle: (req) => tc.cluster.handle(req), logger: silentLogger });
    },
    async report() {
      await sched?.idle();
      return { heap: heapAfterGc() - heap0 };
    },
    async stop() {
      await sched?.close();
      sched = undefined;
    },
  };
}

function remoteScheduler(tc: TestCluster, token: string): BenchScheduler {
  let p: SchedulerProcess | undefined;
  return {
    async start() {
      p = new SchedulerProcess({ url: tc.cluster.url, caCert: tc.cluster.caCert, token, dataDir: tc.dir });
      await p.ready();
    },
    async report() {
      const m = await p!.report();
      progress(`  scheduler process: ${((100 * m.cpuMs) / m.wallMs).toFixed(0)} % of a core from its cache sync until idle (CPU ${Math.round(m.cpuMs)} ms)`);
      return { heap: m.heapMb * 2 ** 20, peakRss: m.peakRssMb * 2 ** 20 };
    },
    async stop() {
      await p?.stop();
      p = undefined;
    },
  };
}

interface RunResult {
  podsPerS: number;
  createPerS: number;
  schedulerHeap: number;
  schedulerPeakRss: number | undefined;
}

async function runOnce(w: Workload, rss: RssSampler): Promise<RunResult> {
  const tc = await startTestCluster();
  const informers = new SharedInformerFactory({ transport: tc.inProcess(), logger: silentLogger });
  const token = IN_PROCESS ? '' : await schedulerToken(tc.dir);
  const newScheduler = () => (IN_PROCESS ? inProcessScheduler(tc) : remoteScheduler(tc, token));
  let sched: BenchScheduler | undefined;
  try {
    const admin = new ApiClient(tc.inProcess());
    for (const ns of w.namespaces) await admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await runConcurrent(NODES, 32, (i) => admin.create(R.nodes, '', nodeDefault(i, w.zones)));
    rss.sample();
    const bound = new Map<string, number>();
    const seen = new Set<string>();
    const pods = informers.informerFor(R.pods);
    pods.addEventHandler({
      onAdd: (p) => count(p),
      onUpdate: (_o, p) => count(p),
    });
    function count(p: { metadata?: { namespace?: string; uid?: string }; spec?: unknown }): void {
      const uid = String(p.metadata?.uid ?? '');
      if (!(p.spec as { nodeName?: string } | undefined)?.nodeName || seen.has(uid)) return;
      seen.add(uid);
      const ns = String(p.metadata?.namespace ?? '');
      bound.set(ns, (bound.get(ns) ?? 0) + 1);
    }
    informers.start();
    await informers.waitForCacheSync();
    let base = 0;
    if (w.init) {
      // Init pods are scheduled by a first scheduler (unmeasured), which is then stopped.
      const init = w.init;
      sched = newScheduler();
      await sched.start();
      await runConcurrent(init.count, 32, (i) => admin.create(R.pods, init.namespace, init.template(i)));
      await waitFor('init pods bound', () => (bound.get(init.namespace) ?? 0) >= init.count, () => bound.get(init.namespace) ?? 0, init.count);
      await sched.stop();
      sched = undefined;
      if (init.namespace === w.measure.namespace) base = init.count;
    }
    // The measured pods are created while no scheduler runs (so the timing is the scheduler's alone, not the API
    // server's create rate), then a fresh scheduler is timed from its cache sync until all are bound.
    const m = w.measure;
    const c0 = performance.now();
    await runConcurrent(m.count, 32, (i) => admin.create(R.pods, m.namespace, m.template(base + i)));
    const createPerS = m.count / ((performance.now() - c0) / 1000);
    rss.sample();
    const profiler = new PhaseProfiler(process.env.BENCH_SCHED_PROFILE_DIR);
    sched = newScheduler();
    await sched.start();
    await profiler.start(`scheduler-${w.name}`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const got = () => (bound.get(m.namespace) ?? 0) - base;
    await waitFor('measured pods bound', () => got() >= m.count, got, m.count);
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await profiler.stop();
    const mem = await sched.report();
    rss.sample();
    progress(`  created at ${createPerS.toFixed(0)} pods/s; all bound ${secs.toFixed(1)} s after the scheduler's cache sync; the API server's process used ${((cpu.user + cpu.system) / 10 / secs / 1000).toFixed(0)} % of a core meanwhile`);
    return { podsPerS: m.count / secs, createPerS, schedulerHeap: mem.heap, schedulerPeakRss: mem.peakRss };
  } finally {
    await sched?.stop();
    informers.stop();
    await tc.stop();
  }
}

export async function run(): Promise<void> {
  const overall = new RssSampler();
  overall.start(200);
  let schedPeak = 0;
  for (const w of workloads(NODES, POD_SCALE)) {
    if (ONLY.length && !ONLY.includes(w.name)) continue;
    const rss = new RssSampler();
    rss.start(200);
    const rates: number[] = [];
    const heaps: number[] = [];
    const creates: number[] = [];
    let wPeak = 0;
    for (let r = 0; r < RUNS; r++) {
      progress(`${w.name}: run ${r + 1}/${RUNS}: ${NODES} nodes, ${w.init?.count ?? 0} init pods, ${w.measure.count} measured pods`);
      const res = await runOnce(w, rss);
      rates.push(res.podsPerS);
      heaps.push(res.schedulerHeap);
      creates.push(res.createPerS);
      wPeak = Math.max(wPeak, res.schedulerPeakRss ?? 0);
      const mem = res.schedulerPeakRss === undefined ? '' : `, scheduler process peak RSS ${(res.schedulerPeakRss / 2 ** 20).toFixed(0)} MB`;
      progress(`${w.name}: run ${r + 1}: ${res.podsPerS.toFixed(1)} pods/s, scheduler heap ${(res.schedulerHeap / 2 ** 20).toFixed(0)} MB${mem}`);
    }
    rss.stop();
    schedPeak = Math.max(schedPeak, wPeak);
    const med = median(rates);
    emit(line(BENCH, `${w.name}_pods_per_s`, med, 'pods/s', 'higher'));
    emit(line(BENCH, `${w.name}_${IN_PROCESS ? 'peak_rss_mb' : 'apiserver_peak_rss_mb'}`, rss.peak / 2 ** 20, 'MB', 'lower'));
    if (!IN_PROCESS) emit(line(BENCH, `${w.name}_scheduler_peak_rss_mb`, wPeak / 2 ** 20, 'MB', 'lower'));
    emit(line(BENCH, `${w.name}_scheduler_heap_mb`, median(heaps) / 2 ** 20, 'MB', 'lower'));
    emit(line(BENCH, `${w.name}_api_create_pods_per_s`, median(creates), 'pods/s', 'higher'));
    const target = TARGETS[w.name];
    progress(`${w.name}: median ${med.toFixed(1)} pods/s${target ? ` (target ≥ ${target}: ${med >= target ? 'met' : 'MISSED'})` : ''}, peak RSS ${(rss.peak / 2 ** 20).toFixed(0)} MB`);
  }
  overall.stop();
  if (IN_PROCESS) {
    emit(line(BENCH, 'peak_rss_mb', overall.peak / 2 ** 20, 'MB', 'lower'));
    progress(`peak RSS ${(overall.peak / 2 ** 20).toFixed(0)} MB (whole process: API server, store and scheduler)`);
  } else {
    emit(line(BENCH, 'scheduler_peak_rss_mb', schedPeak / 2 ** 20, 'MB', 'lower'));
    emit(line(BENCH, 'apiserver_peak_rss_mb', overall.peak / 2 ** 20, 'MB', 'lower'));
    progress(`scheduler process peak RSS ${(schedPeak / 2 ** 20).toFixed(0)} MB (target ≤ 500 MB: ${schedPeak / 2 ** 20 <= 500 ? 'met' : 'MISSED'}); API server process ${(overall.peak / 2 ** 20).toFixed(0)} MB`);
  }
}
