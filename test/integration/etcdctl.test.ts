/**
 * The embedded store speaks etcd's protocol: a sql.js store served by serveEtcdGrpc, driven by Debian's real
 * etcdctl (3.4, ETCDCTL_API=3) and by the etcd3 npm client. Covers the article's `etcdctl get /registry --prefix
 * --keys-only`, JSON output (base64 keys, revisions), a spawned `etcdctl watch` seeing a write made through the
 * Store, put/del of ordinary keys, the refused write under /registry/, leases, endpoint status, compaction and
 * etcd's error wording. The etcdctl cases are skipped, with the reason, when etcdctl is not on PATH.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { FakeClock } from '../../src/base/clock';
import type { SqlJsStore } from '../../src/storage/sqljs';
import { serveEtcdGrpc, REGISTRY_READ_ONLY_MESSAGE, SERVER_VERSION, type EtcdGrpcServer } from '../../src/storage/grpc';
import { openTestStore, removeDir, tempDir } from '../helpers/sqljs';
import { waitFor, withTimeout } from '../helpers/wait';

const etcdctlMissing = spawnSync('etcdctl', ['version'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } }).error
  ? 'etcdctl is not on PATH (apt-get install etcd-client)'
  : false;
if (etcdctlMissing) process.stdout.write(`# etcdctl: skipped: ${etcdctlMissing}\n`);

const T = { timeout: 60_000 };
const ctlIt = (name: string, fn: () => Promise<void>) => it(name, { ...T, skip: etcdctlMissing }, fn);

const SEED: Record<string, string> = {
  '/registry/namespaces/default': '{"kind":"Namespace","metadata":{"name":"default"}}',
  '/registry/pods/default/web-1': '{"kind":"Pod","metadata":{"name":"web-1"}}',
  '/registry/pods/default/web-2': '{"kind":"Pod","metadata":{"name":"web-2"}}',
  '/registry/services/specs/default/kubernetes': '{"kind":"Service"}',
};

describe('etcd v3 gRPC endpoint over the sql.js store', () => {
  let dir: string;
  let store: SqlJsStore;
  let server: EtcdGrpcServer;
  const revs: Record<string, number> = {};

  /** Run etcdctl against the server; resolves with stdout, stderr and the exit code (never rejects on exit != 0). */
  async function etcdctl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    return etcdctlWithInput('', ...args);
  }
  /** etcdctl with `input` on its stdin (then closed). */
  function etcdctlWithInput(input: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn('etcdctl', [`--endpoints=127.0.0.1:${server.port}`, '--command-timeout=10s', ...args], {
        env: { ...process.env, ETCDCTL_API: '3' },
      });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code: code ?? -1 });
      });
      child.stdin.end(input);
    });
  }
  async function ok(...args: string[]): Promise<string> {
    const r = await etcdctl(...args);
    assert.equal(r.code, 0, `etcdctl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  before(async () => {
    dir = tempDir('kubelab-etcdctl-');
    store = await openTestStore(dir, { clock: new FakeClock() });
    for (const [k, v] of Object.entries(SEED)) revs[k] = (await store.put(k, v)).revision;
    server = await serveEtcdGrpc(store, { port: 0 });
  });

  after(async () => {
    await server?.close();
    await store?.close().catch(() => undefined);
    removeDir(dir);
  });

  ctlIt('get /registry --prefix --keys-only lists the seeded keys as etcd prints them', async () => {
    const out = await ok('get', '/registry', '--prefix', '--keys-only');
    assert.equal(out, Object.keys(SEED).sort().map((k) => `${k}\n\n`).join(''));
  });

  ctlIt('get -w json: base64 keys and values, revisions, count and the header revision', async () => {
    const out = JSON.parse(await ok('get', '/registry/pods/', '--prefix', '-w', 'json'));
    assert.equal(out.header.revision, await store.revision());
    assert.equal(out.count, 2);
    const kvs = out.kvs as { key: string; value: string; create_revision: number; mod_revision: number; version: number }[];
    assert.deepEqual(
      kvs.map((kv) => [Buffer.from(kv.key, 'base64').toString(), Buffer.from(kv.value, 'base64').toString(), kv.create_revision, kv.mod_revision, kv.version]),
      ['/registry/pods/default/web-1', '/registry/pods/default/web-2'].map((k) => [k, SEED[k], revs[k], revs[k], 1]),
    );
    const limited = JSON.parse(await ok('get', '/registry', '--prefix', '--limit=1', '-w', 'json'));
    assert.equal(limited.kvs.length, 1);
    assert.equal(limited.more, true);
    assert.equal(limited.count, 4);
  });

  ctlIt('watch --prefix /registry (spawned) sees a put made through the Store', async () => {
    const child = spawn('etcdctl', [`--endpoints=127.0.0.1:${server.port}`, 'watch', '--prefix', '/registry'], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // the watch is created asynchronously: keep writing until one of the writes shows up
      let n = 0;
      const seen = await waitFor(
        async () => {
          const key = `/registry/configmaps/default/w-${n++}`;
          await store.put(key, `{"n":${n}}`);
          const m = /PUT\n(\/registry\/configmaps\/default\/w-\d+)\n(\{"n":\d+\})\n/.exec(out);
          return m ? ([m[1]!, m[2]!] as const) : undefined;
        },
        'etcdctl watch to print a put',
        { timeoutMs: 15_000, intervalMs: 200, describe: () => out },
      );
      const [key, value] = seen!;
      const kv = (await store.range({ key })).kvs[0];
      assert.equal(kv?.value, value);
      await store.delete({ key });
      await waitFor(() => out.includes(`DELETE\n${key}\n`), 'the delete event', { timeoutMs: 10_000, describe: () => out });
    } finally {
      child.kill('SIGTERM');
    }
  });

  ctlIt('put and del of keys outside /registry/', async () => {
    assert.equal(await ok('put', 'greeting', 'hello'), 'OK\n');
    const kv = (await store.range({ key: 'greeting' })).kvs[0];
    assert.equal(kv?.value, 'hello');
    assert.equal(await ok('get', 'greeting', '--print-value-only'), 'hello\n');
    assert.equal(await ok('put', 'greeting', 'again', '--prev-kv'), 'OK\ngreeting\nhello\n');
    assert.equal(await ok('del', 'greeting'), '1\n');
    assert.equal((await store.range({ key: 'greeting' })).count, 0);
    assert.equal(await ok('del', 'greeting'), '0\n');
  });

  ctlIt('a put under /registry/ is refused with the message, and nothing is written', async () => {
    const before = await store.revision();
    const r = await etcdctl('put', '/registry/x', 'y');
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(REGISTRY_READ_ONLY_MESSAGE), r.stderr);
    assert.ok(r.stderr.includes('code = FailedPrecondition'), r.stderr);
    const del = await etcdctl('del', '--prefix', '/');
    assert.ok(del.stderr.includes(REGISTRY_READ_ONLY_MESSAGE), del.stderr);
    // compares, blank line, success ops, blank line, failure ops
    const txn = await etcdctlWithInput('mod("greeting") = "0"\n\nput /registry/pods/default/x y\n\nput plain z\n\n', 'txn');
    assert.ok(txn.stderr.includes(REGISTRY_READ_ONLY_MESSAGE), `a txn that could write /registry/ is refused: ${txn.stderr}`);
    assert.equal(await store.revision(), before);
    assert.equal((await store.range({ key: '/registry/', prefix: true })).count >= 4, true);
    const plain = await etcdctlWithInput('mod("greeting") = "0"\n\nput plain/t yes\n\nput plain/t no\n\n', 'txn');
    assert.equal(plain.stdout, 'SUCCESS\n\nOK\n', plain.stderr);
    assert.equal((await store.range({ key: 'plain/t' })).kvs[0]?.value, 'yes');
  });

  ctlIt('lease grant 60, put --lease, lease timetolive --keys, keep-alive, revoke', async () => {
    const granted = /^lease ([0-9a-f]+) granted with TTL\(60s\)\n$/.exec(await ok('lease', 'grant', '60'));
    assert.ok(granted, 'lease grant output');
    const hex = granted[1]!;
    const id = BigInt(`0x${hex}`).toString();
    assert.equal((await store.leaseTimeToLive(id)).grantedTtl, 60);
    await ok('put', '--lease', hex, 'leased/a', 'v');
    assert.equal((await store.range({ key: 'leased/a' })).kvs[0]?.lease, id);
    assert.equal(await ok('lease', 'timetolive', hex, '--keys'), `lease ${hex} granted with TTL(60s), remaining(60s), attached keys([leased/a])\n`);
    assert.ok((await ok('lease', 'list')).includes(`${hex}\n`));
    assert.equal(await ok('lease', 'keep-alive', '--once', hex), `lease ${hex} keepalived with TTL(60)\n`);
    assert.equal(await ok('lease', 'revoke', hex), `lease ${hex} revoked\n`);
    assert.equal((await store.range({ key: 'leased/a' })).count, 0, 'revoking deleted the attached key');
    assert.equal(await ok('lease', 'timetolive', hex), `lease ${hex} already expired\n`);
    const again = await etcdctl('lease', 'revoke', hex);
    assert.ok(again.stderr.includes('Error: failed to revoke lease (etcdserver: requested lease not found)'), again.stderr);
  });

  ctlIt('endpoint status -w json', async () => {
    const [status] = JSON.parse(await ok('endpoint', 'status', '-w', 'json')) as { Endpoint: string; Status: Record<string, unknown> }[];
    assert.equal(status?.Endpoint, `127.0.0.1:${server.port}`);
    const s = status!.Status as { header: { revision: number; member_id: number; cluster_id: number }; version: string; dbSize: number; leader: number; raftTerm: number; raftIndex: number };
    assert.equal(s.version, SERVER_VERSION);
    assert.equal(s.header.revision, await store.revision());
    assert.ok(s.dbSize > 0, 'dbSize is the data directory size');
    assert.equal(s.leader, s.header.member_id);
    assert.ok(s.header.cluster_id > 0 && s.raftTerm > 0 && s.raftIndex > 0);
    const health = await etcdctl('endpoint', 'health');
    assert.equal(health.code, 0);
    assert.match(health.stdout + health.stderr, /127\.0\.0\.1:\d+ is healthy: successfully committed proposal/);
  });

  ctlIt('compaction, then reads and watches below it fail with etcd\'s wording; future revisions too', async () => {
    const first = (await store.put('compact/k', '1')).revision;
    await store.put('compact/k', '2');
    const upTo = await store.revision();
    assert.equal(await ok('compaction', String(upTo)), `compacted revision ${upTo}\n`);
    assert.equal(await store.compactRevision(), upTo);
    const old = await etcdctl('get', 'compact/k', `--rev=${first}`);
    assert.ok(old.stderr.includes('Error: etcdserver: mvcc: required revision has been compacted'), old.stderr);
    const again = await etcdctl('compaction', String(upTo));
    assert.ok(again.stderr.includes('Error: etcdserver: mvcc: required revision has been compacted'), again.stderr);
    const future = await etcdctl('get', 'compact/k', `--rev=${upTo + 1000}`);
    assert.ok(future.stderr.includes('Error: etcdserver: mvcc: required revision is a future revision'), future.stderr);
    const watch = await etcdctl('watch', 'compact/k', `--rev=${first}`);
    assert.ok((watch.stdout + watch.stderr).includes('watch was canceled (etcdserver: mvcc: required revision has been compacted)'), watch.stdout + watch.stderr);
  });

  it('the etcd3 npm client: KV, txn, watch, leases', T, async () => {
    const client = new Etcd3({ hosts: `127.0.0.1:${server.port}` });
    try {
      await client.put('npm/a').value('1');
      assert.equal(await client.get('npm/a').string(), '1');
      assert.deepEqual(await client.getAll().prefix('/registry/pods/').keys(), ['/registry/pods/default/web-1', '/registry/pods/default/web-2']);

      const txn = await client.if('npm/a', 'Value', '==', '1').then(client.put('npm/b').value('2')).else(client.put('npm/c').value('3')).commit();
      assert.equal(txn.succeeded, true);
      assert.equal(await client.get('npm/b').string(), '2');
      const failed = await client.if('npm/a', 'Mod', '<', 1).then(client.put('npm/b').value('x')).else(client.get('npm/a')).commit();
      assert.equal(failed.succeeded, false);
      assert.equal(Buffer.from(failed.responses[0]!.response_range!.kvs[0]!.value).toString(), '1');

      await assert.rejects(client.put('/registry/pods/default/evil').value('x').exec(), (e: Error) => e.message.includes(REGISTRY_READ_ONLY_MESSAGE));

      const watcher = await client.watch().prefix('npm/').create();
      const events: string[] = [];
      watcher.on('put', (kv) => events.push(`put ${kv.key.toString()}=${kv.value.toString()}`));
      watcher.on('delete', (kv) => events.push(`delete ${kv.key.toString()}`));
      await store.put('npm/w', 'via-store');
      await client.delete().key('npm/w');
      await waitFor(() => events.length >= 2, 'two watch events', { timeoutMs: 10_000, describe: () => events });
      assert.deepEqual(events, ['put npm/w=via-store', 'delete npm/w']);
      await withTimeout(watcher.cancel(), 5000, 'watcher.cancel()');

      const lease = client.lease(30, { autoKeepAlive: false });
      await lease.put('npm/leased').value('v');
      const id = await lease.grant();
      assert.equal((await store.leaseTimeToLive(BigInt(id).toString(), true)).keys.join(), 'npm/leased');
      await lease.keepaliveOnce();
      await lease.revoke();
      assert.equal(await client.get('npm/leased').string(), null);
    } finally {
      client.close();
    }
  });
});
