import * as path from 'node:path';
import type { Logger } from '../base/logger';
import { silentLogger } from '../base/logger';
import { openSqlJsStore, type SqlJsStore } from '../storage/sqljs';

/**
 * The composition root's entry point (bundled as dist/cluster.js): builds every component from its configuration
 * and starts the cluster. So far only the storage layer (the embedded etcd) exists; the API server and the other
 * components are added here as they land.
 */
export interface ClusterOptions {
  dataDir: string;
  logger?: Logger;
  /** Directory holding sql-wasm.wasm, when not beside the bundle or in node_modules. */
  wasmDir?: string;
}

export interface ClusterStatus {
  components: { name: string; state: 'running' | 'not-built-yet' }[];
  store: { revision: number; compactRevision: number; keys: number; walBytes: number; watchers: number };
}

export interface RunningCluster {
  readonly dataDir: string;
  status(): ClusterStatus;
  /** Stops every component and releases the storage directory. */
  close(): Promise<void>;
}

const PENDING = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'];

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const logger = opts.logger ?? silentLogger;
  const dataDir = path.resolve(opts.dataDir);
  const store: SqlJsStore = await openSqlJsStore({
    dataDir: path.join(dataDir, 'etcd'),
    logger: logger.child('etcd'),
    wasmDir: opts.wasmDir,
  });
  return {
    dataDir,
    status: () => {
      const s = store.stats();
      return {
        components: [{ name: 'etcd (embedded, sql.js)', state: 'running' }, ...PENDING.map((name) => ({ name, state: 'not-built-yet' as const }))],
        store: { revision: s.revision, compactRevision: s.compactRevision, keys: s.keys, walBytes: s.walBytes, watchers: s.watchers },
      };
    },
    close: () => store.close(),
  };
}
