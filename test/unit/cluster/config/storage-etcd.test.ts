import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterConfigError, parseClusterConfig } from '../../../../src/cluster/config';
import { compactionOptions } from '../../../../src/cluster/storage';

const HEAD = 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\n';

function errorsOf(storage: string): string[] {
  try {
    parseClusterConfig(`${HEAD}storage: ${storage}\n`, 'test.yaml', { baseDir: '/cfg' });
    return [];
  } catch (e) {
    assert.ok(e instanceof ClusterConfigError, String(e));
    return e.errors.map((m) => m.replace(/ \(line \d+\)$/, ''));
  }
}

describe('ClusterConfig storage: etcd TLS and auth', () => {
  it('takes caFile, certFile, keyFile (resolved against the config directory), username and password', () => {
    const { config } = parseClusterConfig(
      `${HEAD}storage: { type: etcd, endpoints: ["https://e:2379"], caFile: pki/ca.pem, certFile: /abs/c.pem, keyFile: k.pem, username: root, password: "" }\n`,
      'test.yaml',
      { baseDir: '/cfg' },
    );
    assert.deepEqual(config.storage, {
      type: 'etcd',
      endpoints: ['https://e:2379'],
      caFile: path.resolve('/cfg', 'pki/ca.pem'),
      certFile: '/abs/c.pem',
      keyFile: path.resolve('/cfg', 'k.pem'),
      username: 'root',
      password: '',
    });
  });

  it('leaves out what was not given', () => {
    const { config } = parseClusterConfig(`${HEAD}storage: { type: etcd, endpoints: ["http://e:2379"] }\n`, 'test.yaml');
    assert.deepEqual(config.storage, { type: 'etcd', endpoints: ['http://e:2379'] });
  });

  const bad: [string, string, string[]][] = [
    ['certFile without keyFile', '{ type: etcd, endpoints: ["https://e:2379"], certFile: c.pem }', ['storage.keyFile: Required value: certFile and keyFile are given together (a client certificate and its key)']],
    ['keyFile without certFile', '{ type: etcd, endpoints: ["https://e:2379"], keyFile: k.pem }', ['storage.certFile: Required value: certFile and keyFile are given together (a client certificate and its key)']],
    ['username without password', '{ type: etcd, endpoints: ["https://e:2379"], username: root }', ['storage.password: Required value: username and password are given together']],
    ['password without username', '{ type: etcd, endpoints: ["https://e:2379"], password: pw }', ['storage.username: Required value: username and password are given together']],
    ['an empty username', '{ type: etcd, endpoints: ["https://e:2379"], username: "", password: pw }', ['storage.username: Required value: a non-empty etcd user name']],
    ['an empty file name', '{ type: etcd, endpoints: ["https://e:2379"], caFile: "" }', ['storage.caFile: Required value: a PEM file path']],
    ['TLS files with http endpoints', '{ type: etcd, endpoints: ["http://e:2379"], caFile: ca.pem }', ['storage.caFile: Forbidden: TLS files need https endpoints']],
    ['a number as a password', '{ type: etcd, endpoints: ["https://e:2379"], username: u, password: 12 }', ['storage.password: expected a string, got 12', 'storage.password: Required value: username and password are given together']],
    ['TLS with the embedded store', '{ type: sqljs, caFile: ca.pem, username: u }', ['storage.caFile: Forbidden: only storage type etcd takes caFile', 'storage.username: Forbidden: only storage type etcd takes username']],
    ['an unknown field', '{ type: etcd, endpoints: ["https://e:2379"], cafile: x }', []],
  ];
  for (const [what, storage, want] of bad) {
    it(`refuses ${what}`, () => {
      const got = errorsOf(storage);
      if (want.length) assert.deepEqual(got, want);
      else assert.match(got.join('\n'), /^storage\.cafile: unknown field/);
    });
  }
});

describe('ClusterConfig storage: the embedded store\'s compactionInterval', () => {
  it('is a Go duration, left out when not given', () => {
    assert.deepEqual(parseClusterConfig(`${HEAD}storage: { type: sqljs, compactionInterval: 1m30s }\n`, 'test.yaml').config.storage, { type: 'sqljs', compactionIntervalMs: 90_000 });
    assert.deepEqual(parseClusterConfig(`${HEAD}storage: { type: sqljs }\n`, 'test.yaml').config.storage, { type: 'sqljs' });
  });

  for (const [what, storage, want] of [
    ['a number', '{ type: sqljs, compactionInterval: 30 }', 'storage.compactionInterval: expected a duration such as "1s" or "500ms", got 30'],
    ['less than a second', '{ type: sqljs, compactionInterval: 200ms }', 'storage.compactionInterval: must be at least 1000ms, not "200ms"'],
    ['with an external etcd', '{ type: etcd, endpoints: ["http://e:2379"], compactionInterval: 5m }', 'storage.compactionInterval: Forbidden: only storage type sqljs takes compactionInterval (an external etcd is compacted by its own settings)'],
  ] as const) {
    it(`refuses ${what}`, () => assert.deepEqual(errorsOf(storage), [want]));
  }

  it('maps to the store\'s retention and how often the compactor looks', () => {
    assert.equal(compactionOptions(undefined), undefined);
    assert.deepEqual(compactionOptions(20_000), { minRetentionMs: 20_000, intervalMs: 4000 });
    assert.deepEqual(compactionOptions(2000), { minRetentionMs: 2000, intervalMs: 1000 });
    assert.deepEqual(compactionOptions(3_600_000), { minRetentionMs: 3_600_000, intervalMs: 60_000 });
  });
});
