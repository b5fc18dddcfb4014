/**
 * kube-proxy's userspace mode: real traffic. Every frontend of every service port (./frontends: cluster IP:port,
 * NodePort, external and load-balancer IPs) gets a loopback listener from the shared HostPorts table (a NodePort on
 * 127.0.0.1:<nodePort>, the others on an ephemeral port the table reports), and each accepted TCP connection is
 * forwarded (./forward) to an endpoint picked by the LoadBalancer (round-robin, or ClientIP-affine with the
 * service's timeout) through the pod network.
 *
 * Beyond the ProxyMode contract (./../types):
 * - Endpoints used are CategorizeEndpoints' (../endpoints-for-traffic `endpointsForTraffic`): the cluster IP uses
 *   the internal traffic policy's, every other frontend the external one's. They are set on the load balancer at sync, so an endpoint
 *   that went not-ready takes no new connection after the sync that sees it (open connections are left alone).
 * - Listeners are claimed on every sync for every frontend that has none (a bind that failed is retried); a failure
 *   (EADDRINUSE on a NodePort, a port conflict) is a problem in SyncStats with upstream's words, never a throw. The
 *   frontend is still programmed (`backends` answers for it), as upstream keeps a service whose portal failed.
 * - Only TCP is forwarded: UDP and SCTP service ports are programmed (backends, the table) without a listener.
 * - `ruleCount()` is the number of listeners this node holds; `activeConnections()` the connections being proxied.
 * - `dispose()` releases every claim and destroys every open connection.
 */
import type * as net from 'node:net';
import { systemClock, type Clock } from '../../base/clock';
import { silentLogger, type Logger } from '../../base/logger';
import type { PodNetwork } from '../../addons/cni/pod-network';
import type { EndpointInfo, Protocol, ProxyMode, ProxyNode, ServicePortInfo, SyncRequest, SyncStats } from '../types';
import { forwardConnection } from './forward';
import { endpointsForTraffic, externallyAccessible } from '../endpoints-for-traffic';
import { externalLbKey, frontendsOf, internalLbKey, invalidReason, localKey, type FrontendSpec } from './frontends';
import type { HostPorts, PortClaim } from './host-ports';
import { renderListenerTable, type ListenerRow } from './listener-table';
import { LoadBalancer } from './load-balancer';

export interface UserspaceModeOptions {
  network: PodNetwork;
  ports: HostPorts;
  logger?: Logger;
  clock?: Clock;
  /** For the load balancer's shuffle (default Math.random). */
  random?: () => number;
  /** Dial timeouts per attempt (default upstream's 250 ms, 500 ms, 1 s, 2 s). */
  dialTimeoutsMs?: readonly number[];
}

interface Frontend extends FrontendSpec {
  claim?: PortClaim;
  /** Set while a claim is in flight. */
  claiming?: boolean;
}

interface Programmed {
  info: ServicePortInfo;
  frontends: Frontend[];
}

export class UserspaceMode implements ProxyMode {
  readonly name = 'userspace' as const;
  private readonly logger: Logger;
  private readonly lb: LoadBalancer;
  private readonly programmed = new Map<string, Programmed>();
  private readonly clients = new Set<net.Socket>();
  private readonly sockets = new Set<net.Socket>();
  private disposed = false;

  constructor(
    private readonly node: ProxyNode,
    private readonly o: UserspaceModeOptions,
  ) {
    this.logger = o.logger ?? silentLogger;
    this.lb = new LoadBalancer({ clock: o.clock ?? systemClock, ...(o.random ? { random: o.random } : {}) });
  }

  async sync(req: SyncRequest): Promise<SyncStats> {
    if (this.disposed) throw new Error('the userspace proxy mode was disposed');
    const { state } = req;
    const keys = req.changed ? [...req.changed] : [...new Set([...state.services.keys(), ...this.programmed.keys()])];
    const problems: string[] = [];
    let touched = 0;
    let skipped = 0;
    for (const key of keys) {
      const info = state.services.get(key);
      if (!info) {
        if (this.programmed.has(key)) touched++;
        this.unprogram(key);
        continue;
      }
      touched++;
      const bad = invalidReason(info);
      if (bad) {
        skipped++;
        problems.push(`skipping service port "${key}": ${bad}`);
        this.unprogram(key);
        continue;
      }
      this.program(info, state.endpoints.get(key) ?? []);
    }
    await this.claimMissing(problems);
    this.lb.cleanupStaleSessions();
    return { services: this.programmed.size, touched, skipped, problems };
  }

  backends(ip: string, port: number, protocol: Protocol): readonly string[] | undefined {
    // Clashing frontends (bad data) resolve to the smallest service port key, whatever order they were synced in.
    let hit: { key: string; lbKey: string } | undefined;
    for (const [key, p] of this.programmed) {
      if (hit && hit.key < key) continue;
      for (const f of p.frontends) {
        if (f.protocol !== protocol || f.port !== port) continue;
        if (f.kind === 'nodePort' ? ip === '127.0.0.1' || ip === this.node.nodeIP : f.ip === ip) hit = { key, lbKey: f.lbKey };
      }
    }
    return hit && (this.lb.endpoints(hit.lbKey) ?? []);
  }

