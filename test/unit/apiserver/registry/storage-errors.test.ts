/**
 * How store failures reach API clients (RegistryCore.guard), as kube-apiserver answers them: an etcd error it does
 * not recognise — a full or read-only disk, "etcdserver: mvcc: database space exceeded" — goes through
 * responsewriters.ErrorToAPIStatus unconverted: 500, reason Unknown (so no reason field), the message exactly as the
 * storage words it (kubectl: "Error from server: <message>"). The recognised ones keep their own mapping.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLogger } from '../../../../src/base/logger';
import { isStatusError } from '../../../../src/api/status';
import { RegistryCore, type RegistryDeps } from '../../../../src/apiserver/registry/core';
import { StoreError } from '../../../../src/storage/store';
import { errors } from '../../../../src/storage/errors';

async function statusOf(e: Error): Promise<unknown> {
  const { logger } = memoryLogger();
  const core = new RegistryCore({ logger } as RegistryDeps);
  try {
    await core.guard(() => Promise.reject(e));
  } catch (err) {
    assert.ok(isStatusError(err), `not a StatusError: ${String(err)}`);
    return err.status;
  }
  assert.fail('guard resolved');
}

describe('storage errors as API Status', () => {
  const unknown = (message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
  for (const message of [
    'etcdserver: write-ahead log /d/etcd/wal-0000000000000001.log: ENOSPC: no space left on device, write',
    'etcdserver: write-ahead log /d/etcd/wal-0000000000000001.log: EROFS: read-only file system, fdatasync',
    'etcdserver: mvcc: database space exceeded',
  ]) {
    it(`500 without a reason, the message as is: ${message.slice(0, 60)}…`, async () => {
      assert.deepEqual(await statusOf(new StoreError('io', message)), unknown(message));
    });
  }

  it('the recognised ones keep their mapping (compacted → 410 Expired, closed → 503)', async () => {
    assert.deepEqual(await statusOf(errors.compacted(5)), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: mvcc: required revision has been compacted', reason: 'Expired', code: 410 });
    assert.equal(((await statusOf(errors.closed())) as { code: number }).code, 503);
  });
});
