/**
 * The keys the event correlator groups events by, joined without separators exactly as client-go does:
 * - `eventKey`: an identical event (source, involved object incl. fieldPath, type, reason, message) — dedup;
 * - `spamKey`: the same source and involved object — the spam filter's token bucket;
 * - `aggregateKeyByReason`: events that differ only by message (plus reporting controller/instance) — aggregation,
 *   with the message as the local key; `aggregateMessageByReason` words the combined event.
 */
import type { CoreEvent } from './types';

export function eventKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [
    e.source.component, e.source.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message,
  ].map((s) => s ?? '').join('');
}

export function spamKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].map((s) => s ?? '').join('');
}

/** Returns [aggregateKey, localKey]. */
export type AggregatorKeyFunc = (e: CoreEvent) => [string, string];
export type AggregatorMessageFunc = (e: CoreEvent) => string;

export const aggregateKeyByReason: AggregatorKeyFunc = (e) => {
  const o = e.involvedObject;
  const key = [
    e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance,
  ].map((s) => s ?? '').join('');
  return [key, e.message];
};

export const aggregateMessageByReason: AggregatorMessageFunc = (e) => `(combined from similar events): ${e.message}`;
