/**
 * The architecture is enforced by the build: eslint.config.mjs forbids the imports that would break it, and this
 * test proves the rules fire (and do not fire where the import is allowed). It also keeps the top level fixed.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '..', '..');

const ARCHITECTURE_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint | undefined;

/** Lints `code` as if it lived at `filePath` (relative to the repo root); returns the architecture violations. */
async function violations(code: string, filePath: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: repoRoot, overrideConfigFile: path.join(repoRoot, 'eslint.config.mjs') });
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, filePath) });
  assert.ok(result, `no lint result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${filePath} did not parse`);
  return result.messages.filter((m) => m.ruleId && ARCHITECTURE_RULES.has(m.ruleId)).map((m) => m.message);
}

async function assertForbidden(code: string, filePath: string): Promise<void> {
  const found = await violations(code, filePath);
  assert.ok(found.length > 0, `expected ${JSON.stringify(code)} to be forbidden in ${filePath}`);
}

async function assertAllowed(code: string, filePath: string): Promise<void> {
  assert.deepEqual(await violations(code, filePath), [], `expected ${JSON.stringify(code)} to be allowed in ${filePath}`);
}

const importVscode = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
const importStore = (from: string) => `import { Store } from '${from}';\nexport type X = Store;\n`;

describe('architecture: only src/vscode/** and src/extension.ts import vscode', () => {
  it('forbids vscode in pure logic, the API server, the cluster, storage, the webview and unit tests', async () => {
    for (const file of [
      'src/controllers/x.ts',
      'src/base/x.ts',
      'src/apiserver/x.ts',
      'src/cluster/x.ts',
      'src/storage/x.ts',
      'src/cli/x.ts',
      'webview/x.ts',
      'test/unit/x.test.ts',
      'test/conformance/x.test.ts',
    ]) {
      await assertForbidden(importVscode, file);
    }
  });

  it('forbids type-only, re-exported and dynamic imports of vscode too', async () => {
    await assertForbidden("import type { Disposable } from 'vscode';\nexport type D = Disposable;\n", 'src/base/x.ts');
    await assertForbidden("export { window } from 'vscode';\n", 'src/base/x.ts');
    await assertForbidden("export async function f() { return import('vscode'); }\n", 'src/controllers/x.ts');
  });

  it('allows vscode in src/vscode/** and src/extension.ts', async () => {
    await assertAllowed(importVscode, 'src/vscode/x.ts');
    await assertAllowed(importVscode, 'src/vscode/tree/x.ts');
    await assertAllowed(importVscode, 'src/extension.ts');
  });
});

describe('architecture: only the API server, the composition root and storage itself import src/storage', () => {
  it('forbids storage in controllers, scheduler, kubelet, client, the VS Code layer and the webview', async () => {
    await assertForbidden(importStore('../storage/store'), 'src/controllers/x.ts');
    await assertForbidden(importStore('../../storage/store'), 'src/controllers/deployment/x.ts');
    await assertForbidden(importStore('../../storage/sqljs/store'), 'src/scheduler/plugins/x.ts');
    await assertForbidden(importStore('../storage'), 'src/kubelet/x.ts');
    await assertForbidden(importStore('../storage/store'), 'src/client/x.ts');
    await assertForbidden(importStore('../storage/store'), 'src/vscode/x.ts');
    await assertForbidden(importStore('./storage/store'), 'src/extension.ts');
    await assertForbidden(importStore('../src/storage/store'), 'webview/x.ts');
    await assertForbidden("export * from '../storage/store';\n", 'src/api/x.ts');
  });

  it('allows storage in src/apiserver/**, src/cluster/**, src/storage/** and tests', async () => {
    await assertAllowed(importStore('../storage/store'), 'src/apiserver/x.ts');
    await assertAllowed(importStore('../../storage/store'), 'src/apiserver/registry/x.ts');
    await assertAllowed(importStore('../storage/store'), 'src/cluster/x.ts');
    await assertAllowed(importStore('../store'), 'src/storage/sqljs/x.ts');
    await assertAllowed(importStore('../../../src/storage/store'), 'test/unit/storage/x.test.ts');
    await assertAllowed(importStore('../../src/storage/store'), 'test/conformance/x.test.ts');
  });

  it('does not mistake other modules for storage', async () => {
    await assertAllowed("import { x } from '../storageClass/x';\nexport const y = x;\n", 'src/controllers/x.ts');
    await assertAllowed("import { x } from '../base/clock';\nexport const y = x;\n", 'src/controllers/x.ts');
  });
});

describe('architecture: the top level is fixed', () => {
  const allowed = new Set([
    'src',
    'webview',
    'media',
    'test',
    '.ci',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'eslint.config.mjs',
    'README.md',
    '.vscodeignore',
    '.gitignore',
  ]);

  /** Top-level entries of tracked and untracked (not ignored) files; falls back to the directory if git is absent. */
  function topLevelEntries(): { name: string; isDir: boolean }[] {
    let files: string[];
    try {
      const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      files = out.split('\0').filter(Boolean);
    } catch {
      files = readdirSync(repoRoot, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
    }
    const entries = new Map<string, boolean>();
    for (const f of files) {
      const slash = f.indexOf('/');
      entries.set(slash < 0 ? f : f.slice(0, slash), slash >= 0);
    }
    return [...entries].map(([name, isDir]) => ({ name, isDir }));
  }

  it('contains only the allowed entries', () => {
    const unexpected = topLevelEntries()
      .filter(({ name }) => name !== 'node_modules' && name !== 'dist' && name !== '.git' && !name.endsWith('.vsix'))
      .filter(({ name, isDir }) => !(isDir && name.startsWith('.') && name !== '.ci'))
      .map(({ name }) => name)
      .filter((name) => !allowed.has(name))
      .sort();
    assert.deepEqual(unexpected, [], `unexpected top-level entries: ${unexpected.join(', ')}`);
  });
});
