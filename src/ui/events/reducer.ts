/**
 * The event panel's state and its pure reducer: `reducePanel(state, action)` returns a new state (or the same
 * object when nothing changed) and never mutates its input, so a state can be memoized on identity (filters.ts,
 * timeline.ts) and compared cheaply to decide what to post to the webview.
 *
 * - Events stream in like `kubectl get events --watch`: deduped by uid, keeping the latest occurrence (a later
 *   last-seen time, else a higher count); an event that recurred moves to the end (the newest line); a batch is
 *   appended in last-seen order (so an initial list, which arrives in key order, reads chronologically); at most
 *   `cap` events are kept, the oldest dropped first (and an event older than every one dropped is not taken back
 *   in, so a relist cannot churn the table). Event deletions (their TTL) are not applied: the panel is a
 *   log of what happened, like the watch.
 * - Pods are upserted and deleted by uid; the table is sorted by namespace, then name (as `kubectl get pods -A`).
 * - Deployments and ReplicaSets are kept (metadata only) for the Deployment timeline.
 * - While paused, data actions go to a buffer (compacted: the latest per key, at most `cap` events) that is
 *   applied, in arrival order, on resume.
 */
import type { KubeObject } from '../../api/object';
import type { PanelFilters } from './protocol';
import { DEFAULT_SETTINGS } from './protocol';
import {
  eventRecord,
  isNotOlder,
  objectKey,
  podRecord,
  workloadRecord,
  type EventRecord,
  type PodRecord,
  type WorkloadRecord,
} from './records';

export const DEFAULT_EVENT_CAP = 10_000;

export interface Pending {
  readonly events: ReadonlyMap<string, EventRecord>;
  /** null: deleted. */
  readonly pods: ReadonlyMap<string, PodRecord | null>;
  readonly workloads: ReadonlyMap<string, WorkloadRecord | null>;
}

export interface PanelState {
  readonly cap: number;
  readonly filters: PanelFilters;
  readonly paused: boolean;
  /** In display order, oldest first. */
  readonly events: ReadonlyMap<string, EventRecord>;
  /** What the cap dropped (so that it is not taken back in). */
  readonly evicted: Evicted;
  readonly pods: ReadonlyMap<string, PodRecord>;
  readonly workloads: ReadonlyMap<string, WorkloadRecord>;
  /** Updates received while paused. */
  readonly pending: Pending;
}

/** What the informers feed in. Upserts are added/modified objects (or an initial list); deletes are removed ones. */
export type PanelDataAction =
  | { type: 'events'; upserts: readonly KubeObject[] }
  | { type: 'pods'; upserts?: readonly KubeObject[]; deletes?: readonly KubeObject[] }
  | { type: 'deployments'; upserts?: readonly KubeObject[]; deletes?: readonly KubeObject[] }
  | { type: 'replicaSets'; upserts?: readonly KubeObject[]; deletes?: readonly KubeObject[] }
  /** Forget everything (the cluster was replaced); keeps filters and pause. */
  | { type: 'reset' };

export type PanelAction = PanelDataAction | { type: 'setFilters'; filters: PanelFilters } | { type: 'setPaused'; paused: boolean };

const EMPTY_PENDING: Pending = { events: new Map(), pods: new Map(), workloads: new Map() };

export function initialPanelState(options: { cap?: number; filters?: PanelFilters; paused?: boolean } = {}): PanelState {
  const cap = options.cap ?? DEFAULT_EVENT_CAP;
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`event cap must be a positive integer, got ${cap}`);
  return {
    cap,
    filters: { ...(options.filters ?? DEFAULT_SETTINGS.filters) },
    paused: options.paused ?? false,
    events: new Map(),
    evicted: NONE_EVICTED,
    pods: new Map(),
    workloads: new Map(),
    pending: EMPTY_PENDING,
  };
}

/** The number of buffered updates (distinct events and pod/workload changes) waiting for resume. */
export function bufferedCount(state: PanelState): number {
  return state.pending.events.size + state.pending.pods.size + state.pending.workloads.size;
}

function byLastSeen(a: EventRecord, b: EventRecord): number {
  return (a.lastMs ?? -Infinity) - (b.lastMs ?? -Infinity);
}

/** What the cap dropped: the newest last-seen time (ms) dropped, and the keys dropped at exactly that time. */
export interface Evicted {
  readonly upTo: number;
  readonly keys: ReadonlySet<string>;
}

const NONE_EVICTED: Evicted = { upTo: -Infinity, keys: new Set() };

interface Merged {
  events: ReadonlyMap<string, EventRecord>;
  evicted: Evicted;
}

/**
 * Adds `records` (sorted by last-seen first; the sort is stable) to a copy of `events`, deduped and capped. An event
 * not held that is not newer than the newest one the cap dropped (`evicted`) is ignored — it is older than what was
 * already dropped, or was dropped itself — so a relist of old events cannot push newer ones out.
 */
