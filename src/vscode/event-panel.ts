/**
 * The event panel: a WebviewView (id kubelab.events, in the panel area) showing events like
 * `kubectl get events --watch` and pods like `kubectl get pods -A -o wide`, live. The state lives in a PanelSession
 * (src/ui/events) fed by the ClusterFeed's informers, so it survives the view being hidden or disposed; the webview
 * (webview/ → media/webview.js) only renders the rows it is sent. CSP `default-src 'none'` with a nonce,
 * localResourceRoots = media. Settings (filters, tab, pause) are kept in the workspace state.
 */
import { randomFillSync } from 'node:crypto';
import * as vscode from 'vscode';
import { builtinResources } from '../api/resources';
import type { KubeObject } from '../api/object';
import { deletedObject, type EventHandlers } from '../client/informers';
import { R } from '../controllers/framework/resources';
import { PanelSession, panelHtml, makeNonce, registryKeyResolver, type ObjectRef, type PanelDataAction, type PanelSettings } from '../ui/events';
import type { ClusterFeed } from './cluster-feed';

export const EVENT_VIEW_ID = 'kubelab.events';
const SETTINGS_KEY = 'kubelab.eventPanel.settings';

type Kind = 'pods' | 'deployments' | 'replicaSets';

export class EventPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly session: PanelSession;
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    feed: ClusterFeed,
    private readonly log: vscode.LogOutputChannel,
    private readonly actions: { reveal(ref: ObjectRef): void; openRegistry(key: string): void },
  ) {
    const registryKey = registryKeyResolver(builtinResources());
    this.session = new PanelSession(
      {
        post: (m) => this.view?.webview.postMessage(m),
        now: () => Date.now(),
        setTimer: (fn, ms) => setTimeout(fn, ms),
        clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        reveal: (ref) => actions.reveal(ref),
        openRegistry: (key) => actions.openRegistry(key),
        registryKey,
        settingsChanged: (s) => void context.workspaceState.update(SETTINGS_KEY, s),
        log: (m) => log.debug(m),
      },
      { settings: context.workspaceState.get<PanelSettings>(SETTINGS_KEY) },
    );
    feed.watch(R.events, { onAdd: (o) => this.events(o), onUpdate: (_o, n) => this.events(n) });
    feed.watch(R.pods, this.handlers('pods'));
    feed.watch(R.deployments, this.handlers('deployments'));
    feed.watch(R.replicasets, this.handlers('replicaSets'));
    this.disposables.push(
      feed.onDidReset(() => this.session.dispatch({ type: 'reset' })),
      vscode.window.registerWebviewViewProvider(EVENT_VIEW_ID, this, { webviewOptions: { retainContextWhenHidden: false } }),
    );
  }

  private events(o: unknown): void {
    this.session.dispatch({ type: 'events', upserts: [o as KubeObject] });
  }

  private handlers(type: Kind): EventHandlers {
    const upsert = (o: unknown) => this.session.dispatch({ type, upserts: [o as KubeObject] } as PanelDataAction);
    return {
      onAdd: upsert,
      onUpdate: (_old, n) => upsert(n),
      onDelete: (o) => this.session.dispatch({ type, deletes: [deletedObject(o) as KubeObject] } as PanelDataAction),
    };
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.js')).toString(),
      nonce: makeNonce((n) => randomFillSync(new Uint8Array(n))),
      title: 'KubeLab Events',
    });
    const subs = [
      view.webview.onDidReceiveMessage((m) => this.session.receive(m)),
      view.onDidChangeVisibility(() => this.session.setVisible(view.visible)),
    ];
    view.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.view === view) this.view = undefined;
      this.session.detach();
    });
  }

  /** Shows the panel (command "KubeLab: Open Event Panel"). */
  async show(): Promise<void> {
    await vscode.commands.executeCommand(`${EVENT_VIEW_ID}.focus`);
  }

  dispose(): void {
    this.session.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
