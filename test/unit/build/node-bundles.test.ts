import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../../..');
const bundle = (target: string): void => void execFileSync(process.execPath, [path.join(root, '.ci/bundle-node.mjs'), target], { cwd: root, stdio: 'pipe' });

/** What `npm start` and `npm run bench` run: .ci/bundle-node.mjs's bundles in dist-node/. */
describe('node bundles (npm start, npm run bench)', () => {
  it('refuses an unknown target', () => {
    const r = spawnSync(process.execPath, [path.join(root, '.ci/bundle-node.mjs'), 'cluster'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown target cluster; usage: node \.ci\/bundle-node\.mjs cli\|bench/);
  });

  it('the CLI bundle starts the cluster (kube-scheduler on its thread from beside the bundle), then stops on Ctrl-C', { timeout: 120_000 }, async () => {
    bundle('cli');
    for (const f of ['main.js', 'scheduler-worker.js']) assert.ok(fs.statSync(path.join(root, 'dist-node/cli', f)).size > 0, `${f} exists`);
    const help = execFileSync(process.execPath, [path.join(root, 'dist-node/cli/main.js'), '--help'], { encoding: 'utf8' });
    assert.match(help, /^Usage: npm start -- \[--data-dir DIR\]/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cli-bundle-'));
    try {
      const child = spawn(process.execPath, [path.join(root, 'dist-node/cli/main.js'), '--data-dir', dir, '--port', '0', '--nodes', '1'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      // A Deployment's pod (not a static one) Started: kube-scheduler's thread bound it.
      const deadline = Date.now() + 90_000;
      while (!/Started pod\/kubelab-ingress-controller-/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.match(out, /Started pod\/kubelab-ingress-controller-/, out.slice(-2000));
      child.kill('SIGINT');
      assert.equal(await exited, 0, out.slice(-2000));
      assert.match(out, /Stopped; everything is flushed\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bench bundle lists every benchmark and runs one, JSON lines on stdout', { timeout: 120_000 }, () => {
    bundle('bench');
    const names = fs.readdirSync(path.join(root, 'test/bench')).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length)).sort();
    const list = spawnSync(process.execPath, [path.join(root, 'dist-node/bench/run.js')], { cwd: root, encoding: 'utf8' });
    assert.equal(list.status, 2);
    assert.ok(list.stderr.includes(`available: ${names.join(', ')}`), list.stderr);

    const env = { ...process.env, BENCH_PIPELINE_CREATES: '40', BENCH_PIPELINE_ROUNDS: '1', BENCH_PIPELINE_WARMUP: '10', BENCH_PIPELINE_PROFILE: 'none' };
    const r = spawnSync(process.execPath, [path.join(root, 'dist-node/bench/run.js'), 'pipeline'], { cwd: root, encoding: 'utf8', env, timeout: 100_000 });
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { bench: string; metric: string; value: number });
    assert.ok(lines.length >= 4, r.stdout);
    for (const l of lines) assert.equal(l.bench, 'pipeline');
    assert.ok(lines.some((l) => l.metric.startsWith('create_throughput_in_process_') && l.value > 0), r.stdout);
  });
});
