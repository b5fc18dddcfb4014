/**
 * A real KubeLab cluster (embedded store + API server over HTTPS) in a temporary directory, for API tests, with
 * clients over both transports: in-process (the handler chain directly) and HTTPS (what kubectl uses).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger, silentLogger, stderrSink } from '../../src/base/logger';
import { startCluster, type ClusterOptions, type RunningCluster } from '../../src/cluster/main';
import { ESSENTIAL_CONTROLLERS } from '../../src/controllers/registry';
import { HttpsTransport } from '../../src/client/https-transport';
import { InProcessTransport } from '../../src/client/in-process';
import type { Transport } from '../../src/client/transport';

export interface TestCluster {
  cluster: RunningCluster;
  dir: string;
  inProcess(token?: string): Transport;
  https(token?: string): Transport;
  stop(): Promise<void>;
}

export async function startTestCluster(opts: { dir?: string } & Partial<Pick<ClusterOptions, 'admissionPlugins' | 'authorizationMode' | 'clock' | 'controllers' | 'scheduler' | 'config' | 'simPullMs' | 'resumeNodes'>> = {}): Promise<TestCluster> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-api-'));
  const cluster = await startCluster({
    dataDir: dir,
    port: 0,
    // KUBELAB_TEST_LOG=debug|info|warn|error (or 1 for info) shows the cluster's log on stderr.
    logger: process.env.KUBELAB_TEST_LOG ? createLogger(stderrSink, (['debug', 'info', 'warn', 'error'] as const).find((l) => l === process.env.KUBELAB_TEST_LOG) ?? 'info') : silentLogger,
    admissionPlugins: opts.admissionPlugins,
    authorizationMode: opts.authorizationMode,
    clock: opts.clock,
    // API tests see objects as they stored them: only the controllers every cluster needs run, unless asked.
    controllers: opts.controllers ?? ESSENTIAL_CONTROLLERS,
    scheduler: opts.scheduler ?? false,
    // Tests never take the add-ons' fixed ports (10053, 10080): those may be in use on the machine.
    config: opts.config && { ...opts.config, addons: { dns: { ...opts.config.addons.dns, port: 0 }, ingress: { ...opts.config.addons.ingress, port: 0 } } },
    simPullMs: opts.simPullMs,
    resumeNodes: opts.resumeNodes,
  });
  const transports: Transport[] = [];
  const keep = <T extends Transport>(t: T): T => {
    transports.push(t);
    return t;
  };
  return {
    cluster,
    dir,
    inProcess: (token = cluster.adminToken) => keep(new InProcessTransport({ handle: (r) => cluster.handle(r), token })),
    https: (token = cluster.adminToken) => keep(new HttpsTransport({ url: cluster.url, caCert: cluster.caCert, token })),
    async stop() {
      for (const t of transports) t.close();
      await cluster.close();
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
