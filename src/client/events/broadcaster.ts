/**
 * EventBroadcaster (client-go `record.NewBroadcaster` + `StartRecordingToSink` + `StartStructuredLogging`): one
 * bounded queue (1000 events; a full queue drops the new event with a log line), drained by a single asynchronous
 * worker that correlates each event (EventCorrelator) and writes it through the sink:
 * - a new event is created; an event the correlator counted again is patched (strategic merge patch), and created
 *   instead when the patch finds no Event (404); the server's answer updates the correlator;
 * - a Status error from the server is final ("Server rejected event (will not retry!)", logged at debug for
 *   AlreadyExists and a terminating namespace); a transport failure is retried up to 12 tries, sleeping 10 s
 *   between them (the first sleep randomised), on the injected clock;
 * - `close()` accepts no more events; what is queued is tried once more each, and a pending retry sleep ends.
 * Each event is also logged at debug level ("Event occurred …") when it is queued.
 */
import { systemClock, type Clock, type TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { Transport } from '../transport';
import { EventCorrelator, type CorrelatorOptions } from './correlator';
import { NanoStamps } from './make-event';
import { RecorderImpl, type EventRecorder, type RecorderHost } from './recorder';
import { isAlreadyExists, isNamespaceTerminating, isNotFound, SinkStatusError, TransportEventSink, type EventSink } from './sink';
import type { CoreEvent, EventSource } from './types';

export const MAX_QUEUED_EVENTS = 1000;
export const MAX_TRIES_PER_EVENT = 12;
export const DEFAULT_SLEEP_MS = 10_000;

export interface BroadcasterOptions {
  /** Where events go: a transport (the core/v1 events API), or a sink directly. */
  transport?: Transport;
  sink?: EventSink;
  logger: Logger;
  clock?: Clock;
  queueLimit?: number;
  correlator?: Omit<CorrelatorOptions, 'clock' | 'stamps'>;
  maxTries?: number;
  sleepMs?: number;
  /** [0, 1), for the randomised first retry sleep. */
  random?: () => number;
  /**
   * Nanoseconds (below one millisecond) added to the stamps in event names, so that a component naming events about
   * the same objects as another in the same millisecond (the kubelet after the scheduler) picks different names.
   */
  stampOffsetNs?: number;
}

function q(s: string | undefined): string {
  return JSON.stringify(s ?? '');
}

export function describeEvent(e: CoreEvent): string {
  const o = e.involvedObject;
  return `event=${q(`${e.metadata.namespace}/${e.metadata.name}`)} object=${q(o.namespace ? `${o.namespace}/${o.name ?? ''}` : o.name)} kind=${q(o.kind)} type=${q(e.type)} reason=${q(e.reason)} message=${q(e.message)} count=${e.count}`;
}

export class EventBroadcaster implements RecorderHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stamps: NanoStamps;
  private readonly sink: EventSink;
  private readonly correlator: EventCorrelator;
  private readonly queue: CoreEvent[] = [];
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private sleeping: { timer: TimerHandle; wake: (slept: boolean) => void } | undefined;

  constructor(private readonly o: BroadcasterOptions) {
    this.clock = o.clock ?? systemClock;
    this.logger = o.logger;
    this.stamps = new NanoStamps(o.stampOffsetNs);
    const sink = o.sink ?? (o.transport ? new TransportEventSink(o.transport) : undefined);
    if (!sink) throw new Error('EventBroadcaster needs a transport or a sink');
    this.sink = sink;
    this.correlator = new EventCorrelator({ ...o.correlator, clock: this.clock, stamps: this.stamps });
  }

  /** A recorder that reports as `source` through this broadcaster (its close() leaves the broadcaster open). */
  newRecorder(source: EventSource): EventRecorder {
    return new RecorderImpl(this, source);
  }

  enqueue(event: CoreEvent): boolean {
    if (this.closed) {
      this.logger.error(`Unable to record event (will not retry!): broadcaster already stopped ${describeEvent(event)}`);
      return false;
    }
    if (this.queue.length >= (this.o.queueLimit ?? MAX_QUEUED_EVENTS)) {
      this.logger.error(`Unable to record event: too many queued events, dropped event ${describeEvent(event)}`);
      return false;
    }
    this.logger.debug(`Event occurred ${describeEvent(event)}`);
    this.queue.push(event);
    if (!this.running) {
      this.running = true;
      void this.run();
    }
    return true;
  }

  flush(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.sleeping) {
      this.clock.clearTimeout(this.sleeping.timer);
      this.sleeping.wake(false);
    }
  }

  private async run(): Promise<void> {
    // Never write inside the caller's event() call.
    await Promise.resolve();
    while (this.queue.length) {
      const event = this.queue.shift()!;
      try {
        await this.recordToSink(event);
      } catch (e) {
        this.logger.error(`Unable to write event (will not retry!): ${e instanceof Error ? e.message : String(e)} ${describeEvent(event)}`);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async recordToSink(input: CoreEvent): Promise<void> {
    const result = this.correlator.correlate(input);
    if (result.skip || !result.event) return;
    const event = result.event;
    const maxTries = this.o.maxTries ?? MAX_TRIES_PER_EVENT;
    for (let tries = 1; ; tries++) {
      if (await this.recordEvent(event, result.patch)) return;
      if (tries >= maxTries) {
        this.logger.error(`Unable to write event (retry limit exceeded!) ${describeEvent(event)}`);
        return;
      }
      const sleepMs = this.o.sleepMs ?? DEFAULT_SLEEP_MS;
      const delay = tries === 1 ? sleepMs * (this.o.random ?? Math.random)() : sleepMs;
      if (!(await this.sleep(delay))) {
        this.logger.error(`Unable to write event (broadcaster is shut down) ${describeEvent(event)}`);
        return;
      }
    }
  }

  /** One attempt; true when written or abandoned, false when worth retrying. */
  private async recordEvent(event: CoreEvent, patch: Record<string, unknown> | undefined): Promise<boolean> {
    const update = event.count > 1;
    let written: CoreEvent | undefined;
    let err: unknown;
    if (update) {
      try {
        written = await this.sink.patch(event, patch ?? {});
      } catch (e) {
        err = e;
      }
    }
    if (!update || isNotFound(err)) {
      err = undefined;
      delete event.metadata.resourceVersion;
      try {
        written = await this.sink.create(event);
      } catch (e) {
        err = e;
      }
    }
    if (err === undefined && written) {
      this.correlator.updateState(written);
      return true;
    }
    const why = err instanceof Error ? err.message : String(err);
    if (err instanceof SinkStatusError) {
      const line = `Server rejected event (will not retry!): ${why} ${describeEvent(event)}`;
      if (isAlreadyExists(err) || isNamespaceTerminating(err)) this.logger.debug(line);
      else this.logger.error(line);
      return true;
    }
    this.logger.error(`Unable to write event (may retry after sleeping): ${why} ${describeEvent(event)}`);
    return false;
  }

  /** Sleeps on the clock; false when close() cut the sleep short (or had already happened). */
  private sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (slept: boolean) => {
        this.sleeping = undefined;
        resolve(slept);
      };
      this.sleeping = { timer: this.clock.setTimeout(() => wake(true), ms), wake };
    });
  }
}

export interface CreateEventRecorderOptions extends BroadcasterOptions {
  source: EventSource;
}

/** A recorder with a broadcaster of its own (closing the recorder closes it). */
export function createEventRecorder(o: CreateEventRecorderOptions): EventRecorder {
  const { source, ...rest } = o;
  return new RecorderImpl(new EventBroadcaster(rest), source, true);
}
