/**
 * The webview's side of VS Code: the one `acquireVsCodeApi()` handle, typed to the panel protocol, and the UI state
 * kept across hide/show through `vscode.setState` (settings and scroll positions), validated on the way back in.
 */
import type { PanelSettings, PanelTab, WebviewToExtension } from '../src/ui/events/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface ScrollState {
  scrollTop: number;
  follow: boolean;
}

export interface SavedState {
  settings: PanelSettings;
  scroll: Record<PanelTab, ScrollState>;
}

function isScroll(v: unknown): v is ScrollState {
  return typeof v === 'object' && v !== null && typeof (v as ScrollState).scrollTop === 'number' && typeof (v as ScrollState).follow === 'boolean';
}

function isSaved(v: unknown): v is SavedState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as SavedState;
  const f = s.settings?.filters;
  return (
    (s.settings?.tab === 'events' || s.settings?.tab === 'pods') &&
    typeof s.settings.paused === 'boolean' &&
    typeof f?.namespace === 'string' &&
    typeof f.kind === 'string' &&
    typeof f.text === 'string' &&
    typeof f.warningsOnly === 'boolean' &&
    isScroll(s.scroll?.events) &&
    isScroll(s.scroll.pods)
  );
}

export class Host {
  private readonly api = acquireVsCodeApi();

  post(message: WebviewToExtension): void {
    this.api.postMessage(message);
  }

  /** The state saved by an earlier incarnation of this webview, if any. */
  restore(): SavedState | undefined {
    const s = this.api.getState();
    return isSaved(s) ? s : undefined;
  }

  save(state: SavedState): void {
    this.api.setState(state);
  }
}
