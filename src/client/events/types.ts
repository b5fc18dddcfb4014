/**
 * The core/v1 Event shapes the recorder writes (client-go `tools/record` works on `v1.Event`): the involved object's
 * reference, the source, and the Event itself with its fields in upstream's JSON order. Plain mutable data.
 */

/** The only event types upstream accepts (`util.ValidateEventType`). */
export type EventType = 'Normal' | 'Warning';
export const EVENT_TYPE_NORMAL: EventType = 'Normal';
export const EVENT_TYPE_WARNING: EventType = 'Warning';

export function isValidEventType(t: string): t is EventType {
  return t === EVENT_TYPE_NORMAL || t === EVENT_TYPE_WARNING;
}

/** core/v1 EventSource: the component (and optionally the node) reporting the event. */
export interface EventSource {
  component?: string;
  host?: string;
}

/** core/v1 ObjectReference (every field omitempty). */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventMeta {
  name: string;
  namespace: string;
  resourceVersion?: string;
  annotations?: Record<string, string>;
}

/**
 * core/v1 Event as the recorder builds it. Timestamps are metav1.Time text (RFC 3339, whole seconds, UTC);
 * `eventTime` is always null (a zero MicroTime), and `reportingComponent`/`reportingInstance` are always present
 * (they have no omitempty upstream).
 */
export interface CoreEvent {
  kind: 'Event';
  apiVersion: 'v1';
  metadata: EventMeta;
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: string;
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/**
 * The JSON client-go sends for `e`: fields in upstream's order, with Go's omitempty applied (reason, message, type
 * and a zero count are left out; source, eventTime and the reporting fields are always there).
 */
export function eventToWire(e: CoreEvent): Record<string, unknown> {
  const m: Record<string, unknown> = { name: e.metadata.name, namespace: e.metadata.namespace };
  if (e.metadata.resourceVersion) m.resourceVersion = e.metadata.resourceVersion;
  if (e.metadata.annotations && Object.keys(e.metadata.annotations).length) m.annotations = { ...e.metadata.annotations };
  const src: Record<string, unknown> = {};
  if (e.source.component) src.component = e.source.component;
  if (e.source.host) src.host = e.source.host;
  const ref: Record<string, unknown> = {};
  for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const) if (e.involvedObject[k]) ref[k] = e.involvedObject[k];
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: m,
    involvedObject: ref,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.message ? { message: e.message } : {}),
    source: src,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    ...(e.count ? { count: e.count } : {}),
    ...(e.type ? { type: e.type } : {}),
    eventTime: null,
    reportingComponent: e.reportingComponent,
    reportingInstance: e.reportingInstance,
  };
}

/** A copy that shares nothing with `e` (events are small; nested maps are copied too). */
export function copyEvent(e: CoreEvent): CoreEvent {
  return {
    ...e,
    metadata: { ...e.metadata, ...(e.metadata.annotations ? { annotations: { ...e.metadata.annotations } } : {}) },
    involvedObject: { ...e.involvedObject },
    source: { ...e.source },
  };
}
