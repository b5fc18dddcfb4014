/**
 * The cluster's storage, chosen by the ClusterConfig: the embedded sql.js store under `<dataDir>/etcd` (default), or
 * an external etcd v3 cluster (`storage: {type: etcd, endpoints, caFile?, certFile?, keyFile?, username?, password?}`).
 *
 * Contract of openClusterStorage:
 * - sqljs: the store owns `<dataDir>/etcd` (its LOCK makes a second process on the same data directory fail).
 * - etcd: the objects live in etcd; the data directory keeps only this control plane's PKI, tokens, kubeconfig and
 *   node list, and is locked with `<dataDir>/LOCK` so two control planes cannot share one (they may share an etcd).
 * - `label` is what the status shows: `etcd (embedded, sql.js)` or `etcd (external, N endpoints)`.
 * - `stats()` answers at once: the embedded store's own counters, or for etcd the last figures read in the
 *   background (revision, compact revision, /registry key count; every 2 s and after a status read), with walBytes
 *   and watchers 0.
 * - `serveGrpc` serves the embedded store's etcd gRPC API (only sqljs: an external etcd already speaks it; it throws
 *   otherwise). close() closes that server first, then the store, then releases the lock; it is idempotent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { Store } from '../storage/store';
import { openSqlJsStore } from '../storage/sqljs';
import type { CompactionOptions } from '../storage/sqljs/options';
import { acquireLock } from '../storage/sqljs/lock';
import { openEtcdStore, type EtcdStoreOptions } from '../storage/etcd';
import { serveEtcdGrpc, type EtcdGrpcServer } from '../storage/grpc';
import type { EtcdStorageConfig, StorageConfig } from './config/types';

export interface StoreStatus {
  revision: number;
  compactRevision: number;
  keys: number;
  walBytes: number;
  watchers: number;
}

export interface EtcdGrpcRequest {
  /** Port on 127.0.0.1 (0 picks a free one). */
  port: number;
  allowRegistryWrites?: boolean;
}

export interface ClusterStorage {
  readonly store: Store;
  readonly label: string;
  readonly external: boolean;
  stats(): StoreStatus;
  serveGrpc(req: EtcdGrpcRequest): Promise<EtcdGrpcServer>;
  close(): Promise<void>;
}

export interface ClusterStorageOptions {
  dataDir: string;
  storage: StorageConfig;
  logger: Logger;
  clock: Clock;
  wasmDir?: string;
}

export const EMBEDDED_LABEL = 'etcd (embedded, sql.js)';

export function externalLabel(endpoints: number): string {
  return `etcd (external, ${endpoints} endpoint${endpoints === 1 ? '' : 's'})`;
}

/**
 * Deadline of one attempt of one etcd call. Shorter than the backend's default (5 s): a call caught on a member that
 * just lost its leader is abandoned and retried on another member soon enough that the API server answers within
 * about 3 s of a leader's death (a page of a range is at most 2 MiB, far below this on a LAN).
 */
export const CLUSTER_ETCD_CALL_TIMEOUT_MS = 1500;

/** The etcd backend's options from the ClusterConfig's storage section. */
export function etcdStoreOptions(cfg: EtcdStorageConfig, logger?: Logger): EtcdStoreOptions {
  const tls = cfg.caFile || cfg.certFile || cfg.keyFile ? { ca: cfg.caFile, cert: cfg.certFile, key: cfg.keyFile } : undefined;
  const auth = cfg.username !== undefined ? { username: cfg.username, password: cfg.password ?? '' } : undefined;
  return { endpoints: cfg.endpoints, callTimeout: CLUSTER_ETCD_CALL_TIMEOUT_MS, ...(tls ? { tls } : {}), ...(auth ? { auth } : {}), ...(logger ? { logger } : {}) };
}

/**
 * The embedded store's compaction for storage.compactionInterval: keep that much history (at least the store's
 * minimum number of revisions) and look five times per interval, at most once a minute. Undefined: the defaults.
 */
export function compactionOptions(intervalMs: number | undefined): CompactionOptions | undefined {
  if (intervalMs === undefined) return undefined;
  return { minRetentionMs: intervalMs, intervalMs: Math.min(60_000, Math.max(1000, Math.round(intervalMs / 5))) };
}

export const GRPC_WITH_EXTERNAL_ETCD = 'the etcd gRPC port is only for the embedded store: an external etcd already serves its own API at its endpoints';

export async function openClusterStorage(o: ClusterStorageOptions): Promise<ClusterStorage> {
  let grpc: EtcdGrpcServer | undefined;
  if (o.storage.type === 'sqljs') {
    const compaction = compactionOptions(o.storage.compactionIntervalMs);
    const store = await openSqlJsStore({ dataDir: path.join(o.dataDir, 'etcd'), logger: o.logger, wasmDir: o.wasmDir, clock: o.clock, ...(compaction ? { compaction } : {}) });
    let closing: Promise<void> | undefined;
    return {
      store,
      label: EMBEDDED_LABEL,
      external: false,
      stats: () => {
        const s = store.stats();
        return { revision: s.revision, compactRevision: s.compactRevision, keys: s.keys, walBytes: s.walBytes, watchers: s.watchers };
      },
      serveGrpc: async (req) => {
        if (grpc) throw new Error('the etcd gRPC API is already served');
        grpc = await serveEtcdGrpc(store, { port: req.port, allowRegistryWrites: req.allowRegistryWrites });
        return grpc;
      },
      close: () => (closing ??= (async () => {
        await grpc?.close();
        await store.close();
      })()),
    };
  }
  const cfg = o.storage;
  fs.mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const release = acquireLock(o.dataDir, o.logger);
  let store;
  try {
    store = await openEtcdStore(etcdStoreOptions(cfg, o.logger));
  } catch (e) {
    release();
    throw e;
  }
  const etcd = store;
  const last: StoreStatus = { revision: 0, compactRevision: 0, keys: 0, walBytes: 0, watchers: 0 };
  let refreshing = false;
  let lastRefresh = 0;
  const refresh = async () => {
    if (refreshing) return;
    refreshing = true;
    lastRefresh = Date.now();
    try {
      const [rev, compacted, count] = await Promise.all([etcd.revision(), etcd.compactRevision(), etcd.range({ key: '/registry/', prefix: true }, { countOnly: true })]);
      Object.assign(last, { revision: rev, compactRevision: compacted, keys: count.count });
    } catch {
      /* keep the last figures; the API server reports etcd's trouble itself */
    } finally {
      refreshing = false;
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), 2000);
  timer.unref();
  let closing: Promise<void> | undefined;
  return {
    store: etcd,
    label: externalLabel(cfg.endpoints.length),
    external: true,
    stats: () => {
      // A status read after a quiet spell starts a fresh read for the next one.
      if (Date.now() - lastRefresh > 1000) void refresh();
      return { ...last };
    },
    serveGrpc: () => Promise.reject(new Error(GRPC_WITH_EXTERNAL_ETCD)),
    close: () => (closing ??= (async () => {
      clearInterval(timer);
      try {
        await etcd.close();
      } finally {
        release();
      }
    })()),
  };
}
