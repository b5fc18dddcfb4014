/**
 * EventSink: where the recorder writes (client-go's `EventSinkImpl` over the core/v1 events client). Create POSTs
 * `/api/v1/namespaces/<ns>/events`; patch sends a strategic merge patch to `/api/v1/namespaces/<ns>/events/<name>`.
 * A response with a non-2xx status becomes a `SinkStatusError` (the server rejected it: never retried, except that a
 * 404 on a patch falls back to a create); a rejected promise is a transport failure (retried by the broadcaster).
 */
import { isPlainObject } from '../../api/object';
import type { RestResponse, Transport } from '../transport';
import { eventToWire, type CoreEvent } from './types';

export interface EventSink {
  create(event: CoreEvent): Promise<CoreEvent>;
  patch(event: CoreEvent, patch: Record<string, unknown>): Promise<CoreEvent>;
}

/** The server answered with an error Status. */
export class SinkStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly causes: { reason?: string; message?: string; field?: string }[],
    message: string,
  ) {
    super(message);
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof SinkStatusError && e.code === 404;
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof SinkStatusError && e.reason === 'AlreadyExists';
}

/** The API server refuses new objects in a terminating namespace with this cause. */
export function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof SinkStatusError && e.causes.some((c) => c.reason === 'NamespaceTerminating');
}

function eventsPath(ns: string, name?: string): string {
  const base = `/api/v1/namespaces/${encodeURIComponent(ns)}/events`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The server's Event read back into our shape (what the correlator keys and counts by). */
export function eventFromServer(b: Record<string, unknown>): CoreEvent {
  const m = isPlainObject(b.metadata) ? b.metadata : {};
  const src = isPlainObject(b.source) ? b.source : {};
  const ref = isPlainObject(b.involvedObject) ? b.involvedObject : {};
  const involvedObject: CoreEvent['involvedObject'] = {};
  for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const) if (str(ref[k])) involvedObject[k] = str(ref[k]);
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: str(m.name), namespace: str(m.namespace), ...(str(m.resourceVersion) ? { resourceVersion: str(m.resourceVersion) } : {}) },
    involvedObject,
    reason: str(b.reason),
    message: str(b.message),
    source: { ...(str(src.component) ? { component: str(src.component) } : {}), ...(str(src.host) ? { host: str(src.host) } : {}) },
    firstTimestamp: str(b.firstTimestamp),
    lastTimestamp: str(b.lastTimestamp),
    count: typeof b.count === 'number' ? b.count : 0,
    type: str(b.type),
    eventTime: null,
    reportingComponent: str(b.reportingComponent),
    reportingInstance: str(b.reportingInstance),
  };
}

function answer(res: RestResponse): CoreEvent {
  if (res.status >= 200 && res.status < 300 && isPlainObject(res.body)) return eventFromServer(res.body);
  const b = isPlainObject(res.body) ? res.body : {};
  const details = isPlainObject(b.details) ? b.details : {};
  const causes = Array.isArray(details.causes) ? (details.causes.filter(isPlainObject) as SinkStatusError['causes']) : [];
  const message = typeof b.message === 'string' ? b.message : typeof res.body === 'string' ? res.body : `status ${res.status}`;
  throw new SinkStatusError(res.status, str(b.reason), causes, message);
}

export class TransportEventSink implements EventSink {
  constructor(private readonly transport: Transport) {}

  async create(event: CoreEvent): Promise<CoreEvent> {
    const res = await this.transport.request({ method: 'POST', path: eventsPath(event.metadata.namespace), body: eventToWire(event) });
    return answer(res);
  }

  async patch(event: CoreEvent, patch: Record<string, unknown>): Promise<CoreEvent> {
    const res = await this.transport.request({
      method: 'PATCH',
      path: eventsPath(event.metadata.namespace, event.metadata.name),
      body: patch,
      contentType: 'application/strategic-merge-patch+json',
    });
    return answer(res);
  }
}
