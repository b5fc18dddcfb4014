import * as vscode from 'vscode';

export const SHOW_STATUS_COMMAND = 'kubelab.showStatus';

export const NOT_STARTED_MESSAGE = 'KubeLab: the cluster does not run inside VS Code yet; start it headless with `npm start` (storage + API server for kubectl).';

/** Registers KubeLab's commands; the returned disposables belong to the extension context. */
export function registerCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SHOW_STATUS_COMMAND, async () => {
      await vscode.window.showInformationMessage(NOT_STARTED_MESSAGE);
    }),
  ];
}