  /** Where each frontend is listening on loopback (`10.96.0.12:80/TCP` → `127.0.0.1:41234`), for reports. */
  listeners(): { service: string; frontend: string; host: string; port: number }[] {
    return this.rows()
      .filter((r) => /^[\d.]+:\d+$/.test(r.listener))
      .map((r) => {
        const i = r.listener.lastIndexOf(':');
        const frontend = r.kind === 'nodePort' ? `nodePort ${r.port}/${r.protocol}` : `${r.ip}:${r.port}/${r.protocol}`;
        return { service: r.service, frontend, host: r.listener.slice(0, i), port: Number(r.listener.slice(i + 1)) };
      });
  }

  render(): string {
    return renderListenerTable({ nodeName: this.node.nodeName, listeners: this.ruleCount(), connections: this.activeConnections() }, this.rows());
  }

  ruleCount(): number {
    let n = 0;
    for (const p of this.programmed.values()) for (const f of p.frontends) if (f.claim) n++;
    return n;
  }

  activeConnections(): number {
    return this.clients.size;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const key of [...this.programmed.keys()]) this.unprogram(key);
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.clients.clear();
  }

  // ── programming ─────────────────────────────────────────────────────────────────────────────────────────────
  private program(info: ServicePortInfo, endpoints: readonly EndpointInfo[]): void {
    const old = this.programmed.get(info.key);
    const wanted = frontendsOf(info);
    const keep = new Map((old?.frontends ?? []).map((f) => [f.hostKey, f]));
    const frontends: Frontend[] = wanted.map((w) => {
      const prev = keep.get(w.hostKey);
      keep.delete(w.hostKey);
      return prev ? Object.assign(prev, { lbKey: w.lbKey, kind: w.kind, ip: w.ip, port: w.port }) : { ...w };
    });
    for (const gone of keep.values()) gone.claim?.release();
    this.programmed.set(info.key, { info, frontends });

    const traffic = endpointsForTraffic(endpoints, info, this.node.nodeName);
    const addrs = (eps: readonly EndpointInfo[]) => eps.map((e) => `${e.ip}:${e.port}`);
    const lbKeys = new Map([[internalLbKey(info), addrs(traffic.internal)]]);
    if (externallyAccessible(info)) lbKeys.set(externalLbKey(info), addrs(traffic.external));
    for (const [k, eps] of lbKeys) this.lb.update(k, eps, info.stickySeconds);
    for (const k of [info.key, localKey(info.key)]) if (!lbKeys.has(k)) this.lb.delete(k);
  }

  private unprogram(key: string): void {
    const p = this.programmed.get(key);
    if (!p) return;
    for (const f of p.frontends) f.claim?.release();
    this.programmed.delete(key);
    this.lb.delete(key);
    this.lb.delete(localKey(key));
  }

  /** Opens the listeners of every TCP frontend that has none; failures become problems. */
  private async claimMissing(problems: string[]): Promise<void> {
    const work: Promise<void>[] = [];
    for (const p of this.programmed.values()) {
      for (const f of p.frontends) {
        if (f.protocol !== 'TCP' || f.claim || f.claiming) continue;
        work.push(this.claimOne(p.info.key, f, problems));
      }
    }
    await Promise.all(work);
  }

  private async claimOne(service: string, f: Frontend, problems: string[]): Promise<void> {
    f.claiming = true;
    try {
      const claim = await this.o.ports.claim(f.hostKey, (socket) => this.accept(service, f.hostKey, socket), service);
      f.claiming = false;
      const current = this.programmed.get(service)?.frontends.includes(f);
      if (this.disposed || !current) return claim.release();
      f.claim = claim;
      this.logger.debug(`Proxying for service "${service}" on ${f.protocol} port ${claim.port}`);
    } catch (e) {
      f.claiming = false;
      const why = e instanceof Error ? e.message : String(e);
      problems.push(
        f.kind === 'nodePort' ? `can't open node port for ${this.o.ports.host}:${f.port}/${f.protocol}: ${why}` : `Failed to start proxy for "${service}": ${why}`,
      );
    }
  }

  // ── traffic ─────────────────────────────────────────────────────────────────────────────────────────────────
  private accept(service: string, hostKey: string, socket: net.Socket): void {
    const f = this.programmed.get(service)?.frontends.find((x) => x.hostKey === hostKey);
    if (this.disposed || !f) {
      socket.destroy();
      return;
    }
    this.clients.add(socket);
    socket.once('close', () => this.clients.delete(socket));
    void forwardConnection(socket, {
      network: this.o.network,
      lb: this.lb,
      lbKey: f.lbKey,
      service,
      logger: this.logger,
      isAlive: () => !this.disposed,
      track: (s) => {
        if (this.disposed) return void s.destroy();
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
      },
      ...(this.o.dialTimeoutsMs ? { dialTimeoutsMs: this.o.dialTimeoutsMs } : {}),
    });
  }

  private rows(): ListenerRow[] {
    const rows: ListenerRow[] = [];
    for (const key of [...this.programmed.keys()].sort()) {
      const p = this.programmed.get(key)!;
      for (const f of p.frontends) {
        const listener = f.claim ? `${f.claim.host}:${f.claim.port}` : f.protocol !== 'TCP' ? '<none>' : '<bind failed>';
        rows.push({ service: key, kind: f.kind, ip: f.ip, port: f.port, protocol: f.protocol, listener, endpoints: this.lb.endpoints(f.lbKey) ?? [], ...(p.info.stickySeconds !== undefined ? { sticky: this.lb.stickySeconds(f.lbKey) } : {}) });
      }
    }
    return rows;
  }
}
