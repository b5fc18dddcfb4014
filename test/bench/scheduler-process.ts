/**
 * The scheduler benchmark's kube-scheduler in a process of its own, as kube-scheduler is deployed: it reaches the
 * API server over HTTPS with a static token of user system:kube-scheduler (env KUBELAB_URL, KUBELAB_CA_FILE,
 * KUBELAB_TOKEN), so it is held to that user's RBAC role like any client. Protocol on stdout, one JSON object per
 * line: `{"ready":true}` once its informers have synced (the bench's t0); on the stdin line `report` it waits until
 * idle and answers `{"heapMb","peakRssMb","rssMb"}` (heap after a full GC; RSS sampled every 100 ms since start);
 * on `stop` it closes the scheduler and exits 0. Errors go to stderr and exit 1. BENCH_SCHED_PROFILE_DIR: a CPU
 * profile from ready to report; BENCH_SCHED_ALLOC_PROFILE_DIR: an allocation profile over the same span.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../../src/base/logger';
import { HttpsTransport } from '../../src/client/https-transport';
import { startScheduler } from '../../src/scheduler/scheduler';
import { AllocationProfiler } from './allocation-profile';
import { PhaseProfiler } from './cluster-profile';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 2 ** 20;

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

async function main(): Promise<void> {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  const transport = new HttpsTransport({
    url: need('KUBELAB_URL'),
    caCert: readFileSync(need('KUBELAB_CA_FILE'), 'utf8'),
    token: need('KUBELAB_TOKEN'),
    userAgent: 'kube-scheduler/v1.32.0 (linux/amd64) kubernetes/kubelab',
  });
  const sched = await startScheduler({ transport, logger: silentLogger });
  const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  // BENCH_SCHED_PROFILE_DIR: a CPU profile of this process from ready to report
  const profiler = new PhaseProfiler(process.env.BENCH_SCHED_PROFILE_DIR);
  await profiler.start('scheduler-process');
  const allocations = new AllocationProfiler(process.env.BENCH_SCHED_ALLOC_PROFILE_DIR);
  await allocations.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  say({ ready: true });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'report') {
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - t0;
      await profiler.stop();
      await allocations.stop('scheduler-process');
      await sched.idle();
      gc();
      const rss = process.memoryUsage.rss();
      say({ heapMb: process.memoryUsage().heapUsed / MB, peakRssMb: Math.max(peakRss, rss) / MB, rssMb: rss / MB, cpuMs: (cpu.user + cpu.system) / 1000, wallMs });
    } else if (line === 'stop') break;
  }
  clearInterval(sampler);
  await sched.close();
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`scheduler process: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
