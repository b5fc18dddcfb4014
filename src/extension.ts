import type * as vscode from 'vscode';
import { registerCommands } from './vscode/commands';

/** Activation only wires: every object it creates is registered on the context and disposed with it. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(...registerCommands());
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
