/**
 * HostPorts: the machine's loopback port table, shared by every node's userspace kube-proxy (all simulated nodes are
 * this one host, so a NodePort exists once on 127.0.0.1 however many nodes proxy it).
 *
 * Contract:
 * - Keys name what a listener stands for: `nodeport:<proto>:<port>` (bound on exactly that port), or anything else,
 *   e.g. `cluster:TCP:10.96.0.12:80` (bound on port 0: an ephemeral port that stays the same while claimed).
 * - `claim(key, handler, owner?)`: the first claim of a key opens a real `net.Server` on the host address (default
 *   127.0.0.1); concurrent first claims share the one bind. Later claims (other nodes' proxies) share the listener:
 *   each accepted connection goes to one live claimant, round-robin. A claim naming an `owner` (the service port)
 *   different from the existing claimants' is refused with upstream's "Port conflict detected" wording. A failed
 *   bind rejects with Go's wording (`listen tcp 127.0.0.1:30080: bind: address already in use`) and leaves nothing
 *   open. `release()` of the last claim closes the listener (connections already accepted are left to their owners,
 *   as upstream's proxy socket Close leaves them).
 * - `list()` is what is open, sorted by key; `close()` closes every listener (shutdown, tests).
 * Sockets are created with allowHalfOpen (the forwarder propagates half-closes) and noDelay.
 */
import * as net from 'node:net';

export type ConnectionHandler = (socket: net.Socket) => void;

export interface PortClaim {
  readonly key: string;
  /** The loopback address the listener is bound to. */
  readonly host: string;
  readonly port: number;
  release(): void;
}

export interface HostPortEntry {
  key: string;
  host: string;
  port: number;
  owner?: string;
  claimants: number;
}

interface Claimant {
  handler: ConnectionHandler;
}

interface Entry {
  key: string;
  server: net.Server;
  port: number;
  owner?: string;
  claimants: Claimant[];
  next: number;
  /** Set while the first bind is in flight. */
  opening?: Promise<void>;
}

const GO_ERRNO: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

/** The port a key binds: its own for `nodeport:…:<port>`, 0 (ephemeral) otherwise. */
export function bindPortOf(key: string): number {
  const m = /^nodeport:[A-Z]+:(\d+)$/.exec(key);
  return m ? Number(m[1]) : 0;
}

export const nodePortKey = (protocol: string, port: number): string => `nodeport:${protocol}:${port}`;
export const clusterKey = (protocol: string, ip: string, port: number): string => `cluster:${protocol}:${ip}:${port}`;
export const externalKey = (protocol: string, ip: string, port: number): string => `external:${protocol}:${ip}:${port}`;

export class HostPorts {
  readonly host: string;
  private readonly entries = new Map<string, Entry>();

  constructor(o: { host?: string } = {}) {
    this.host = o.host ?? '127.0.0.1';
  }

  async claim(key: string, handler: ConnectionHandler, owner?: string): Promise<PortClaim> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.open(key, owner);
      this.entries.set(key, entry);
    }
    if (entry.opening) {
      await entry.opening;
      // Released and closed by its other claimants while this claim waited for the bind: open it again.
      if (this.entries.get(key) !== entry) return this.claim(key, handler, owner);
    }
    if (owner !== undefined && entry.owner !== undefined && entry.owner !== owner) {
      throw new Error(`Port conflict detected on port ${this.describe(key, entry.port)}.  ${owner} vs ${entry.owner}`);
    }
    entry.owner ??= owner;
    const claimant: Claimant = { handler };
    entry.claimants.push(claimant);
    const e = entry;
    let released = false;
    return {
      key,
      host: this.host,
      port: e.port,
      release: () => {
        if (released) return;
        released = true;
        const i = e.claimants.indexOf(claimant);
        if (i >= 0) e.claimants.splice(i, 1);
        if (e.claimants.length === 0 && this.entries.get(key) === e) {
          this.entries.delete(key);
          e.server.close();
        }
      },
    };
  }

  /** The port open for a key, undefined when none is (or it is still binding). */
  portOf(key: string): number | undefined {
    const e = this.entries.get(key);
    return e && !e.opening ? e.port : undefined;
  }

  list(): HostPortEntry[] {
    return [...this.entries.values()]
      .filter((e) => !e.opening)
      .map((e) => ({ key: e.key, host: this.host, port: e.port, ...(e.owner !== undefined ? { owner: e.owner } : {}), claimants: e.claimants.length }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Closes every listener (claims become void). */
  async close(): Promise<void> {
    const servers = [...this.entries.values()].map((e) => e.server);
    this.entries.clear();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }

  private open(key: string, owner: string | undefined): Entry {
    const server = net.createServer({ allowHalfOpen: true, noDelay: true });
    const entry: Entry = { key, server, port: bindPortOf(key), owner, claimants: [], next: 0 };
    server.on('connection', (socket) => this.dispatch(entry, socket));
    entry.opening = new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        const addr = `${this.host}:${entry.port}`;
        reject(Object.assign(new Error(`listen tcp ${addr}: bind: ${GO_ERRNO[e.code ?? ''] ?? e.message}`), { code: e.code }));
      };
      server.once('error', onError);
      server.listen({ host: this.host, port: entry.port, exclusive: true }, () => {
        server.removeListener('error', onError);
        // A listening server's later errors (rare: accept failures) must not crash the host.
        server.on('error', () => undefined);
        entry.port = (server.address() as net.AddressInfo).port;
        entry.opening = undefined;
        resolve();
      });
    });
    // Keep a failed bind from being an unhandled rejection when no claim awaits it any more.
    entry.opening.catch(() => undefined);
    return entry;
  }

  private dispatch(entry: Entry, socket: net.Socket): void {
    if (entry.claimants.length === 0) {
      socket.destroy();
      return;
    }
    const c = entry.claimants[entry.next % entry.claimants.length];
    entry.next = (entry.next + 1) % entry.claimants.length;
    c.handler(socket);
  }

  private describe(key: string, port: number): string {
    const proto = key.split(':')[1] ?? 'TCP';
    return `${this.host}:${port}/${proto}`;
  }
}
