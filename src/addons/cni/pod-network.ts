/**
 * PodNetwork: the simulated pod network's data plane on this machine — what the kernel's routes and the CNI bridge
 * are in a real cluster. Pod IPs (10.244.x.y) are not routable on the host, so a container runtime that starts a
 * listening container attaches `podIP:port` to a real loopback listener, and whatever must reach a pod (kube-proxy's
 * userspace mode, the ingress controller) connects through `connect(podIP, port)`.
 *
 * It holds no cluster state and no component talks to another through it: it is the network, not an API.
 *
 * Contract:
 * - `attach(ip, port, open)` makes `ip:port` reachable; `open` is called lazily on each connection and names the
 *   real listener (so a runtime can start its listener only when traffic first arrives). A second attach of the
 *   same `ip:port` replaces the first. The returned function detaches it (only if still the same attachment).
 * - A listener with `proxyProtocol: true` serves many pods on one port: each connection starts with a PROXY
 *   protocol v1 header (`PROXY TCP4 <src> <dst> <srcport> <dstport>\r\n`) whose destination is the pod address.
 * - `connect` resolves with a connected socket, or rejects with an Error whose `code` is ECONNREFUSED and whose
 *   message reads like Go's dialer (`dial tcp 10.244.1.5:80: connect: connection refused`) when nothing is
 *   attached or the listener refuses, or with code ETIMEDOUT (`dial tcp …: i/o timeout`) when the dial (the
 *   lazy listener's opening included) takes longer than `timeoutMs`.
 *   Sockets are created with noDelay (a data plane forwards small requests as they come).
 */
import * as net from 'node:net';

export interface PodListener {
  host: string;
  port: number;
  proxyProtocol?: boolean;
}

export type OpenListener = () => PodListener | Promise<PodListener>;

export interface ConnectOptions {
  /** The client's address, written into the PROXY header (default 127.0.0.1). */
  sourceIP?: string;
  sourcePort?: number;
  timeoutMs?: number;
  /** Keep the socket writable after the listener's FIN (a proxy that forwards half-closes); default false. */
  allowHalfOpen?: boolean;
  /** net's `onread`: read into a caller's buffer instead of emitting 'data' (a proxy copying without allocating). */
  onread?: net.OnReadOpts;
}

function refused(ip: string, port: number): Error {
  return Object.assign(new Error(`dial tcp ${ip}:${port}: connect: connection refused`), { code: 'ECONNREFUSED' });
}

export class PodNetwork {
  private readonly table = new Map<string, OpenListener>();

  attach(ip: string, port: number, open: OpenListener): () => void {
    const key = `${ip}:${port}`;
    this.table.set(key, open);
    return () => {
      if (this.table.get(key) === open) this.table.delete(key);
    };
  }

  /** Detaches every port of a pod address (its sandbox is gone). */
  detachAll(ip: string): void {
    const prefix = `${ip}:`;
    for (const k of [...this.table.keys()]) if (k.startsWith(prefix)) this.table.delete(k);
  }

  has(ip: string, port: number): boolean {
    return this.table.has(`${ip}:${port}`);
  }

  /** Attached addresses (`ip:port`), sorted. */
  list(): string[] {
    return [...this.table.keys()].sort();
  }

  async connect(ip: string, port: number, o: ConnectOptions = {}): Promise<net.Socket> {
    const open = this.table.get(`${ip}:${port}`);
    if (!open) throw refused(ip, port);
    // The timeout covers the whole dial, a lazy listener's opening included (Go's DialTimeout).
    const deadline = o.timeoutMs ? Date.now() + o.timeoutMs : undefined;
    const timedOut = () => Object.assign(new Error(`dial tcp ${ip}:${port}: i/o timeout`), { code: 'ETIMEDOUT' });
    let target: PodListener;
    let timer: NodeJS.Timeout | undefined;
    try {
      const opening = Promise.resolve().then(open);
      target = deadline === undefined ? await opening : await Promise.race([opening, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut()), o.timeoutMs)))]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ETIMEDOUT') throw e;
      throw refused(ip, port);
    } finally {
      clearTimeout(timer);
    }
    return new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: target.host, port: target.port, noDelay: true, allowHalfOpen: o.allowHalfOpen ?? false, ...(o.onread ? { onread: o.onread } : {}) });
      const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
      const dialTimer = left === undefined ? undefined : setTimeout(() => socket.destroy(timedOut()), left);
      socket.once('connect', () => {
        clearTimeout(dialTimer);
        socket.removeListener('error', onError);
        if (target.proxyProtocol) socket.write(`PROXY TCP4 ${o.sourceIP ?? '127.0.0.1'} ${ip} ${o.sourcePort ?? 0} ${port}\r\n`);
        resolve(socket);
      });
      const onError = (e: NodeJS.ErrnoException) => {
        clearTimeout(dialTimer);
        reject(e.code === 'ECONNREFUSED' ? refused(ip, port) : e);
      };
      socket.once('error', onError);
    });
  }
}
