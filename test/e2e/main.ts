/**
 * CLI of the e2e run (spawned by .ci/e2e.mjs through tsx):
 *   node --import tsx test/e2e/main.ts [--no-build] [--keep] [--only=<name>[,<name>…]] [--host-grep=<regexp>]
 * Exits 0 when every selected scenario passed, 1 when one failed, 2 when the run could not start (prerequisites,
 * build, launch), saying why.
 */
import * as path from 'node:path';
import { runE2E } from './run';

const args = process.argv.slice(2);
const value = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const repo = path.resolve(__dirname, '..', '..');
const started = Date.now();
const log = (m: string): void => void process.stderr.write(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}\n`);

runE2E({
  repo,
  only: (value('only') ?? '').split(',').filter(Boolean),
  hostGrep: value('host-grep'),
  build: !args.includes('--no-build'),
  keep: args.includes('--keep'),
  artifacts: path.join(repo, 'test-artifacts', 'e2e'),
  log,
}).then(
  ({ results }) => {
    const failed = results.filter((r) => !r.ok);
    process.stdout.write(`\ne2e: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    process.exit(failed.length || !results.length ? 1 : 0);
  },
  (e: unknown) => {
    process.stdout.write(`\ne2e: FAILED to run: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
