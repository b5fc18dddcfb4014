import * as vscode from 'vscode';

export const SHOW_STATUS_COMMAND = 'kubelab.showStatus';

export const NOT_STARTED_MESSAGE = 'KubeLab: the cluster is not started yet; only the embedded store exists so far.';

/** Registers KubeLab's commands; the returned disposables belong to the extension context. */
export function registerCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SHOW_STATUS_COMMAND, async () => {
      await vscode.window.showInformationMessage(NOT_STARTED_MESSAGE);
    }),
  ];
}
