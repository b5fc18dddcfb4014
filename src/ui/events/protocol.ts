/**
 * The typed, versioned messages between the extension host and the event panel's webview.
 *
 * Who holds what: the extension host owns the panel state (src/ui/events/reducer.ts, fed by informers) because the
 * rows are computed by the API server's Table printers and must survive the webview being hidden or disposed. The
 * webview is a thin, virtualized renderer: it reports its scroll viewport and settings, and receives only the rows
 * it can show (a `RowWindow`), already formatted (ages relative to the host's clock). No message ever carries all
 * 10,000 events.
 *
 * Handshake: the webview posts `ready` (with the settings it saved through `vscode.setState`, if any); the host
 * answers with a `snapshot`. Afterwards the host posts `events` / `pods` / `timeline` / `status` updates at most
 * every 100 ms (and on the webview's `viewport` requests right away).
 *
 * This file is imported by the webview bundle: it must stay free of imports and of Node or DOM APIs.
 */

/** Bumped on any incompatible change; both sides drop messages of another version. */
export const PROTOCOL_VERSION = 1;

/** Every table row is exactly this tall (CSS pixels); virtualization depends on it on both sides. */
export const ROW_HEIGHT_PX = 22;

export type PanelTab = 'events' | 'pods';

/** The filters of both tables. `kind` and `warningsOnly` apply to events only. Empty string = no filter. */
export interface PanelFilters {
  namespace: string;
  kind: string;
  text: string;
  warningsOnly: boolean;
}

/** What the user chose, kept across hide/show by the webview (`vscode.setState`) and by the host. */
export interface PanelSettings {
  tab: PanelTab;
  filters: PanelFilters;
  paused: boolean;
}

/** An object the panel can reveal in the Cluster tree. `namespace` is '' for cluster-scoped objects. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
  /** From the event's involvedObject / the object itself, when known ("apps/v1"). */
  apiVersion?: string;
}

/** One row of the Events table (`kubectl get events -o wide` columns, as the server's printer computes them). */
export interface EventRowView {
  /** The event's uid (stable across count updates). */
  key: string;
  namespace: string;
  lastSeen: string;
  type: string;
  reason: string;
  /** `<lower-case kind>/<name>`. */
  object: string;
  subobject: string;
  source: string;
  message: string;
  firstSeen: string;
  count: number;
  ref?: ObjectRef;
  /** Storage key of the involved object (`/registry/pods/default/web-1`), when the host can name it. */
  registryKey?: string;
}

/** One row of the Pods table (`kubectl get pods -A -o wide` columns, as the server's printer computes them). */
export interface PodRowView {
  /** The pod's uid, else `namespace/name`. */
  key: string;
  namespace: string;
  name: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  ip: string;
  node: string;
  nominatedNode: string;
  readinessGates: string;
  ref: ObjectRef;
  registryKey?: string;
}

/** The rows of one table that the webview can show: `rows[i]` is row number `first + i` of `total`. */
export interface RowWindow<Row> {
  total: number;
  first: number;
  rows: Row[];
}

export type TimelineStepName = 'Deployment' | 'ReplicaSet' | 'Pod' | 'Scheduled' | 'Pulled' | 'Started';

/** One link of the chain Deployment → ReplicaSet → Pod → Scheduled → Pulled → Started. */
export interface TimelineStepView {
  step: TimelineStepName;
  /** Reached yet. */
  done: boolean;
  /** The object or event reason ("ScalingReplicaSet", "SuccessfulCreate", …). */
  reason: string;
  /** The object's name or the event message. */
  detail: string;
  /** Offset from the Deployment's creation ("+0s", "+2s"), '' when not reached. */
  at: string;
  ref?: ObjectRef;
}

/** The latest Deployment creation, or undefined when no Deployment has been seen. */
export interface TimelineView {
  deployment: ObjectRef;
  steps: TimelineStepView[];
}

/** Choices for the filter dropdowns, from what the panel has seen. */
export interface FilterOptions {
  namespaces: string[];
  kinds: string[];
}

export interface PanelStatus {
  paused: boolean;
  /** Updates received while paused, not shown yet. */
  buffered: number;
  /** Events held (before filtering) and pods held. */
  eventCount: number;
  podCount: number;
}

// ── extension → webview ─────────────────────────────────────────────────────────────────────────────────────────

export interface SnapshotMessage {
  type: 'snapshot';
  v: number;
  settings: PanelSettings;
  options: FilterOptions;
  status: PanelStatus;
  events: RowWindow<EventRowView>;
  pods: RowWindow<PodRowView>;
  timeline?: TimelineView;
}

