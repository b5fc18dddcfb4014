/** Store errors reach etcd clients with etcd's status codes and wording (api/v3rpc/rpctypes). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { errors } from '../../../../src/storage/errors';
import { StoreError } from '../../../../src/storage/store';
import { GrpcError, toGrpcError } from '../../../../src/storage/grpc/grpc-error';

describe('toGrpcError', () => {
  const cases: [string, unknown, status, string][] = [
    ['compacted', errors.compacted(5), status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted'],
    ['future revision', errors.futureRevision(), status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision'],
    ['lease not found', errors.leaseNotFound(), status.NOT_FOUND, 'etcdserver: requested lease not found'],
    ['too large (etcd\'s exact words, without our detail)', errors.tooLarge(2_000_000), status.INVALID_ARGUMENT, 'etcdserver: request is too large'],
    ['empty key', errors.emptyKey(), status.INVALID_ARGUMENT, 'etcdserver: key is not provided'],
    ['duplicate key', errors.duplicateKey(), status.INVALID_ARGUMENT, 'etcdserver: duplicate key given in txn request'],
    ['too many ops', errors.tooManyOps(), status.INVALID_ARGUMENT, 'etcdserver: too many operations in txn request'],
    ['lease exists (an invalid with etcd\'s message)', new StoreError('invalid', 'etcdserver: lease already exists'), status.FAILED_PRECONDITION, 'etcdserver: lease already exists'],
    ['closed store', errors.closed(), status.UNAVAILABLE, 'etcdserver: server stopped'],
    ['other invalid keeps its message', errors.invalid('bad thing'), status.INVALID_ARGUMENT, 'bad thing'],
    ['io keeps its message', new StoreError('io', 'disk full'), status.UNAVAILABLE, 'disk full'],
    ['a plain Error is INTERNAL', new Error('boom'), status.INTERNAL, 'boom'],
    ['a GrpcError passes unchanged', new GrpcError(status.ABORTED, 'x'), status.ABORTED, 'x'],
  ];
  for (const [name, e, code, message] of cases) {
    it(name, () => {
      const g = toGrpcError(e);
      assert.equal(g.code, code);
      assert.equal(g.message, message);
      assert.equal(g.details, message, 'grpc-js sends details');
    });
  }
});
