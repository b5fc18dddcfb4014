import * as vscode from 'vscode';
import type { ClusterHost } from './cluster-host';

/** The command ids (category "KubeLab"); package.json contributes the same list. */
export const COMMANDS = {
  start: 'kubelab.start',
  stop: 'kubelab.stop',
  restart: 'kubelab.restart',
  reset: 'kubelab.reset',
  addNode: 'kubelab.addNode',
  showOutput: 'kubelab.showOutput',
  copyKubeconfigPath: 'kubelab.copyKubeconfigPath',
  quickPick: 'kubelab.quickPick',
  openEventPanel: 'kubelab.openEventPanel',
  revealInCluster: 'kubelab.cluster.reveal',
} as const;

const PICKS: { label: string; command: string }[] = [
  { label: '$(play) Start', command: COMMANDS.start },
  { label: '$(debug-stop) Stop', command: COMMANDS.stop },
  { label: '$(debug-restart) Restart', command: COMMANDS.restart },
  { label: '$(trash) Reset (wipes the data)', command: COMMANDS.reset },
  { label: '$(add) Add Node', command: COMMANDS.addNode },
  { label: '$(list-unordered) Open Event Panel', command: COMMANDS.openEventPanel },
  { label: '$(output) Show Output', command: COMMANDS.showOutput },
  { label: '$(copy) Copy Kubeconfig Path', command: COMMANDS.copyKubeconfigPath },
];

/** Registers KubeLab's commands; the returned disposables belong to the extension context. */
export function registerCommands(host: ClusterHost, views: { openEventPanel(): Promise<void> }): vscode.Disposable[] {
  const notRunning = () => void vscode.window.showWarningMessage('KubeLab: the cluster is not running (KubeLab: Start).');
  return [
    vscode.commands.registerCommand(COMMANDS.start, () => host.start()),
    vscode.commands.registerCommand(COMMANDS.stop, () => host.stop()),
    vscode.commands.registerCommand(COMMANDS.restart, () => host.restart()),
    vscode.commands.registerCommand(COMMANDS.reset, async () => {
      const ok = await vscode.window.showWarningMessage('Reset the KubeLab cluster? This stops it and deletes all its data.', { modal: true }, 'Reset');
      if (ok === 'Reset') await host.reset().catch((e: Error) => vscode.window.showErrorMessage(`KubeLab: cannot reset: ${e.message}`));
    }),
    vscode.commands.registerCommand(COMMANDS.addNode, async () => {
      if (host.current !== 'running') return notRunning();
      try {
        const name = await host.node({ op: 'add' });
        void vscode.window.showInformationMessage(`KubeLab: node ${name ?? ''} added.`);
      } catch (e) {
        void vscode.window.showErrorMessage(`KubeLab: cannot add a node: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => host.output.show()),
    vscode.commands.registerCommand(COMMANDS.openEventPanel, () => views.openEventPanel()),
    vscode.commands.registerCommand(COMMANDS.copyKubeconfigPath, async () => {
      if (!host.kubeconfig) return notRunning();
      await vscode.env.clipboard.writeText(host.kubeconfig);
      void vscode.window.showInformationMessage(`KubeLab: copied ${host.kubeconfig}`);
    }),
    vscode.commands.registerCommand(COMMANDS.quickPick, async () => {
      const pick = await vscode.window.showQuickPick(PICKS, { placeHolder: `KubeLab (${host.current})` });
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),
  ];
}
