/**
 * IngressController: KubeLab's ingress controller, an API client like every component. It watches Ingresses,
 * IngressClasses, Services and discovery.k8s.io/v1 EndpointSlices through SharedInformers, serves HTTP on
 * 127.0.0.1:<port>, and routes each request by Host and path (routes.ts) to a ready endpoint of the backend Service
 * port, reached through the pod network (`PodNetwork.connect`), the way kube-proxy's userspace mode reaches pods.
 *
 * Contract:
 * - `start()` listens first (so `port` is known — 0 asks for any free port), then starts the informers, waits for
 *   their first list and runs the status loop (status.ts), which publishes `127.0.0.1` + the port on every Ingress
 *   served. `stop()` closes the server (and open connections) and stops the informers and the status loop.
 * - Per request: no rule and no default backend → 404; backend Service/port missing or no usable endpoint → 503;
 *   every dial failing → 502; otherwise the request is forwarded (http-forward.ts) and the endpoint answers.
 *   Upgrade requests (WebSocket) are routed the same way and tunnelled (upgrade-forward.ts).
 * - Endpoints are balanced with the userspace proxier's LoadBalancer (round-robin, ClientIP affinity from the
 *   Service), keyed by service port; dialling retries like userspace's tryConnect (DIAL_TIMEOUTS_MS: up to four
 *   endpoints, affinity reset after a failure).
 * - The routing table is rebuilt lazily after any Ingress or IngressClass change; Services and EndpointSlices are
 *   read from the informers' caches per request.
 */
