import * as vscode from 'vscode';
import { ClusterCommands } from './vscode/cluster-commands';
import { ClusterFeed } from './vscode/cluster-feed';
import { ClusterHost } from './vscode/cluster-host';
import { COMMANDS, registerCommands } from './vscode/commands';
import { EventPanel } from './vscode/event-panel';
import { ManifestCommands } from './vscode/manifest-commands';
import { ClusterView } from './vscode/cluster-view';
import { RegistryView } from './vscode/registry-view';

/** What `activate` returns (vscode.extensions.getExtension('kubelab.kubelab').exports): for tests and other extensions. */
export interface KubeLabApi {
  host: ClusterHost;
  manifests: ManifestCommands;
  /** performance.now() when activate() began and ended (the e2e run measures activation with them). */
  activation: { start: number; end: number };
}

/** Activation only wires: every object it creates is registered on the context and disposed with it. The cluster
 * starts in a worker thread (setting `kubelab.autoStart`, default on) without delaying activation. */
export function activate(context: vscode.ExtensionContext): KubeLabApi {
  const start = performance.now();
  const host = new ClusterHost(context);
  const feed = new ClusterFeed(host);
  const registry = new RegistryView(host);
  const cluster = new ClusterView(host, feed);
  const clusterCommands = new ClusterCommands(host, cluster);
  const manifests = new ManifestCommands(host);
  const panel = new EventPanel(context, feed, host.output, {
    reveal: (ref) => void vscode.commands.executeCommand(COMMANDS.revealInCluster, ref),
    openRegistry: (key) => void registry.openKey(key),
  });
  context.subscriptions.push(host, feed, registry, cluster, clusterCommands, manifests, panel, ...registerCommands(host, { openEventPanel: () => panel.show() }));
  if (vscode.workspace.getConfiguration('kubelab').get<boolean>('autoStart', true)) void host.start();
  return { host, manifests, activation: { start, end: performance.now() } };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
