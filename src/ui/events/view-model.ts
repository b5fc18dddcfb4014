/**
 * What the webview renders, computed on the host: the rows of a window of a table (virtualization: only the rows in
 * view are printed, by the API server's own Table printers, against a given "now" — so LAST SEEN, AGE and
 * "RESTARTS (5s ago)" are live), the window that a scroll position shows, the timeline with offsets, the filter
 * choices and the status line. Pure: "now" is a parameter.
 */
import { humanDuration, since } from '../../apiserver/table/age';
import { eventPrinter } from '../../apiserver/table/events';
import { podPrinter } from '../../apiserver/table/pods';
import { filteredEvents, filteredPods } from './filters';
import { ROW_HEIGHT_PX, type EventRowView, type ObjectRef, type PanelStatus, type PanelTab, type PodRowView, type RowWindow, type TimelineView } from './protocol';
import { bufferedCount, type PanelState } from './reducer';
import type { EventRecord, PodRecord } from './records';
import { deploymentTimeline } from './timeline';

export interface ViewContext {
  /** "Now" in ms since the epoch. */
  nowMs: number;
  /** Names the storage key of an object (for "open registry document"); undefined when unknown. */
  registryKey?: (ref: ObjectRef) => string | undefined;
}

/** The age of a timestamp as kubectl prints it ("5m", "2d3h", "<unknown>" for none, "<invalid>" in the future). */
export function ageText(timestamp: unknown, nowMs: number): string {
  return since(timestamp, nowMs);
}

const str = (c: unknown): string => (typeof c === 'string' ? c : c === null || c === undefined ? '' : String(c));

export function eventRowView(r: EventRecord, ctx: ViewContext): EventRowView {
  // The server's wide cell order: last seen, type, reason, object, subobject, source, message, first seen, count, name.
  const c = eventPrinter.cells(r.obj, { nowMs: ctx.nowMs });
  const row: EventRowView = {
    key: r.key,
    namespace: r.namespace,
    lastSeen: str(c[0]),
    type: str(c[1]),
    reason: str(c[2]),
    object: str(c[3]),
    subobject: str(c[4]),
    source: str(c[5]),
    message: str(c[6]),
    firstSeen: str(c[7]),
    count: typeof c[8] === 'number' ? c[8] : Number(c[8]) || 0,
  };
  if (r.ref.kind !== '' && r.ref.name !== '') {
    const ref: ObjectRef = { ...r.ref };
    row.ref = ref;
    const key = ctx.registryKey?.(ref);
    if (key !== undefined) row.registryKey = key;
  }
  return row;
}

export function podRowView(r: PodRecord, ctx: ViewContext): PodRowView {
  // NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES
  const c = podPrinter.cells(r.obj, { nowMs: ctx.nowMs });
  const ref: ObjectRef = { kind: 'Pod', namespace: r.namespace, name: r.name, apiVersion: 'v1' };
  const row: PodRowView = {
    key: r.key,
    namespace: r.namespace,
    name: str(c[0]),
    ready: str(c[1]),
    status: str(c[2]),
    restarts: str(c[3]),
    age: str(c[4]),
    ip: str(c[5]),
    node: str(c[6]),
    nominatedNode: str(c[7]),
    readinessGates: str(c[8]),
    ref,
  };
  const key = ctx.registryKey?.(ref);
  if (key !== undefined) row.registryKey = key;
  return row;
}

/** Clamps a window request to [0, total]. */
function clampWindow(total: number, firstIndex: number, count: number): { first: number; end: number } {
  const first = Math.min(Math.max(0, Math.floor(firstIndex) || 0), total);
  const end = Math.min(total, first + Math.max(0, Math.floor(count) || 0));
  return { first, end };
}

export function rowsInWindow(state: PanelState, tab: 'events', firstIndex: number, count: number, ctx: ViewContext): RowWindow<EventRowView>;
export function rowsInWindow(state: PanelState, tab: 'pods', firstIndex: number, count: number, ctx: ViewContext): RowWindow<PodRowView>;
export function rowsInWindow(state: PanelState, tab: PanelTab, firstIndex: number, count: number, ctx: ViewContext): RowWindow<EventRowView> | RowWindow<PodRowView>;
/** The rows `firstIndex … firstIndex+count-1` of a filtered table (clamped to the table), printed against ctx.nowMs. */
export function rowsInWindow(state: PanelState, tab: PanelTab, firstIndex: number, count: number, ctx: ViewContext): RowWindow<EventRowView> | RowWindow<PodRowView> {
  if (tab === 'events') {
    const all = filteredEvents(state);
    const { first, end } = clampWindow(all.length, firstIndex, count);
    return { total: all.length, first, rows: all.slice(first, end).map((r) => eventRowView(r, ctx)) };
  }
  const all = filteredPods(state);
  const { first, end } = clampWindow(all.length, firstIndex, count);
  return { total: all.length, first, rows: all.slice(first, end).map((r) => podRowView(r, ctx)) };
}

/** The number of rows of a table after the filters. */
export function rowCount(state: PanelState, tab: PanelTab): number {
  return tab === 'events' ? filteredEvents(state).length : filteredPods(state).length;
}

export interface ScrollViewport {
  scrollTop: number;
  height: number;
  /** Show the last rows whatever scrollTop says (the table follows new rows). */
  follow?: boolean;
}

/**
 * The rows to render for a scroll position: the visible ones plus `overscan` rows on each side (default: one
 * screenful, at least 10), clamped to the table. Fixed row height.
 */
export function windowForScroll(vp: ScrollViewport, total: number, options: { rowHeight?: number; overscan?: number } = {}): { first: number; count: number } {
  const rowHeight = options.rowHeight ?? ROW_HEIGHT_PX;
  const visible = Math.max(1, Math.ceil(Math.max(0, vp.height) / rowHeight) + 1);
  const overscan = Math.max(0, options.overscan ?? Math.max(10, visible));
  const totalRows = Math.max(0, Math.floor(total));
  // The last screenful (plus overscan above it) when following, and as the limit for a scrollTop past the end
  // (a stale position after the table shrank).
  const last = Math.max(0, totalRows - visible - overscan);
  const first = vp.follow ? last : Math.min(last, Math.max(0, Math.floor(Math.max(0, vp.scrollTop) / rowHeight) - overscan));
  const count = Math.max(0, Math.min(visible + 2 * overscan, totalRows - first));
  return { first, count };
}

/** The timeline with offsets from the Deployment's creation ("+0s", "+3s"), or undefined. */
export function timelineView(state: PanelState): TimelineView | undefined {
  const t = deploymentTimeline(state);
  if (!t) return undefined;
  const start = t.createdMs ?? t.steps.find((s) => s.ms !== undefined)?.ms;
  return {
    deployment: t.deployment,
    steps: t.steps.map((s) => ({
      step: s.step,
      done: s.done,
      reason: s.reason,
      detail: s.detail,
      at: s.done && s.ms !== undefined && start !== undefined ? `+${humanDuration(Math.max(0, s.ms - start))}` : '',
      ...(s.ref ? { ref: s.ref } : {}),
    })),
  };
}

export function panelStatus(state: PanelState): PanelStatus {
  return { paused: state.paused, buffered: bufferedCount(state), eventCount: state.events.size, podCount: state.pods.size };
}
