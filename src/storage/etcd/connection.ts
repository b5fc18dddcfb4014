/**
 * The connection to an etcd cluster: etcd3's connection pool (hosts, TLS, auth) with our own fault handling on top.
 *
 * Contract:
 * - Every attempt of a unary call has a deadline (callTimeout) and requires a leader (a member without one refuses
 *   at once). A call that fails with an error `classify` calls retryable is tried again, with exponential backoff
 *   capped at 250 ms, until retryTimeout has passed; a member that just failed rests for a moment so the next
 *   attempt goes to a surviving member. A call that gives up reports the last error a member sent.
 * - A write whose attempt failed ambiguously (it may have been applied) is not blindly retried: `verify` (when
 *   given) is asked first whether it was applied, and its answer is returned instead.
 * - The highest revision seen in any response header is kept (`knownRevision`).
 * - After close() every call fails with StoreError 'closed'; close waits for calls in flight.
 */
import * as grpc from '@grpc/grpc-js';
import { KVClient, LeaseClient, MaintenanceClient, type IResponseHeader } from 'etcd3';
import { ConnectionPool } from 'etcd3/lib/connection-pool';
import { errors } from '../errors';
import { classify, HostRestingError, toStoreError } from './error-map';
import { int } from './convert';
import type { ResolvedEtcdOptions } from './options';

type Service = 'KV' | 'Lease' | 'Watch' | 'Maintenance';

/**
 * The longest a failed member rests and the longest wait between two attempts of a call. Short, like etcd's own
 * client (which retries every 25 ms): during an election every member answers "no leader" at once, and the first
 * attempt after the new leader is up should not wait long for its turn.
 */
const MAX_WAIT_MS = 250;

/** The wait before retry `n` (0-based): exponential from 20 ms, capped, with jitter so writers do not move in step. */
function pause(n: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(MAX_WAIT_MS, 20 * 2 ** n) * (0.5 + Math.random() / 2)));
}

/** Per-member fault handling: after a retryable failure the member rests (is skipped) for a short while. */
class HostPolicy {
  private failures = 0;
  private restUntil = 0;

  constructor(private readonly host: string) {}

  async execute<T>(fn: (context: unknown) => PromiseLike<T> | T): Promise<T> {
    if (Date.now() < this.restUntil) throw new HostRestingError(this.host);
    try {
      const v = await fn({});
      this.failures = 0;
      return v;
    } catch (e) {
      if (classify(e).retryable) {
        this.failures++;
        this.restUntil = Date.now() + Math.min(MAX_WAIT_MS, 25 * 2 ** this.failures);
      }
      throw e;
    }
  }
}

/**
 * Every unary call carries etcd's "require leader" metadata: a member that has lost its leader answers at once with
 * "etcdserver: no leader" (not applied, retried elsewhere) instead of holding the call until its deadline.
 */
const requireLeader: grpc.Interceptor = (options, nextCall) =>
  new grpc.InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      metadata.set('hasleader', 'true');
      next(metadata, listener);
    },
  });

const passThrough = { execute: <T>(fn: (context: unknown) => PromiseLike<T> | T) => Promise.resolve().then(() => fn({})) };

export interface CallResult<T> {
  res: T;
  /** An earlier attempt failed in a way that may have applied it. */
  ambiguous: boolean;
}

