/**
 * The Cluster tree's context actions: Describe and Why This Node (read-only `kubelab-describe:` documents, rendered
 * fresh from the API each time they open), Logs (followed into an output channel; container pick for multi-container
 * pods), Delete, Scale, Restart Rollout, and for nodes Cordon, Uncordon, Drain, Stop Kubelet / Start Kubelet
 * (failure simulation) and Remove; plus Reveal (from the event panel). The work is src/ui/cluster's actions; this file
 * asks, confirms, shows progress and reports kubectl's one-line result or the server's message.
 */
import * as vscode from 'vscode';
import type { Transport } from '../client/transport';
import { containersOf, cordon, deleteObject, describe, drain, followLogs, restartRollout, scale, uncordon, whyThisNode, type ClusterTreeItem } from '../ui/cluster';
import type { ObjectRef } from '../ui/events';
import type { ClusterHost } from './cluster-host';
import type { ClusterView } from './cluster-view';

const SCHEME = 'kubelab-describe';

export class ClusterCommands implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly logs = new Map<string, { channel: vscode.OutputChannel; stop: AbortController }>();

  constructor(
    private readonly host: ClusterHost,
    private readonly view: ClusterView,
  ) {
    const on = (name: string, fn: (it: ClusterTreeItem, t: Transport) => Promise<unknown>) =>
      vscode.commands.registerCommand(`kubelab.cluster.${name}`, async (id?: string) => {
        const t = host.transport;
        const it = id ? view.model.item(id) : undefined;
        if (!t) return void vscode.window.showWarningMessage('KubeLab: the cluster is not running (KubeLab: Start).');
        if (!it?.ref) return;
        try {
          await fn(it, t);
        } catch (e) {
          void vscode.window.showErrorMessage(`KubeLab: ${(e as Error).message}`);
        }
      });
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      on('describe', (it) => this.open('describe', it)),
      on('whyThisNode', (it) => this.open('why', it)),
      on('logs', (it, t) => this.followLogs(it, t)),
      on('delete', async (it, t) => {
        const ok = await vscode.window.showWarningMessage(`Delete ${it.ref!.kind.toLowerCase()} "${it.ref!.name}"?`, { modal: true }, 'Delete');
        if (ok === 'Delete') this.done(await deleteObject(t, it.ref!.kind, it.ref!.namespace, it.ref!.name));
      }),
      on('scale', async (it, t) => {
        const cur = (view.model.object(it.id)?.spec as { replicas?: number } | undefined)?.replicas;
        const text = await vscode.window.showInputBox({
          prompt: `Replicas of ${it.label}`,
          value: cur === undefined ? '' : String(cur),
          validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 100_000 ? undefined : 'a whole number from 0 to 100000'),
        });
        if (text !== undefined) this.done(await scale(t, it.ref!.kind, it.ref!.namespace, it.ref!.name, Number(text.trim())));
      }),
      on('restartRollout', async (it, t) => this.done(await restartRollout(t, it.ref!.kind, it.ref!.namespace, it.ref!.name))),
      on('cordon', async (it, t) => this.done(await cordon(t, it.ref!.name))),
      on('uncordon', async (it, t) => this.done(await uncordon(t, it.ref!.name))),
      on('drain', async (it, t) => {
        const ok = await vscode.window.showWarningMessage(`Drain node ${it.ref!.name}? It is cordoned and its pods are evicted (DaemonSet pods stay).`, { modal: true }, 'Drain');
        if (ok !== 'Drain') return;
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `KubeLab: draining ${it.ref!.name}` }, (p) =>
          drain(t, it.ref!.name, { ignoreDaemonSets: true, deleteEmptyDir: true, timeoutMs: 300_000, onProgress: (line) => (p.report({ message: line }), host.output.info(line)) }),
        );
        this.done(result);
      }),
      on('stopKubelet', async (it) => {
        await host.node({ op: 'stop', name: it.ref!.name });
        this.done(`node ${it.ref!.name}: kubelet stopped (the node goes NotReady after the node monitor grace period, 50 s)`);
      }),
      on('startKubelet', async (it) => {
        await host.node({ op: 'start', name: it.ref!.name });
        this.done(`node ${it.ref!.name}: kubelet started`);
      }),
      on('removeNode', async (it) => {
        const ok = await vscode.window.showWarningMessage(`Remove node ${it.ref!.name} from the cluster?`, { modal: true }, 'Remove');
        if (ok !== 'Remove') return;
        await host.node({ op: 'remove', name: it.ref!.name });
        this.done(`node ${it.ref!.name} removed`);
      }),
      vscode.commands.registerCommand('kubelab.cluster.reveal', async (ref?: ObjectRef) => {
        if (!ref || !(await view.reveal(ref.kind, ref.namespace, ref.name))) void vscode.window.showInformationMessage(`KubeLab: ${ref?.kind ?? ''} ${ref?.name ?? ''} is not in the Cluster tree`);
      }),
    );
  }

  private done(line: string): void {
    this.host.output.info(line);
    void vscode.window.showInformationMessage(`KubeLab: ${line}`);
  }

  private async open(what: 'describe' | 'why', it: ClusterTreeItem): Promise<void> {
    const r = it.ref!;
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${what}/${r.kind}/${r.namespace || '-'}/${r.name}`, query: String(Date.now()) });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, what, kind, nsPart, name] = uri.path.split('/');
    const namespace = nsPart === '-' ? '' : nsPart;
    const t = this.host.transport;
    if (!t) return '# KubeLab: the cluster is not running';
    const id = this.view.model.revealPath(kind, namespace, name)?.at(-1);
    const obj = id ? this.view.model.object(id) : undefined;
    if (!obj) return `# ${kind} ${namespace ? `${namespace}/` : ''}${name} is gone`;
    if (what === 'why') return whyThisNode(obj);
    const selector = [`involvedObject.name=${name}`, `involvedObject.kind=${kind}`, ...(namespace ? [`involvedObject.namespace=${namespace}`] : [])].join(',');
    const res = await t.request({ method: 'GET', path: namespace ? `/api/v1/namespaces/${namespace}/events` : '/api/v1/events', query: { fieldSelector: selector } });
    const events = res.status === 200 ? ((res.body as { items?: unknown[] }).items ?? []) : undefined;
    return describe(kind, obj, events, { now: Date.now() });
  }

  private async followLogs(it: ClusterTreeItem, t: Transport): Promise<void> {
    const r = it.ref!;
    if (r.kind !== 'Pod') return;
    const containers = containersOf(this.view.model.object(it.id));
    let container = containers[0]?.name;
    if (containers.length > 1) {
      const pick = await vscode.window.showQuickPick(containers.map((c) => ({ label: c.name, description: c.type })), { placeHolder: `Container of ${r.name}` });
      if (!pick) return;
      container = pick.label;
    }
    const key = `${r.namespace}/${r.name}/${container ?? ''}`;
    this.logs.get(key)?.stop.abort();
    const channel = this.logs.get(key)?.channel ?? vscode.window.createOutputChannel(`KubeLab Logs: ${r.name}${containers.length > 1 ? `/${container}` : ''}`);
    const stop = new AbortController();
    this.logs.set(key, { channel, stop });
    channel.clear();
    channel.show(true);
    try {
      for await (const line of followLogs(t, r.namespace, r.name, container, { tailLines: 500, signal: stop.signal })) channel.appendLine(line);
      channel.appendLine(`--- ${r.name}: the pod's containers have ended`);
    } catch (e) {
      if (!stop.signal.aborted) channel.appendLine(`--- ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const { channel, stop } of this.logs.values()) {
      stop.abort();
      channel.dispose();
    }
    for (const d of this.disposables) d.dispose();
  }
}
