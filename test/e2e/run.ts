/**
 * The e2e run: prerequisites (system packages, cached code-server), build (bundles, .vsix, extension host suite), then
 * (a) the UI scenarios on one code-server with the .vsix installed, driven by chromium, one screenshot each in
 * test-artifacts/e2e/, and (b) the mocha suite inside the real extension host of a second code-server (fresh user
 * data, the extension loaded from the repo folder). Prints `PASS <name>` / `FAIL <name>: why` per scenario and the
 * benchmark lines (`{"bench":"vscode",…}`), and returns them.
 *
 * Contract: every server and the browser are stopped on every exit path; the temp folder is removed unless `keep`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activationToStatusBarMs, armActivationProbe } from './harness/activation';
import { launchBrowser, openWorkbench, screenshot, type Browser } from './harness/browser';
import { RUN_SETTINGS, installExtension, launchCodeServer, makeRunDirs, type CodeServer } from './harness/code-server';
import { runExtensionHostTests } from './harness/extension-host';
import { SCENARIOS } from './scenarios';
import { kubeconfigPath, lazyKube, type BenchLine } from './scenarios/scenario';
import { buildExtension, buildHostSuite, packageVsix } from './setup/build';
import { ensureCodeServer, ensureSystemPackages, findChromium } from './setup/prerequisites';

export interface E2EOptions {
  repo: string;
  /** Substrings of scenario names to run ("6-extension-host" is the mocha suite); all when empty. */
  only: string[];
  /** Mocha grep inside the extension host (e.g. "bench:" for the benchmarks only). */
  hostGrep?: string;
  build: boolean;
  keep: boolean;
  artifacts: string;
  log(message: string): void;
  /** Where the PASS/FAIL lines go (stdout when not given). Bench lines always go to stdout. */
  report?(line: string): void;
}

export interface E2EResult {
  results: { name: string; ok: boolean; detail: string; ms: number }[];
  benches: BenchLine[];
}

export const HOST_SCENARIO = '6-extension-host';
const HOST_NODES = 10;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))),
  ]);
}

export async function runE2E(opts: E2EOptions): Promise<E2EResult> {
  const { log } = opts;
  const selected = (name: string): boolean => !opts.only.length || opts.only.some((o) => name.includes(o));
  const out: E2EResult = { results: [], benches: [] };
  const record = (name: string, ok: boolean, detail: string, ms: number): void => {
    out.results.push({ name, ok, detail, ms });
    const text = `${ok ? 'PASS' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`;
    if (opts.report) opts.report(text);
    else process.stdout.write(`${text}\n`);
  };
  const bench = (line: Omit<BenchLine, 'bench'>): void => {
    const full: BenchLine = { bench: 'vscode', ...line };
    out.benches.push(full);
    process.stdout.write(`${JSON.stringify(full)}\n`);
  };

  ensureSystemPackages(log);
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('chromium not found');
  const entry = ensureCodeServer(log);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-e2e-'));
  const servers: CodeServer[] = [];
  let browser: Browser | undefined;
  try {
    if (opts.build) buildExtension(opts.repo, log);
    const vsix = opts.build ? packageVsix(opts.repo, root, log) : path.join(opts.repo, 'kubelab.vsix');
    const hostSuite = await buildHostSuite(opts.repo, root, log);
    browser = await launchBrowser(chromiumPath, path.join(root, 'browser-profile'));
    fs.mkdirSync(opts.artifacts, { recursive: true });
    const fixture = path.join(opts.repo, 'test/e2e/fixtures/workspace');

    const ui = SCENARIOS.filter((s) => selected(s.name));
    if (ui.length) {
      const dirs = makeRunDirs(path.join(root, 'ui'), fixture);
      installExtension(entry, dirs, vsix);
      const server = await launchCodeServer(entry, dirs);
      servers.push(server);
      log(`code-server (UI) on ${server.url}`);
      await armActivationProbe(browser.context);
      const page = await openWorkbench(browser.context, server.url, dirs.workspace);
      const kube = lazyKube(dirs.userData);
      for (const s of ui) {
        const t = Date.now();
        const ctx = { page, server, log: (m: string) => log(`[${s.name}] ${m}`), bench, kube: () => kube.get() };
        let error: Error | undefined;
        try {
          await withTimeout(s.run(ctx), s.timeoutMs, s.title);
        } catch (e) {
          error = e as Error;
        }
        await screenshot(page, opts.artifacts, s.name);
        record(s.name, !error, error ? error.message.split('\n')[0] : '', Date.now() - t);
        if (s === ui[0]) {
          const a = await activationToStatusBarMs(page, dirs.userData);
          if (a.ms !== undefined) bench({ metric: 'activation_to_status_bar_ms', value: a.ms, unit: 'ms', better: 'lower', target: 500 });
          else log(`activation time not measured: ${a.why}`);
        }
      }
      kube.close();
      server.stop();
    }

    if (selected(HOST_SCENARIO)) {
      const t = Date.now();
      await runHostSuite(opts, entry, root, fixture, hostSuite, browser, servers, record, bench).catch((e: Error) =>
        record(HOST_SCENARIO, false, e.message.split('\n')[0], Date.now() - t),
      );
    }
  } finally {
    await browser?.close();
    for (const s of servers) s.stop();
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
  return out;
}

async function runHostSuite(
  opts: E2EOptions,
  entry: string,
  root: string,
  fixture: string,
  hostSuite: string,
  browser: Browser,
  servers: CodeServer[],
  record: (name: string, ok: boolean, detail: string, ms: number) => void,
  bench: (line: Omit<BenchLine, 'bench'>) => void,
): Promise<void> {
  const t = Date.now();
  // 10 workers × 110 pods (the kubelet's default maxPods) leave room for the 1,000-pod benchmark.
  const dirs = makeRunDirs(path.join(root, 'host'), fixture, { ...RUN_SETTINGS, 'kubelab.nodes': HOST_NODES });
  const env: Record<string, string> = { KUBELAB_E2E_KUBECONFIG: kubeconfigPath(dirs.userData), KUBELAB_E2E_WORKSPACE: dirs.workspace };
  if (opts.hostGrep) env.KUBELAB_E2E_GREP = opts.hostGrep;
  const server = await launchCodeServer(entry, dirs, env);
  servers.push(server);
  opts.log(`code-server (extension host suite) on ${server.url}`);
  const run = await runExtensionHostTests(browser.context, server, {
    extensionPath: opts.repo,
    testsPath: hostSuite,
    timeoutMs: 600_000,
    onLine: (line) => {
      if (line.startsWith('{"bench":"vscode"')) {
        try {
          const b = JSON.parse(line) as BenchLine;
          bench({ metric: b.metric, value: b.value, unit: b.unit, better: b.better, target: b.target });
          return;
        } catch {
          // not a bench line after all
        }
      }
      if (opts.report) opts.report(`  [exthost] ${line}`);
      else process.stdout.write(`  [exthost] ${line}\n`);
    },
  });
  server.stop();
  const failing = run.lines.filter((l) => /^\s*\d+\) /.test(l)).map((l) => l.trim());
  record(HOST_SCENARIO, run.exitCode === 0, run.exitCode === 0 ? '' : `exit ${run.exitCode}; ${failing.join('; ') || run.lines.slice(-5).join(' | ')}`, Date.now() - t);
}
