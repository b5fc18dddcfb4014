/**
 * Claim: KubeLab serves on loopback only. The running cluster is checked socket by socket in
 * test/integration/security-cli-run.test.ts; this keeps the inventory honest: every place in src that listens or
 * binds (`.listen(`, `.bind(` on a datagram socket, gRPC `bindAsync(`) is one of the sites below, each with the
 * line that makes its address 127.0.0.1 (a literal, or a default of 127.0.0.1 that no caller overrides). A new
 * listener fails this test until it is added here, reviewed, and covered by the socket check. No `host` in src is
 * ever set to a non-loopback literal (0.0.0.0, ::, an external name).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..', '..');

/** file → what puts it on loopback (a regex over the file's text), and what it is. */
const SITES: Record<string, { loopback: RegExp; what: string }> = {
  'src/apiserver/https.ts': { loopback: /server\.listen\(opts\.port, opts\.host/, what: 'the API server (host from src/cluster/main.ts, checked below)' },
  'src/addons/dns/server.ts': { loopback: /this\.host = o\.host \?\? '127\.0\.0\.1'/, what: 'cluster DNS, UDP and TCP' },
  'src/addons/dns/cluster-dns.ts': { loopback: /server\.listen\(opts\.port \?\? 0\)/, what: 'cluster DNS (through server.ts)' },
  'src/addons/ingress/controller.ts': { loopback: /export const LISTEN_HOST = '127\.0\.0\.1'/, what: 'ingress controller' },
  'src/storage/grpc/index.ts': { loopback: /const host = options\.host \?\? '127\.0\.0\.1'/, what: 'etcd gRPC endpoint' },
  'src/cluster/endpoint-server.ts': { loopback: /server\.listen\(0, '127\.0\.0\.1'/, what: "the extension's endpoint" },
  'src/proxy/userspace/host-ports.ts': { loopback: /this\.host = o\.host \?\? '127\.0\.0\.1'/, what: 'userspace kube-proxy NodePorts / host ports' },
  'src/kubelet/runtime/sim/http-listener.ts': { loopback: /constructor\(private readonly host = '127\.0\.0\.1'\)/, what: "simulated pods' HTTP listener" },
};

const LISTENS = /\.listen\(|\bbindAsync\(|dgram\.createSocket\(|\bs\.bind\(port/;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    return e.isDirectory() ? tsFiles(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

const code = (f: string) =>
  fs
    .readFileSync(path.join(root, f), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l))
    .join('\n');

describe('every listening site in src is a reviewed loopback site', () => {
  const files = tsFiles('src');

  it('the sites that listen or bind are exactly the inventory', () => {
    const found = files.filter((f) => LISTENS.test(code(f))).sort();
    assert.deepEqual(found, Object.keys(SITES).sort());
  });

  for (const [file, site] of Object.entries(SITES)) {
    it(`${file} (${site.what}) binds 127.0.0.1`, () => assert.match(code(file), site.loopback));
  }

  it('the cluster serves the API on 127.0.0.1', () => {
    assert.match(code('src/cluster/main.ts'), /serveHttps\([^;]{0,120}?\{ host: '127\.0\.0\.1'/);
  });

  it('no host in src is a non-loopback literal; nothing binds a wildcard address', () => {
    const bad: string[] = [];
    for (const f of files) {
      code(f)
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/\bhost\s*(?::|=|\?\?)\s*(['"])([^'"]*)\1/g)) {
            if (!/^(127\.0\.0\.1|localhost|::1|)$/.test(m[2])) bad.push(`${f}:${i + 1}: ${line.trim()}`);
          }
          if (/\.(listen|bind|bindAsync)\([^)]*(['"])(0\.0\.0\.0|::|\[::\](:\d+)?)\2/.test(line)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(bad, []);
  });
});
