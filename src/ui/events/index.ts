/**
 * The event panel's logic (no vscode, no DOM): the webview protocol, the state and its reducer, the filtered and
 * virtualized view of it, the Deployment timeline, the host-side session that batches updates, and the panel's
 * HTML. The VS Code layer (src/vscode) wires a WebviewView to a `PanelSession`; the webview (webview/) imports
 * only `protocol.ts`.
 */
export * from './protocol';
export { DEFAULT_EVENT_CAP, bufferedCount, initialPanelState, reduceAll, reducePanel } from './reducer';
export type { PanelAction, PanelDataAction, PanelState, Pending } from './reducer';
export { eventRecord, isNotOlder, objectKey, podRecord, workloadRecord } from './records';
export type { EventRecord, PodRecord, WorkloadRecord } from './records';
export { eventMatches, filterOptions, filteredEvents, filteredPods, podMatches, sortedPods } from './filters';
export { deploymentTimeline } from './timeline';
export type { Timeline, TimelineStep } from './timeline';
export { ageText, eventRowView, panelStatus, podRowView, rowCount, rowsInWindow, timelineView, windowForScroll } from './view-model';
export type { ScrollViewport, ViewContext } from './view-model';
export { compactActions } from './batch';
export { MAX_FLUSH_MS, PanelSession } from './session';
export type { PanelHost, PanelSessionOptions } from './session';
export { contentSecurityPolicy, makeNonce, panelHtml } from './html';
export type { PanelHtmlInput } from './html';
export { registryKeyResolver } from './registry-key';
