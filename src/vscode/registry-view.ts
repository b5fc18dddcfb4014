/**
 * The "Registry" tree (view `kubelab.registry` in the KubeLab view container): the store's `/registry` keys as a
 * hierarchy, from the worker's read-only registry view — listed once, then updated live from its watch through the
 * ChangeBatcher (≤ 10 refreshes/s, only the folders that changed), folders with counts, pages of 500 with a
 * "Load 500 more…" row, tooltips with the revisions and lease. Opening a key shows its value in a read-only
 * `kubelab:` document (YAML or JSON per `kubelab.registry.format`), refreshed when the key changes; "Show History"
 * picks an earlier revision to open or compare. The model is src/ui/registry (pure, unit-tested).
 */
import * as vscode from 'vscode';
import { systemClock } from '../base/clock';
import type { RegistryClient } from '../cluster/registry-port';
import { ChangeBatcher, PAGE_SIZE, RegistryTree, folderTooltip, historyLabel, keyTooltip, parseRegistryUri, registryUri, renderValue, type RegistryEvent, type RegistryNode, type ValueFormat } from '../ui/registry';
import type { MoreMarker } from '../ui/registry/registry-nodes';
import type { ClusterHost } from './cluster-host';

type Item = RegistryNode | MoreMarker;

const format = (): ValueFormat => vscode.workspace.getConfiguration('kubelab').get<ValueFormat>('registry.format', 'yaml');