function mergeEvents(events: ReadonlyMap<string, EventRecord>, records: readonly EventRecord[], cap: number, evicted: Evicted): Merged {
  if (records.length === 0) return { events, evicted };
  const next = new Map(events);
  let changed = false;
  for (const r of [...records].sort(byLastSeen)) {
    const old = next.get(r.key);
    if (old) {
      if (!isNotOlder(r, old)) continue;
      const recurred = r.count !== old.count || r.lastMs !== old.lastMs;
      // A resync of what is shown changes nothing.
      if (!recurred && r.message === old.message && r.type === old.type && r.reason === old.reason) continue;
      // It happened again: move it to the end, as the watch prints a new line. Other edits stay in place.
      if (recurred) next.delete(r.key);
    } else {
      const last = r.lastMs ?? -Infinity;
      if (evicted.upTo !== -Infinity && (last < evicted.upTo || (last === evicted.upTo && evicted.keys.has(r.key)))) continue;
    }
    next.set(r.key, r);
    changed = true;
  }
  if (!changed) return { events, evicted };
  if (next.size <= cap) return { events: next, evicted };
  let upTo = evicted.upTo;
  let keys = new Set(evicted.keys);
  const it = next.values();
  for (let extra = next.size - cap; extra > 0; extra--) {
    const dropped = it.next().value as EventRecord;
    next.delete(dropped.key);
    const last = dropped.lastMs ?? -Infinity;
    if (last > upTo) {
      upTo = last;
      keys = new Set();
    }
    if (last === upTo) keys.add(dropped.key);
  }
  return { events: next, evicted: { upTo, keys } };
}

/** Applies keyed upserts (value) and deletes (null) to a copy of `map`. */
function applyKeyed<T>(map: ReadonlyMap<string, T>, changes: Iterable<[string, T | null]>): ReadonlyMap<string, T> {
  let next: Map<string, T> | undefined;
  for (const [key, value] of changes) {
    if (value === null && !(next ?? map).has(key)) continue;
    next ??= new Map(map);
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return next ?? map;
}

/** The keyed changes of a pods/deployments/replicaSets action, in order (upserts first, then deletes). */
function keyedChanges<T>(
  upserts: readonly KubeObject[] | undefined,
  deletes: readonly KubeObject[] | undefined,
  toRecord: (o: KubeObject) => T,
): [string, T | null][] {
  const out: [string, T | null][] = [];
  for (const o of upserts ?? []) out.push([objectKey(o), toRecord(o)]);
  for (const o of deletes ?? []) out.push([objectKey(o), null]);
  return out;
}

/** Buffers keyed changes while paused: the latest change per key wins and moves to the end. */
function bufferKeyed<T>(map: ReadonlyMap<string, T | null>, changes: [string, T | null][]): ReadonlyMap<string, T | null> {
  if (changes.length === 0) return map;
  const next = new Map(map);
  for (const [k, v] of changes) {
    next.delete(k);
    next.set(k, v);
  }
  return next;
}

function applyData(state: PanelState, action: PanelDataAction): PanelState {
  switch (action.type) {
    case 'events': {
      const records = action.upserts.map(eventRecord);
      if (state.paused) {
        const { events } = mergeEvents(state.pending.events, records, state.cap, NONE_EVICTED);
        return events === state.pending.events ? state : { ...state, pending: { ...state.pending, events } };
      }
      const { events, evicted } = mergeEvents(state.events, records, state.cap, state.evicted);
      return events === state.events ? state : { ...state, events, evicted };
    }
    case 'pods': {
      const changes = keyedChanges(action.upserts, action.deletes, podRecord);
      if (state.paused) {
        const pods = bufferKeyed(state.pending.pods, changes);
        return pods === state.pending.pods ? state : { ...state, pending: { ...state.pending, pods } };
      }
      const pods = applyKeyed(state.pods, changes);
      return pods === state.pods ? state : { ...state, pods };
    }
    case 'deployments':
    case 'replicaSets': {
      const kind = action.type === 'deployments' ? 'Deployment' : 'ReplicaSet';
      const changes = keyedChanges(action.upserts, action.deletes, (o) => workloadRecord(kind, o));
      if (state.paused) {
        const workloads = bufferKeyed(state.pending.workloads, changes);
        return workloads === state.pending.workloads ? state : { ...state, pending: { ...state.pending, workloads } };
      }
      const workloads = applyKeyed(state.workloads, changes);
      return workloads === state.workloads ? state : { ...state, workloads };
    }
    case 'reset':
      return { ...state, events: new Map(), evicted: NONE_EVICTED, pods: new Map(), workloads: new Map(), pending: EMPTY_PENDING };
  }
}

function resume(state: PanelState): PanelState {
  const p = state.pending;
  const { events, evicted } = mergeEvents(state.events, [...p.events.values()], state.cap, state.evicted);
  return {
    ...state,
    paused: false,
    events,
    evicted,
    pods: applyKeyed(state.pods, p.pods),
    workloads: applyKeyed(state.workloads, p.workloads),
    pending: EMPTY_PENDING,
  };
}

function sameFilters(a: PanelFilters, b: PanelFilters): boolean {
  return a.namespace === b.namespace && a.kind === b.kind && a.text === b.text && a.warningsOnly === b.warningsOnly;
}

export function reducePanel(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'setFilters':
      return sameFilters(state.filters, action.filters) ? state : { ...state, filters: { ...action.filters } };
    case 'setPaused':
      if (action.paused === state.paused) return state;
      return action.paused ? { ...state, paused: true } : resume(state);
    default:
      return applyData(state, action);
  }
}

/** Applies several actions in order. */
export function reduceAll(state: PanelState, actions: Iterable<PanelAction>): PanelState {
  let s = state;
  for (const a of actions) s = reducePanel(s, a);
  return s;
}
