import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EtcdCluster, etcdSkipReason } from '../../helpers/etcd-cluster';

const root = path.resolve(__dirname, '../../..');
const ETCD_PROTOS = ['rpc.proto', 'kv.proto', 'auth.proto'];
const etcdctlMissing = spawnSync('etcdctl', ['version'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } }).error
  ? 'etcdctl is not on PATH (apt-get install etcd-client)'
  : undefined;

/** Copies a bundle and what it loads at runtime (sql.js, kube-scheduler's thread, etcd's .proto files) into `away`. */
function copyBundle(bundle: string, away: string): void {
  for (const f of [bundle, 'sql-wasm.wasm', 'sql-wasm.js', 'scheduler-worker.js']) fs.copyFileSync(path.join(root, 'dist', f), path.join(away, f));
  fs.mkdirSync(path.join(away, 'etcd-proto'));
  for (const f of ETCD_PROTOS) fs.copyFileSync(path.join(root, 'dist', 'etcd-proto', f), path.join(away, 'etcd-proto', f));
}

/** Runs a script with node in `cwd`, without access to the source tree's node_modules; returns its last stdout line as JSON. */
function runAway<T>(cwd: string, script: string): T {
  const out = execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** The esbuild bundles are what the .vsix ships: they must run on their own, outside the source tree. */
describe('bundles', () => {
  it('build produces the extension, cluster and webview bundles with sql.js (wasm and JS) and etcd\'s protos beside them', { timeout: 120_000 }, () => {
    execFileSync(process.execPath, [path.join(root, '.ci/build.mjs')], { cwd: root, stdio: 'pipe' });
    const protos = ETCD_PROTOS.map((f) => `dist/etcd-proto/${f}`);
    for (const f of ['dist/extension.js', 'dist/cluster.js', 'dist/cluster-worker.js', 'dist/scheduler-worker.js', 'dist/sql-wasm.wasm', 'dist/sql-wasm.js', 'media/webview.js', 'media/sql-wasm.wasm', ...protos]) {
      assert.ok(fs.statSync(path.join(root, f)).size > 0, `${f} exists`);
    }
    // etcd3's client loads its rpc.proto from beside the bundle, not from ../proto (there is no node_modules there).
    for (const b of ['dist/cluster.js', 'dist/cluster-worker.js']) {
      const text = fs.readFileSync(path.join(root, b), 'utf8');
      assert.ok(text.includes('${__dirname}/etcd-proto/rpc.proto'), `${b} loads etcd-proto/rpc.proto`);
      assert.ok(!text.includes('${__dirname}/../proto/rpc.proto'), `${b} does not load ../proto/rpc.proto`);
    }
  });

  it('dist/cluster.js, copied away from node_modules, starts and stops the cluster on its own', { timeout: 60_000 }, () => {
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bundle-'));
    try {
      copyBundle('cluster.js', away);
      // The API server answers through the bundle too, including the bundled OpenAPI definitions.
      const script = `require('./cluster.js').startCluster({ dataDir: ${JSON.stringify(path.join(away, 'data'))}, port: 0 })
        .then(async (c) => {
          const s = c.status();
          const ask = (p) => c.handle({ method: 'GET', path: p, query: new URLSearchParams(), headers: { authorization: 'Bearer ' + c.adminToken } });
          const ns = await ask('/api/v1/namespaces');
          const doc = await ask('/openapi/v3/apis/apps/v1');
          await c.close();
          console.log(JSON.stringify({ s, namespaces: ns.body.items.map((i) => i.metadata.name), openapi: doc.status, openapiBytes: doc.rawJson.length }));
        })
        .catch((e) => { console.error(e); process.exit(1); });`;
      const out = execFileSync(process.execPath, ['-e', script], { cwd: away, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      const status = r.s;
      assert.deepEqual(status.components.slice(0, 2).map((c: { state: string }) => c.state), ['running', 'running']);
      // kube-scheduler ran in its own thread from dist/scheduler-worker.js (it would not have started without it).
      assert.equal(status.components.find((c: { name: string }) => c.name === 'kube-scheduler')?.state, 'running');
      assert.ok(status.store.revision > 1, 'the bootstrap objects were written');
      assert.deepEqual(r.namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
      assert.equal(r.openapi, 200);
      assert.ok(r.openapiBytes > 100_000);
      assert.ok(fs.existsSync(path.join(away, 'data', 'etcd')), 'the store lives under <data-dir>/etcd');
      assert.ok(!fs.existsSync(path.join(away, 'data', 'etcd', 'LOCK')), 'close released the lock');
    } finally {
      fs.rmSync(away, { recursive: true, force: true });
    }
  });

  it('dist/cluster.js copied away without dist/scheduler-worker.js still schedules, on its own thread, and says so', { timeout: 60_000 }, () => {
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bundle-nosched-'));
    try {
      copyBundle('cluster.js', away);
      fs.rmSync(path.join(away, 'scheduler-worker.js'));
      const script = `const warnings = [];
        const sink = (r) => { if (r.level === 'warn') warnings.push(r.component + ': ' + r.message); };
        const logger = { debug() {}, info() {}, warn: (m) => sink({ level: 'warn', component: 'x', message: m }), error() {}, child: () => logger };
        require('./cluster.js').startCluster({ dataDir: ${JSON.stringify(path.join(away, 'data'))}, port: 0, logger })
        .then(async (c) => {
          const state = c.status().components.find((x) => x.name === 'kube-scheduler').state;
          await c.close();
          console.log(JSON.stringify({ state, warnings }));
        })
        .catch((e) => { console.error(e); process.exit(1); });`;
      const r = runAway<{ state: string; warnings: string[] }>(away, script);
      assert.equal(r.state, 'running');
      assert.ok(r.warnings.some((w) => /kube-scheduler could not start: .*scheduler-worker\.js is missing; running kube-scheduler on the API server's thread instead/.test(w)), r.warnings.join('\n'));
    } finally {
      fs.rmSync(away, { recursive: true, force: true });
    }
  });

  it('dist/cluster-worker.js, copied away, runs the cluster in a worker thread and stops on request', { timeout: 60_000 }, () => {
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bundle-worker-'));
    try {
      copyBundle('cluster-worker.js', away);
      const script = `const { Worker } = require('node:worker_threads');
        const w = new Worker('./cluster-worker.js');
        w.on('message', (m) => {
          if (m.t === 'started') w.postMessage({ t: 'stop' });
          if (m.t === 'failed') { console.error(m.message); process.exit(1); }
          if (m.t === 'started' || m.t === 'stopped') console.log(JSON.stringify({ t: m.t, url: m.info && m.info.url }));
        });
        w.on('exit', (code) => console.log(JSON.stringify({ t: 'exit', code })));
        w.postMessage({ t: 'start', options: { dataDir: ${JSON.stringify(path.join(away, 'data'))}, port: 0 } });`;
      const out = execFileSync(process.execPath, ['-e', script], { cwd: away, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { t: string; url?: string; code?: number });
      assert.match(lines[0].url ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(lines.slice(1), [{ t: 'stopped' }, { t: 'exit', code: 0 }]);
      assert.ok(!fs.existsSync(path.join(away, 'data', 'etcd', 'LOCK')), 'stop released the lock');
    } finally {
      fs.rmSync(away, { recursive: true, force: true });
    }
  });

  it('dist/cluster.js, copied away, serves the etcd gRPC port and etcdctl lists /registry through it', { timeout: 60_000, skip: etcdctlMissing }, () => {
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bundle-grpc-'));
    try {
      copyBundle('cluster.js', away);
      // etcdctl runs asynchronously: the gRPC server answers from this same process.
      const script = `const run = require('node:util').promisify(require('node:child_process').execFile);
        require('./cluster.js').startCluster({ dataDir: ${JSON.stringify(path.join(away, 'data'))}, port: 0, etcdGrpc: { port: 0 } })
        .then(async (c) => {
          let keys, refused;
          try {
            const env = { ...process.env, ETCDCTL_API: '3' };
            keys = (await run('etcdctl', ['--endpoints=' + c.etcdApi.url, 'get', '/registry', '--prefix', '--keys-only'], { env })).stdout.split('\\n').filter(Boolean);
            refused = await run('etcdctl', ['--endpoints=' + c.etcdApi.url, 'put', '/registry/x', 'y'], { env }).then(() => 'written', (e) => String(e.stderr));
          } finally { await c.close(); }
          console.log(JSON.stringify({ url: c.etcdApi.url, keys, refused }));
        })
        .catch((e) => { console.error(e); process.exit(1); });`;
      const r = runAway<{ url: string; keys: string[]; refused?: string }>(away, script);
      assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(r.keys.includes('/registry/namespaces/default'), r.keys.join('\n'));
      assert.match(r.refused ?? '', /\/registry\/ keys are written only by the API server/);
    } finally {
      fs.rmSync(away, { recursive: true, force: true });
    }
  });

  it('dist/cluster.js, copied away, runs on a real etcd (the etcd3 client finds its protos beside the bundle)', { timeout: 60_000, skip: etcdSkipReason }, async () => {
    const etcd = await EtcdCluster.start({ members: 1 });
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bundle-etcd-'));
    try {
      copyBundle('cluster.js', away);
      const script = `require('./cluster.js').startCluster({ dataDir: ${JSON.stringify(path.join(away, 'data'))}, port: 0, storage: { type: 'etcd', endpoints: ${JSON.stringify(etcd.endpoints)} } })
        .then(async (c) => {
          const ns = await c.handle({ method: 'GET', path: '/api/v1/namespaces', query: new URLSearchParams(), headers: { authorization: 'Bearer ' + c.adminToken } });
          const component = c.status().components[0].name;
          await c.close();
          console.log(JSON.stringify({ component, namespaces: ns.body.items.map((i) => i.metadata.name) }));
        })
        .catch((e) => { console.error(e); process.exit(1); });`;
      const r = runAway<{ component: string; namespaces: string[] }>(away, script);
      assert.equal(r.component, 'etcd (external, 1 endpoint)');
      assert.deepEqual(r.namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
      assert.equal((await etcd.client(0).get('/registry/namespaces/default').string()) !== null, true, 'the namespace is in etcd');
    } finally {
      await etcd.stop();
      fs.rmSync(away, { recursive: true, force: true });
    }
  });

  it('the .vsix would hold the bundles and media, and no sources, tests or node_modules', { timeout: 120_000 }, () => {
    const out = execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    const files = out.trim().split('\n');
    const protos = ETCD_PROTOS.map((f) => `dist/etcd-proto/${f}`);
    for (const f of ['package.json', 'dist/extension.js', 'dist/cluster.js', 'dist/sql-wasm.wasm', 'dist/sql-wasm.js', 'media/webview.js', ...protos]) assert.ok(files.includes(f), `${f} is packaged`);
    assert.deepEqual(files.filter((f) => /^(src|test|node_modules|\.ci)\//.test(f)), [], 'nothing from src, test, .ci or node_modules');
  });

  it('npm run package writes a .vsix (a zip holding the manifest and the bundles)', { timeout: 180_000 }, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-vsix-'));
    try {
      const vsix = path.join(out, 'kubelab.vsix');
      execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: 'pipe' });
      const bytes = fs.readFileSync(vsix);
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip file');
      for (const name of ['extension/package.json', 'extension/dist/cluster.js', 'extension/dist/sql-wasm.wasm', 'extension/dist/sql-wasm.js']) {
        assert.ok(bytes.includes(Buffer.from(name)), `${name} is in the archive`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
