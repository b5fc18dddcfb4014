/**
 * The build steps of the e2e run: `npm run build` (the extension's bundles into dist/), the .vsix
 * (`vsce package --no-dependencies --skip-license`, which also runs vscode:prepublish) into the run folder, and the
 * extension host suite (test/e2e/extension-host/index.ts bundled with mocha by esbuild, `vscode` external) into
 * `<out>/extension-host/index.js`.
 *
 * Contract: each step throws with the tool's output when it fails; nothing is written inside the repo except what
 * `npm run build` itself writes (dist/, media/).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Log } from './prerequisites';

function run(repo: string, command: string, args: string[], timeoutMs: number): void {
  const r = spawnSync(command, args, { cwd: repo, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout}\n${r.stderr}`.trim());
  }
}

export function buildExtension(repo: string, log: Log): void {
  const t = Date.now();
  run(repo, 'npm', ['run', '--silent', 'build'], 300_000);
  log(`npm run build: ${Date.now() - t} ms`);
}

export function packageVsix(repo: string, outDir: string, log: Log): string {
  const t = Date.now();
  const vsix = path.join(outDir, 'kubelab.vsix');
  run(repo, 'npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '--out', vsix], 300_000);
  if (!fs.existsSync(vsix)) throw new Error(`vsce package wrote no ${vsix}`);
  log(`vsce package: ${Date.now() - t} ms (${Math.round(fs.statSync(vsix).size / 1024)} KiB)`);
  return vsix;
}

/** Bundles the extension host suite; returns the absolute path of its entry (extensionTestsPath). */
export async function buildHostSuite(repo: string, outDir: string, log: Log): Promise<string> {
  const t = Date.now();
  const outfile = path.join(outDir, 'extension-host', 'index.js');
  await build({
    absWorkingDir: repo,
    entryPoints: [path.join(repo, 'test/e2e/extension-host/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'error',
  });
  log(`extension host suite bundled: ${Date.now() - t} ms`);
  return outfile;
}
