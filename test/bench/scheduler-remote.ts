/**
 * The parent side of scheduler-process.ts: adds a static token for system:kube-scheduler to the cluster's token file
 * (picked up within a second), forks the scheduler process with the cluster's URL and CA, and speaks its line
 * protocol: `ready()` resolves once its informers have synced, `report()` once it is idle, with its memory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { tokensFile } from '../../src/apiserver/pki/tokens';

export interface SchedulerMemory {
  heapMb: number;
  peakRssMb: number;
  rssMb: number;
  /** CPU time (user + system, all threads) and wall time from ready to report. */
  cpuMs: number;
  wallMs: number;
}

const USER = 'system:kube-scheduler';

/** Adds the scheduler's token line once per data directory; resolves after the server can have reloaded it. */
export async function schedulerToken(dataDir: string): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  appendFileSync(tokensFile(dataDir), `${token},${USER},${USER},"system:authenticated"\n`);
  await new Promise((r) => setTimeout(r, 1100));
  return token;
}

export class SchedulerProcess {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private wake: (() => void) | undefined;
  private exited: string | undefined;

  constructor(o: { url: string; caCert: string; token: string; dataDir: string }) {
    const caFile = path.join(o.dataDir, 'bench-scheduler-ca.crt');
    writeFileSync(caFile, o.caCert);
    this.child = fork(path.join(__dirname, `scheduler-process${path.extname(__filename)}`), [], {
      stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
      // Node's own heap settings, not the benchmark runner's (young generation and heap growth tuned for the API server).
      execArgv: process.execArgv.filter((a) => !/^--(max|min)-semi-space-size|^--heap-growing-percent/.test(a)),
      env: { ...process.env, KUBELAB_URL: o.url, KUBELAB_CA_FILE: caFile, KUBELAB_TOKEN: o.token },
    });
    createInterface({ input: this.child.stdout! }).on('line', (l) => {
      this.lines.push(l);
      this.wake?.();
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `scheduler process exited (${signal ?? code})`;
      this.wake?.();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async next(): Promise<Record<string, unknown>> {
    for (;;) {
      const l = this.lines.shift();
      if (l !== undefined && l.startsWith('{')) return JSON.parse(l) as Record<string, unknown>;
      if (l !== undefined) continue; // not a protocol line (V8 tracing flags print to stdout)
      if (this.exited) throw new Error(this.exited);
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }

  async ready(): Promise<void> {
    const m = await this.next();
    if (m.ready !== true) throw new Error(`scheduler process: expected ready, got ${JSON.stringify(m)}`);
  }

  async report(): Promise<SchedulerMemory> {
    this.child.stdin!.write('report\n');
    return (await this.next()) as unknown as SchedulerMemory;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin!.write('stop\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await done;
    clearTimeout(timer);
  }
}
