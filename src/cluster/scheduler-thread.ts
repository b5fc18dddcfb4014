/**
 * kube-scheduler in a thread of its own (src/cluster/scheduler-worker-main.ts), so that scheduling — Filter and
 * Score over the nodes for every pod, the scheduler's informers — runs on another CPU core than the API server,
 * as upstream's kube-scheduler runs in its own process. The thread reaches the API server through a MessagePort
 * served here by the in-process handler chain as system:kube-scheduler (authorization and admission apply as for
 * any client; objects travel without managedFields, which kube-scheduler drops anyway).
 *
 * A thread that dies without being asked to stop (an uncaught error) is logged and started again after a backoff
 * (1 s, doubling to 1 min, reset after 10 min of running), as the kubelet restarts a crashed kube-scheduler pod.
 * `close()` stops the scheduler cleanly (its watches end, in-flight requests finish) and ends the thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import type { Logger, LogRecord } from '../base/logger';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import type { SchedulerConfig } from '../scheduler/config/types';
import { SCHEDULER_USER } from '../scheduler/scheduler';
import { servePort } from './port-server';
import type { SchedulerWorkerData, SchedulerWorkerMessage } from './scheduler-worker-main';

export interface SchedulerThreadOptions {
  handle(req: ApiRequest): Promise<ApiResponse>;
  config: SchedulerConfig;
  /** kube-scheduler's logger; the thread's records reach it with their components. */
  logger: Logger;
  logLevel?: LogRecord['level'];
}

export interface SchedulerThread {
  close(): Promise<void>;
  /** The thread running now (tests end it to see the restart). */
  readonly worker: Worker | undefined;
  /** Times the thread was started again after dying. */
  readonly restarts: number;
  /** A thread is up and scheduling (false from its death until its replacement has synced and started). */
  readonly healthy: boolean;
}

const BACKOFF_MS = { first: 1000, max: 60_000, resetAfter: 600_000 };
const STOP_TIMEOUT_MS = 10_000;

/** dist/scheduler-worker.js beside the bundle; under tsx the TypeScript entry through tsx's require hook. */
function workerScript(): { script: string; options: WorkerOptions } {
  if (!__filename.endsWith('.ts')) {
    const bundled = path.join(__dirname, 'scheduler-worker.js');
    if (!fs.existsSync(bundled)) throw new Error(`kube-scheduler could not start: ${bundled} is missing`);
    return { script: bundled, options: {} };
  }
  // tsx's hook resolved from here (an eval'd script would resolve it from the working directory).
  const entry = path.join(__dirname, 'scheduler-worker-main.ts');
  return { script: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, options: { eval: true } };
}

/** Re-emits a record from the thread through `logger` (whose component is kube-scheduler's). */
function relay(logger: Logger, r: LogRecord): void {
  const sub = r.component.replace(/^kube-scheduler\/?/, '');
  (sub ? logger.child(sub) : logger)[r.level](r.message);
}

interface Run {
  worker: Worker;
  closePort: () => void;
  startedAt: number;
  stopping: boolean;
  started: boolean;
}

/** Starts the scheduler thread; resolves once its informers have synced and it schedules (rejects if it cannot start). */
export async function startSchedulerThread(o: SchedulerThreadOptions): Promise<SchedulerThread> {
  let run: Run | undefined;
  let closed = false;
  let restarts = 0;
  let backoff = BACKOFF_MS.first;
  let restartTimer: NodeJS.Timeout | undefined;

  const spawn = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const { script, options } = workerScript(); // throws (rejects) when the bundle lacks the script
      const ch = new MessageChannel();
      const closePort = servePort(ch.port1, o.handle, '', 'kube-scheduler', { omitManagedFields: true, user: SCHEDULER_USER });
      const data: SchedulerWorkerData = { port: ch.port2, config: o.config, logLevel: o.logLevel ?? 'info' };
      const worker = new Worker(script, { ...options, workerData: data, transferList: [ch.port2] });
      const r: Run = { worker, closePort, startedAt: Date.now(), stopping: false, started: false };
      run = r;
      let lastError: string | undefined;
      worker.on('message', (m: SchedulerWorkerMessage) => {
        if (m.t === 'log') relay(o.logger, m.record);
        else if (m.t === 'started') {
          r.started = true;
          resolve();
        } else if (m.t === 'failed') {
          lastError = m.message;
          void worker.terminate();
        }
      });
      worker.on('error', (e) => (lastError = e.message.split('\n')[0]));
      worker.on('exit', (code) => {
        closePort();
        if (run === r) run = undefined;
        if (!r.started) return reject(new Error(`kube-scheduler could not start: ${lastError ?? `its thread exited with code ${code}`}`));
        if (r.stopping || closed) return;
        // Died on its own: restart after the backoff, as a crashed static pod is restarted.
        if (Date.now() - r.startedAt > BACKOFF_MS.resetAfter) backoff = BACKOFF_MS.first;
        restartLater(`kube-scheduler's thread exited unexpectedly (code ${code}${lastError ? `: ${lastError}` : ''})`);
      });
    });

  const restartLater = (why: string): void => {
    o.logger.error(`${why}; restarting in ${backoff / 1000} s`);
    const wait = backoff;
    backoff = Math.min(backoff * 2, BACKOFF_MS.max);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (closed) return;
      restarts++;
      spawn().catch((e: unknown) => {
        if (!closed) restartLater(e instanceof Error ? e.message : String(e));
      });
    }, wait);
  };

  await spawn();
  return {
    get worker() {
      return run?.worker;
    },
    get restarts() {
      return restarts;
    },
    get healthy() {
      return !!run?.started;
    },
    async close() {
      closed = true;
      if (restartTimer) clearTimeout(restartTimer);
      const r = run;
      if (!r) return;
      r.stopping = true;
      const exited = new Promise<void>((res) => r.worker.once('exit', () => res()));
      const stopped = new Promise<void>((res) => r.worker.on('message', (m: SchedulerWorkerMessage) => m.t === 'stopped' && res()));
      r.worker.postMessage({ t: 'stop' });
      const timeout = new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), STOP_TIMEOUT_MS).unref());
      if ((await Promise.race([stopped, exited, timeout])) === 'timeout') o.logger.warn(`kube-scheduler did not stop within ${STOP_TIMEOUT_MS / 1000} s; ending its thread`);
      await r.worker.terminate();
      await exited;
      r.closePort();
    },
  };
}
