/**
 * The "Cluster" tree (view `kubelab.cluster`): nodes (Ready/NotReady/cordoned, requested vs allocatable) and
 * namespaces → workloads → pods with status icons, fed live by the ClusterFeed's informers into the pure
 * ClusterTreeModel (src/ui/cluster); refreshes are batched (≤ 10/s, only the items that changed). It also keeps the
 * status bar's counts (nodes Ready/total, pods Running/total). The context actions live in cluster-commands.ts.
 */
import * as vscode from 'vscode';
import type { KubeObject } from '../api/object';
import { deletedObject } from '../client/informers';
import { R } from '../controllers/framework/resources';
import { ClusterTreeModel, RESOURCE_KINDS, type ClusterResource, type ClusterTreeItem, type IconId } from '../ui/cluster';
import type { ClusterFeed } from './cluster-feed';
import type { ClusterHost } from './cluster-host';

export const CLUSTER_VIEW_ID = 'kubelab.cluster';
const FLUSH_MS = 100;
const MAX_ITEM_REFRESHES = 100;

const COLORS: Partial<Record<IconId, string>> = {
  pass: 'testing.iconPassed',
  check: 'testing.iconPassed',
  error: 'testing.iconFailed',
  warning: 'list.warningForeground',
  question: 'list.warningForeground',
  'circle-slash': 'disabledForeground',
  trash: 'disabledForeground',
};

function themeIcon(icon: IconId): vscode.ThemeIcon {
  if (icon === 'loading') return new vscode.ThemeIcon('loading~spin');
  const color = COLORS[icon];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

const COLLAPSIBLE = { none: vscode.TreeItemCollapsibleState.None, collapsed: vscode.TreeItemCollapsibleState.Collapsed, expanded: vscode.TreeItemCollapsibleState.Expanded };

/** `3/4 nodes · 10/11 pods`: nodes Ready of all, pods Running of all (terminated pods not counted). */
export function clusterSummary(nodes: readonly KubeObject[], pods: readonly KubeObject[]): string {
  const ready = nodes.filter((n) => ((n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
  const live = pods.filter((p) => phase(p) !== 'Succeeded' && phase(p) !== 'Failed');
  const running = live.filter((p) => phase(p) === 'Running').length;
  return `${ready}/${nodes.length} nodes · ${running}/${live.length} pods`;
}

export class ClusterView implements vscode.TreeDataProvider<string>, vscode.Disposable {
  readonly model = new ClusterTreeModel();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<string>;
  private pending = new Set<string>();
  private all = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: ClusterHost,
    private readonly feed: ClusterFeed,
  ) {
    for (const resource of Object.keys(RESOURCE_KINDS) as ClusterResource[]) {
      const ref = R[resource];
      feed.watch(ref, {
        onAdd: (o) => this.mark(this.model.apply(resource, 'ADDED', o as KubeObject)),
        onUpdate: (_o, n) => this.mark(this.model.apply(resource, 'MODIFIED', n as KubeObject)),
        onDelete: (o) => this.mark(this.model.apply(resource, 'DELETED', deletedObject(o) as KubeObject)),
      });
    }
    this.view = vscode.window.createTreeView(CLUSTER_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      feed.onDidReset(() => {
        for (const resource of Object.keys(RESOURCE_KINDS) as ClusterResource[]) this.model.reset(resource, []);
        this.all = true;
        this.schedule();
      }),
    );
  }

  private mark(ids: readonly string[]): void {
    for (const id of ids) this.pending.add(id);
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const ids = this.pending;
    this.pending = new Set();
    const roots = new Set(this.model.roots().map((r) => r.id));
    // Many changed items (a 1,000-replica rollout): one refresh of the tree costs less than one message per item.
    if (this.all || ids.size > MAX_ITEM_REFRESHES || [...ids].some((id) => roots.has(id))) this.changed.fire(undefined);
    else for (const id of ids) if (this.model.item(id)) this.changed.fire(id);
    this.all = false;
    this.host.setSummary(clusterSummary(this.feed.list(R.nodes) as KubeObject[], this.feed.list(R.pods) as KubeObject[]));
  }

  getChildren(id?: string): string[] {
    if (this.host.current !== 'running') return [];
    return id ? this.model.childIds(id) : this.model.roots().map((r) => r.id);
  }

  getParent(id: string): string | undefined {
    return this.model.parentOf(id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const it: ClusterTreeItem | undefined = this.model.item(id);
    if (!it) return new vscode.TreeItem(id);
    const t = new vscode.TreeItem(it.label, COLLAPSIBLE[it.collapsible]);
    t.id = it.id;
    t.description = it.description;
    t.tooltip = it.tooltip;
    t.iconPath = themeIcon(it.icon);
    t.contextValue = it.contextValue;
    return t;
  }

  /** Reveals an object (from the event panel): selects it, expanding its parents. */
  async reveal(kind: string, namespace: string, name: string): Promise<boolean> {
    const path = this.model.revealPath(kind, namespace, name);
    if (!path?.length) return false;
    await this.view.reveal(path[path.length - 1], { select: true, focus: true, expand: false });
    return true;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
