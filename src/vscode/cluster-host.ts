/**
 * The cluster as the extension host runs it: in a worker thread (dist/cluster-worker.js, so the extension host's
 * event loop never runs the cluster), with its data under the extension's global storage. One cluster per data
 * directory: when another window (or a headless `npm start` on the same directory) already runs it, this window
 * attaches to it through its endpoint (ClusterAttachment) and shows the same views; when that owner goes away, this
 * window takes over (starts the cluster itself) or, if it cannot, says so.
 * It owns the LogOutputChannel every component logs to, the status bar item (state, nodes Ready/total, pods
 * Running/total; click → the command quick pick), and the KUBECONFIG of integrated terminals. `transport` is the admin
 * API client the views use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClusterAttachment } from '../cluster/cluster-attachment';
import { ClusterWorker } from '../cluster/cluster-worker';
import type { MessagePortTransport } from '../client/message-port-transport';
import type { RegistryClient } from '../cluster/registry-port';
import type { NodeCommand, StartedInfo } from '../cluster/worker-protocol';
import { clusterConfigFromSettings, type SettingsResult } from '../ui/settings/cluster-settings';

export type HostState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

const LEVELS = { debug: 'debug', info: 'info', warn: 'warn', error: 'error' } as const;
/** How long a window waits for another window that is starting the same cluster to publish its endpoint. */
const ATTACH_WAIT_MS = 60_000;

type Connection = ClusterWorker | ClusterAttachment;

export class ClusterHost implements vscode.Disposable {
  private conn: Connection | undefined;
  private state: HostState = 'stopped';
  private readonly status: vscode.StatusBarItem;
  readonly output: vscode.LogOutputChannel;
  private admin: MessagePortTransport | undefined;
  private readonly changed = new vscode.EventEmitter<HostState>();
  readonly onDidChangeState = this.changed.event;
  private summary = '';
  private disposed = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('KubeLab', { log: true });
    this.status = vscode.window.createStatusBarItem('kubelab.status', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'KubeLab';
    this.status.command = 'kubelab.quickPick';
    this.render();
    this.status.show();
  }

