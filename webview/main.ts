/**
 * The event & pod panel (webview entry point). Runs in the webview (browser) and talks to the extension only
 * through the typed messages of src/ui/events/protocol.ts: it says `ready` (with the settings it saved), renders
 * the windows of rows the host sends — at most once per frame — and reports its viewport, the user's settings
 * and clicks (reveal an object; Ctrl/Cmd+click opens its registry document).
 */
import {
  type Panels,
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import {
  DEFAULT_SETTINGS,
  PROTOCOL_VERSION,
  parseExtensionMessage,
  type EventRowView,
  type ExtensionToWebview,
  type ObjectRef,
  type PanelSettings,
  type PanelTab,
  type PodRowView,
  type RowWindow,
} from '../src/ui/events/protocol';
import { eventColumns, podColumns } from './columns';
import { FrameBatcher } from './frame-batcher';
import { installStyles } from './styles';
import { TimelineStrip } from './timeline-strip';
import { Toolbar } from './toolbar';
import { Host, type SavedState } from './vscode-api';
import { VirtualTable, type Viewport } from './virtual-table';

provideVSCodeDesignSystem().register(
  vsCodePanels(),
  vsCodePanelTab(),
  vsCodePanelView(),
  vsCodeTextField(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeCheckbox(),
  vsCodeButton(),
);
installStyles(document);

const host = new Host();
const saved = host.restore();
let settings: PanelSettings = saved?.settings ?? structuredClone(DEFAULT_SETTINGS);
const TAB_IDS: Record<PanelTab, string> = { events: 'tab-events', pods: 'tab-pods' };

function save(): void {
  const state: SavedState = { settings, scroll: { events: events.scrollState(), pods: pods.scrollState() } };
  host.save(state);
}

function changeSettings(next: PanelSettings): void {
  settings = next;
  host.post({ type: 'setState', v: PROTOCOL_VERSION, settings });
  save();
}

function onLink(row: { registryKey?: string }, ref: ObjectRef, e: MouseEvent): void {
  if ((e.ctrlKey || e.metaKey) && row.registryKey) host.post({ type: 'openRegistry', v: PROTOCOL_VERSION, key: row.registryKey });
  else host.post({ type: 'reveal', v: PROTOCOL_VERSION, ref });
}

function viewport(tab: PanelTab) {
  return (vp: Viewport) => {
    host.post({ type: 'viewport', v: PROTOCOL_VERSION, tab, ...vp });
    save();
  };
}

const events = new VirtualTable<EventRowView>(
  {
    columns: eventColumns,
    followable: true,
    emptyText: 'No events (yet) match the filters.',
    rowClass: (r) => (r.type === 'Warning' ? 'warning' : undefined),
    onViewport: viewport('events'),
    onLink,
  },
  saved?.scroll.events ?? { scrollTop: 0, follow: true },
);
const pods = new VirtualTable<PodRowView>(
  { columns: podColumns, followable: false, emptyText: 'No pods match the filters.', onViewport: viewport('pods'), onLink },
  saved?.scroll.pods ?? { scrollTop: 0, follow: false },
);
for (const el of [events.element, pods.element]) el.title = 'Click an object to reveal it in the Cluster tree; Ctrl/Cmd+click opens its registry document.';

const toolbar = new Toolbar(settings, changeSettings);
const timeline = new TimelineStrip((ref) => host.post({ type: 'reveal', v: PROTOCOL_VERSION, ref }));

// Tabs: <vscode-panels> with one tab and one view per table.
const panels = document.createElement('vscode-panels') as Panels;
panels.setAttribute('aria-label', 'Events and pods');
for (const [tab, label, table] of [
  ['events', 'Events', events],
  ['pods', 'Pods', pods],
] as const) {
  const t = document.createElement('vscode-panel-tab');
  t.id = TAB_IDS[tab];
  t.textContent = label;
  panels.appendChild(t);
  const view = document.createElement('vscode-panel-view');
  view.id = `view-${tab}`;
  view.appendChild(table.element);
  panels.appendChild(view);
}
// Tabs and views must be children in tab-then-view order per kind: move the views after the tabs.
for (const v of [...panels.querySelectorAll('vscode-panel-view')]) panels.appendChild(v);
panels.setAttribute('activeid', TAB_IDS[settings.tab]);
panels.addEventListener('change', () => {
  // The property, not the attribute: the toolkit reflects it to the attribute only later.
  const tab: PanelTab = panels.activeid === TAB_IDS.pods ? 'pods' : 'events';
  if (tab === settings.tab) return;
  const next = { ...settings, tab };
  toolbar.show(next);
  changeSettings(next);
  (tab === 'events' ? events : pods).reportViewport(true);
});

document.body.replaceChildren(toolbar.element, timeline.element, panels);

// Messages from the host: keep the newest of each kind, apply once per frame.
const pending: { events?: RowWindow<EventRowView>; pods?: RowWindow<PodRowView>; rest: ExtensionToWebview[] } = { rest: [] };
const batcher = new FrameBatcher(() => {
  const rest = pending.rest;
  pending.rest = [];
  for (const m of rest) apply(m);
  if (pending.events) events.setWindow(pending.events);
  if (pending.pods) pods.setWindow(pending.pods);
  pending.events = pending.pods = undefined;
});

function apply(m: ExtensionToWebview): void {
  switch (m.type) {
    case 'snapshot':
      settings = m.settings;
      toolbar.show(settings);
      toolbar.setOptions(m.options);
      toolbar.setStatus(m.status);
      timeline.render(m.timeline);
      if (panels.activeid !== TAB_IDS[settings.tab]) panels.activeid = TAB_IDS[settings.tab];
      save();
      break;
    case 'status':
      toolbar.setOptions(m.options);
      toolbar.setStatus(m.status);
      break;
    case 'timeline':
      timeline.render(m.timeline);
      break;
    default:
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseExtensionMessage(e.data);
  if (!m) return;
  if (m.type === 'events') pending.events = m.window;
  else if (m.type === 'pods') pending.pods = m.window;
  else {
    if (m.type === 'snapshot') {
      pending.events = m.events;
      pending.pods = m.pods;
    }
    pending.rest.push(m);
  }
  batcher.schedule();
});

host.post({ type: 'ready', v: PROTOCOL_VERSION, ...(saved ? { settings: saved.settings } : {}) });
