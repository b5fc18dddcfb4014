/**
 * ClusterDns: the cluster DNS add-on as a component — an API client that lists and watches Services,
 * discovery.k8s.io/v1 EndpointSlices and Namespaces (what kubeadm's `system:coredns` ClusterRole grants CoreDNS,
 * less pods and endpoints, which `pods insecure` over EndpointSlices does not read), keeps a DnsRecords model
 * current, and serves it with a DnsServer on a loopback port.
 *
 * Contract:
 * - `start({ port })` starts the informers, binds UDP+TCP (port 0: any free port; `port` tells which) and resolves
 *   once the informers have synced or, like CoreDNS, after `syncTimeoutMs` (5 s) — then it serves unsynced, where a
 *   name that is not found answers SERVFAIL instead of NXDOMAIN until the first lists arrive.
 * - Informer handlers only update the model (cheap, synchronous). Objects are never modified.
 * - `stop()` stops the informers and the server; idempotent. A stopped ClusterDns cannot be started again.
 */
import { systemClock, type Clock, type TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { deletedObject, SharedInformerFactory, type CachedObject, type DeletedFinalStateUnknown, type ResourceRef } from '../../client/informers';
import type { Transport } from '../../client/transport';
import { DnsRecords } from './records';
import { DnsServer } from './server';

export const DNS_RESOURCES = {
  services: { group: '', version: 'v1', resource: 'services' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
} as const satisfies Record<string, ResourceRef>;

export interface ClusterDnsOptions {
  transport: Transport;
  logger: Logger;
  clock?: Clock;
  /** The cluster domain; default cluster.local. */
  zone?: string;
  /** Record TTL; default 30. */
  ttl?: number;
  /** The kube-dns Service's cluster IP (the service CIDR's 10th address). */
  nameserverIP?: string;
  /** Address to serve on; default 127.0.0.1. */
  host?: string;
  /** How long `start` waits for the informers before serving unsynced; default 5000 ms (CoreDNS). */
  syncTimeoutMs?: number;
}

const nameOf = (o: CachedObject) => ({ namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });

export class ClusterDns {
  readonly records: DnsRecords;
  private readonly clock: Clock;
  private factory: SharedInformerFactory | undefined;
  private server: DnsServer | undefined;
  private stopped = false;

  constructor(private readonly o: ClusterDnsOptions) {
    this.clock = o.clock ?? systemClock;
    this.records = new DnsRecords({ zone: o.zone, ttl: o.ttl, nameserverIP: o.nameserverIP, now: () => this.clock.now() });
  }

  /** The port the server is bound to (0 when not serving). */
  get port(): number {
    return this.server?.port ?? 0;
  }

  async start(opts: { port?: number } = {}): Promise<void> {
    if (this.factory || this.stopped) throw new Error(this.stopped ? 'cluster DNS is stopped' : 'cluster DNS is already started');
    const factory = new SharedInformerFactory({ transport: this.o.transport, logger: this.o.logger, clock: this.clock });
    this.factory = factory;
    const r = this.records;
    const handle = (set: (o: CachedObject) => void, del: (o: CachedObject) => void) => ({
      onAdd: (o: CachedObject) => set(o),
      onUpdate: (_old: CachedObject, o: CachedObject) => set(o),
      onDelete: (d: CachedObject | DeletedFinalStateUnknown) => del(deletedObject(d)),
    });
    factory.informerFor(DNS_RESOURCES.services).addEventHandler(
      handle(
        (o) => r.setService(o),
        (o) => r.deleteService(nameOf(o).namespace, nameOf(o).name),
      ),
    );
    factory.informerFor(DNS_RESOURCES.endpointslices).addEventHandler(
      handle(
        (o) => r.setEndpointSlice(o),
        (o) => r.deleteEndpointSlice(nameOf(o).namespace, nameOf(o).name),
      ),
    );
    factory.informerFor(DNS_RESOURCES.namespaces).addEventHandler(
      handle(
        (o) => r.setNamespace(o),
        (o) => r.deleteNamespace(nameOf(o).name),
      ),
    );
    factory.start();
    const synced = factory.waitForCacheSync().then(
      () => {
        r.setSynced(true);
        return true;
      },
      () => false,
    );
    const server = new DnsServer({ resolver: r, host: this.o.host, logger: this.o.logger });
    this.server = server;
    let port: number;
    try {
      port = await server.listen(opts.port ?? 0);
    } catch (e) {
      factory.stop();
      this.factory = undefined;
      this.server = undefined;
      throw e;
    }
    if (this.stopped) {
      await server.close();
      return;
    }
    this.o.logger.info(`cluster DNS serving ${r.clusterZone} on ${this.o.host ?? '127.0.0.1'}:${port} (UDP and TCP)`);
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = this.clock.setTimeout(() => resolve(false), this.o.syncTimeoutMs ?? 5000)));
    const ok = await Promise.race([synced, timedOut]);
    if (timer) this.clock.clearTimeout(timer);
    if (!ok && !this.stopped) this.o.logger.warn('starting server with unsynced Kubernetes API');
  }

  async stop(): Promise<void> {
    const factory = this.factory;
    const server = this.server;
    this.stopped = true;
    this.factory = undefined;
    this.server = undefined;
    factory?.stop();
    await server?.close();
  }
}
