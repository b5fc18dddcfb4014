/** Finding and loading etcd's .proto files at runtime. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findProtoDir, loadEtcdServices, PROTO_FILES, SERVICE_NAMES } from '../../../../src/storage/grpc/proto';

describe('etcd .proto files', () => {
  it('a given directory holding all the files wins; one missing a file is passed over', () => {
    const shipped = findProtoDir();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-proto-'));
    try {
      for (const f of PROTO_FILES) fs.copyFileSync(path.join(shipped, f), path.join(dir, f));
      assert.equal(findProtoDir(dir), dir);
      fs.rmSync(path.join(dir, 'auth.proto'));
      assert.equal(findProtoDir(dir), shipped, 'falls back to the etcd3 package');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads every etcd service with its methods and streaming shapes', () => {
    const s = loadEtcdServices();
    assert.deepEqual(Object.keys(s).sort(), [...SERVICE_NAMES].sort());
    assert.deepEqual(Object.keys(s.KV).sort(), ['Compact', 'DeleteRange', 'Put', 'Range', 'Txn']);
    assert.equal(s.Watch.Watch!.requestStream && s.Watch.Watch!.responseStream, true);
    assert.equal(s.Lease.LeaseKeepAlive!.requestStream, true);
    assert.equal(s.Maintenance.Snapshot!.responseStream && !s.Maintenance.Snapshot!.requestStream, true);
    assert.equal(loadEtcdServices(), s, 'loaded once');
  });
});
