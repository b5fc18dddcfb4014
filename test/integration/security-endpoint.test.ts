/**
 * The extension's endpoint (src/cluster/endpoint-server.ts: what a second VS Code window attaches to) and the data
 * directory a cluster creates:
 *   - the endpoint listens on 127.0.0.1 only (checked in /proc/self/net) and writes endpoint.json with mode 0600;
 *   - a connection must present the endpoint's token first: a wrong token (same length or not), a missing one or a
 *     malformed hello closes the connection unanswered and reaches no handler; the right one is welcomed;
 *   - endpoint.json is removed on close only when it still holds this endpoint's token;
 *   - a cluster started on a data directory that does not exist yet creates it (and its parents) 0700; every file
 *     group or others can read there is public (certificates, the ServiceAccount public key, the node list).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/base/logger';
import { defaultClusterConfig } from '../../src/cluster/config';
import { ENDPOINT_FILE, removeEndpoint, type EndpointInfo } from '../../src/cluster/endpoint-file';
import { serveEndpoint } from '../../src/cluster/endpoint-server';
import { startCluster } from '../../src/cluster/main';
import { boundSockets, isLoopback } from './security-sockets';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

/** Sends one NDJSON line and collects what comes back until the server closes or `ms` pass. */
function hello(port: number, line: string, ms = 1500): Promise<{ replies: unknown[]; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let text = '';
    let closedByServer = false;
    const done = () => resolve({ replies: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown), closedByServer });
    const timer = setTimeout(() => (sock.destroy(), done()), ms);
    sock.setEncoding('utf8').on('data', (d: string) => (text += d));
    sock.on('end', () => (closedByServer = true));
    sock.on('close', () => (clearTimeout(timer), done()));
    sock.on('error', () => undefined);
    sock.once('connect', () => sock.write(`${line}\n`));
  });
}

describe('the extension endpoint', () => {
  let dir: string;
  let endpoint: { port: number; close(): void };
  let token: string;
  const calls: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-sec-endpoint-'));
    endpoint = await serveEndpoint(
      { url: 'https://127.0.0.1:6443', port: 6443, kubeconfig: path.join(dir, 'kubeconfig'), adminToken: 'admin-token-for-the-test', caCert: 'CA', dataDir: dir, addonPorts: { dns: 0, ingress: 0 }, addonProblems: [] },
      {
        api: () => (calls.push('api'), () => undefined),
        registry: () => (calls.push('registry'), () => undefined),
        status: () => (calls.push('status'), {}),
        node: async () => (calls.push('node'), undefined),
      },
    );
    token = (JSON.parse(fs.readFileSync(path.join(dir, ENDPOINT_FILE), 'utf8')) as EndpointInfo).endpoint.token;
  });
  after(() => {
    endpoint.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('listens on loopback only, like every socket this process has bound', () => {
    const mine = boundSockets('self');
    assert.ok(mine.some((s) => s.proto === 'tcp' && s.port === endpoint.port && s.address === '127.0.0.1'), JSON.stringify(mine));
    assert.deepEqual(mine.filter((s) => !isLoopback(s.address)), []);
  });

  it('endpoint.json is 0600 and holds a 256-bit token', () => {
    assert.equal(mode(path.join(dir, ENDPOINT_FILE)), '600');
    assert.match(token, /^[0-9a-f]{64}$/);
  });

  it('refuses a wrong, missing or malformed token without answering or reaching a handler', async () => {
    const flipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    const attempts = [
      JSON.stringify({ t: 'hello', token: flipped, channel: 'control' }),
      JSON.stringify({ t: 'hello', token: token.slice(0, 32), channel: 'control' }),
      JSON.stringify({ t: 'hello', token: `${token}0`, channel: 'registry' }),
      JSON.stringify({ t: 'hello', token: '', channel: 'api', apiToken: 'admin-token-for-the-test' }),
      JSON.stringify({ t: 'hello', channel: 'control' }),
      JSON.stringify({ t: 'hello', token: [token], channel: 'control' }),
      'not json',
    ];
    for (const a of attempts) {
      const r = await hello(endpoint.port, a);
      assert.deepEqual(r.replies, [], a);
      assert.equal(r.closedByServer, true, a);
    }
    assert.deepEqual(calls, []);
  });

  it('welcomes the right token', async () => {
    const r = await hello(endpoint.port, JSON.stringify({ t: 'hello', token, channel: 'registry' }), 300);
    assert.deepEqual(r.replies, [{ t: 'welcome' }]);
    assert.deepEqual(calls, ['registry']);
  });

  it('removes endpoint.json only with its own token', () => {
    removeEndpoint(dir, token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')));
    assert.ok(fs.existsSync(path.join(dir, ENDPOINT_FILE)));
    removeEndpoint(dir, token);
    assert.ok(!fs.existsSync(path.join(dir, ENDPOINT_FILE)));
  });
});

describe('the data directory a cluster creates', () => {
  const PUBLIC = /^(pki\/[^/]+\.crt|pki\/sa\.pub|nodes\.json)$/;
  let base: string;
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-sec-datadir-'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('is 0700 with its parents; only public files are readable by others; secrets are 0600', async () => {
    const dataDir = path.join(base, 'new', 'kubelab');
    const cfg = defaultClusterConfig();
    const cluster = await startCluster({ dataDir, port: 0, logger: silentLogger, config: { ...cfg, addons: { dns: { ...cfg.addons.dns, port: 0 }, ingress: { ...cfg.addons.ingress, port: 0 } } } });
    try {
      assert.equal(mode(path.join(base, 'new')), '700');
      const seen: string[] = [];
      const walk = (d: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          const rel = path.relative(dataDir, p);
          seen.push(rel);
          if (e.isDirectory()) {
            assert.equal(mode(p), '700', rel);
            walk(p);
          } else if (!PUBLIC.test(rel)) {
            assert.equal(fs.statSync(p).mode & 0o077, 0, `${rel} is ${mode(p)}`);
          }
        }
      };
      assert.equal(mode(dataDir), '700');
      walk(dataDir);
      for (const f of ['kubeconfig', 'auth/tokens.csv', 'leader-election.json', 'pki/ca.key', 'pki/apiserver.key', 'pki/sa.key']) {
        assert.ok(seen.includes(f), `${f} exists (found: ${seen.join(', ')})`);
        assert.equal(mode(path.join(dataDir, f)), '600', f);
      }
    } finally {
      await cluster.close();
    }
  });
});
