/**
 * The host side of one event panel: owns the panel state, takes informer notifications (`dispatch`), answers the
 * webview's messages (`receive`) and posts what it must show. Pure TypeScript: the VS Code layer hands in `post`
 * (webview.postMessage), a clock and timers, and the reveal/open-registry actions.
 *
 * Contract:
 * - Data actions are queued and applied together (coalesced, see batch.ts) at most `flushMs` (≤ 100) after the
 *   first one arrives; only then are updates posted, and only for what changed.
 * - Nothing is posted before the webview's `ready`, nor while hidden (`setVisible(false)`) or after `detach()` (the
 *   webview was disposed; a new one will send `ready`). `ready` and becoming visible again get a `snapshot`, so the
 *   state survives hide/show and even a disposed webview.
 * - Every `tickMs` (1 s) while shown, the active table's window is posted again so ages stay live.
 * - Settings (filters, tab, pause) from the webview are applied at once and reported through `settingsChanged`.
 * - Malformed or other-version messages are ignored (and logged).
 */
import { compactActions } from './batch';
import { filterOptions } from './filters';
import {
  DEFAULT_SETTINGS,
  PROTOCOL_VERSION,
  parseWebviewMessage,
  type ExtensionToWebview,
  type ObjectRef,
  type PanelSettings,
  type EventRowView,
  type FilterOptions,
  type PanelStatus,
  type PanelTab,
  type PodRowView,
  type RowWindow,
} from './protocol';
import { initialPanelState, reducePanel, reduceAll, type PanelAction, type PanelDataAction, type PanelState } from './reducer';
import { panelStatus, rowCount, rowsInWindow, timelineView, windowForScroll, type ScrollViewport, type ViewContext } from './view-model';

export const MAX_FLUSH_MS = 100;

export interface PanelHost {
  post(message: ExtensionToWebview): unknown;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  reveal?(ref: ObjectRef): void;
  openRegistry?(key: string): void;
  registryKey?(ref: ObjectRef): string | undefined;
  settingsChanged?(settings: PanelSettings): void;
  log?(message: string): void;
}

export interface PanelSessionOptions {
  cap?: number;
  /** Batching delay, clamped to [0, 100] ms. */
  flushMs?: number;
  tickMs?: number;
  /** Settings restored by the host (e.g. from workspaceState). */
  settings?: PanelSettings;
}

export class PanelSession {
  private current: PanelState;
  private tab: PanelTab;
  private queue: PanelAction[] = [];
  private flushTimer: unknown;
  private tickTimer: unknown;
  private ready = false;
  private visible = true;
  private disposed = false;
  private readonly flushMs: number;
  private readonly tickMs: number;
  private readonly viewports: Record<PanelTab, ScrollViewport> = {
    events: { scrollTop: 0, height: 600, follow: true },
    pods: { scrollTop: 0, height: 600, follow: false },
  };
  private lastStatus = '';
  private lastTimelineJson = '';

  constructor(
    private readonly host: PanelHost,
    options: PanelSessionOptions = {},
  ) {
    const settings = options.settings ?? DEFAULT_SETTINGS;
    this.current = initialPanelState({ cap: options.cap, filters: settings.filters, paused: settings.paused });
    this.tab = settings.tab;
    this.flushMs = Math.min(MAX_FLUSH_MS, Math.max(0, options.flushMs ?? MAX_FLUSH_MS));
    this.tickMs = Math.max(100, options.tickMs ?? 1000);
  }

  get state(): PanelState {
    return this.current;
  }

  get settings(): PanelSettings {
    return { tab: this.tab, filters: { ...this.current.filters }, paused: this.current.paused };
  }

  /** Queues an informer notification; applied within flushMs. */
  dispatch(action: PanelDataAction): void {
    if (this.disposed) return;
    this.queue.push(action);
    if (this.flushTimer === undefined) this.flushTimer = this.host.setTimer(() => this.flush(), this.flushMs);
  }

  /** Applies everything queued now and posts what changed. */
  flush(): void {
    const prev = this.current;
    this.applyQueued();
    if (this.live() && prev !== this.current) this.postChanges(prev, this.current);
  }

  /** Applies the queued actions without posting. */
  private applyQueued(): void {
    if (this.flushTimer !== undefined) this.host.clearTimer(this.flushTimer);
    this.flushTimer = undefined;
    if (this.queue.length === 0) return;
    const actions = compactActions(this.queue);
    this.queue = [];
    this.current = reduceAll(this.current, actions);
  }