export interface EventsMessage {
  type: 'events';
  v: number;
  window: RowWindow<EventRowView>;
}

export interface PodsMessage {
  type: 'pods';
  v: number;
  window: RowWindow<PodRowView>;
}

export interface TimelineMessage {
  type: 'timeline';
  v: number;
  timeline?: TimelineView;
}

export interface StatusMessage {
  type: 'status';
  v: number;
  status: PanelStatus;
  options: FilterOptions;
}

export type ExtensionToWebview = SnapshotMessage | EventsMessage | PodsMessage | TimelineMessage | StatusMessage;

// ── webview → extension ─────────────────────────────────────────────────────────────────────────────────────────

export interface ReadyMessage {
  type: 'ready';
  v: number;
  /** What the webview restored from `vscode.getState()`; absent on first show. */
  settings?: PanelSettings;
}

/** The user changed a filter, the tab, or pause/resume. */
export interface SetStateMessage {
  type: 'setState';
  v: number;
  settings: PanelSettings;
}

/** The visible part of one table's scroll area. `follow`: stick to the newest rows (scrolled to the bottom). */
export interface ViewportMessage {
  type: 'viewport';
  v: number;
  tab: PanelTab;
  scrollTop: number;
  height: number;
  follow: boolean;
}

export interface RevealMessage {
  type: 'reveal';
  v: number;
  ref: ObjectRef;
}

export interface OpenRegistryMessage {
  type: 'openRegistry';
  v: number;
  key: string;
}

export type WebviewToExtension = ReadyMessage | SetStateMessage | ViewportMessage | RevealMessage | OpenRegistryMessage;

// ── validation (messages cross a trust boundary) ────────────────────────────────────────────────────────────────

export const DEFAULT_SETTINGS: PanelSettings = {
  tab: 'events',
  filters: { namespace: '', kind: '', text: '', warningsOnly: false },
  paused: false,
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTab(v: unknown): v is PanelTab {
  return v === 'events' || v === 'pods';
}

function isSettings(v: unknown): v is PanelSettings {
  if (!isRecord(v) || !isTab(v.tab) || typeof v.paused !== 'boolean' || !isRecord(v.filters)) return false;
  const f = v.filters;
  return typeof f.namespace === 'string' && typeof f.kind === 'string' && typeof f.text === 'string' && typeof f.warningsOnly === 'boolean';
}

function isRef(v: unknown): v is ObjectRef {
  return (
    isRecord(v) &&
    typeof v.kind === 'string' &&
    typeof v.namespace === 'string' &&
    typeof v.name === 'string' &&
    (v.apiVersion === undefined || typeof v.apiVersion === 'string')
  );
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The message if it is a well-formed webview message of this protocol version, else undefined. */
export function parseWebviewMessage(raw: unknown): WebviewToExtension | undefined {
  if (!isRecord(raw) || raw.v !== PROTOCOL_VERSION) return undefined;
  switch (raw.type) {
    case 'ready':
      return raw.settings === undefined || isSettings(raw.settings) ? (raw as unknown as ReadyMessage) : undefined;
    case 'setState':
      return isSettings(raw.settings) ? (raw as unknown as SetStateMessage) : undefined;
    case 'viewport':
      return isTab(raw.tab) && finite(raw.scrollTop) && finite(raw.height) && typeof raw.follow === 'boolean'
        ? (raw as unknown as ViewportMessage)
        : undefined;
    case 'reveal':
      return isRef(raw.ref) ? (raw as unknown as RevealMessage) : undefined;
    case 'openRegistry':
      return typeof raw.key === 'string' && raw.key.startsWith('/') ? (raw as unknown as OpenRegistryMessage) : undefined;
    default:
      return undefined;
  }
}

/** The message if it is an extension message of this protocol version (shape checked shallowly), else undefined. */
export function parseExtensionMessage(raw: unknown): ExtensionToWebview | undefined {
  if (!isRecord(raw) || raw.v !== PROTOCOL_VERSION) return undefined;
  switch (raw.type) {
    case 'snapshot':
      return isSettings(raw.settings) && isRecord(raw.events) && isRecord(raw.pods) ? (raw as unknown as SnapshotMessage) : undefined;
    case 'events':
    case 'pods':
      return isRecord(raw.window) && Array.isArray(raw.window.rows) ? (raw as unknown as EventsMessage | PodsMessage) : undefined;
    case 'timeline':
      return raw as unknown as TimelineMessage;
    case 'status':
      return isRecord(raw.status) && isRecord(raw.options) ? (raw as unknown as StatusMessage) : undefined;
    default:
      return undefined;
  }
}
