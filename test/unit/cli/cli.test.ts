import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCli } from '../../../src/cli/args';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'src/cli/main.ts');
const run = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });

function waitFor(child: ReturnType<typeof run>, text: string, ms = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; got: ${out}`)), ms);
    const on = (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
  });
}

describe('cli arguments', () => {
  it('defaults to ~/.kubelab and leaves the port to the cluster configuration (6443)', () => {
    assert.deepEqual(parseCli([]), { dataDir: path.join(os.homedir(), '.kubelab'), help: false });
  });
  it('takes --data-dir and --port', () => {
    assert.deepEqual(parseCli(['--data-dir', '/tmp/x', '--port', '7443']), { dataDir: '/tmp/x', port: 7443, help: false });
  });
  it('refuses a bad port, an unknown flag and an empty directory with a clear message', () => {
    assert.throws(() => parseCli(['--port', '70000']), /--port must be a whole number from 0 to 65535, not "70000"/);
    assert.equal(parseCli(['--port', '0']).port, 0);
    assert.throws(() => parseCli(['--port', '12ab']), /--port must be a whole number/);
    assert.throws(() => parseCli(['--bogus']), /Unknown option '--bogus'[\s\S]*Usage: npm start/);
    assert.throws(() => parseCli(['--data-dir', ' ']), /--data-dir must not be empty/);
  });
});

describe('npm start (headless)', () => {
  it('starts, refuses a second start on the same data directory naming the holder, and stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cli-'));
    const first = run(['--data-dir', dir, '--port', '0', '--dns-port', '0', '--ingress-port', '0']);
    try {
      const out = await waitFor(first, 'Press Ctrl-C to stop.');
      const kubeconfig = path.join(dir, 'kubeconfig');
      assert.match(out, new RegExp(`export KUBECONFIG=${kubeconfig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.equal(fs.statSync(kubeconfig).mode & 0o777, 0o600, 'the kubeconfig is private');
      assert.match(fs.readFileSync(kubeconfig, 'utf8'), /certificate-authority-data: \S+[\s\S]*token: \S+/);
      const second = spawnSync(process.execPath, ['--import', 'tsx', cli, '--data-dir', dir], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`in use by process ${first.pid}`));
      const stopped = waitFor(first, 'Stopped; everything is flushed.');
      const exit = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
      first.kill('SIGTERM');
      await stopped;
      assert.equal(await exit, 0);
      assert.ok(!fs.existsSync(path.join(dir, 'etcd', 'LOCK')), 'the lock is released');
    } finally {
      first.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with the usage on bad arguments', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, '--port', 'x'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port must be a whole number/);
  });
});
