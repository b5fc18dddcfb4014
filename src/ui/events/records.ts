/**
 * What the panel keeps per object: the object itself (its row is printed on demand by the API server's Table
 * printers, so ages stay live) plus the few fields the panel needs to order, dedupe, filter and build the timeline,
 * extracted once when the object arrives. Pure: no clock, no I/O; malformed objects never throw.
 *
 * Events are read through both the core/v1 and the events.k8s.io/v1 field names (involvedObject/regarding,
 * message/note, count/series …), like the server's event printer.
 */
import type { KubeObject } from '../../api/object';
import { parseTime } from '../../apiserver/table/age';
import { podPrinter } from '../../apiserver/table/pods';
import type { ObjectRef } from './protocol';

export interface EventRecord {
  /** metadata.uid, else `namespace/name`. */
  key: string;
  obj: KubeObject;
  namespace: string;
  type: string;
  reason: string;
  message: string;
  /** The involved object. */
  ref: ObjectRef;
  involvedUid: string;
  /** First occurrence (firstTimestamp, else eventTime, else the last one), ms; undefined when unknown. */
  firstMs: number | undefined;
  /** Latest occurrence (series.lastObservedTime, lastTimestamp, else the first one), ms. */
  lastMs: number | undefined;
  /** Occurrences (series.count, else count; 0 counts as 1). */
  count: number;
  /** Lower-case text the text filter searches. */
  search: string;
}

export interface PodRecord {
  /** metadata.uid, else `namespace/name`. */
  key: string;
  obj: KubeObject;
  namespace: string;
  name: string;
  uid: string;
  createdMs: number | undefined;
  /** Owning controller (ownerReferences with controller=true, else the first). */
  ownerUid: string;
  ownerName: string;
  /** The STATUS column as the pod printer computes it (it does not depend on the clock). */
  status: string;
  search: string;
}

/** Deployments and ReplicaSets, kept only for the timeline. */
export interface WorkloadRecord {
  key: string;
  kind: 'Deployment' | 'ReplicaSet';
  namespace: string;
  name: string;
  uid: string;
  createdMs: number | undefined;
  ownerUid: string;
  ownerName: string;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);

/** The key an object is stored under: its uid, else `namespace/name`. */
export function objectKey(obj: KubeObject): string {
  const m = obj.metadata;
  return s(m?.uid) || `${s(m?.namespace)}/${s(m?.name)}`;
}

function controllerOwner(obj: KubeObject): { uid: string; name: string } {
  const owners = Array.isArray(obj.metadata?.ownerReferences) ? obj.metadata.ownerReferences : [];
  const owner = owners.find((o) => o?.controller === true) ?? owners[0];
  return { uid: s(owner?.uid), name: s(owner?.name) };
}

export function eventRecord(obj: KubeObject): EventRecord {
  const e = obj as Record<string, unknown>;
  const involved = rec(e.involvedObject ?? e.regarding);
  const series = e.series !== null && typeof e.series === 'object' ? rec(e.series) : undefined;
  const first = parseTime(e.firstTimestamp ?? e.deprecatedFirstTimestamp) ?? parseTime(e.eventTime);
  let last = parseTime(e.lastTimestamp ?? e.deprecatedLastTimestamp) ?? first;
  let count = n(e.count ?? e.deprecatedCount);
  if (series) {
    last = parseTime(series.lastObservedTime) ?? last;
    count = n(series.count);
  }
  if (count === 0) count = 1;
  const source = rec(e.source ?? e.deprecatedSource);
  const ref: ObjectRef = { kind: s(involved.kind), namespace: s(involved.namespace), name: s(involved.name) };
  if (s(involved.apiVersion)) ref.apiVersion = s(involved.apiVersion);
  const namespace = s(obj.metadata?.namespace);
  const type = s(e.type);
  const reason = s(e.reason);
  const message = s(e.message ?? e.note).trim();
  const component = s(source.component) || s(e.reportingController) || s(e.reportingComponent);
  const search = [namespace, type, reason, `${ref.kind.toLowerCase()}/${ref.name}`, s(involved.fieldPath), component, s(source.host), message]
    .join('\n')
    .toLowerCase();
  return {
    key: objectKey(obj),
    obj,
    namespace,
    type,
    reason,
    message,
    ref,
    involvedUid: s(involved.uid),
    firstMs: first ?? last,
    lastMs: last,
    count,
    search,
  };
}

export function podRecord(obj: KubeObject): PodRecord {
  const namespace = s(obj.metadata?.namespace);
  const name = s(obj.metadata?.name);
  // Only the STATUS cell is kept; it never depends on "now" (RESTARTS and AGE do, and are printed on demand).
  const status = String(podPrinter.cells(obj, { nowMs: 0 })[2] ?? '');
  const spec = rec(obj.spec);
  const st = rec(obj.status);
  const owner = controllerOwner(obj);
  return {
    key: objectKey(obj),
    obj,
    namespace,
    name,
    uid: s(obj.metadata?.uid),
    createdMs: parseTime(obj.metadata?.creationTimestamp),
    ownerUid: owner.uid,
    ownerName: owner.name,
    status,
    search: [namespace, name, status, s(spec.nodeName), s(st.podIP)].join('\n').toLowerCase(),
  };
}

/** A Deployment's or ReplicaSet's record (the kind comes from the caller: list items may omit `kind`). */
export function workloadRecord(kind: WorkloadRecord['kind'], obj: KubeObject): WorkloadRecord {
  const owner = controllerOwner(obj);
  return {
    key: objectKey(obj),
    kind,
    namespace: s(obj.metadata?.namespace),
    name: s(obj.metadata?.name),
    uid: s(obj.metadata?.uid),
    createdMs: parseTime(obj.metadata?.creationTimestamp),
    ownerUid: owner.uid,
    ownerName: owner.name,
  };
}

/**
 * True when `incoming` is not older than `stored` (the same event seen again): a later last occurrence wins; at the
 * same time, the higher count wins; equal is accepted (a no-op resync).
 */
export function isNotOlder(incoming: EventRecord, stored: EventRecord): boolean {
  const a = incoming.lastMs ?? -Infinity;
  const b = stored.lastMs ?? -Infinity;
  if (a !== b) return a > b;
  return incoming.count >= stored.count;
}
