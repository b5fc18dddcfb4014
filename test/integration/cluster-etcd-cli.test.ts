/**
 * The headless command's etcd flags, run as a user runs them (`npm start -- …`, a child process):
 * - `--etcd-grpc-port` prints where the embedded store's etcd API is; the real etcdctl lists /registry through it
 *   (the article's `etcdctl get /registry --prefix --keys-only`), and `etcdctl put /registry/x y` is refused with
 *   KubeLab's message; Ctrl-C closes the port.
 * - `--etcd-endpoints` runs the cluster on a real etcd: the objects are in that etcd, not in <data-dir>/etcd.
 * - bad flag combinations stop the command with exit code 2 and a clear message.
 * Skipped, with the reason, when etcdctl or etcd is missing.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REGISTRY_READ_ONLY_MESSAGE } from '../../src/storage/grpc';
import { startCli } from '../helpers/cli-cluster';
import { EtcdCluster, etcdSkipReason } from '../helpers/etcd-cluster';

const root = path.resolve(__dirname, '..', '..');
const etcdctlMissing = spawnSync('etcdctl', ['version'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } }).error
  ? 'etcdctl is not on PATH (apt-get install etcd-client)'
  : undefined;
const START = ['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--nodes', '0', '--time-scale', '0.05'];
const T = { timeout: 120_000 };

function etcdctl(endpoint: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('etcdctl', [`--endpoints=${endpoint}`, '--command-timeout=10s', ...args], { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cli-etcd-'));
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('npm start: etcd flags', () => {
  it('--etcd-grpc-port: etcdctl lists /registry through it and a put under /registry/ is refused', { ...T, skip: etcdctlMissing }, async () => {
    const dir = tempDir();
    const cli = await startCli([...START, '--data-dir', dir, '--etcd-grpc-port', '0']);
    try {
      const m = /^etcd API: (http:\/\/127\.0\.0\.1:(\d+)) \(read-only for \/registry\/; etcdctl --endpoints=(\S+) get \/registry --prefix --keys-only\)$/m.exec(cli.stdout);
      assert.ok(m, `the etcd API line is printed\n${cli.tail()}`);
      assert.equal(m[3], m[1], 'the printed etcdctl command names the same endpoint');
      const list = await etcdctl(m[1], 'get', '/registry', '--prefix', '--keys-only');
      assert.equal(list.code, 0, list.stderr);
      const keys = list.stdout.split('\n').filter(Boolean);
      for (const k of ['/registry/namespaces/default', '/registry/namespaces/kube-system', '/registry/services/specs/default/kubernetes']) assert.ok(keys.includes(k), `${k} is listed`);
      assert.deepEqual(keys, [...keys].sort(), 'keys come in etcd order');
      const put = await etcdctl(m[1], 'put', '/registry/x', 'y');
      assert.notEqual(put.code, 0);
      assert.ok(put.stderr.includes(REGISTRY_READ_ONLY_MESSAGE), put.stderr);
      const outside = await etcdctl(m[1], 'put', 'scratch/x', 'y');
      assert.equal(outside.code, 0, outside.stderr);
      assert.equal(await cli.interrupt(), 0);
      assert.equal(await listening(Number(m[2])), false, 'Ctrl-C closed the etcd API port');
    } finally {
      await cli.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--etcd-allow-registry-writes: the line says so and etcdctl may write under /registry/', { ...T, skip: etcdctlMissing }, async () => {
    const dir = tempDir();
    const cli = await startCli([...START, '--data-dir', dir, '--etcd-grpc-port', '0', '--etcd-allow-registry-writes']);
    try {
      const m = /^etcd API: (\S+) \(writable for \/registry\/ \(--etcd-allow-registry-writes\); etcdctl /m.exec(cli.stdout);
      assert.ok(m, cli.tail());
      const put = await etcdctl(m[1], 'put', '/registry/kubelab-test/x', 'y');
      assert.equal(put.code, 0, put.stderr);
    } finally {
      await cli.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--etcd-endpoints: the cluster runs on that etcd and keeps no store in its data directory', { ...T, skip: etcdSkipReason ?? etcdctlMissing }, async () => {
    const etcd = await EtcdCluster.start({ members: 1 });
    const dir = tempDir();
    try {
      const cli = await startCli([...START, '--data-dir', dir, '--etcd-endpoints', etcd.endpoints.join(',')]);
      try {
        assert.match(cli.stdout, /etcd \(external: http:\/\/127\.0\.0\.1:\d+\)/);
        assert.doesNotMatch(cli.stdout, /^etcd API:/m);
        const list = await etcdctl(etcd.endpoints[0], 'get', '/registry/namespaces/default', '--keys-only');
        assert.equal(list.stdout.trim(), '/registry/namespaces/default');
        assert.ok(!fs.existsSync(path.join(dir, 'etcd')), 'no embedded store');
        assert.ok(fs.existsSync(path.join(dir, 'LOCK')), 'the data directory is locked while it runs');
        assert.equal(await cli.interrupt(), 0);
        assert.ok(!fs.existsSync(path.join(dir, 'LOCK')), 'Ctrl-C released the data directory');
      } finally {
        await cli.kill();
      }
    } finally {
      await etcd.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const refused: [string, string[], RegExp][] = [
    ['a bad etcd URL', ['--etcd-endpoints', '127.0.0.1:2379'], /^kubelab: --etcd-endpoints: invalid URL "127\.0\.0\.1:2379": /m],
    ['an etcd gRPC port out of range', ['--etcd-grpc-port', '70000'], /^kubelab: --etcd-grpc-port must be a whole number from 0 to 65535, not "70000"$/m],
    ['the gRPC port with external etcd', ['--etcd-endpoints', 'http://127.0.0.1:2379', '--etcd-grpc-port', '2380'], /^kubelab: --etcd-grpc-port cannot be combined with --etcd-endpoints: /m],
    ['registry writes without the port', ['--etcd-allow-registry-writes'], /^kubelab: --etcd-allow-registry-writes needs --etcd-grpc-port$/m],
  ];
  for (const [what, args, want] of refused) {
    it(`refuses ${what} with exit code 2`, T, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), '--data-dir', path.join(os.tmpdir(), 'kubelab-never-created'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, want);
    });
  }
});
