/**
 * The security claims checked against KubeLab started as the README says (`npm start`, the real CLI, with debug
 * logging) and driven by the real kubectl:
 *   - loopback only: every TCP socket the cluster process listens on and every UDP socket it has bound — the API
 *     server, the DNS add-on (UDP + TCP), the ingress controller, the etcd gRPC endpoint, the userspace kube-proxy's
 *     NodePort, the simulated pods' listener — is on 127.0.0.1 (read from /proc/<pid>/net for that pid);
 *   - TLS 1.2+ only: a TLS 1.0 or 1.1 handshake with the API server is refused by the server (even with node's
 *     --tls-min-v1.0 in the cluster process's NODE_OPTIONS); 1.2 and 1.3 work;
 *   - keys and tokens 0600: the kubeconfig, pki/*.key, auth/tokens.csv, leader-election.json (dirs 0700);
 *   - no secret in any log: after a realistic run (apply, a Secret with a known value, get, watch, node stop/start,
 *     a ServiceAccount token, bad-token requests) neither the CLI's stdout nor its stderr holds the admin token,
 *     any token of tokens.csv, the ServiceAccount token, a wrong token that was presented, nor the Secret's value
 *     (plain or base64).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tls from 'node:tls';
import { cliClusterSuite } from '../helpers/cli-cluster';
import { parseTable } from '../helpers/kubectl';
import { waitFor } from '../helpers/wait';
import { boundSockets, isLoopback } from './security-sockets';

// Every record the cluster logs (the CLI passes KUBELAB_LOG=debug to its logger) reaches stderr.
process.env.KUBELAB_LOG = 'debug';
// Node's own default minimum is TLS 1.2; lowering it for the cluster process shows the API server sets its own.
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --tls-min-v1.0`.trim();

const SECRET_VALUE = 'kubelab-known-Secret-value-7f3a9c';
const WRONG_TOKEN = 'kubelab-wrong-token-0123456789abcdef0123456789';

function handshake(port: number, version: tls.SecureVersion): Promise<{ ok: true; protocol: string | null } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    // SECLEVEL=0 lets this client offer the old versions, so a refusal can only come from the server.
    const s = tls.connect({ host: '127.0.0.1', port, minVersion: version, maxVersion: version, rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0' });
    s.once('secureConnect', () => {
      const protocol = s.getProtocol();
      s.destroy();
      resolve({ ok: true, protocol });
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, code: e.code ?? e.message }));
  });
}

function modeOf(file: string): string {
  return (fs.statSync(file).mode & 0o777).toString(8);
}

test('security of a full CLI run: loopback, TLS, file modes, no secret in the logs', { timeout: 240_000 }, async (t) => {
  const args = ['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--nodes', '1', '--time-scale', '0.05', '--proxy-mode', 'userspace', '--etcd-grpc-port', '0'];
  await cliClusterSuite(t, args, async ({ cli, k, dataDir }) => {
    const until = <T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000) => waitFor(fn, what, { timeoutMs, intervalMs: 250 }) as Promise<T>;
    const pid = cli.child.pid!;
    const apiPort = Number(new URL(cli.url).port);
    const dnsPort = Number(/^Cluster DNS: 127\.0\.0\.1:(\d+)/m.exec(cli.stdout)?.[1]);
    const ingressPort = Number(/^Ingress: +http:\/\/127\.0\.0\.1:(\d+)\//m.exec(cli.stdout)?.[1]);
    const grpcPort = Number(/etcd API: http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stdout)?.[1]);
    assert.ok(dnsPort > 0 && ingressPort > 0 && grpcPort > 0, `the CLI names its ports\n${cli.stdout}`);

    // A realistic run: a workload behind a NodePort, a Secret, reads, a watch, a ServiceAccount token, bad tokens.
    const watch = k.watch(['get', 'pods', '--watch', '-o', 'name']);
    await k.ok(['apply', '-f', k.writeManifest('web.yaml', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
    })]);
    await k.ok(['expose', 'deployment', 'web', '--type=NodePort', '--port=80']);
    const nodePort = Number(await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    await k.ok(['create', 'secret', 'generic', 'creds', `--from-literal=password=${SECRET_VALUE}`]);
    assert.equal(Buffer.from(await k.ok(['get', 'secret', 'creds', '-o', 'jsonpath={.data.password}']), 'base64').toString(), SECRET_VALUE);
    await k.ok(['get', 'secret', 'creds', '-o', 'yaml']);
    await until(async () => {
      const r = parseTable(await k.ok(['get', 'pods', '-l', 'app=web'])).rows;
      return r.length === 2 && r.every((p) => p.READY === '1/1');
    }, '2 web pods ready');
    await watch.until(/pod\/web-/, 'the watch sees the web pods');
    const saToken = (await k.ok(['create', 'token', 'default'])).trim();
    assert.match(saToken, /^eyJ/);
    const asSa = await k.run(['--kubeconfig', k.kubeconfigWithToken(saToken), 'get', 'secrets']);
    assert.match(asSa.stderr, /secrets is forbidden: User "system:serviceaccount:default:default" cannot list resource "secrets"/);
    const bad = await k.run(['--kubeconfig', k.kubeconfigWithToken(WRONG_TOKEN), 'get', 'pods']);
    assert.match(bad.stderr, /You must be logged in to the server \(Unauthorized\)/);
    assert.match(await cli.command('node stop kubelab-worker', /stopped/), /node kubelab-worker stopped/);
    assert.match(await cli.command('node start kubelab-worker', /started/), /node kubelab-worker started/);
    await k.ok(['delete', 'secret', 'creds']);

    await t.test('every listening TCP socket and bound UDP socket of the cluster process is on loopback', async (st) => {
      const sockets = await until(async () => {
        const s = boundSockets(pid);
        return s.some((x) => x.proto === 'tcp' && x.port === nodePort) ? s : undefined;
      }, `the userspace kube-proxy listens on the NodePort ${nodePort}`);
      st.diagnostic(`sockets: ${sockets.map((s) => `${s.proto} ${s.address}:${s.port}`).join(', ')}`);
      const outside = sockets.filter((s) => !isLoopback(s.address));
      assert.deepEqual(outside, [], `non-loopback sockets: ${JSON.stringify(outside)}`);
      const has = (proto: 'tcp' | 'udp', port: number) => sockets.some((s) => s.proto === proto && s.port === port);
      for (const [what, proto, port] of [['API server', 'tcp', apiPort], ['DNS/UDP', 'udp', dnsPort], ['DNS/TCP', 'tcp', dnsPort], ['ingress', 'tcp', ingressPort], ['etcd gRPC', 'tcp', grpcPort], ['NodePort', 'tcp', nodePort]] as const) {
        assert.ok(has(proto, port), `${what} (${proto} ${port}) is among the sockets found: ${JSON.stringify(sockets)}`);
      }
      // Beyond those: the simulated pods' PROXY-protocol listener (and nothing else unexpected is checked by address).
      assert.ok(sockets.length >= 7, JSON.stringify(sockets));
    });

    await t.test('the API server refuses TLS 1.0 and 1.1, accepts 1.2 and 1.3', async (st) => {
      for (const v of ['TLSv1', 'TLSv1.1'] as const) {
        const r = await handshake(apiPort, v);
        st.diagnostic(`${v}: ${JSON.stringify(r)}`);
        assert.equal(r.ok, false, `${v} was accepted`);
        assert.match((r as { code: string }).code, /TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER/, v);
      }
      assert.deepEqual(await handshake(apiPort, 'TLSv1.2'), { ok: true, protocol: 'TLSv1.2' });
      assert.deepEqual(await handshake(apiPort, 'TLSv1.3'), { ok: true, protocol: 'TLSv1.3' });
    });

    await t.test('credentials and keys are 0600, their directories 0700', () => {
      const files = [path.join(dataDir, 'kubeconfig'), path.join(dataDir, 'auth', 'tokens.csv'), path.join(dataDir, 'leader-election.json')];
      const keys = fs.readdirSync(path.join(dataDir, 'pki')).filter((f) => f.endsWith('.key'));
      assert.ok(keys.length >= 2, `keys in pki/: ${keys.join(', ')}`);
      for (const f of [...files, ...keys.map((x) => path.join(dataDir, 'pki', x))]) assert.equal(modeOf(f), '600', f);
      for (const d of [dataDir, path.join(dataDir, 'pki'), path.join(dataDir, 'auth')]) assert.equal(modeOf(d), '700', d);
    });

    await t.test('no token, key or Secret value in anything the cluster printed or logged', async (st) => {
      await watch.stop();
      const tokens = fs.readFileSync(path.join(dataDir, 'auth', 'tokens.csv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',')[0]);
      const keys = fs.readdirSync(path.join(dataDir, 'pki')).filter((f) => f.endsWith('.key')).map((f) => fs.readFileSync(path.join(dataDir, 'pki', f), 'utf8'));
      const keyBodies = keys.map((pem) => pem.split('\n').filter((l) => l && !l.startsWith('-----'))[1] ?? '');
      const secrets: [string, string][] = [
        ...tokens.map((tok, i): [string, string] => [`tokens.csv token ${i + 1}`, tok]),
        ['ServiceAccount token', saToken],
        ['ServiceAccount token signature', saToken.split('.')[2]],
        ['wrong token presented', WRONG_TOKEN],
        ['Secret value', SECRET_VALUE],
        ['Secret value, base64', Buffer.from(SECRET_VALUE).toString('base64')],
        ...keyBodies.map((b, i): [string, string] => [`private key ${i + 1}`, b]),
      ];
      assert.ok(tokens.length >= 1 && secrets.every(([, s]) => s.length >= 16), 'every secret looked for is long enough to be unambiguous');
      const logs = `${cli.stdout}\n${cli.stderr}`;
      // The run did log at debug level (otherwise the check would be empty).
      assert.ok(cli.stderr.split('\n').length > 50, `the cluster's debug log has lines (${cli.stderr.length} bytes)`);
      st.diagnostic(`searched ${cli.stdout.length} bytes of stdout and ${cli.stderr.length} bytes of stderr for ${secrets.length} secrets`);
      const leaks = secrets.filter(([, s]) => logs.includes(s)).map(([what]) => what);
      assert.deepEqual(leaks, []);
    });
  });
});
