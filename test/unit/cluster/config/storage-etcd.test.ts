import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterConfigError, parseClusterConfig } from '../../../../src/cluster/config';

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
