/**
 * gRPC errors as etcd words them. etcd's clients recognise errors by their exact message (clientv3's
 * rpctypes.Error, the etcd3 npm client's error table), so a StoreError whose message is one of etcd's is sent with
 * etcd's status code and that message unchanged; the remaining store errors map by their code. Anything else is an
 * INTERNAL error carrying its message; nothing is swallowed.
 */
import { status } from '@grpc/grpc-js';
import { StoreError, type StoreErrorCode } from '../store';

/** An error with a gRPC status code, ready to hand to a grpc-js callback or `call.emit('error')`. */
export class GrpcError extends Error {
  readonly details: string;
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
    this.details = message;
  }
}

/** etcd's server-side errors (api/v3rpc/rpctypes) that can come out of the Store or this server. */
export const etcdErrors = {
  emptyKey: 'etcdserver: key is not provided',
  keyNotFound: 'etcdserver: key not found',
  valueProvided: 'etcdserver: value is provided',
  leaseProvided: 'etcdserver: lease is provided',
  tooManyOps: 'etcdserver: too many operations in txn request',
  duplicateKey: 'etcdserver: duplicate key given in txn request',
  compacted: 'etcdserver: mvcc: required revision has been compacted',
  futureRev: 'etcdserver: mvcc: required revision is a future revision',
  leaseNotFound: 'etcdserver: requested lease not found',
  leaseExist: 'etcdserver: lease already exists',
  leaseTTLTooLarge: 'etcdserver: too large lease TTL',
  requestTooLarge: 'etcdserver: request is too large',
  stopped: 'etcdserver: server stopped',
  invalidSortOption: 'etcdserver: invalid sort option',
} as const;

const CODE_OF_MESSAGE = new Map<string, status>([
  [etcdErrors.emptyKey, status.INVALID_ARGUMENT],
  [etcdErrors.keyNotFound, status.INVALID_ARGUMENT],
  [etcdErrors.valueProvided, status.INVALID_ARGUMENT],
  [etcdErrors.leaseProvided, status.INVALID_ARGUMENT],
  [etcdErrors.tooManyOps, status.INVALID_ARGUMENT],
  [etcdErrors.duplicateKey, status.INVALID_ARGUMENT],
  [etcdErrors.compacted, status.OUT_OF_RANGE],
  [etcdErrors.futureRev, status.OUT_OF_RANGE],
  [etcdErrors.leaseNotFound, status.NOT_FOUND],
  [etcdErrors.leaseExist, status.FAILED_PRECONDITION],
  [etcdErrors.leaseTTLTooLarge, status.OUT_OF_RANGE],
  [etcdErrors.requestTooLarge, status.INVALID_ARGUMENT],
  [etcdErrors.stopped, status.UNAVAILABLE],
  [etcdErrors.invalidSortOption, status.INVALID_ARGUMENT],
]);

/** How each store error code reaches a client when its message is not one of etcd's. */
const BY_STORE_CODE: Record<StoreErrorCode, { code: status; message?: string }> = {
  compacted: { code: status.OUT_OF_RANGE, message: etcdErrors.compacted },
  'future-revision': { code: status.OUT_OF_RANGE, message: etcdErrors.futureRev },
  'lease-not-found': { code: status.NOT_FOUND, message: etcdErrors.leaseNotFound },
  'too-large': { code: status.INVALID_ARGUMENT, message: etcdErrors.requestTooLarge },
  'empty-key': { code: status.INVALID_ARGUMENT, message: etcdErrors.emptyKey },
  'duplicate-key': { code: status.INVALID_ARGUMENT, message: etcdErrors.duplicateKey },
  'too-many-ops': { code: status.INVALID_ARGUMENT, message: etcdErrors.tooManyOps },
  closed: { code: status.UNAVAILABLE, message: etcdErrors.stopped },
  io: { code: status.UNAVAILABLE },
  locked: { code: status.UNAVAILABLE },
  corrupt: { code: status.DATA_LOSS },
  invalid: { code: status.INVALID_ARGUMENT },
};

/** The gRPC error a client should see for `e`. */
export function toGrpcError(e: unknown): GrpcError {
  if (e instanceof GrpcError) return e;
  if (e instanceof StoreError) {
    const known = CODE_OF_MESSAGE.get(e.message);
    if (known !== undefined) return new GrpcError(known, e.message);
    const mapped = BY_STORE_CODE[e.code] ?? { code: status.UNKNOWN };
    return new GrpcError(mapped.code, mapped.message ?? e.message);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new GrpcError(status.INTERNAL, message);
}

export const etcdError = (message: (typeof etcdErrors)[keyof typeof etcdErrors]): GrpcError =>
  new GrpcError(CODE_OF_MESSAGE.get(message) ?? status.UNKNOWN, message);

export const invalidArgument = (message: string): GrpcError => new GrpcError(status.INVALID_ARGUMENT, message);

export const unimplemented = (message: string): GrpcError => new GrpcError(status.UNIMPLEMENTED, message);
