#!/usr/bin/env node
/**
 * The one test entry point (`npm test`): typecheck, lint, then every test file under test/unit, test/conformance and
 * test/integration with node's test runner (TypeScript through tsx), one file at a time. The spec reporter's output
 * goes to stdout; a TAP copy is parsed for the counts. Ends with the line `N passed, N failed` and exits non-zero
 * when anything failed.
 *
 *   node .ci/test.mjs                     everything
 *   node .ci/test.mjs storage crash       only test files whose path contains "storage" or "crash"
 *   node .ci/test.mjs --no-typecheck --no-lint
 *   node .ci/test.mjs --no-system-packages  (do not apt-get install dnsutils / etcd-server / etcd-client / e2fsprogs / mount when missing)
 *   node .ci/test.mjs --no-e2e            skip the real-VS-Code tests (.ci/e2e.mjs; they run only without filters)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const filters = args.filter((a) => !a.startsWith('--'));
const TEST_DIRS = ['test/unit', 'test/conformance', 'test/integration'];

function findTests(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out = [];
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(rel));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(rel);
  }
  return out.sort();
}

function step(name, command, commandArgs) {
  process.stdout.write(`\n=== ${name}: ${[command, ...commandArgs].join(' ')}\n`);
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  const ok = r.status === 0;
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : `FAILED (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`}\n`);
  return ok;
}

const failedSteps = [];

/** System tools some integration tests drive (each such test skips, saying why, when its tool is missing). */
const SYSTEM_PACKAGES = [
  { command: 'dig', pkg: 'dnsutils' },
  { command: 'etcd', pkg: 'etcd-server' },
  { command: 'etcdctl', pkg: 'etcd-client' },
  // the disk-trouble test's read-only file system: an ext4 image on a loop device
  { command: 'mkfs.ext4', pkg: 'e2fsprogs' },
  { command: 'losetup', pkg: 'mount' },
];
function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, command)));
}
const missing = SYSTEM_PACKAGES.filter((p) => !onPath(p.command));
if (missing.length && !flags.has('--no-system-packages')) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && onPath('apt-get')) {
    const pkgs = missing.map((p) => p.pkg);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    process.stdout.write(`\n=== system packages: apt-get install ${pkgs.join(' ')}\n`);
    const up = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const inst = up.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env }) : up;
    process.stdout.write(`=== system packages: ${inst.status === 0 ? 'ok' : 'not installed; the tests that need them will say they skipped'}\n`);
  } else {
    process.stdout.write(`\n=== system packages: ${missing.map((p) => p.command).join(', ')} not on PATH (not root or no apt-get); the tests that need them will say they skipped\n`);
  }
}
if (!flags.has('--no-typecheck') && !step('typecheck', 'npx', ['--no-install', 'tsc', '-p', '.', '--noEmit'])) failedSteps.push('typecheck');
if (!flags.has('--no-lint') && !step('lint', 'npm', ['run', '--silent', 'lint'])) failedSteps.push('lint');

const files = TEST_DIRS.flatMap(findTests).filter((f) => !filters.length || filters.some((x) => f.includes(x)));
let passed = 0;
let failed = 0;
if (!files.length) {
  process.stdout.write('\n=== tests: no test files found\n');
  failedSteps.push('finding test files');
} else {
  const tapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-tap-')), 'report.tap');
  const testArgs = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  const ok = step(`tests (${files.length} files)`, process.execPath, testArgs);
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const count = (name) => {
    // The runner's own summary ends the TAP stream: "# pass 12", "# fail 0", ...
    const matches = [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : 0;
  };
  passed = count('pass');
  failed = count('fail') + count('cancelled');
  if (!tap) failedSteps.push('tests produced no report');
  else if (!ok && failed === 0) failedSteps.push('test runner failed');
  fs.rmSync(path.dirname(tapFile), { recursive: true, force: true });
}

// The real-VS-Code tests (code-server + chromium; .ci/e2e.mjs installs what they need) run on full runs only.
if (!filters.length && !flags.has('--no-e2e') && !step('e2e (real VS Code)', process.execPath, [path.join(root, '.ci/e2e.mjs')])) failedSteps.push('e2e');

const extra = failedSteps.length ? ` (${failedSteps.join(', ')} failed)` : '';
process.stdout.write(`\n${passed} passed, ${failed} failed${extra}\n`);
process.exit(failed > 0 || failedSteps.length ? 1 : 0);
