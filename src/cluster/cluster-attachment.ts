/**
 * ClusterAttachment: the client side of a running cluster's endpoint (src/cluster/endpoint-server.ts), for a process
 * that does not own the cluster — a second VS Code window on the same data directory. Same surface as ClusterWorker
 * (info, connect, registry, status, node), so the UI does not care which one it has; `onClose` fires when the owner
 * goes away (its endpoint closes), and `close()` only disconnects.
 */
import * as net from 'node:net';
import { MessagePortTransport } from '../client/message-port-transport';
import type { PortLike } from '../client/port-protocol';
import type { ClusterStatus } from './main';
import { readEndpoint, type EndpointInfo } from './endpoint-file';
import type { ControlReply, Hello } from './endpoint-server';
import { RegistryClient } from './registry-port';
import { socketPort } from './socket-port';
import type { NodeCommand, StartedInfo } from './worker-protocol';

const CONNECT_TIMEOUT_MS = 5000;

async function open(e: EndpointInfo, hello: Omit<Hello, 't' | 'token'>): Promise<PortLike> {
  const sock = net.connect({ host: '127.0.0.1', port: e.endpoint.port });
  const port = socketPort(sock);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (port.close(), reject(new Error(`the cluster's endpoint on port ${e.endpoint.port} did not answer`))), CONNECT_TIMEOUT_MS);
    let welcomed = false;
    port.on('message', (m) => {
      if (welcomed || (m as { t?: string }).t !== 'welcome') return;
      welcomed = true;
      clearTimeout(timer);
      resolve();
    });
    port.on('close', () => {
      clearTimeout(timer);
      if (!welcomed) reject(new Error(`the cluster's endpoint on port ${e.endpoint.port} refused the connection`));
    });
    sock.once('connect', () => port.postMessage({ t: 'hello', token: e.endpoint.token, ...hello } satisfies Hello));
  });
  return port;
}

export class ClusterAttachment {
  private nextId = 1;
  private readonly replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly ports = new Set<PortLike>();
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(
    private readonly endpoint: EndpointInfo,
    private readonly control: PortLike,
    readonly info: StartedInfo,
  ) {
    control.on('message', (raw) => {
      const m = raw as ControlReply;
      if (m.t !== 'reply') return;
      const r = this.replies.get(m.id);
      this.replies.delete(m.id);
      if (m.ok) r?.resolve(m.value);
      else r?.reject(new Error(m.error ?? 'failed'));
    });
    control.on('close', () => this.onOwnerGone());
  }

  /** Attaches to the cluster running on `dataDir`; undefined when none runs there (no live endpoint). */
  static async attach(dataDir: string): Promise<ClusterAttachment | undefined> {
    const e = readEndpoint(dataDir);
    if (!e) return undefined;
    const control = await open(e, { channel: 'control' });
    const port = Number(new URL(e.url).port);
    const info: StartedInfo = { url: e.url, port, kubeconfig: e.kubeconfig, adminToken: e.adminToken, caCert: e.caCert, dataDir, addonPorts: { dns: 0, ingress: 0 }, addonProblems: [] };
    return new ClusterAttachment(e, control, info);
  }

  /** Fires once when the owning process's endpoint goes away (not after `close()`). */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  private onOwnerGone(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.replies.values()) r.reject(new Error('the cluster is gone (its owner stopped)'));
    this.replies.clear();
    for (const l of this.closeListeners) l();
  }

  private track(p: PortLike): PortLike {
    this.ports.add(p);
    p.on('close', () => this.ports.delete(p));
    return p;
  }

  /** A transport for `token`'s identity (connects lazily: requests wait for the connection). */
  async connect(token: string, options: { omitManagedFields?: boolean } = {}): Promise<MessagePortTransport> {
    return new MessagePortTransport(this.track(await open(this.endpoint, { channel: 'api', apiToken: token, omitManagedFields: options.omitManagedFields })));
  }

  async registry(): Promise<RegistryClient> {
    return new RegistryClient(this.track(await open(this.endpoint, { channel: 'registry' })));
  }

  private ask(req: { t: 'status' } | { t: 'node'; command: NodeCommand }): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the cluster is gone (its owner stopped)'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.control.postMessage({ ...req, id });
    });
  }

  status(): Promise<ClusterStatus> {
    return this.ask({ t: 'status' }) as Promise<ClusterStatus>;
  }

  node(command: NodeCommand): Promise<string | undefined> {
    return this.ask({ t: 'node', command }) as Promise<string | undefined>;
  }

  close(): void {
    this.closed = true;
    this.control.close();
    for (const p of [...this.ports]) p.close();
  }
}
