import { StoreError } from './store';

/** etcd's own wording, so errors read the same whichever backend is in use. */
export const errors = {
  compacted: (compactRevision: number) =>
    new StoreError('compacted', 'etcdserver: mvcc: required revision has been compacted', compactRevision),
  futureRevision: () => new StoreError('future-revision', 'etcdserver: mvcc: required revision is a future revision'),
  leaseNotFound: () => new StoreError('lease-not-found', 'etcdserver: requested lease not found'),
  tooLarge: (bytes: number) =>
    new StoreError('too-large', `etcdserver: request is too large (${bytes} bytes; the limit is 1.5 MiB)`),
  emptyKey: () => new StoreError('empty-key', 'etcdserver: key is not provided'),
  duplicateKey: () => new StoreError('duplicate-key', 'etcdserver: duplicate key given in txn request'),
  tooManyOps: () => new StoreError('too-many-ops', 'etcdserver: too many operations in txn request'),
  closed: () => new StoreError('closed', 'store is closed'),
  invalid: (message: string) => new StoreError('invalid', message),
};
