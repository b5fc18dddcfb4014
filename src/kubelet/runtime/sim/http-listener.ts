/**
 * The sim runtime's real HTTP listener: simulated containers that listen (HTTP servers, and applications the sim
 * cannot interpret — those answer HTTP the same way) become reachable at `podIP:port` on the pod network.
 *
 * Contract:
 * - `attach(network, ip, port, target)` registers `ip:port` with the network; the returned function detaches it and
 *   destroys the connections open to it (a stopped container's sockets die with it).
 * - ONE listener per instance (per SimRuntime), opened lazily on the first connection: a `net.Server` on
 *   127.0.0.1:0 speaking PROXY protocol v1 — each connection's header line names the pod address, the rest of the
 *   stream is handed to one shared `http.Server` (`emit('connection')`). A header that is not PROXY v1, or names an
 *   address nothing is attached to, closes the connection.
 * - Every request is answered with the target's name (the pod name) and "\n", `Content-Type: text/plain`, with the
 *   status ./behaviour's `httpAnswer` gives for the path: KUBELAB_SIM_HTTP_STATUS when set, nginx/httpd's 404 for
 *   paths other than / and /index.html (the same answer the kubelet's probes get), 200 otherwise. The body names the
 *   pod even on a 404, so a request through a Service still tells which pod answered.
 * - `close()` closes the listener and every connection; a later connection opens it again (the runtime is disposed
 *   by then, so none comes).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { PodListener, PodNetwork } from '../../../addons/cni/pod-network';
import { httpAnswer, type Behaviour } from './behaviour';

export interface SimHttpTarget {
  /** What the server answers (the pod name). */
  name: string;
  behaviour: Behaviour;
}

interface Route {
  target: SimHttpTarget;
  sockets: Set<net.Socket>;
}

/** PROXY v1's longest header line, CRLF included. */
const MAX_HEADER = 107;
const HEADER = /^PROXY TCP4 (\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+) (\d+) (\d+)$/;

export class SimHttpListener {
  private readonly routes = new Map<string, Route>();
  private readonly destination = new WeakMap<net.Socket, string>();
  private readonly sockets = new Set<net.Socket>();
  private readonly http: http.Server;
  private server?: net.Server;
  private opening?: Promise<PodListener>;

  constructor(private readonly host = '127.0.0.1') {
    this.http = http.createServer((req, res) => this.answer(req, res));
    this.http.on('clientError', (_e, socket) => socket.destroy());
  }

  attach(network: PodNetwork, ip: string, port: number, target: SimHttpTarget): () => void {
    const key = `${ip}:${port}`;
    const route: Route = { target, sockets: new Set() };
    this.routes.set(key, route);
    const detachNetwork = network.attach(ip, port, () => this.open());
    return () => {
      detachNetwork();
      if (this.routes.get(key) !== route) return;
      this.routes.delete(key);
      for (const s of route.sockets) s.destroy();
    };
  }

  /** The listener's address once opened (tests). */
  address(): PodListener | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? { host: this.host, port: a.port, proxyProtocol: true } : undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.opening = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.http.closeAllConnections();
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private open(): Promise<PodListener> {
    if (this.opening) return this.opening;
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    this.opening = new Promise<PodListener>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.host, () => {
        server.removeListener('error', reject);
        server.on('error', () => undefined);
        resolve({ host: this.host, port: (server.address() as net.AddressInfo).port, proxyProtocol: true });
      });
    });
    this.opening.catch(() => {
      if (this.server === server) this.server = this.opening = undefined;
    });
    return this.opening;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n');
        if (end < 0) {
          if (head.length > MAX_HEADER) socket.destroy();
          continue;
        }
        socket.removeListener('readable', onReadable);
        const m = HEADER.exec(head.subarray(0, end).toString('latin1'));
        const key = m ? `${m[2]}:${m[4]}` : undefined;
        const route = key === undefined ? undefined : this.routes.get(key);
        if (!route || !key) return void socket.destroy();
        const rest = head.subarray(end + 2);
        if (rest.length) socket.unshift(rest);
        this.destination.set(socket, key);
        route.sockets.add(socket);
        socket.once('close', () => route.sockets.delete(socket));
        this.http.emit('connection', socket);
        return;
      }
    };
    socket.on('readable', onReadable);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const key = this.destination.get(req.socket);
    const route = key === undefined ? undefined : this.routes.get(key);
    if (!route) return void req.socket.destroy();
    const body = `${route.target.name}\n`;
    res.writeHead(httpAnswer(route.target.behaviour, req.url ?? '/'), { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
