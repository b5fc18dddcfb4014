/**
 * kube-scheduler's own thread (bundled as dist/scheduler-worker.js; src/cluster/scheduler-thread.ts starts it). As
 * upstream deploys kube-scheduler as a process of its own that reaches the API server as a client, this thread runs
 * the whole scheduler — informers, queue, plugins — on its own event loop (its own CPU core) and reaches the API
 * server only through the MessagePort it is given: every request and watch goes through the server's handler chain
 * as system:kube-scheduler, with RBAC and admission as for any client.
 *
 * workerData: `{ port, config, logLevel }`. Messages to the owner: `{t:'log', record}`, `{t:'started'}`,
 * `{t:'failed', message}`, `{t:'stopped'}`; from the owner: `{t:'stop'}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, type LogRecord } from '../base/logger';
import { MessagePortTransport } from '../client/message-port-transport';
import type { PortLike } from '../client/port-protocol';
import type { SchedulerConfig } from '../scheduler/config/types';
import { startScheduler, type RunningScheduler } from '../scheduler/scheduler';

export interface SchedulerWorkerData {
  port: PortLike;
  config: SchedulerConfig;
  logLevel: LogRecord['level'];
}

export type SchedulerWorkerMessage = { t: 'log'; record: LogRecord } | { t: 'started' } | { t: 'failed'; message: string } | { t: 'stopped' };

const owner = parentPort;
if (!owner) throw new Error('scheduler-worker-main runs only in a worker thread');
const post = (m: SchedulerWorkerMessage) => owner.postMessage(m);
const data = workerData as SchedulerWorkerData;
const logger = createLogger((record) => post({ t: 'log', record }), data.logLevel, 'kube-scheduler');
const transport = new MessagePortTransport(data.port);

let running: RunningScheduler | undefined;
const started = startScheduler({ transport, config: data.config, logger }).then(
  (s) => {
    running = s;
    post({ t: 'started' });
  },
  (e: unknown) => post({ t: 'failed', message: e instanceof Error ? e.message : String(e) }),
);

owner.on('message', (m: { t: string }) => {
  if (m.t !== 'stop') return;
  void (async () => {
    await started;
    await running?.close().catch((e: unknown) => logger.error(`stopping: ${e instanceof Error ? e.message : String(e)}`));
    transport.close();
    post({ t: 'stopped' });
  })();
});
