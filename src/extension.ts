import * as vscode from 'vscode';
import { ClusterHost } from './vscode/cluster-host';
import { registerCommands } from './vscode/commands';
import { RegistryView } from './vscode/registry-view';

/** Activation only wires: every object it creates is registered on the context and disposed with it. The cluster
 * starts in a worker thread (setting `kubelab.autoStart`, default on) without delaying activation. */
export function activate(context: vscode.ExtensionContext): void {
  const host = new ClusterHost(context);
  context.subscriptions.push(host, ...registerCommands(host), new RegistryView(host));
  if (vscode.workspace.getConfiguration('kubelab').get<boolean>('autoStart', true)) void host.start();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
