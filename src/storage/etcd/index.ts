/**
 * The etcd backend: a Store over a real etcd v3 cluster (etcd 3.4 or newer).
 *
 * `openEtcdStore(options)` validates the options (StoreError 'invalid' naming the option), connects, and resolves
 * once a member has answered (within dialTimeout; otherwise StoreError 'io' naming the endpoints).
 *
 * Known differences from the embedded store, all inherited from etcd:
 * - Lease expiry follows etcd's own clock (no injected Clock); etcd raises TTLs below its minimum.
 * - compactRevision() cannot tell a compaction at revision 1 from none.
 * - Ranges inside a txn are not paged (a txn answer must fit in maxReceiveBytes).
 * - A delete retried after an ambiguous failure may report deleted: 0 (its first attempt deleted the keys).
 */
import { StoreError } from '../store';
import { EtcdConnection } from './connection';
import { messageOf } from './error-map';
import { EtcdStore } from './etcd-store';
import { resolveEtcdOptions, type EtcdStoreOptions } from './options';

export { EtcdStore } from './etcd-store';
export type { EtcdStoreOptions, EtcdTlsOptions } from './options';
export { rangeStats } from './range';

export async function openEtcdStore(options: EtcdStoreOptions): Promise<EtcdStore> {
  const resolved = resolveEtcdOptions(options);
  const conn = new EtcdConnection({ ...resolved, retryTimeout: Math.min(resolved.retryTimeout, resolved.dialTimeout) });
  const store = new EtcdStore(conn);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.revision(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${resolved.dialTimeout} ms`)), resolved.dialTimeout);
      }),
    ]);
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw new StoreError('io', `cannot reach etcd at ${resolved.endpoints.join(', ')}: ${messageOf(e)}`);
  } finally {
    clearTimeout(timer);
  }
  conn.options.retryTimeout = resolved.retryTimeout;
  return store;
}