  get dataDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'cluster');
  }

  get current(): HostState {
    return this.state;
  }

  /** Whether this window uses a cluster another process runs. */
  get attached(): boolean {
    return this.conn instanceof ClusterAttachment;
  }

  get info(): StartedInfo | undefined {
    return this.conn?.info;
  }

  get kubeconfig(): string | undefined {
    return this.conn?.info.kubeconfig;
  }

  /** A read-only view of the store's /registry keys (undefined while the cluster is not running). */
  async registry(): Promise<RegistryClient | undefined> {
    if (this.state !== 'running' || !this.conn) return undefined;
    return this.conn.registry();
  }

  /** The admin client of the running cluster (undefined while it is not running). */
  get transport(): MessagePortTransport | undefined {
    return this.admin;
  }

  /** The status bar's counts (`3/4 nodes · 10/11 pods`), computed by the views from their informers. */
  setSummary(text: string): void {
    if (text === this.summary) return;
    this.summary = text;
    this.render();
  }

  private set(state: HostState): void {
    this.state = state;
    this.render();
    this.changed.fire(state);
  }

  private config(): SettingsResult {
    const c = vscode.workspace.getConfiguration('kubelab');
    return clusterConfigFromSettings(
      {
        nodes: c.get<number>('nodes', 3),
        nodeCapacity: c.get<Record<string, string>>('nodeCapacity', {}),
        runtime: c.get<string>('runtime', 'sim'),
        nodeRuntimes: c.get<Record<string, string>>('nodeRuntimes', {}),
        apiPort: c.get<number>('apiPort', 0),
        proxyMode: c.get<string>('kubeProxy.mode', 'iptables'),
        etcdEndpoints: c.get<string[]>('storage.etcdEndpoints', []),
      },
      vscode.workspace.isTrusted,
    );
  }

  async start(): Promise<void> {
    if (this.state === 'starting' || this.state === 'running' || this.disposed) return;
    this.set('starting');
    fs.mkdirSync(this.dataDir, { recursive: true });
    try {
      const attached = await ClusterAttachment.attach(this.dataDir).catch(() => undefined);
      if (attached) return await this.use(attached);
      const settings = this.config();
      for (const w of settings.warnings) this.output.warn(w);
      const worker = await this.startWorker(settings).catch(async (e: Error) => {
        // Another window is starting this cluster right now: attach once it serves.
        if (!/is in use by process/.test(e.message)) throw e;
        this.output.info(`${e.message}; attaching to it`);
        return this.waitForEndpoint(e);
      });
      await this.use(worker);
    } catch (e) {
      this.fail(`cannot start the cluster: ${(e as Error).message}`);
    }
  }

  private startWorker(settings: SettingsResult): Promise<ClusterWorker> {
    const dist = path.join(this.context.extensionPath, 'dist');
    return ClusterWorker.start({
      script: path.join(dist, 'cluster-worker.js'),
      wasmDir: dist,
      dataDir: this.dataDir,
      port: settings.config.port,
      config: settings.config,
      onLog: (r) => this.output[LEVELS[r.level]](`[${r.component}] ${r.message}`),
      onProgress: (step) => this.output.info(`starting: ${step}`),
      onExit: (code) => {
        this.output.error(`the cluster worker exited unexpectedly (code ${code})`);
        this.detach();
        this.set('failed');
      },
    });
  }

  private async waitForEndpoint(cause: Error): Promise<ClusterAttachment> {
    const until = Date.now() + ATTACH_WAIT_MS;
    while (Date.now() < until) {
      const a = await ClusterAttachment.attach(this.dataDir).catch(() => undefined);
      if (a) return a;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw cause;
  }

  private async use(conn: Connection): Promise<void> {
    this.conn = conn;
    // The views never show managedFields: leaving them out halves what the extension host deserializes.
    const view = { omitManagedFields: true };
    this.admin = conn instanceof ClusterWorker ? conn.connect(conn.info.adminToken, view) : await conn.connect(conn.info.adminToken, view);
    if (conn instanceof ClusterAttachment) {
      this.output.info(`attached to the KubeLab cluster another window runs (${conn.info.url})`);
      conn.onClose(() => void this.ownerGone());
    }
    this.context.environmentVariableCollection.replace('KUBECONFIG', conn.info.kubeconfig);
    this.context.environmentVariableCollection.description = 'KUBECONFIG of the KubeLab cluster';
    for (const p of conn.info.addonProblems) this.output.warn(p);
    this.set('running');
  }

  /** The window that ran the cluster closed: take over, or tell the user. */
  private async ownerGone(): Promise<void> {
    if (this.disposed || !this.attached) return;
    this.output.warn('the window that ran the KubeLab cluster closed; starting it here');
    this.detach();
    this.set('stopped');
    await this.start();
    if (this.state !== 'running') void vscode.window.showWarningMessage('KubeLab: the window that ran the cluster closed and this window could not take over (see KubeLab output).');
  }

  private fail(message: string): void {
    this.output.error(message);
    this.set('failed');
    void vscode.window.showErrorMessage(`KubeLab: ${message}`, 'Show Output').then((c) => c && this.output.show());
  }

  private detach(): void {
    this.admin?.close();
    this.admin = undefined;
    if (this.conn instanceof ClusterAttachment) this.conn.close();
    this.conn = undefined;
    this.summary = '';
    this.context.environmentVariableCollection.delete('KUBECONFIG');
  }

  /** Stops the cluster (an attached window only lets go of it: the owner keeps running it). */
  async stop(): Promise<void> {
    if (!this.conn || this.state !== 'running') return;
    this.set('stopping');
    const c = this.conn;
    this.detach();
    if (c instanceof ClusterWorker) await c.stop();
    this.set('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops and wipes the data directory (refused while another window runs the cluster). */
  async reset(): Promise<void> {
    if (this.attached) throw new Error('another window runs this cluster; reset it there');
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    this.output.info(`wiped ${this.dataDir}`);
  }

  /** Adds (returns the new node's name), removes, stops or starts a node. */
  async node(command: NodeCommand): Promise<string | undefined> {
    if (!this.conn) throw new Error('the cluster is not running');
    return this.conn.node(command);
  }

  private render(): void {
    const icon = { stopped: '$(debug-stop)', starting: '$(loading~spin)', running: '$(server-environment)', stopping: '$(loading~spin)', failed: '$(error)' }[this.state];
    this.status.text = `${icon} KubeLab${this.state === 'running' && this.summary ? `: ${this.summary}` : `: ${this.state}`}`;
    const info = this.conn?.info;
    this.status.tooltip = info ? `API server ${info.url}${this.attached ? ' (run by another window)' : ''}\nKubeconfig ${info.kubeconfig}` : 'KubeLab cluster';
  }

  dispose(): void {
    this.disposed = true;
    const c = this.conn;
    this.detach();
    if (c instanceof ClusterWorker) void c.stop();
    this.status.dispose();
    this.output.dispose();
    this.changed.dispose();
  }
}
