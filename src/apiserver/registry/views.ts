/**
 * Resources served in a form other than the stored one. events.k8s.io/v1 Events are stored as core/v1 Events (one
 * storage, as upstream) and converted field by field both ways; autoscaling/v1 HorizontalPodAutoscalers are stored
 * as autoscaling/v2 (hpa-v1.ts); custom resources of a CRD with several versions (conversion strategy None) are
 * served with the requested apiVersion whatever version wrote them. Everything else is served as stored.
 */
import { apiVersionOf, isPlainObject, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { HPA_V1 } from './hpa-v1';

export interface View {
  /** Stored → served (the result may share frozen parts of the input). */
  out(o: Readonly<StoredObject>): object;
  /** Served → stored, for writes. */
  in(o: StoredObject): StoredObject;
  /** Whether `out` is the identity. */
  identity: boolean;
}

const IDENTITY: View = { out: (o) => o, in: (o) => o, identity: true };

export function viewFor(r: ResourceInfo, storageVersion?: string): View {
  if (r.group === 'events.k8s.io') return EVENTS_V1;
  if (r.group === 'autoscaling' && r.version === 'v1' && r.resource === 'horizontalpodautoscalers') return HPA_V1;
  if (r.crd && storageVersion) {
    const served = apiVersionOf(r.group, r.version);
    return {
      identity: false,
      out: (o) => (o.apiVersion === served ? o : Object.freeze({ ...o, apiVersion: served })),
      in: (o) => o,
    };
  }
  return IDENTITY;
}

type Obj = Record<string, unknown>;

const RENAMES: [core: string, v1: string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];
const SAME = ['metadata', 'reason', 'type', 'action', 'related', 'eventTime', 'reportingInstance'];

const EVENTS_V1: View = {
  identity: false,
  out(o) {
    const src = o as Obj;
    const e: Obj = { kind: 'Event', apiVersion: 'events.k8s.io/v1' };
    for (const k of SAME) if (src[k] !== undefined) e[k] = src[k];
    for (const [c, v] of RENAMES) if (src[c] !== undefined && src[c] !== '') e[v] = src[c];
    const series = src.series as Obj | undefined;
    if (isPlainObject(series)) e.series = { count: series.count, lastObservedTime: series.lastObservedTime };
    if (e.eventTime === undefined) e.eventTime = null;
    return e;
  },
  in(o) {
    const src = o as Obj;
    const e: Obj = { kind: 'Event', apiVersion: 'v1' };
    for (const k of SAME) if (src[k] !== undefined) e[k] = src[k];
    for (const [c, v] of RENAMES) if (src[v] !== undefined) e[c] = src[v];
    if (isPlainObject(src.series)) e.series = src.series;
    if (e.involvedObject === undefined) e.involvedObject = {};
    return e as StoredObject;
  },
};
