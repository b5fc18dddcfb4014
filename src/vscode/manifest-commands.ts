/**
 * "Apply Manifest", "Delete Resources in Manifest", "Server-Side Dry Run" and "Diff with Cluster" on `.yaml`, `.yml`
 * and `.json` files (explorer and editor context menus, editor title) and folders (every manifest inside). The
 * engine is src/ui/manifest (parse with source ranges, dependency order, server-side apply, kubectl's lines); this
 * file reads the files (unsaved editor text wins), shows progress and the summary, turns failures into diagnostics
 * on the field's node (400/422, YAML errors) or notifications (401, 403, 409, …), and opens diffs. A file's
 * diagnostics are replaced on every run, so they clear on the next successful apply.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { ManifestRunner, parseManifests, sizeRefusal, summaryHeadline, type ManifestAction, type ManifestDiagnostic, type ManifestRun } from '../ui/manifest';
import type { ClusterHost } from './cluster-host';

export const MANIFEST_COMMANDS = {
  apply: 'kubelab.apply',
  delete: 'kubelab.deleteManifest',
  dryRun: 'kubelab.dryRun',
  diff: 'kubelab.diff',
} as const;

/** Manifests larger than this are refused (kubectl reads them, but an editor extension must stay responsive). */
export { MAX_MANIFEST_BYTES } from '../ui/manifest';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_SHOWN_LINES = 6;
const VERBS: Record<Exclude<ManifestAction, 'diff'>, string> = { apply: 'Applying', dryRun: 'Dry-running', delete: 'Deleting' };

const SEVERITY: Record<ManifestDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function toDiagnostic(d: ManifestDiagnostic): vscode.Diagnostic {
  const r = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const diag = new vscode.Diagnostic(r, d.message, SEVERITY[d.severity]);
  diag.source = 'KubeLab';
  if (d.code) diag.code = d.code;
  return diag;
}

/** The manifest files named by a command's arguments: explorer selection, a folder, or the active editor. */
async function manifestFiles(uri: unknown, uris: unknown): Promise<vscode.Uri[]> {
  const picked = (Array.isArray(uris) && uris.length ? uris : uri ? [uri] : []).filter((u): u is vscode.Uri => u instanceof vscode.Uri);
  if (!picked.length) {
    const doc = vscode.window.activeTextEditor?.document;
    return doc ? [doc.uri] : [];
  }
  const out: vscode.Uri[] = [];
  for (const u of picked) {
    const stat = await vscode.workspace.fs.stat(u);
    if (stat.type & vscode.FileType.Directory) out.push(...(await folderManifests(u)));
    else out.push(u);
  }
  return out;
}

async function folderManifests(dir: vscode.Uri): Promise<vscode.Uri[]> {
  const out: vscode.Uri[] = [];
  const entries = (await vscode.workspace.fs.readDirectory(dir)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, type] of entries) {
    const child = vscode.Uri.joinPath(dir, name);
    if (type & vscode.FileType.Directory) {
      if (!SKIP_DIRS.has(name)) out.push(...(await folderManifests(child)));
    } else if (MANIFEST_FILE.test(name)) out.push(child);
  }
  return out;
}

async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open?.getText();
  const refused = sizeRefusal(uri.fsPath, text === undefined ? (await vscode.workspace.fs.stat(uri)).size : Buffer.byteLength(text));
  if (refused) throw new Error(refused);
  if (text !== undefined) return text;
  return new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
}