  /** Handles one message from the webview. Returns false when it was ignored. */
  receive(raw: unknown): boolean {
    const msg = parseWebviewMessage(raw);
    if (!msg || this.disposed) {
      this.host.log?.(`event panel: ignored message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return false;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        if (msg.settings) this.applySettings(msg.settings, false);
        this.applyQueued();
        if (this.live()) this.postSnapshot();
        this.scheduleTick();
        break;
      case 'setState':
        this.applySettings(msg.settings, true);
        break;
      case 'viewport':
        this.viewports[msg.tab] = { scrollTop: msg.scrollTop, height: msg.height, follow: msg.follow };
        if (this.live()) this.postWindow(msg.tab);
        break;
      case 'reveal':
        this.host.reveal?.(msg.ref);
        break;
      case 'openRegistry':
        this.host.openRegistry?.(msg.key);
        break;
    }
    return true;
  }

  /** The webview became visible or hidden. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible && this.live()) {
      this.applyQueued();
      this.postSnapshot();
      this.scheduleTick();
    }
  }

  /** The webview was disposed; the next one will send `ready`. */
  detach(): void {
    this.ready = false;
  }

  dispose(): void {
    this.disposed = true;
    if (this.flushTimer !== undefined) this.host.clearTimer(this.flushTimer);
    if (this.tickTimer !== undefined) this.host.clearTimer(this.tickTimer);
    this.flushTimer = this.tickTimer = undefined;
    this.queue = [];
  }

  private live(): boolean {
    return this.ready && this.visible && !this.disposed;
  }

  private ctx(): ViewContext {
    const registryKey = this.host.registryKey;
    return { nowMs: this.host.now(), ...(registryKey ? { registryKey: (ref: ObjectRef) => registryKey.call(this.host, ref) } : {}) };
  }

  private applySettings(settings: PanelSettings, post: boolean): void {
    const before = this.settings;
    const prev = this.current;
    this.applyQueued();
    this.tab = settings.tab;
    this.current = reducePanel(reducePanel(this.current, { type: 'setFilters', filters: settings.filters }), { type: 'setPaused', paused: settings.paused });
    if (JSON.stringify(before) !== JSON.stringify(this.settings)) this.host.settingsChanged?.(this.settings);
    if (post && this.live()) {
      this.postChanges(prev, this.current);
      if (before.tab !== this.tab) this.postWindow(this.tab);
    }
  }

  private post(message: ExtensionToWebview): void {
    try {
      this.host.post(message);
    } catch (e) {
      this.host.log?.(`event panel: post failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private eventsWindow(ctx: ViewContext): RowWindow<EventRowView> {
    const { first, count } = windowForScroll(this.viewports.events, rowCount(this.current, 'events'));
    return rowsInWindow(this.current, 'events', first, count, ctx);
  }

  private podsWindow(ctx: ViewContext): RowWindow<PodRowView> {
    const { first, count } = windowForScroll(this.viewports.pods, rowCount(this.current, 'pods'));
    return rowsInWindow(this.current, 'pods', first, count, ctx);
  }

  private postWindow(tab: PanelTab, ctx = this.ctx()): void {
    if (tab === 'events') this.post({ type: 'events', v: PROTOCOL_VERSION, window: this.eventsWindow(ctx) });
    else this.post({ type: 'pods', v: PROTOCOL_VERSION, window: this.podsWindow(ctx) });
  }

  private statusJson(): { json: string; status: PanelStatus; options: FilterOptions } {
    const status = panelStatus(this.current);
    const options = filterOptions(this.current);
    return { json: JSON.stringify({ status, options }), status, options };
  }

  private postSnapshot(): void {
    const ctx = this.ctx();
    const timeline = timelineView(this.current);
    this.lastTimelineJson = JSON.stringify(timeline ?? null);
    const { json, status, options } = this.statusJson();
    this.lastStatus = json;
    this.post({
      type: 'snapshot',
      v: PROTOCOL_VERSION,
      settings: this.settings,
      options,
      status,
      events: this.eventsWindow(ctx),
      pods: this.podsWindow(ctx),
      ...(timeline ? { timeline } : {}),
    });
  }

  /** Posts the updates that turn what the webview shows for `prev` into `next`. */
  private postChanges(prev: PanelState, next: PanelState): void {
    const ctx = this.ctx();
    const filtersChanged = prev.filters !== next.filters;
    if (filtersChanged || prev.events !== next.events) this.postWindow('events', ctx);
    if (filtersChanged || prev.pods !== next.pods) this.postWindow('pods', ctx);
    if (prev.events !== next.events || prev.pods !== next.pods || prev.workloads !== next.workloads) {
      const timeline = timelineView(next);
      const json = JSON.stringify(timeline ?? null);
      if (json !== this.lastTimelineJson) {
        this.lastTimelineJson = json;
        this.post({ type: 'timeline', v: PROTOCOL_VERSION, ...(timeline ? { timeline } : {}) });
      }
    }
    const { json, status, options } = this.statusJson();
    if (json !== this.lastStatus) {
      this.lastStatus = json;
      this.post({ type: 'status', v: PROTOCOL_VERSION, status, options });
    }
  }

  private scheduleTick(): void {
    if (this.tickTimer !== undefined || !this.live()) return;
    this.tickTimer = this.host.setTimer(() => {
      this.tickTimer = undefined;
      if (!this.live()) return;
      this.postWindow(this.tab);
      this.scheduleTick();
    }, this.tickMs);
  }
}
