/**
 * The Store conformance suite on the etcd backend, against a real etcd: once on a single member and once on a
 * three-member cluster. Every test gets a fresh, empty cluster (the suite counts revisions from 1); a pool keeps
 * the next clusters starting while a test runs. Skips, saying why, when etcd is not installed.
 */
import { after, describe, it } from 'node:test';
import { openEtcdStore } from '../../src/storage/etcd';
import { EtcdClusterPool, etcdSkipReason } from '../helpers/etcd-cluster';
import { storeConformance } from './store.conformance';

// Big enough for the history replays of the handover test, small enough for the slow-watcher test to stay quick.
const WATCH_BUFFER = 2048;
// The suite checks semantics, not fault handling (test/conformance/etcd-backend.test.ts kills members): a generous
// deadline keeps a put that is merely slow (etcd clusters start in the background meanwhile) from becoming an
// ambiguous failure, whose retry could commit twice (a known limit of retried plain puts; see the README).
const CALL_TIMEOUT_MS = 30_000;

if (etcdSkipReason) {
  describe('Store conformance: etcd', () => {
    it('needs etcd', { skip: etcdSkipReason }, () => undefined);
  });
} else {
  for (const members of [1, 3]) {
    // Relaxed raft timing for the same reason: on a loaded machine etcd's 100 / 1000 ms heartbeat and election made
    // spurious leader changes, and a put failing with "leader changed" is ambiguous (seen once in CI: version 3 after
    // two puts). No test here kills a member, so a longer election timeout costs nothing.
    const pool = new EtcdClusterPool(members === 1 ? { members } : { members, heartbeatMs: 250, electionMs: 2500 }, members === 1 ? 2 : 1);
    after(() => pool.close());
    storeConformance(
      `etcd (${members} member${members > 1 ? 's' : ''})`,
      async () => {
        const cluster = await pool.take();
        const store = await openEtcdStore({ endpoints: cluster.endpoints, watchBufferEvents: WATCH_BUFFER, callTimeout: CALL_TIMEOUT_MS });
        return {
          store,
          cleanup: async () => {
            await store.close().catch(() => undefined);
            await cluster.stop();
          },
        };
      },
      { watchBufferEvents: WATCH_BUFFER },
    );
  }
}
