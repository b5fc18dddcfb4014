/**
 * The cluster as the extension host runs it: in a worker thread (dist/cluster-worker.js, so the extension host's
 * event loop never runs the cluster), with its data under the extension's global storage. It owns the LogOutputChannel
 * every component logs to, the status bar item (state, nodes Ready/total, pods Running/total; click → the command
 * quick pick), and the KUBECONFIG of integrated terminals (environment variable collection). Start, stop, restart,
 * reset and add-node are what the commands call; `transport` is the admin API client the views use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClusterWorker } from '../cluster/cluster-worker';
import { applyCliOverrides, defaultClusterConfig, type ClusterConfig } from '../cluster/config';
import type { MessagePortTransport } from '../client/message-port-transport';
import type { RegistryClient } from '../cluster/registry-port';

export type HostState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

const LEVELS = { debug: 'debug', info: 'info', warn: 'warn', error: 'error' } as const;

export class ClusterHost implements vscode.Disposable {
  private worker: ClusterWorker | undefined;
  private state: HostState = 'stopped';
  private readonly status: vscode.StatusBarItem;
  readonly output: vscode.LogOutputChannel;
  private timer: ReturnType<typeof setInterval> | undefined;
  private admin: MessagePortTransport | undefined;
  private readonly changed = new vscode.EventEmitter<HostState>();
  readonly onDidChangeState = this.changed.event;

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

  get kubeconfig(): string | undefined {
    return this.worker?.info.kubeconfig;
  }

  /** A read-only view of the store's /registry keys (undefined while the cluster is not running). */
  registry(): RegistryClient | undefined {
    return this.state === 'running' ? this.worker?.registry() : undefined;
  }

  /** The admin client of the running cluster (undefined while it is not running). */
  get transport(): MessagePortTransport | undefined {
    return this.admin;
  }

  private set(state: HostState): void {
    this.state = state;
    this.render();
    this.changed.fire(state);
  }

  private config(): ClusterConfig {
    const c = vscode.workspace.getConfiguration('kubelab');
    return applyCliOverrides(defaultClusterConfig(), {
      nodes: c.get<number>('nodes', 3),
      port: c.get<number>('apiPort', 0),
      proxyMode: c.get<string>('kubeProxy.mode', 'iptables'),
      dnsPort: 0,
      ingressPort: 0,
    });
  }

  async start(): Promise<void> {
    if (this.state === 'starting' || this.state === 'running') return;
    this.set('starting');
    fs.mkdirSync(this.dataDir, { recursive: true });
    const dist = path.join(this.context.extensionPath, 'dist');
    const config = this.config();
    try {
      this.worker = await ClusterWorker.start({
        script: path.join(dist, 'cluster-worker.js'),
        wasmDir: dist,
        dataDir: this.dataDir,
        port: config.port,
        config,
        onLog: (r) => this.output[LEVELS[r.level]](`[${r.component}] ${r.message}`),
        onProgress: (step) => this.output.info(`starting: ${step}`),
        onExit: (code) => {
          this.output.error(`the cluster worker exited unexpectedly (code ${code})`);
          this.detach();
          this.set('failed');
        },
      });
    } catch (e) {
      this.output.error(`cannot start: ${(e as Error).message}`);
      this.set('failed');
      void vscode.window.showErrorMessage(`KubeLab: cannot start the cluster: ${(e as Error).message}`);
      return;
    }
    this.admin = this.worker.connect(this.worker.info.adminToken);
    this.context.environmentVariableCollection.replace('KUBECONFIG', this.worker.info.kubeconfig);
    this.context.environmentVariableCollection.description = 'KUBECONFIG of the KubeLab cluster';
    for (const p of this.worker.info.addonProblems) this.output.warn(p);
    this.timer = setInterval(() => void this.refresh(), 2000);
    this.set('running');
    await this.refresh();
  }

  private detach(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.admin?.close();
    this.admin = undefined;
    this.context.environmentVariableCollection.delete('KUBECONFIG');
  }

  async stop(): Promise<void> {
    if (!this.worker || this.state !== 'running') return;
    this.set('stopping');
    const w = this.worker;
    this.detach();
    await w.stop();
    this.worker = undefined;
    this.set('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops and wipes the data directory. */
  async reset(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    this.output.info(`wiped ${this.dataDir}`);
  }

  async addNode(): Promise<string | undefined> {
    return this.worker?.node({ op: 'add' });
  }

  private summary = '';

  private async refresh(): Promise<void> {
    const w = this.worker;
    if (!w || this.state !== 'running') return;
    const s = await w.status().catch(() => undefined);
    if (!s) return;
    const ready = s.nodes.filter((n) => n.state === 'running').length;
    const pods = s.nodes.reduce((sum, n) => sum + n.pods, 0);
    this.summary = `${ready}/${s.nodes.length} nodes · ${pods} pods`;
    this.render();
  }

  private render(): void {
    const icon = { stopped: '$(debug-stop)', starting: '$(loading~spin)', running: '$(server-environment)', stopping: '$(loading~spin)', failed: '$(error)' }[this.state];
    this.status.text = `${icon} KubeLab${this.state === 'running' && this.summary ? `: ${this.summary}` : `: ${this.state}`}`;
    this.status.tooltip = this.worker ? `API server ${this.worker.info.url}\nKubeconfig ${this.worker.info.kubeconfig}` : 'KubeLab cluster';
  }

  dispose(): void {
    const w = this.worker;
    this.detach();
    this.worker = undefined;
    void w?.stop();
    this.status.dispose();
    this.output.dispose();
    this.changed.dispose();
  }
}
