/**
 * The Store conformance suite through the etcd protocol end to end: the embedded sql.js store, served by
 * serveEtcdGrpc (with /registry/ writes allowed, as the suite writes anywhere), read and written by the etcd backend
 * (src/storage/etcd, the etcd3 client). Whatever the suite expects of a Store must survive the round trip through
 * etcd's wire format. Time-driven cases that need a fake clock skip (the etcd backend has none).
 */
import { systemClock } from '../../src/base/clock';
import { openEtcdStore } from '../../src/storage/etcd';
import { serveEtcdGrpc } from '../../src/storage/grpc';
import { storeConformance } from '../conformance/store.conformance';
import { openTestStore, removeDir, tempDir } from '../helpers/sqljs';

const WATCH_BUFFER = 256;

storeConformance(
  'etcd backend → etcd gRPC endpoint → sql.js',
  async () => {
    const dir = tempDir('kubelab-grpc-conformance-');
    const inner = await openTestStore(dir, { clock: systemClock, watchBufferEvents: WATCH_BUFFER * 4 });
    const server = await serveEtcdGrpc(inner, { port: 0, allowRegistryWrites: true, progressNotifyMs: 100 });
    const store = await openEtcdStore({ endpoints: [`http://127.0.0.1:${server.port}`], watchBufferEvents: WATCH_BUFFER });
    return {
      store,
      cleanup: async () => {
        await store.close().catch(() => undefined);
        await server.close();
        await inner.close().catch(() => undefined);
        removeDir(dir);
      },
    };
  },
  { watchBufferEvents: WATCH_BUFFER },
);
