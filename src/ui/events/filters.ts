/**
 * The rows each table shows, after the filters: namespace (exact), kind of the involved object (exact, events
 * only), text (case-insensitive substring of the row's columns) and warnings only (type Warning, events only).
 * Events keep the state's order (oldest first); pods are sorted by namespace, then name (`kubectl get pods -A`).
 *
 * Results are memoized on the identity of the state's maps and filters (the reducer never mutates them), so asking
 * again for the same state is free, and a window of rows is a slice.
 */
import type { FilterOptions, PanelFilters } from './protocol';
import type { PanelState } from './reducer';
import type { EventRecord, PodRecord } from './records';

export function eventMatches(r: EventRecord, f: PanelFilters, needle = f.text.trim().toLowerCase()): boolean {
  if (f.warningsOnly && r.type !== 'Warning') return false;
  if (f.namespace !== '' && r.namespace !== f.namespace) return false;
  if (f.kind !== '' && r.ref.kind !== f.kind) return false;
  return needle === '' || r.search.includes(needle);
}

export function podMatches(r: PodRecord, f: PanelFilters, needle = f.text.trim().toLowerCase()): boolean {
  if (f.namespace !== '' && r.namespace !== f.namespace) return false;
  return needle === '' || r.search.includes(needle);
}

interface Memo<T> {
  filters: PanelFilters;
  value: T;
}

const eventsMemo = new WeakMap<PanelState['events'], Memo<EventRecord[]>>();
const podsMemo = new WeakMap<PanelState['pods'], Memo<PodRecord[]>>();
const sortedPodsMemo = new WeakMap<PanelState['pods'], PodRecord[]>();
const optionsMemo = new WeakMap<PanelState['events'], WeakMap<PanelState['pods'], FilterOptions>>();

/** The events the filters let through, oldest first. */
export function filteredEvents(state: PanelState): EventRecord[] {
  const memo = eventsMemo.get(state.events);
  if (memo?.filters === state.filters) return memo.value;
  const f = state.filters;
  const needle = f.text.trim().toLowerCase();
  const value: EventRecord[] = [];
  for (const r of state.events.values()) if (eventMatches(r, f, needle)) value.push(r);
  eventsMemo.set(state.events, { filters: state.filters, value });
  return value;
}

function comparePods(a: PodRecord, b: PodRecord): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** All pods, sorted by namespace then name. */
export function sortedPods(state: PanelState): PodRecord[] {
  let sorted = sortedPodsMemo.get(state.pods);
  if (!sorted) {
    sorted = [...state.pods.values()].sort(comparePods);
    sortedPodsMemo.set(state.pods, sorted);
  }
  return sorted;
}

/** The pods the filters let through, sorted by namespace then name. */
export function filteredPods(state: PanelState): PodRecord[] {
  const memo = podsMemo.get(state.pods);
  if (memo?.filters === state.filters) return memo.value;
  const f = state.filters;
  const needle = f.text.trim().toLowerCase();
  const all = sortedPods(state);
  const value = f.namespace === '' && needle === '' ? all : all.filter((r) => podMatches(r, f, needle));
  podsMemo.set(state.pods, { filters: state.filters, value });
  return value;
}

/** The namespaces (of events and pods) and involved kinds (of events) seen, sorted, for the filter dropdowns. */
export function filterOptions(state: PanelState): FilterOptions {
  let byPods = optionsMemo.get(state.events);
  const hit = byPods?.get(state.pods);
  if (hit) return hit;
  const namespaces = new Set<string>();
  const kinds = new Set<string>();
  for (const e of state.events.values()) {
    if (e.namespace) namespaces.add(e.namespace);
    if (e.ref.kind) kinds.add(e.ref.kind);
  }
  for (const p of state.pods.values()) if (p.namespace) namespaces.add(p.namespace);
  const value: FilterOptions = { namespaces: [...namespaces].sort(), kinds: [...kinds].sort() };
  if (!byPods) {
    byPods = new WeakMap();
    optionsMemo.set(state.events, byPods);
  }
  byPods.set(state.pods, value);
  return value;
}
