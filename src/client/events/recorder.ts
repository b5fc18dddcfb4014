/**
 * EventRecorder (client-go `record.EventRecorder`): `event`, `eventf` and `annotatedEventf` build a core/v1 Event
 * about an object (or an ObjectReference) on behalf of one source and hand it to a broadcaster's bounded queue.
 * They never block, never throw and never write themselves: a bad object or an unsupported type is logged and
 * dropped, as upstream does. `flush()` waits until everything queued so far is written (or given up on).
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { goSprintf } from './go-sprintf';
import { makeEvent, type NanoStamps } from './make-event';
import { getReference, type EventObject } from './reference';
import { isValidEventType, type CoreEvent, type EventSource, type EventType } from './types';

export interface EventRecorder {
  /** Records an event about `object`; the Event is written asynchronously. */
  event(object: EventObject, type: EventType, reason: string, message: string): void;
  /** Like `event`, with a Go-style format (`%s %d %v %q …`) for the message. */
  eventf(object: EventObject, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void;
  /** Like `eventf`, with annotations on the Event object. */
  annotatedEventf(object: EventObject, annotations: Record<string, string>, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void;
  /** Resolves once every event queued before the call has been written, dropped or given up on. */
  flush(): Promise<void>;
  /** Stops this recorder: later events are dropped with a log line. A recorder that owns its broadcaster closes it. */
  close(): void;
}

/** What a recorder needs from its broadcaster. */
export interface RecorderHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stamps: NanoStamps;
  /** Queues the event; false (with a log line) when it was dropped. Never throws. */
  enqueue(event: CoreEvent): boolean;
  flush(): Promise<void>;
  close(): void;
}

export class RecorderImpl implements EventRecorder {
  private closed = false;

  constructor(
    private readonly host: RecorderHost,
    private readonly source: EventSource,
    /** True: close() closes the host too. */
    private readonly ownsHost = false,
  ) {}

  event(object: EventObject, type: EventType, reason: string, message: string): void {
    this.generate(object, undefined, type, reason, () => message);
  }

  eventf(object: EventObject, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.generate(object, undefined, type, reason, () => goSprintf(messageFmt, ...args));
  }

  annotatedEventf(object: EventObject, annotations: Record<string, string>, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.generate(object, annotations, type, reason, () => goSprintf(messageFmt, ...args));
  }

  flush(): Promise<void> {
    return this.host.flush();
  }

  close(): void {
    this.closed = true;
    if (this.ownsHost) this.host.close();
  }

  private generate(object: EventObject, annotations: Record<string, string> | undefined, type: string, reason: string, message: () => string): void {
    const log = this.host.logger;
    try {
      const text = message();
      const r = getReference(object);
      if ('error' in r) {
        log.error(`Could not construct reference, will not report event: ${r.error} eventType=${JSON.stringify(type)} reason=${JSON.stringify(reason)} message=${JSON.stringify(text)}`);
        return;
      }
      if (!isValidEventType(type)) {
        log.error(`Unsupported event type eventType=${JSON.stringify(type)}`);
        return;
      }
      if (this.closed) {
        log.error(`Unable to record event (will not retry!): recorder is closed reason=${JSON.stringify(reason)}`);
        return;
      }
      const nowMs = this.host.clock.now();
      const event = makeEvent({ ref: r.ref, source: this.source, type, reason, message: text, annotations, nowMs, nowNs: this.host.stamps.next(nowMs) });
      this.host.enqueue(event);
    } catch (e) {
      log.error(`Unable to record event (will not retry!): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
