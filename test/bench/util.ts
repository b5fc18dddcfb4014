/** Helpers shared by the benchmarks: output lines, percentiles, temp dirs, sampling. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export type Better = 'higher' | 'lower';

export interface Line {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  better: Better;
  peer?: string;
  peerValue?: number;
  /** ours/peer when higher is better, peer/ours when lower is better: > 1 always means we beat the peer. */
  ratio?: number | null;
}

export function round(v: number, digits = 3): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Build a result line; peer fields only when the peer was measured. */
export function line(
  bench: string,
  metric: string,
  value: number,
  unit: string,
  better: Better,
  peer?: { name: string; value: number | undefined },
): Line {
  const l: Line = { bench, metric, value: round(value), unit, better };
  if (peer && peer.value !== undefined && Number.isFinite(peer.value)) {
    l.peer = peer.name;
    l.peerValue = round(peer.value);
    const r = better === 'higher' ? value / peer.value : peer.value / value;
    l.ratio = Number.isFinite(r) ? round(r) : null;
  }
  return l;
}

export function emit(l: Line): void {
  process.stdout.write(`${JSON.stringify(l)}\n`);
}

export function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  const a = Float64Array.from(samples).sort();
  if (a.length === 0) return NaN;
  const idx = Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1));
  return a[idx];
}

export function median(samples: ArrayLike<number>): number {
  return percentile(samples, 50);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kubelab-bench-${prefix}-`));
}

export function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ConcurrentResult {
  elapsedMs: number;
  /** Per-operation latency in ms, indexed by operation number. */
  latencies: Float64Array;
}

/** Run `n` operations keeping `concurrency` in flight (closed loop); records each one's latency. */
export async function runConcurrent(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<ConcurrentResult> {
  const latencies = new Float64Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const s = performance.now();
      await op(i);
      latencies[i] = performance.now() - s;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { elapsedMs: performance.now() - t0, latencies };
}

/** Samples process RSS on a timer (and on demand); `peak` is the largest value seen, in bytes. */
export class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 20): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** A 1 KiB ASCII value whose first characters differ per index. */
export function value1k(i: number, base: string): string {
  const head = `v${i.toString(36)}:`;
  return head + base.slice(head.length);
}

export function randomAscii(len: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < len; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

export function pad(i: number, width = 6): string {
  return i.toString().padStart(width, '0');
}
