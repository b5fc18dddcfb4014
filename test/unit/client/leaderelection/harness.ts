/**
 * Test harness for leader election against the real in-process API server: electors on a FakeClock over a
 * transport that can be made to fail, and a driver that advances the fake clock in small steps, letting every
 * elector's requests finish (until it waits on the clock again) between steps.
 */
import { FakeClock } from '../../../../src/base/clock';
import { memoryLogger, type LogRecord } from '../../../../src/base/logger';
import { LeaderElector, LeaseLock, type LeaderElectionConfig } from '../../../../src/client/leaderelection';
import type { EventRecorder } from '../../../../src/client/events';
import type { RestRequest, RestResponse, Transport, WatchStream } from '../../../../src/client/transport';

/** Wraps a transport; `fail` decides per request whether to answer 500 (or throw) instead. */
export class FlakyTransport implements Transport {
  fail: (req: RestRequest) => 'status' | 'throw' | undefined = () => undefined;
  readonly seen: RestRequest[] = [];
  constructor(private readonly inner: Transport) {}
  request(req: RestRequest): Promise<RestResponse> {
    this.seen.push(req);
    const f = this.fail(req);
    if (f === 'throw') return Promise.reject(new Error('dial tcp 127.0.0.1:6443: connect: connection refused'));
    if (f === 'status') return Promise.resolve({ status: 500, headers: {}, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 } });
    return this.inner.request(req);
  }
  watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    return this.inner.watch(req);
  }
  close(): void {
    this.inner.close();
  }
}

export interface TestElector {
  id: string;
  elector: LeaderElector;
  transport: FlakyTransport;
  started: number;
  stopped: number;
  /** The signal handed to the latest onStartedLeading. */
  signal?: AbortSignal;
  newLeaders: string[];
  logs: LogRecord[];
  done: Promise<void>;
  ended: boolean;
}

export function makeElector(o: {
  id: string;
  transport: Transport;
  clock: FakeClock;
  namespace?: string;
  name: string;
  recorder?: EventRecorder;
  releaseOnCancel?: boolean;
  config?: Partial<LeaderElectionConfig>;
}): TestElector {
  const transport = new FlakyTransport(o.transport);
  const { logger, records } = memoryLogger('debug');
  const t: TestElector = { id: o.id, transport, started: 0, stopped: 0, newLeaders: [], logs: records, elector: undefined as unknown as LeaderElector, done: Promise.resolve(), ended: false };
  t.elector = new LeaderElector({
    lock: new LeaseLock({ transport, namespace: o.namespace ?? 'default', name: o.name, identity: o.id, recorder: o.recorder }),
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    releaseOnCancel: o.releaseOnCancel ?? true,
    clock: o.clock,
    logger,
    random: () => 0,
    callbacks: {
      onStartedLeading: (signal) => {
        t.started++;
        t.signal = signal;
      },
      onStoppedLeading: () => {
        t.stopped++;
      },
      onNewLeader: (id) => t.newLeaders.push(id),
    },
    ...o.config,
  });
  t.done = t.elector.run().then(() => {
    t.ended = true;
  });
  return t;
}

/** Lets every elector finish its requests (until each waits on the clock or has ended). */
export async function settle(electors: readonly TestElector[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.all(electors.map((e) => e.elector.idle()));
    await new Promise((r) => setImmediate(r));
  }
}

/** Advances the clock by `ms` in steps of `step`, settling between steps. */
export async function drive(clock: FakeClock, electors: readonly TestElector[], ms: number, step = 100): Promise<void> {
  await settle(electors);
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle(electors);
  }
}

export const leaders = (es: readonly TestElector[]): string[] => es.filter((e) => !e.ended && e.elector.isLeader()).map((e) => e.id);