export class ManifestCommands implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('kubelab');
  private readonly diffDocs = new Map<string, string>();
  private diffSeq = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly host: ClusterHost) {
    const run = (action: ManifestAction) => (uri?: unknown, uris?: unknown) => this.run(action, uri, uris);
    this.disposables.push(
      this.diagnostics,
      vscode.commands.registerCommand(MANIFEST_COMMANDS.apply, run('apply')),
      vscode.commands.registerCommand(MANIFEST_COMMANDS.delete, run('delete')),
      vscode.commands.registerCommand(MANIFEST_COMMANDS.dryRun, run('dryRun')),
      vscode.commands.registerCommand(MANIFEST_COMMANDS.diff, run('diff')),
      vscode.workspace.registerTextDocumentContentProvider('kubelab-diff', { provideTextDocumentContent: (u) => this.diffDocs.get(u.path) ?? '' }),
    );
  }

  /** Runs `action` on the files; returns every file's run (for tests and the e2e suite). */
  async run(action: ManifestAction, uri?: unknown, uris?: unknown): Promise<ManifestRun[]> {
    const transport = this.host.transport;
    if (!transport) {
      void vscode.window.showWarningMessage('KubeLab: the cluster is not running (KubeLab: Start).');
      return [];
    }
    const files = await manifestFiles(uri, uris);
    if (!files.length) {
      void vscode.window.showWarningMessage('KubeLab: no manifest (.yaml, .yml or .json) to use.');
      return [];
    }
    if (action === 'delete' && files.length > 1) {
      const ok = await vscode.window.showWarningMessage(`Delete the resources of ${files.length} manifests from the KubeLab cluster?`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return [];
    }
    const runner = new ManifestRunner(transport);
    const label = files.length === 1 ? path.basename(files[0].fsPath) : `${files.length} manifests`;
    const runs: ManifestRun[] = [];
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `KubeLab: ${action === 'diff' ? 'Diffing' : VERBS[action]} ${label}` }, async (progress) => {
      for (const file of files) {
        progress.report({ message: path.basename(file.fsPath), increment: 100 / files.length });
        runs.push(await this.runFile(runner, action, file));
      }
    });
    if (action === 'diff') await this.showDiff(runs, label);
    else this.report(action, runs);
    return runs;
  }

  private async runFile(runner: ManifestRunner, action: ManifestAction, file: vscode.Uri): Promise<ManifestRun> {
    const name = path.basename(file.fsPath);
    let text: string;
    try {
      text = await readText(file);
    } catch (e) {
      const error = `error: ${(e as Error).message}`;
      this.host.output.error(error);
      return { outcomes: [], diagnostics: [], failure: error };
    }
    const run = await runner.run(parseManifests(text, name), action, file.fsPath);
    this.diagnostics.set(file, run.diagnostics.map(toDiagnostic));
    for (const o of run.outcomes) {
      if (o.line) this.host.output.info(`${name}: ${o.line}`);
      if (o.error) this.host.output.error(`${name}: ${o.error}`);
    }
    return run;
  }

  private report(action: ManifestAction, runs: ManifestRun[]): void {
    const outcomes = runs.flatMap((r) => r.outcomes);
    const lines = outcomes.flatMap((o) => (o.line ? [o.line] : []));
    const errors = [...outcomes.flatMap((o) => (o.error ? [o.error] : [])), ...runs.flatMap((r) => (r.failure ? [r.failure] : []))];
    const problems = runs.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    const shown = lines.length > MAX_SHOWN_LINES ? `${summaryHeadline(outcomes.flatMap((o) => (o.operation ? [o.operation] : [])))} (see KubeLab output)` : lines.join(' · ');
    if (errors.length || problems) {
      const first = errors[0] ?? `${problems} problem${problems === 1 ? '' : 's'} in the manifest (see Problems)`;
      const more = errors.length > 1 ? ` (+${errors.length - 1} more, see KubeLab output)` : '';
      void vscode.window.showErrorMessage(`KubeLab: ${first}${more}${lines.length ? ` — done: ${shown}` : ''}`, 'Show Output').then((c) => c && this.host.output.show());
      return;
    }
    void vscode.window.showInformationMessage(`KubeLab: ${shown || (action === 'delete' ? 'nothing deleted' : 'nothing applied')}`);
  }

  private async showDiff(runs: ManifestRun[], label: string): Promise<void> {
    const outcomes = runs.flatMap((r) => r.outcomes);
    const failed = outcomes.filter((o) => o.error);
    if (failed.length) void vscode.window.showErrorMessage(`KubeLab: ${failed[0].error}`);
    const diffable = outcomes.filter((o) => o.merged);
    if (!diffable.length) return;
    const id = ++this.diffSeq;
    const side = (pick: 'live' | 'merged') => diffable.map((o) => (o[pick] ? stringify(o[pick]) : '')).join('---\n');
    this.diffDocs.set(`/${id}/live.yaml`, side('live'));
    this.diffDocs.set(`/${id}/merged.yaml`, side('merged'));
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(`kubelab-diff:/${id}/live.yaml`), vscode.Uri.parse(`kubelab-diff:/${id}/merged.yaml`), `${label}: cluster ↔ manifest`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
