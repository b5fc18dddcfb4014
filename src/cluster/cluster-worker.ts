/**
 * ClusterWorker: the owner's side of a cluster running in a worker thread (what the VS Code extension host uses, so
 * the cluster never blocks its event loop). `start` resolves once the cluster serves (or rejects with the reason it
 * could not start, e.g. the data directory's holder); `connect(token)` opens a message-port transport for a client
 * identity; `status()` and the node commands go to the worker; `stop()` stops the cluster cleanly (everything
 * flushed) and ends the thread. Log records and start progress reach the owner through the options' callbacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import type { LogRecord } from '../base/logger';
import { MessagePortTransport } from '../client/message-port-transport';
import type { ClusterStatus } from './main';
import { RegistryClient } from './registry-port';
import type { NodeCommand, OwnerMessage, StartedInfo, WorkerMessage, WorkerStartOptions } from './worker-protocol';

export interface ClusterWorkerOptions extends WorkerStartOptions {
  /** The worker script: dist/cluster-worker.js in the bundle, src/cluster/worker-main.ts under tsx. */
  script: string | URL;
  /** Extra Worker options (execArgv `--import tsx` to run the TypeScript entry). */
  workerOptions?: WorkerOptions;
  onLog?(record: LogRecord): void;
  onProgress?(step: string): void;
  /** The thread ended without being asked to stop (a crash). */
  onExit?(code: number): void;
}

/** A thread that died without stopping leaves its store LOCK (same pid, its thread id): the owner removes it. */
function releaseDeadLock(dataDir: string, threadId: number): void {
  const file = path.join(dataDir, 'etcd', 'LOCK');
  try {
    if (fs.readFileSync(file, 'utf8').trim() === `${process.pid}\n${threadId}`) fs.unlinkSync(file);
  } catch {
    /* no LOCK */
  }
}

export class ClusterWorker {
  private nextId = 1;
  private readonly replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private stopping: Promise<void> | undefined;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly info: StartedInfo,
  ) {}

  static start(o: ClusterWorkerOptions): Promise<ClusterWorker> {
    const worker = new Worker(o.script, o.workerOptions);
    return new Promise<ClusterWorker>((resolve, reject) => {
      let cw: ClusterWorker | undefined;
      worker.on('message', (m: WorkerMessage) => {
        switch (m.t) {
          case 'progress':
            return o.onProgress?.(m.step);
          case 'log':
            return o.onLog?.(m.record);
          case 'started':
            cw = new ClusterWorker(worker, m.info);
            return resolve(cw);
          case 'failed':
            void worker.terminate();
            return reject(new Error(m.message));
          case 'reply':
            return cw?.onReply(m);
          case 'stopped':
            return;
        }
      });
      worker.on('error', (e) => (cw ? o.onLog?.({ level: 'error', component: 'kubelab/worker', message: e.message, time: Date.now() }) : reject(e)));
      worker.on('exit', (code) => {
        if (!cw) return reject(new Error(`the cluster worker exited with code ${code} before the cluster started`));
        cw.exited = true;
        cw.failReplies(new Error('the cluster worker has exited'));
        if (cw.stopping) return;
        releaseDeadLock(o.dataDir, worker.threadId);
        o.onExit?.(code);
      });
      const { script: _s, workerOptions: _w, onLog: _l, onProgress: _p, onExit: _e, ...options } = o;
      worker.postMessage({ t: 'start', options } satisfies OwnerMessage);
    });
  }

  /** A transport to the cluster's API server that authenticates with `token` (the admin token for the UI). */
  connect(token: string, options: { omitManagedFields?: boolean } = {}): MessagePortTransport {
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ t: 'connect', port: port2, token, omitManagedFields: options.omitManagedFields } satisfies OwnerMessage, [port2]);
    return new MessagePortTransport(port1);
  }

  /** The read-only view of the store's /registry keys (the Registry tree's source). */
  registry(): RegistryClient {
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ t: 'registry', port: port2 } satisfies OwnerMessage, [port2]);
    return new RegistryClient(port1);
  }

  status(): Promise<ClusterStatus> {
    return this.ask((id) => ({ t: 'status', id })) as Promise<ClusterStatus>;
  }

  /** Adds (returns the new node's name), removes, stops or starts a node. */
  node(command: NodeCommand): Promise<string | undefined> {
    return this.ask((id) => ({ t: 'node', id, command })) as Promise<string | undefined>;
  }

  get running(): boolean {
    return !this.exited && !this.stopping;
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopping ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ t: 'stop' } satisfies OwnerMessage);
    });
    return this.stopping;
  }

  private ask(make: (id: number) => OwnerMessage): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the cluster worker has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.worker.postMessage(make(id));
    });
  }

  private onReply(m: Extract<WorkerMessage, { t: 'reply' }>): void {
    const r = this.replies.get(m.id);
    this.replies.delete(m.id);
    if (!r) return;
    if (m.ok) r.resolve(m.value);
    else r.reject(new Error(m.error));
  }

  private failReplies(e: Error): void {
    for (const r of this.replies.values()) r.reject(e);
    this.replies.clear();
  }
}
