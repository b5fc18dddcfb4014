/**
 * The cluster's endpoint for other processes (what a second VS Code window attaches to): a TCP listener on
 * 127.0.0.1 whose connections each carry one channel, chosen by the first message
 * `{t: 'hello', token, channel, apiToken?}`:
 *   - `api`: the message-port transport (servePort) for the client identity `apiToken`;
 *   - `registry`: the read-only registry view (serveRegistry);
 *   - `control`: `{t: 'status', id}` and `{t: 'node', id, command}` → `{t: 'reply', id, ok, value?, error?}`.
 * A wrong endpoint token (constant-time compare) or a malformed first message closes the connection. Writes
 * endpoint.json on start, removes it on close.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { secretEqual } from '../base/secret-equal';
import type { PortLike } from '../client/port-protocol';
import { removeEndpoint, writeEndpoint } from './endpoint-file';
import { socketPort } from './socket-port';
import type { NodeCommand, StartedInfo } from './worker-protocol';

export interface EndpointHandlers {
  api(port: PortLike, token: string, omitManagedFields: boolean): () => void;
  registry(port: PortLike): () => void;
  status(): unknown;
  node(command: NodeCommand): Promise<string | undefined>;
}

export type Hello = { t: 'hello'; token: string; channel: 'api' | 'registry' | 'control'; apiToken?: string; omitManagedFields?: boolean };
export type ControlRequest = { t: 'status'; id: number } | { t: 'node'; id: number; command: NodeCommand };
export type ControlReply = { t: 'reply'; id: number; ok: boolean; value?: unknown; error?: string };

const NODE_OPS = new Set(['add', 'remove', 'stop', 'start']);

function serveControl(port: PortLike, h: EndpointHandlers): void {
  port.on('message', (raw) => {
    const m = raw as ControlRequest;
    if (typeof m !== 'object' || m === null || !Number.isInteger(m.id)) return port.close();
    const reply = (r: Omit<ControlReply, 't' | 'id'>) => port.postMessage({ t: 'reply', id: m.id, ...r });
    if (m.t === 'status') return reply({ ok: true, value: h.status() });
    if (m.t === 'node' && typeof m.command === 'object' && m.command !== null && NODE_OPS.has(m.command.op)) {
      h.node(m.command).then(
        (value) => reply({ ok: true, value }),
        (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
      return;
    }
    reply({ ok: false, error: 'unknown control request' });
  });
}

export async function serveEndpoint(info: StartedInfo, handlers: EndpointHandlers): Promise<{ port: number; close(): void }> {
  const token = randomBytes(32).toString('hex');
  const closers = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    const port = socketPort(sock);
    let greeted = false;
    const timer = setTimeout(() => greeted || port.close(), 10_000);
    port.on('message', (raw) => {
      if (greeted) return;
      greeted = true;
      clearTimeout(timer);
      const hello = raw as Partial<Hello>;
      if (typeof hello?.token !== 'string' || !secretEqual(hello.token, token)) return port.close();
      if (hello.channel === 'api' && typeof hello.apiToken === 'string') closers.add(handlers.api(port, hello.apiToken, hello.omitManagedFields === true));
      else if (hello.channel === 'registry') closers.add(handlers.registry(port));
      else if (hello.channel === 'control') serveControl(port, handlers);
      else return port.close();
      port.postMessage({ t: 'welcome' });
    });
    port.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  writeEndpoint(info.dataDir, { version: 1, pid: process.pid, url: info.url, kubeconfig: info.kubeconfig, caCert: info.caCert, adminToken: info.adminToken, endpoint: { port, token } });
  return {
    port,
    close() {
      removeEndpoint(info.dataDir, token);
      for (const c of closers) c();
      for (const sock of sockets) sock.destroy();
      server.close();
    },
  };
}
