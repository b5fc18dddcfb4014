/**
 * What the load and slow/dead-client scenarios share: client-go's default client-side rate limiter (a token bucket,
 * QPS 5 and burst 10, as `rest.Config` gets from `flowcontrol.NewTokenBucketRateLimiter` when QPS/Burst are unset),
 * a cluster started as the README does (`npm start` with free ports and a fresh data directory, always killed and
 * removed afterwards), a once-a-second sampler of the cluster process's RSS and fds, latency summaries, and the
 * memory rule "no growth over the second half" stated once for both scenarios.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCli, type CliProcess } from '../cli-cluster';
import { processStats, type ProcessStats } from './cluster-client';
import { percentile } from '../../bench/util';
import { sleep } from '../wait';

/** client-go's token bucket: `qps` tokens a second, at most `burst` saved; `take()` waits for one. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly qps = 5,
    private readonly burst = 10,
  ) {
    this.tokens = burst;
  }

  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.qps) * 1000));
    }
  }
}

/**
 * Starts the CLI (`--port 0 --dns-port 0 --ingress-port 0 --data-dir <temp>`), runs `body`, always kills and cleans.
 * `nodeArgs` go to Node itself (`--inspect=127.0.0.1:0` for inspector-probe.ts, `--trace-gc` for gc-trace.ts).
 */
export async function withCliCluster<T>(body: (cli: CliProcess) => Promise<T>, o: { configYaml?: string; nodeArgs?: string[] } = {}): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-reliability-'));
  let cli: CliProcess | undefined;
  try {
    const config = o.configYaml === undefined ? [] : ['--config', path.join(dataDir, 'cluster.yaml')];
    if (o.configYaml !== undefined) fs.writeFileSync(config[1], o.configYaml);
    cli = await startCli(['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--data-dir', dataDir, ...config], 120_000, o.nodeArgs ?? []);
    return await body(cli);
  } finally {
    await cli?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface StatSample extends ProcessStats {
  /** Milliseconds since the sampler started. */
  at: number;
}

/** Samples processStats(pid) every `intervalMs` until stopped; a vanished process ends the sampling. */
export class StatsSampler {
  readonly samples: StatSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = performance.now();

  constructor(private readonly pid: number) {}

  start(intervalMs = 1000): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  sample(): StatSample | undefined {
    try {
      const s = { at: performance.now() - this.t0, ...processStats(this.pid) };
      this.samples.push(s);
      return s;
    } catch {
      this.stop();
      return undefined;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(ms: number[]): LatencySummary {
  return { count: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.length ? ms.reduce((a, b) => Math.max(a, b)) : NaN };
}

export interface MemoryVerdict {
  /** Largest RSS of the second quarter of the run, bytes. */
  secondQuarterMax: number;
  /** Largest RSS of the last quarter, bytes. */
  lastQuarterMax: number;
  /** Least-squares slope of RSS over the second half, bytes per second (reported, not judged). */
  secondHalfSlope: number;
  /** The rule held: lastQuarterMax ≤ secondQuarterMax × (1 + tolerance). */
  ok: boolean;
}

/**
 * "No growth over the second half": the largest RSS of the last quarter of the samples is at most the largest of
 * the second quarter times 1.1 (the first quarter is warm-up: caches, JIT, connection setup). A leak proportional
 * to requests grows the maximum every quarter; a heap that breathes with the garbage collector does not.
 */
export function memoryRule(rss: number[], tolerance = 0.1): MemoryVerdict {
  const q = Math.floor(rss.length / 4);
  const secondQuarterMax = Math.max(...rss.slice(q, 2 * q));
  const lastQuarterMax = Math.max(...rss.slice(rss.length - q));
  const half = rss.slice(Math.floor(rss.length / 2));
  return { secondQuarterMax, lastQuarterMax, secondHalfSlope: slope(half), ok: q > 0 && lastQuarterMax <= secondQuarterMax * (1 + tolerance) };
}

/** Least-squares slope of evenly spaced (1 s) samples, per sample. */
export function slope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** Waits until the process's fds are at most `target` (or `timeoutMs` pass); returns the last count. */
export async function settleFds(pid: number, target: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let fds = processStats(pid).fds;
  while (fds > target && Date.now() < deadline) {
    await sleep(250);
    fds = processStats(pid).fds;
  }
  return fds;
}

/** KUBELAB_BENCH_SCALE (default 1): multiplies counts and durations of a bench run (a smoke run uses e.g. 0.1). */
export function benchScale(): number {
  const s = Number(process.env.KUBELAB_BENCH_SCALE ?? '1');
  return Number.isFinite(s) && s > 0 ? s : 1;
}
