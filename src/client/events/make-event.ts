/**
 * Building a new core/v1 Event as client-go's recorder `makeEvent` does: name `<involvedObject.name>.<%x of the
 * timestamp in nanoseconds>`, namespace = the object's or `default` for cluster-scoped objects, count 1,
 * firstTimestamp = lastTimestamp = now, eventTime null, reportingComponent = source.component and
 * reportingInstance = source.host.
 *
 * Our clock has millisecond resolution, so `NanoStamps` hands out nanosecond stamps that are unique and increasing
 * per recorder: `ms × 10⁶ + offset`, or one more than the previous stamp when the millisecond repeats (Go's real
 * nanoseconds make same-name collisions practically impossible; ours would collide within one millisecond
 * otherwise). Two recorders naming events about the same object in the same millisecond (the scheduler's Scheduled
 * and the kubelet's Pulling) would still collide, so a broadcaster can be given a sub-millisecond offset.
 */
import type { CoreEvent, EventSource, ObjectReference } from './types';

/** metav1.Time as JSON: RFC 3339 in UTC with whole seconds. */
export function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class NanoStamps {
  private last = -1n;
  private readonly offset: bigint;

  /** `offsetNs`: added to every stamp, below one millisecond (0 by default). */
  constructor(offsetNs = 0) {
    this.offset = BigInt(Math.min(999_999, Math.max(0, Math.floor(offsetNs))));
  }

  /** A nanosecond stamp for the time `ms`, strictly greater than every stamp handed out before. */
  next(ms: number): bigint {
    let ns = BigInt(Math.floor(ms)) * 1_000_000n + this.offset;
    if (ns <= this.last) ns = this.last + 1n;
    this.last = ns;
    return ns;
  }
}

/** `fmt.Sprintf("%v.%x", name, unixNano)`. */
export function eventName(objectName: string | undefined, ns: bigint): string {
  return `${objectName ?? ''}.${ns.toString(16)}`;
}

export interface MakeEventInput {
  ref: ObjectReference;
  source: EventSource;
  type: string;
  reason: string;
  message: string;
  annotations?: Record<string, string>;
  /** Milliseconds since the epoch, and the unique nanosecond stamp for the name. */
  nowMs: number;
  nowNs: bigint;
}

export function makeEvent(i: MakeEventInput): CoreEvent {
  const t = metaTime(i.nowMs);
  const source: EventSource = { ...(i.source.component ? { component: i.source.component } : {}), ...(i.source.host ? { host: i.source.host } : {}) };
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: {
      name: eventName(i.ref.name, i.nowNs),
      namespace: i.ref.namespace || 'default',
      ...(i.annotations && Object.keys(i.annotations).length ? { annotations: { ...i.annotations } } : {}),
    },
    involvedObject: { ...i.ref },
    reason: i.reason,
    message: i.message,
    source,
    firstTimestamp: t,
    lastTimestamp: t,
    count: 1,
    type: i.type,
    eventTime: null,
    reportingComponent: i.source.component ?? '',
    reportingInstance: i.source.host ?? '',
  };
}
