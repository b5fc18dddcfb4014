/**
 * The cluster's worker thread (bundled as dist/cluster-worker.js; the VS Code extension host runs the cluster here so
 * its own event loop stays free): on `start` it starts the whole cluster (src/cluster/main.ts), reports progress, log
 * records and the started cluster's facts; on `connect` it serves the given MessagePort with the message-port
 * transport for that client's token, on `registry` with the read-only registry view; it answers status and node commands; on `stop` it stops the cluster (everything
 * flushed) and says `stopped`. A failed start is reported (`failed`) with the reason, e.g. the data directory's holder.
 */
import { parentPort } from 'node:worker_threads';
import { createLogger } from '../base/logger';
import { startCluster, type RunningCluster } from './main';
import { serveEndpoint } from './endpoint-server';
import { servePort } from './port-server';
import { serveRegistry } from './registry-port';
import type { NodeCommand, OwnerMessage, WorkerMessage } from './worker-protocol';
import type { PortLike } from '../client/port-protocol';

const owner = parentPort;
if (!owner) throw new Error('worker-main runs only in a worker thread');
const post = (m: WorkerMessage) => owner.postMessage(m);

let cluster: RunningCluster | undefined;
let starting: Promise<void> | undefined;
let endpoint: { close(): void } | undefined;
const connections: (() => void)[] = [];

async function onMessage(m: OwnerMessage): Promise<void> {
  switch (m.t) {
    case 'start': {
      if (starting || cluster) return;
      const o = m.options;
      const logger = createLogger((record) => post({ t: 'log', record }), o.logLevel ?? 'info');
      starting = startCluster({ dataDir: o.dataDir, port: o.port, config: o.config, wasmDir: o.wasmDir, logger, logLevel: o.logLevel, onProgress: (step) => post({ t: 'progress', step }) }).then(
        async (c) => {
          cluster = c;
          const info = { url: c.url, port: c.port, kubeconfig: c.kubeconfig, adminToken: c.adminToken, caCert: c.caCert, dataDir: c.dataDir, addonPorts: c.addonPorts(), addonProblems: c.addonProblems };
          // Other processes (a second VS Code window) attach through the endpoint; without it they only cannot attach.
          endpoint = await serveEndpoint(info, {
            api: (port, token, omitManagedFields) => servePort(port, (req) => c.handle(req), token, undefined, { omitManagedFields }),
            registry: (port) => serveRegistry(port, c.registry),
            status: () => c.status(),
            node: (cmd) => nodeCommand(c, cmd),
          }).catch((e: unknown) => {
            logger.warn(`other windows cannot attach: ${e instanceof Error ? e.message : String(e)}`);
            return undefined;
          });
          post({ t: 'started', info });
        },
        (e: unknown) => post({ t: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
      return;
    }
    case 'connect': {
      await starting;
      const port = m.port as PortLike;
      const c = cluster;
      if (!c) return port.close();
      connections.push(servePort(port, (req) => c.handle(req), m.token, undefined, { omitManagedFields: m.omitManagedFields }));
      return;
    }
    case 'registry': {
      await starting;
      const port = m.port as PortLike;
      if (!cluster) return port.close();
      connections.push(serveRegistry(port, cluster.registry));
      return;
    }
    case 'status': {
      await starting;
      if (!cluster) return post({ t: 'reply', id: m.id, ok: false, error: 'the cluster is not running' });
      return post({ t: 'reply', id: m.id, ok: true, value: cluster.status() });
    }
    case 'node': {
      await starting;
      const c = cluster;
      if (!c) return post({ t: 'reply', id: m.id, ok: false, error: 'the cluster is not running' });
      try {
        const value = await nodeCommand(c, m.command);
        return post({ t: 'reply', id: m.id, ok: true, ...(value !== undefined ? { value } : {}) });
      } catch (e) {
        return post({ t: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
    case 'stop': {
      await starting;
      endpoint?.close();
      endpoint = undefined;
      for (const close of connections.splice(0)) close();
      await cluster?.close();
      cluster = undefined;
      post({ t: 'stopped' });
      owner!.close();
    }
  }
}

async function nodeCommand(c: RunningCluster, cmd: NodeCommand): Promise<string | undefined> {
  if (cmd.op === 'add') return c.nodes.add({ name: cmd.name });
  await c.nodes[cmd.op](cmd.name);
  return undefined;
}

owner.on('message', (m: OwnerMessage) => void onMessage(m));
