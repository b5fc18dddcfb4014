import * as path from 'node:path';
import { systemClock, type Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { silentLogger } from '../base/logger';
import { openSqlJsStore, type SqlJsStore } from '../storage/sqljs';
import { ApiServer } from '../apiserver/server';
import { serveHttps, type HttpsServer } from '../apiserver/https';
import { ensurePki } from '../apiserver/pki/certs';
import { setUpAuthentication } from './authentication';
import { buildPipeline } from './pipeline';
import { startControllerManager, type ControllerManager } from '../controllers/manager';
import { ESSENTIAL_CONTROLLERS, selectControllers } from '../controllers/registry';
import { loadSchedulerConfig } from '../scheduler/config/load';
import { startScheduler, type RunningScheduler } from '../scheduler/scheduler';
import { defaultHooks } from '../apiserver/registry/hooks-impl';
import { CrdController } from '../apiserver/crd/crd-controller';
import { writeKubeconfig } from './kubeconfig';
import type { ApiRequest, ApiResponse } from '../apiserver/request';

/**
 * The composition root's entry point (bundled as dist/cluster.js): builds every component from its configuration
 * and starts the cluster. So far: the embedded etcd (sql.js) and the API server (HTTPS + in-process). The
 * controller manager, scheduler, kubelets and kube-proxy are added here as they land.
 */
export interface ClusterOptions {
  dataDir: string;
  /** HTTPS port on 127.0.0.1; 0 picks a free one. Default 6443. */
  port?: number;
  logger?: Logger;
  clock?: Clock;
  /** Directory holding sql-wasm.wasm, when not beside the bundle or in node_modules. */
  wasmDir?: string;
  /** Let requests without credentials reach /healthz, /livez and /readyz as system:anonymous (default off). */
  anonymousHealth?: boolean;
  /** Admission plugins to enable (upstream names); default: all KubeLab implements. [] turns admission off. */
  admissionPlugins?: readonly string[];
  /** `Node,RBAC` (default) or `AlwaysAllow`. */
  authorizationMode?: 'Node,RBAC' | 'AlwaysAllow';
  /** Controllers the controller manager runs (upstream names, `*` = all; default all). */
  controllers?: readonly string[];
  /** Run kube-scheduler (default true). */
  scheduler?: boolean;
  /** KubeSchedulerConfiguration (YAML text or object); default: upstream's default profile. */
  schedulerConfig?: string | Record<string, unknown>;
}

export interface ClusterStatus {
  components: { name: string; state: 'running' | 'off' | 'not-built-yet' }[];
  store: { revision: number; compactRevision: number; keys: number; walBytes: number; watchers: number };
}

export interface RunningCluster {
  readonly dataDir: string;
  readonly url: string;
  readonly port: number;
  readonly kubeconfig: string;
  readonly adminToken: string;
  readonly caCert: string;
  /** In-process transport to the API server (same chain as HTTPS; send the admin token or another credential). */
  handle(req: ApiRequest): Promise<ApiResponse>;
  readonly apiServer: ApiServer;
  status(): ClusterStatus;
  /** Resolves when the controllers have caught up with what they have seen (tests). */
  controllersIdle(): Promise<void>;
  /** Stops every component and releases the storage directory. */
  close(): Promise<void>;
}

const PENDING = ['kubelet', 'kube-proxy'];

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const dataDir = path.resolve(opts.dataDir);
  // A bad scheduler configuration fails the start before anything runs.
  const schedulerConfig = opts.scheduler === false ? undefined : loadSchedulerConfig(opts.schedulerConfig);
  const store: SqlJsStore = await openSqlJsStore({ dataDir: path.join(dataDir, 'etcd'), logger: logger.child('etcd'), wasmDir: opts.wasmDir, clock });
  let api: ApiServer | undefined;
  let https: HttpsServer | undefined;
  let crds: CrdController | undefined;
  let controllers: ControllerManager | undefined;
  let scheduler: RunningScheduler | undefined;
  try {
    const pki = ensurePki(path.join(dataDir, 'pki'), clock.now());
    const authn = setUpAuthentication({ dataDir, logger: logger.child('authentication'), clock, anonymousHealth: opts.anonymousHealth });
    const tokens = authn.tokens;
    const requested = opts.port ?? 6443;
    const crdRef: { c?: CrdController } = {};
    api = await ApiServer.start({
      store,
      clock,
      logger: logger.child('kube-apiserver'),
      hooks: defaultHooks({ schemaOf: (r) => crdRef.c?.schemaOf(r) }),
      pipeline: (reader) => buildPipeline(reader, authn, clock, { admissionPlugins: opts.admissionPlugins, authorizationMode: opts.authorizationMode }),
      serverAddress: `127.0.0.1:${requested}`,
      componentStatuses: () => [
        { name: 'etcd-0', healthy: true, message: '{"health":"true","reason":""}' },
        scheduler ? { name: 'scheduler', healthy: true, message: 'ok' } : { name: 'scheduler', healthy: false, message: '', error: 'kube-scheduler is not running (turned off)' },
        { name: 'controller-manager', healthy: true, message: 'ok' },
      ],
    });
    crds = await CrdController.start(api, logger.child('apiextensions'));
    const apiRef = api;
    controllers = await startControllerManager({
      handle: (req) => apiRef.handle(req),
      controllers: selectControllers({ caPem: pki.caCert, dataDir }, opts.controllers),
      logger: logger.child('kube-controller-manager'),
      clock,
    });
    // The controllers every request depends on (default ServiceAccounts, RBAC aggregation) have caught up.
    await controllers.idleOf(ESSENTIAL_CONTROLLERS);
    if (schedulerConfig) {
      scheduler = await startScheduler({ handle: (req) => apiRef.handle(req), config: schedulerConfig, clock, logger: logger.child('kube-scheduler') });
    }
    crdRef.c = crds;
    const a = api;
    https = await serveHttps((req) => a.handle(req), { host: '127.0.0.1', port: requested, key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, logger: logger.child('https') }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') throw new Error(`port ${requested} on 127.0.0.1 is already in use; choose another with --port`);
      throw e;
    });
    await api.bootstrapServices(https.port);
    const url = `https://127.0.0.1:${https.port}`;
    const kubeconfig = writeKubeconfig(dataDir, url, pki.caCert, tokens.adminToken);
    const server = api;
    const h = https;
    const c = crds;
    const ctl = controllers;
    const sched = scheduler;
    return {
      dataDir,
      url,
      port: h.port,
      kubeconfig,
      adminToken: tokens.adminToken,
      caCert: pki.caCert,
      apiServer: server,
      handle: (req) => server.handle(req),
      status: () => {
        const s = store.stats();
        return {
          components: [
            { name: 'etcd (embedded, sql.js)', state: 'running' },
            { name: 'kube-apiserver', state: 'running' },
            { name: 'kube-controller-manager', state: 'running' },
            { name: 'kube-scheduler', state: sched ? ('running' as const) : ('off' as const) },
            ...PENDING.map((name) => ({ name, state: 'not-built-yet' as const })),
          ],
          store: { revision: s.revision, compactRevision: s.compactRevision, keys: s.keys, walBytes: s.walBytes, watchers: s.watchers },
        };
      },
      controllersIdle: () => ctl.idle(),
      close: async () => {
        await sched?.close();
        await ctl.close();
        c.close();
        await h.close();
        server.close();
        await store.close();
      },
    };
  } catch (e) {
    await scheduler?.close();
    await controllers?.close();
    crds?.close();
    await https?.close();
    api?.close();
    await store.close();
    throw e;
  }
}
