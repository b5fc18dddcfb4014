/**
 * Benchmark `vscode` (`npm run bench -- vscode`): the extension in a real VS Code (code-server + chromium, the e2e
 * harness of test/e2e), measuring what the e2e run measures, nothing else:
 * - activation_to_status_bar_ms: the extension host starting to activate kubelab.kubelab → the KubeLab status bar item
 *   rendered in the workbench (target ≤ 500 ms);
 * - registry_expand_10k_ms: expanding a Registry folder of 10,000 keys until its first rows render (≤ 300 ms);
 * - exthost_max_event_loop_stall_1000_pods_ms: the extension host's longest event-loop stall while the cluster scales a
 *   Deployment to 1,000 pods (≤ 50 ms), measured inside the extension host.
 * Needs what the e2e run needs (installs code-server into its cache on first use). JSON lines on stdout, progress on
 * stderr; throws when a measurement could not be taken.
 */
import * as path from 'node:path';
import { HOST_SCENARIO, runE2E } from '../e2e/run';
import { registryExpandBench } from '../e2e/scenarios/registry-expand-bench';

export async function run(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..');
  const started = Date.now();
  const log = (m: string): void => void process.stderr.write(`[vscode bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}\n`);
  const { results, benches } = await runE2E({
    repo,
    only: [registryExpandBench.name, HOST_SCENARIO],
    hostGrep: 'bench:',
    build: true,
    keep: false,
    artifacts: path.join(repo, 'test-artifacts', 'bench-vscode'),
    log,
    report: log,
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`not measured: ${failed.map((r) => `${r.name}: ${r.detail}`).join('; ')}`);
  if (benches.length < 3) throw new Error(`expected 3 measurements, got ${benches.map((b) => b.metric).join(', ') || 'none'}`);
}
