import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { parseCli, USAGE } from '../../../src/cli/args';
import { clusterConfigFromCli } from '../../../src/cli/cluster-config';
import { etcdApiLine } from '../../../src/cli/etcd-api-line';

describe('parseCli: etcd flags', () => {
  it('takes --etcd-endpoints, --etcd-grpc-port and --etcd-allow-registry-writes, present only when given', () => {
    assert.deepEqual(parseCli(['--data-dir', '/d', '--etcd-endpoints', 'https://10.0.0.1:2379, https://10.0.0.2:2379']), {
      dataDir: '/d',
      etcdEndpoints: ['https://10.0.0.1:2379', 'https://10.0.0.2:2379'],
      help: false,
    });
    assert.deepEqual(parseCli(['--data-dir', '/d', '--etcd-grpc-port', '2379', '--etcd-allow-registry-writes']), {
      dataDir: '/d',
      etcdGrpcPort: 2379,
      etcdAllowRegistryWrites: true,
      help: false,
    });
    assert.equal(parseCli(['--etcd-grpc-port=0']).etcdGrpcPort, 0);
    assert.equal(parseCli([]).etcdGrpcPort, undefined);
    assert.equal(parseCli([]).etcdAllowRegistryWrites, undefined);
  });

  const bad: [string[], RegExp][] = [
    [['--etcd-endpoints', '127.0.0.1:2379'], /^--etcd-endpoints: invalid URL "127\.0\.0\.1:2379": /],
    [['--etcd-endpoints', 'ftp://e:2379'], /^--etcd-endpoints: invalid URL "ftp:\/\/e:2379": the scheme must be https or http, not ftp$/],
    [['--etcd-endpoints', 'http://e:2379/v3'], /an etcd endpoint has no path, query or fragment$/],
    [['--etcd-endpoints', 'http://u:p@e:2379'], /credentials do not belong in the URL$/],
    [['--etcd-endpoints', ''], /^--etcd-endpoints must be a comma-separated list of URLs such as http:\/\/127\.0\.0\.1:2379, not ""$/],
    [['--etcd-endpoints', 'http://a:2379,'], /^--etcd-endpoints must be a comma-separated list/],
    [['--etcd-endpoints', 'http://a:2379,http://a:2379'], /^--etcd-endpoints: "http:\/\/a:2379" is listed twice$/],
    [['--etcd-endpoints', 'http://a:2379,https://b:2379'], /^--etcd-endpoints: the URLs must all use https or all use http$/],
    [['--etcd-grpc-port', '65536'], /^--etcd-grpc-port must be a whole number from 0 to 65535, not "65536"$/],
    [['--etcd-grpc-port', '-1'], /--etcd-grpc-port/],
    [['--etcd-grpc-port', 'x'], /^--etcd-grpc-port must be a whole number from 0 to 65535, not "x"$/],
    [['--etcd-endpoints', 'http://a:2379', '--etcd-grpc-port', '2379'], /^--etcd-grpc-port cannot be combined with --etcd-endpoints: the external etcd already serves its gRPC API at its endpoints$/],
    [['--etcd-allow-registry-writes'], /^--etcd-allow-registry-writes needs --etcd-grpc-port$/],
    [['--etcd-allow-registry-writes=yes'], /Option '--etcd-allow-registry-writes' does not take an argument/],
  ];
  for (const [argv, want] of bad) {
    it(`refuses ${argv.join(' ') || '(empty)'}`, () => assert.throws(() => parseCli(argv), (e: Error) => want.test(e.message)));
  }

  it('any valid port is taken and anything above 65535 refused (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), (n) => {
        if (n <= 65535) assert.equal(parseCli(['--etcd-grpc-port', String(n)]).etcdGrpcPort, n);
        else assert.throws(() => parseCli(['--etcd-grpc-port', String(n)]), /--etcd-grpc-port must be a whole number from 0 to 65535/);
      }),
    );
  });

  it('the usage documents the three flags', () => {
    for (const flag of ['--etcd-endpoints URL,URL,...', '--etcd-grpc-port N', '--etcd-allow-registry-writes']) assert.ok(USAGE.includes(flag), flag);
  });
});

describe('clusterConfigFromCli: etcd', () => {
  it('--etcd-endpoints replaces the embedded store; a config file keeps its etcd TLS settings', () => {
    assert.deepEqual(clusterConfigFromCli({}).config.storage, { type: 'sqljs' });
    assert.deepEqual(clusterConfigFromCli({ etcdEndpoints: ['http://a:2379'] }).config.storage, { type: 'etcd', endpoints: ['http://a:2379'] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cli-etcd-'));
    try {
      const file = path.join(dir, 'c.yaml');
      fs.writeFileSync(file, 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\nstorage: { type: etcd, endpoints: ["https://e1:2379"], caFile: ca.pem }\n');
      assert.deepEqual(clusterConfigFromCli({ config: file, etcdEndpoints: ['https://e2:2379', 'https://e3:2379'] }).config.storage, {
        type: 'etcd',
        endpoints: ['https://e2:2379', 'https://e3:2379'],
        caFile: path.join(dir, 'ca.pem'),
      });
      assert.throws(
        () => clusterConfigFromCli({ config: file, etcdGrpcPort: 2379 }),
        (e: Error) => e.message === `${file}: --etcd-grpc-port: the cluster stores its objects in an external etcd (storage.type: etcd), which already serves the etcd API at https://e1:2379`,
      );
      assert.equal(clusterConfigFromCli({ etcdGrpcPort: 2379 }).config.storage.type, 'sqljs');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('etcdApiLine', () => {
  it('says where the API is, whether /registry/ is writable, and how to list it', () => {
    assert.equal(
      etcdApiLine({ url: 'http://127.0.0.1:2379', allowRegistryWrites: false }),
      'etcd API: http://127.0.0.1:2379 (read-only for /registry/; etcdctl --endpoints=http://127.0.0.1:2379 get /registry --prefix --keys-only)',
    );
    assert.equal(
      etcdApiLine({ url: 'http://127.0.0.1:40000', allowRegistryWrites: true }),
      'etcd API: http://127.0.0.1:40000 (writable for /registry/ (--etcd-allow-registry-writes); etcdctl --endpoints=http://127.0.0.1:40000 get /registry --prefix --keys-only)',
    );
  });
});
