/**
 * The embedded store speaks etcd's protocol: serveEtcdGrpc serves the etcd v3 gRPC API (KV, Watch, Lease,
 * Maintenance Status/Alarm, Cluster MemberList) over any Store, so etcdctl and etcd clients can look at it.
 *
 * Contract:
 * - Listens on host:port (127.0.0.1 unless host is given; port 0 picks a free port), plaintext (no TLS, no auth).
 * - Keys under /registry/ are read-only unless allowRegistryWrites: a Put, DeleteRange, Txn or LeaseRevoke that
 *   would write one fails with FAILED_PRECONDITION and says how to allow it (registry-guard.ts).
 * - Keys and values are UTF-8 text: binary keys/values are not supported and are refused with INVALID_ARGUMENT.
 * - Errors carry etcd's wording and status codes where etcd has them (grpc-error.ts); every method this endpoint
 *   does not implement answers UNIMPLEMENTED naming the method.
 * - close() cancels every watch and stream and stops listening; the Store is not closed (it is the caller's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MAX_REQUEST_BYTES, type Store } from '../store';
import { withUnimplemented } from './handlers';
import { kvService } from './kv-service';
import { leaseService } from './lease-service';
import { clusterService, maintenanceService } from './maintenance-service';
import { loadEtcdServices } from './proto';
import { watchService } from './watch-stream';

export { REGISTRY_READ_ONLY_MESSAGE } from './registry-guard';
export { SERVER_VERSION, CLUSTER_ID, MEMBER_ID } from './header';

export interface EtcdGrpcOptions {
  /** Address to listen on (default 127.0.0.1: loopback only). */
  host?: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Let clients write keys under /registry/ (default false). */
  allowRegistryWrites?: boolean;
  /** Where etcd's .proto files are (default: beside this module, then the etcd3 package; see proto.ts). */
  protoDir?: string;
  /** Interval of progress notifications for watches that ask for them (default 10 minutes, as etcd). */
  progressNotifyMs?: number;
  /** Database size for Maintenance.Status (default: the size of the store's data directory, if it has one). */
  dbSize?: () => number | Promise<number>;
}

export interface EtcdGrpcServer {
  /** The port actually listened on. */
  readonly port: number;
  close(): Promise<void>;
}

/** etcd's gRPC allowance above the request limit, so a too-large request reaches the store's own check. */
const GRPC_OVERHEAD_BYTES = 512 * 1024;
const ETCD_PROGRESS_NOTIFY_MS = 10 * 60 * 1000;

/** Bytes of the files directly in the store's data directory (the sql.js store has one), else 0. */
function dataDirSize(store: Store): number {
  const dir = (store as { dataDir?: unknown }).dataDir;
  if (typeof dir !== 'string' || !fs.existsSync(dir)) return 0;
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    const st = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (st?.isFile()) total += st.size;
  }
  return total;
}

export async function serveEtcdGrpc(store: Store, options: EtcdGrpcOptions): Promise<EtcdGrpcServer> {
  const services = loadEtcdServices(options.protoDir);
  const host = options.host ?? '127.0.0.1';
  const allowRegistryWrites = !!options.allowRegistryWrites;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_REQUEST_BYTES + GRPC_OVERHEAD_BYTES,
  });
  let port = 0;
  const maintenance = {
    dbSize: options.dbSize ?? (() => dataDirSize(store)),
    clientUrl: () => `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
  };
  const watch = watchService(store, options.progressNotifyMs ?? ETCD_PROGRESS_NOTIFY_MS);
  server.addService(services.KV, withUnimplemented('KV', services.KV, kvService(store, { allowRegistryWrites })));
  server.addService(services.Watch, withUnimplemented('Watch', services.Watch, watch.handlers));
  server.addService(services.Lease, withUnimplemented('Lease', services.Lease, leaseService(store, { allowRegistryWrites })));
  server.addService(services.Maintenance, withUnimplemented('Maintenance', services.Maintenance, maintenanceService(store, maintenance)));
  server.addService(services.Cluster, withUnimplemented('Cluster', services.Cluster, clusterService(store, maintenance)));
  server.addService(services.Auth, withUnimplemented('Auth', services.Auth, {}));

  const address = `${host.includes(':') ? `[${host}]` : host}:${options.port}`;
  port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  let closed: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closed ??= (async () => {
        watch.close();
        server.forceShutdown();
      })()),
  };
}
