/**
 * KernelNodePorts: the simulated kernel's NAT for NodePorts in the iptables and ipvs modes. There, kube-proxy only
 * programs rules and the kernel carries the traffic straight to a pod; KubeLab has no kernel to program, so this
 * object plays the kernel's part on this machine: it accepts TCP connections on `127.0.0.1:<nodePort>` and sends
 * each to an endpoint the programmed rules lead to for traffic to the node's address (127.0.0.1 stands in for it) —
 * exactly `mode.backends(nodeIP, nodePort)`, the endpoints the node's KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC chains (or
 * its ipvs virtual server) name, so externalTrafficPolicy Local keeps to the node's own pods —, spreading new
 * connections evenly over them (the rules' 1/n, 1/(n-1)… probabilities are uniform; ipvs rr is round-robin) and
 * keeping a client on its endpoint for ClientIP affinity (the `recent` module / ipvs persistence).
 *
 * It reads only the mode's programmed state, never Services directly, and shares the machine's loopback port table
 * with every node's kube-proxy (a NodePort is one listener however many nodes program it). `update` after each sync;
 * a port it cannot bind is reported as a problem (and retried on the next update); `close` releases everything.
 */
import type * as net from 'node:net';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { PodNetwork } from '../addons/cni/pod-network';
import type { ProxyMode, ProxyState } from './types';
import { forwardConnection } from './userspace/forward';
import { nodePortKey, type HostPorts, type PortClaim } from './userspace/host-ports';
import { LoadBalancer } from './userspace/load-balancer';

export interface KernelNodePortsOptions {
  mode: ProxyMode;
  /** The node's InternalIP: 127.0.0.1 stands in for it (the node's address on this one machine). */
  nodeIP: string;
  hostPorts: HostPorts;
  network: PodNetwork;
  clock: Clock;
  logger: Logger;
}

interface Port {
  service: string;
  claim?: PortClaim;
  claiming?: boolean;
}

export class KernelNodePorts {
  private readonly lb: LoadBalancer;
  private readonly ports = new Map<number, Port>();
  private readonly sockets = new Set<net.Socket>();
  private closed = false;

  constructor(private readonly o: KernelNodePortsOptions) {
    this.lb = new LoadBalancer({ clock: o.clock });
  }

  /** Open, keep or close NodePort listeners to match the programmed state; returns the problems met. */
  async update(state: ProxyState): Promise<string[]> {
    if (this.closed) return [];
    const want = new Map<number, { service: string; sticky?: number }>();
    for (const s of state.services.values()) {
      if (s.nodePort > 0 && s.protocol === 'TCP' && !want.has(s.nodePort)) want.set(s.nodePort, { service: s.key, sticky: s.stickySeconds });
    }
    for (const [port, p] of this.ports) {
      if (want.get(port)?.service === p.service) continue;
      p.claim?.release();
      this.ports.delete(port);
      this.lb.delete(String(port));
    }
    const problems: string[] = [];
    const work: Promise<void>[] = [];
    for (const [port, w] of want) {
      this.lb.update(String(port), this.o.mode.backends(this.o.nodeIP, port, 'TCP') ?? [], w.sticky);
      let p = this.ports.get(port);
      if (!p) this.ports.set(port, (p = { service: w.service }));
      if (!p.claim && !p.claiming) work.push(this.claim(port, p, problems));
    }
    await Promise.all(work);
    return problems;
  }

  private async claim(port: number, p: Port, problems: string[]): Promise<void> {
    p.claiming = true;
    try {
      const claim = await this.o.hostPorts.claim(nodePortKey('TCP', port), (socket) => this.accept(port, p, socket), p.service);
      p.claiming = false;
      if (this.closed || this.ports.get(port) !== p) return claim.release();
      p.claim = claim;
    } catch (e) {
      p.claiming = false;
      problems.push(`can't open node port for ${this.o.hostPorts.host}:${port}/TCP: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private accept(port: number, p: Port, socket: net.Socket): void {
    if (this.closed || this.ports.get(port) !== p) return void socket.destroy();
    void forwardConnection(socket, {
      network: this.o.network,
      lb: this.lb,
      lbKey: String(port),
      service: p.service,
      logger: this.o.logger,
      track: (s) => {
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
      },
      isAlive: () => !this.closed,
    });
  }

  /** Listeners held (tests). */
  listening(): number[] {
    return [...this.ports.entries()].filter(([, p]) => p.claim).map(([port]) => port).sort((a, b) => a - b);
  }

  close(): void {
    this.closed = true;
    for (const p of this.ports.values()) p.claim?.release();
    this.ports.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