export class EtcdConnection {
  readonly pool: ConnectionPool;
  readonly kv: KVClient;
  readonly lease: LeaseClient;
  readonly maintenance: MaintenanceClient;
  knownRevision = 0;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly options: ResolvedEtcdOptions) {
    this.pool = new ConnectionPool({
      hosts: options.endpoints,
      credentials: options.credentials,
      auth: options.auth,
      dialTimeout: options.dialTimeout,
      grpcOptions: {
        'grpc.max_receive_message_length': options.maxReceiveBytes,
        'grpc.max_send_message_length': 8 * 1024 * 1024,
        // HTTP/2's default 64 KiB window: a watch stream carrying ~1 KiB events fills it within one busy tick of
        // our event loop, etcd then parks the watcher as slow and resends from its 100 ms sync loop (watch p99
        // ~400 ms at 4,000 puts/s on 3 members; ~50 ms with this window).
        'grpc-node.flow_control_window': 4 * 1024 * 1024,
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5000,
        'grpc.keepalive_permit_without_calls': 1,
      },
      faultHandling: {
        host: (host: string) => new HostPolicy(host) as never,
        global: passThrough as never,
      },
    });
    this.kv = new KVClient(this.pool);
    this.lease = new LeaseClient(this.pool);
    this.maintenance = new MaintenanceClient(this.pool);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  noteHeader(header: IResponseHeader | undefined): number {
    const rev = header ? int(header.revision) : 0;
    if (rev > this.knownRevision) this.knownRevision = rev;
    return rev;
  }

  callOptions(): grpc.CallOptions {
    return { deadline: Date.now() + this.options.callTimeout, interceptors: [requireLeader] };
  }

  /**
   * Run one call with deadlines and retries. `verify`, for writes, is asked after an ambiguous failure whether the
   * write was applied; a defined answer ends the call with it.
   */
  async call<T>(attempt: (opts: grpc.CallOptions) => Promise<T>, verify?: () => Promise<T | undefined>): Promise<CallResult<T>> {
    if (this.closed) throw errors.closed();
    const p = this.retrying(attempt, verify);
    this.inFlight.add(p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(p);
    }
  }

  private async retrying<T>(attempt: (opts: grpc.CallOptions) => Promise<T>, verify?: () => Promise<T | undefined>): Promise<CallResult<T>> {
    const started = Date.now();
    let ambiguous = false;
    let cause: unknown;
    for (let n = 0; ; n++) {
      try {
        return { res: await attempt(this.callOptions()), ambiguous };
      } catch (e) {
        const c = classify(e);
        // "resting" only says an earlier attempt failed there: the error to report is that earlier one
        if (!(e instanceof HostRestingError)) cause = e;
        if (!c.retryable || this.closed || Date.now() - started > this.options.retryTimeout) {
          if (this.closed && c.retryable) throw errors.closed();
          throw toStoreError(cause ?? e);
        }
        this.options.logger?.debug(`etcd call failed (attempt ${n + 1}), retrying: ${(e as Error).message}`);
        if (c.ambiguous) ambiguous = true;
        await pause(n);
        if (c.ambiguous && verify) {
          const applied = await this.probe(verify, started);
          if (applied !== undefined) return { res: applied, ambiguous };
        }
      }
    }
  }

  /** Ask `verify` (itself retried on retryable errors) whether an ambiguous write was applied. */
  private async probe<T>(verify: () => Promise<T | undefined>, started: number): Promise<T | undefined> {
    for (let n = 0; ; n++) {
      try {
        return await verify();
      } catch (e) {
        if (!classify(e).retryable || this.closed || Date.now() - started > this.options.retryTimeout) throw toStoreError(e);
        await pause(n);
      }
    }
  }

  /** Open a bidirectional stream on some member (with "require leader" so a partitioned member ends it). */
  openStream<S>(service: Service, method: string): Promise<S> {
    if (this.closed) return Promise.reject(errors.closed());
    return this.pool.withConnection(service, ({ client, metadata }) => {
      const md = metadata.clone();
      md.set('hasleader', 'true');
      const fn = (client as unknown as Record<string, (md: grpc.Metadata, o: grpc.CallOptions) => S>)[method];
      return fn.call(client, md, {});
    });
  }

  /** Stop accepting calls, let the ones in flight finish (bounded), then close every channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = [...this.inFlight].map((p) => p.catch(() => undefined));
    await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, this.options.callTimeout))]);
    this.pool.close();
  }
}