export class RegistryView implements vscode.TreeDataProvider<Item>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly tree = new RegistryTree();
  private readonly limits = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly docChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.docChanged.event;
  private client: RegistryClient | undefined;
  private stopWatch: (() => void) | undefined;
  private readonly batcher = new ChangeBatcher<RegistryEvent>({ clock: systemClock, flush: (events) => this.applyBatch(events) });
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly host: ClusterHost) {
    this.disposables.push(
      host.onDidChangeState((s) => (s === 'running' ? void this.connect() : this.disconnect())),
      vscode.window.registerTreeDataProvider('kubelab.registry', this),
      vscode.workspace.registerTextDocumentContentProvider('kubelab', this),
      vscode.commands.registerCommand('kubelab.registry.loadMore', (m: MoreMarker) => {
        this.limits.set(m.folder, (this.limits.get(m.folder) ?? PAGE_SIZE) + PAGE_SIZE);
        this.changed.fire(this.tree.node(m.folder, 'folder'));
      }),
      vscode.commands.registerCommand('kubelab.registry.showHistory', (n?: RegistryNode) => this.showHistory(n)),
      vscode.commands.registerCommand('kubelab.registry.compareWithPrevious', (n?: RegistryNode) => this.compareWithPrevious(n)),
    );
    if (host.current === 'running') void this.connect();
  }

  private async connect(): Promise<void> {
    const c = await this.host.registry();
    if (!c) return;
    this.client = c;
    const { kvs, revision } = await c.list();
    this.tree.reset(kvs, revision);
    this.tree.takeChanged();
    this.changed.fire(undefined);
    this.stopWatch = c.watch(revision, (events) => this.batcher.pushAll(events), () => undefined);
  }

  private disconnect(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
    this.client?.close();
    this.client = undefined;
    this.tree.reset([]);
    this.changed.fire(undefined);
  }

  private applyBatch(events: RegistryEvent[]): void {
    this.tree.apply(events);
    for (const path of this.tree.takeChanged()) this.changed.fire(path === this.tree.rootNode().path ? undefined : this.tree.node(path, 'folder'));
    // Refresh only the registry documents that are open (thousands of keys change per second under load).
    const open = new Map<string, vscode.Uri>();
    for (const d of vscode.workspace.textDocuments) {
      const parts = d.uri.scheme === 'kubelab' ? parseRegistryUri(d.uri.toString()) : undefined;
      if (parts && !parts.rev) open.set(parts.key, d.uri);
    }
    if (!open.size) return;
    for (const key of new Set(events.map((e) => e.kv.key))) {
      const uri = open.get(key);
      if (uri) this.docChanged.fire(uri);
    }
  }

  getChildren(el?: Item): Item[] {
    if (!el) return this.client ? [this.tree.rootNode()] : [];
    if (el.kind !== 'folder') return [];
    const page = this.tree.children(el.path, { limit: this.limits.get(el.path) ?? PAGE_SIZE });
    return page.more ? [...page.items, page.more] : [...page.items];
  }

  getTreeItem(el: Item): vscode.TreeItem {
    if (el.kind === 'more') {
      const t = new vscode.TreeItem(el.label, vscode.TreeItemCollapsibleState.None);
      t.id = el.id;
      t.command = { command: 'kubelab.registry.loadMore', title: el.label, arguments: [el] };
      return t;
    }
    if (el.kind === 'folder') {
      const t = new vscode.TreeItem(el.name, vscode.TreeItemCollapsibleState.Collapsed);
      t.id = el.id;
      t.description = String(el.count);
      t.tooltip = folderTooltip(el.path, el.count);
      t.contextValue = 'registryFolder';
      return t;
    }
    const t = new vscode.TreeItem(el.name, vscode.TreeItemCollapsibleState.None);
    t.id = el.id;
    t.tooltip = keyTooltip(el.entry);
    t.contextValue = 'registryKey';
    t.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(registryUri(el.entry.key, undefined, format()))] };
    return t;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parts = parseRegistryUri(uri.toString());
    if (!parts || !this.client) return '# KubeLab: the cluster is not running';
    const kv = await this.client.get(parts.key, parts.rev);
    if (!kv) return `# ${parts.key}: no such key${parts.rev ? ` at revision ${parts.rev}` : ''}`;
    return renderValue(kv.value, parts.format).text;
  }

  /** Opens a key's value document (the event panel's "open registry document"). */
  async openKey(key: string): Promise<void> {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(registryUri(key, undefined, format())));
  }

  private keyOf(n?: RegistryNode): string | undefined {
    return n?.kind === 'key' ? n.entry.key : parseRegistryUri(vscode.window.activeTextEditor?.document.uri.toString() ?? '')?.key;
  }

  /** The key's current value against the revision before it, in VS Code's diff editor. */
  private async compareWithPrevious(n?: RegistryNode): Promise<void> {
    const key = this.keyOf(n);
    if (!key || !this.client) return;
    const [cur, prev] = await this.client.history(key);
    const f = format();
    if (!cur) return void vscode.window.showInformationMessage(`KubeLab: ${key} has no stored revision`);
    if (!prev) return void vscode.window.showInformationMessage(`KubeLab: ${key} has no earlier revision (or it was compacted)`);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(registryUri(key, prev.modRevision, f)), vscode.Uri.parse(registryUri(key, cur.modRevision, f)), `${key}: rev ${prev.modRevision} ↔ ${cur.modRevision}`);
  }

  private async showHistory(n?: RegistryNode): Promise<void> {
    const key = this.keyOf(n);
    if (!key || !this.client) return;
    const revs = await this.client.history(key);
    const pick = await vscode.window.showQuickPick(
      revs.map((r, i) => ({ label: historyLabel(r), rev: r.modRevision, previous: revs[i + 1]?.modRevision })),
      { placeHolder: `Revisions of ${key} (newest first); pick one to compare with the revision before it` },
    );
    if (!pick) return;
    const f = format();
    const right = vscode.Uri.parse(registryUri(key, pick.rev, f));
    if (!pick.previous) return void vscode.commands.executeCommand('vscode.open', right);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(registryUri(key, pick.previous, f)), right, `${key}: rev ${pick.previous} ↔ ${pick.rev}`);
  }

  dispose(): void {
    this.disconnect();
    this.batcher.dispose();
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.docChanged.dispose();
  }
}