import * as http from 'node:http';
import type * as net from 'node:net';
import type * as stream from 'node:stream';
import type { Ingress, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1';
import type { Service } from 'kubernetes-types/core/v1';
import { systemClock, type Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { Lister, SharedInformerFactory, type ResourceRef, type SharedInformer } from '../../client/informers';
import { deletedObject, type CachedObject } from '../../client/informers';
import { LABEL_INDEX } from '../../client/informers/indexer';
import type { Transport } from '../../client/transport';
import { ApiClient } from '../../controllers/framework';
import { SERVICE_NAME_LABEL } from '../../proxy/endpoint-slices';
import { LoadBalancer } from '../../proxy/userspace/load-balancer';
import { DIAL_TIMEOUTS_MS } from '../../proxy/userspace/forward';
import type { PodNetwork } from '../cni/pod-network';
import { resolveBackend, usableEndpoints } from './backends';
import { INGRESS_CLASS_NAME } from './constants';
import { sendErrorPage } from './error-pages';
import { forwardHttp, type ForwardInfo } from './http-forward';
import { IS_DEFAULT_INGRESS_CLASS_ANNOTATION, RouteTable, servesIngress, type ClassFilter } from './routes';
import { desiredStatus, INGRESSES, IngressStatusSyncer } from './status';
import { forwardUpgrade, rawErrorResponse } from './upgrade-forward';

const INGRESS_CLASSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services' };
const ENDPOINT_SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

export const LISTEN_HOST = '127.0.0.1';

/** A request routed and its endpoint dialled. */
interface Connected {
  socket: net.Socket;
  endpoint: string;
  key: string;
  /** `METHOD host/target`, for logs. */
  what: string;
  info: ForwardInfo;
}

export interface IngressControllerOptions {
  /** The controller's API connection (its own identity: INGRESS_CONTROLLER_USER). */
  transport: Transport;
  network: PodNetwork;
  logger: Logger;
  clock?: Clock;
  /** The HTTP port on 127.0.0.1 (0 or absent: any free port). */
  port?: number;
  /** The IngressClass served (default `kubelab`). */
  className?: string;
  /** The load balancer's shuffle source, a number in [0, 1) (default Math.random). */
  random?: () => number;
  /** Dial timeouts, one per attempt (default userspace's DIAL_TIMEOUTS_MS). */
  dialTimeoutsMs?: readonly number[];
}

export class IngressController {
  private readonly factory: SharedInformerFactory;
  private readonly ingresses: SharedInformer;
  private readonly classes: SharedInformer;
  private readonly services: Lister;
  private readonly slices: SharedInformer;
  private readonly lb: LoadBalancer;
  private readonly statusLoop: IngressStatusSyncer;
  private readonly className: string;
  private readonly logger: Logger;
  private server: http.Server | undefined;
  private table: RouteTable | undefined;
  private boundPort = 0;
  /** Upgraded client connections (the HTTP server no longer closes them itself). */
  private readonly tunnels = new Set<stream.Duplex>();
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(private readonly o: IngressControllerOptions) {
    const clock = o.clock ?? systemClock;
    this.logger = o.logger;
    this.className = o.className ?? INGRESS_CLASS_NAME;
    this.factory = new SharedInformerFactory({ transport: o.transport, logger: o.logger, clock });
    this.ingresses = this.factory.informerFor(INGRESSES);
    this.classes = this.factory.informerFor(INGRESS_CLASSES);
    this.services = this.factory.listerFor(SERVICES);
    this.slices = this.factory.informerFor(ENDPOINT_SLICES);
    this.lb = new LoadBalancer({ clock, random: o.random });
    this.statusLoop = new IngressStatusSyncer({
      api: new ApiClient(o.transport),
      ingresses: new Lister(this.ingresses.indexer),
      logger: o.logger.child('status'),
      clock,
      serves: (ing) => servesIngress(ing, this.classFilter()),
      address: () => this.address(),
    });
    const onIngress = (obj: CachedObject) => {
      this.table = undefined;
      this.statusLoop.enqueue(obj);
    };
    this.ingresses.addEventHandler({ onAdd: onIngress, onUpdate: (_, o) => onIngress(o), onDelete: (o) => onIngress(deletedObject(o)) });
    const onClass = (obj: CachedObject) => {
      if (obj.metadata?.name !== this.className) return;
      this.table = undefined;
      for (const ing of this.ingresses.indexer.list()) this.statusLoop.enqueue(ing);
    };
    this.classes.addEventHandler({ onAdd: onClass, onUpdate: (_, o) => onClass(o), onDelete: (o) => onClass(deletedObject(o)) });
  }

  /** The port the server listens on (0 before `start`). */
  get port(): number {
    return this.boundPort;
  }

  /** What this controller publishes in the status of the Ingresses it serves. */
  address(): IngressLoadBalancerIngress[] {
    return desiredStatus(LISTEN_HOST, this.boundPort);
  }

  classFilter(): ClassFilter {
    const cls = this.classes.indexer.getByName('', this.className);
    return { className: this.className, classIsDefault: cls?.metadata?.annotations?.[IS_DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true' };
  }

  /** The current routing table. */
  routes(): RouteTable {
    if (!this.table) {
      this.table = RouteTable.build(this.ingresses.indexer.list() as Readonly<Ingress>[], this.classFilter());
      for (const c of this.table.conflicts) this.logger.warn(c);
    }
    return this.table;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`ingress controller already ${this.state}`);
    this.state = 'started';
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req: http.IncomingMessage, socket: stream.Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 0, LISTEN_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.logger.info(`serving HTTP for IngressClass ${this.className} on http://${LISTEN_HOST}:${this.boundPort}`);
    this.factory.start();
    await this.factory.waitForCacheSync();
    if (this.state !== 'started') return;
    this.statusLoop.run(1);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.factory.stop();
    await this.statusLoop.stop();
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const t of this.tunnels) t.destroy();
      });
    }
  }

  /** Upgraded (tunnelled) connections still open. */
  openTunnels(): number {
    return this.tunnels.size;
  }

  /** Resolves when the status loop has nothing queued or in progress (tests). */
  idle(): Promise<void> {
    return this.statusLoop.idle();
  }

  private slicesOf(namespace: string, service: string): CachedObject[] {
    return this.slices.indexer.byIndex(LABEL_INDEX, `${SERVICE_NAME_LABEL}=${service}`).filter((s) => s.metadata?.namespace === namespace);
  }

  /** Routes a request and dials an endpoint for it, or says which error page to answer. */
  private async connectFor(req: http.IncomingMessage): Promise<Connected | { status: number; why: string }> {
    const clientIP = (req.socket.remoteAddress ?? LISTEN_HOST).replace(/^::ffff:/, '');
    let host = req.headers.host ?? '';
    let target = req.url ?? '/';
    if (/^https?:\/\//i.test(target)) {
      try {
        const u = new URL(target);
        host = u.host;
        target = `${u.pathname}${u.search}`;
        req.url = target;
      } catch {
        // not a URL after all: route it as a path
      }
    }
    const what = `${req.method} ${host}${target}`;
    const m = this.routes().match(host, target);
    if (!m) return { status: 404, why: `${what}: no rule matches` };
    const { namespace, service } = m.backend;
    const r = resolveBackend(m.backend, this.services.get(namespace, service) as Readonly<Service> | undefined, this.slicesOf(namespace, service));
    if (!r.ok) return { status: 503, why: `${what} (Ingress ${m.ingress}): ${r.reason}` };
    const usable = usableEndpoints(r.endpoints);
    this.lb.update(r.key, usable.map((e) => `${e.ip}:${e.port}`), r.stickySeconds);
    if (!usable.length) return { status: 503, why: `${what} (Ingress ${m.ingress}): service ${r.key} has no ready endpoints` };
    const dialled = await this.dial(r.key, clientIP, req.socket.remotePort ?? 0);
    if (!dialled) return { status: 502, why: `${what} (Ingress ${m.ingress}): no endpoint of ${r.key} could be reached` };
    return { ...dialled, key: r.key, what, info: { clientIP, listenPort: this.boundPort } };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const c = await this.connectFor(req);
    if (!('socket' in c)) {
      this.logger.debug(`${c.status}: ${c.why}`);
      sendErrorPage(res, c.status);
      return;
    }
    if (res.destroyed || this.state !== 'started') {
      c.socket.destroy();
      return;
    }
    const status = await forwardHttp(req, res, c.socket, c.info);
    this.logger.debug(`${c.what} → ${c.key} (${c.endpoint}) ${status || 'client gone'}`);
  }

  private async handleUpgrade(req: http.IncomingMessage, client: stream.Duplex, head: Buffer): Promise<void> {
    client.on('error', () => undefined);
    this.tunnels.add(client);
    client.on('close', () => this.tunnels.delete(client));
    const c = await this.connectFor(req);
    if (!('socket' in c)) {
      this.logger.debug(`${c.status}: ${c.why}`);
      client.end(rawErrorResponse(c.status), () => client.destroy());
      return;
    }
    if (client.destroyed || this.state !== 'started') {
      c.socket.destroy();
      return;
    }
    this.logger.debug(`${c.what} → ${c.key} (${c.endpoint}) upgraded`);
    forwardUpgrade(req, client, head, c.socket, c.info);
  }

  /** userspace tryConnect: one endpoint per timeout, affinity reset after a failure. */
  private async dial(key: string, clientIP: string, clientPort: number): Promise<{ socket: net.Socket; endpoint: string } | undefined> {
    const timeouts = this.o.dialTimeoutsMs ?? DIAL_TIMEOUTS_MS;
    for (let i = 0; i < timeouts.length; i++) {
      const endpoint = this.lb.next(key, clientIP, i > 0);
      if (!endpoint) return undefined;
      const colon = endpoint.lastIndexOf(':');
      const ip = endpoint.slice(0, colon);
      const port = Number(endpoint.slice(colon + 1));
      try {
        return { socket: await this.o.network.connect(ip, port, { sourceIP: clientIP, sourcePort: clientPort, timeoutMs: timeouts[i] }), endpoint };
      } catch (e) {
        this.logger.warn(`Dial failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return undefined;
  }
}
