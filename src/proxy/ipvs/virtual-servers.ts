/**
 * What kube-proxy 1.32's ipvs mode programs for one service port (the per-service part of syncProxyRules in
 * pkg/proxy/ipvs/proxier.go): its virtual servers with their real servers, and its ipset entries. Pure.
 *
 * - A virtual server per cluster IP:port, per external IP:port, per load-balancer IP:port and, for a nodePort, per
 *   node address:nodePort. Node addresses are all local addresses except loopback and kube-ipvs0's; this model
 *   knows one, the node's InternalIP — so, as upstream, nodePorts do not answer on 127.0.0.1 in ipvs mode.
 * - Scheduler as configured, flag `persistent <timeout>` for ClientIP affinity, real servers with weight 1, Masq.
 * - Real servers (syncEndpoint): for the cluster IP with internalTrafficPolicy Local, and for the external ones
 *   with externalTrafficPolicy Local, this node's endpoints — or, when it has none, the Cluster endpoints
 *   (kubernetes#97081; unlike iptables, which drops); otherwise the Cluster endpoints. A port without usable
 *   endpoints keeps its virtual servers with no real servers.
 */
import { categorizeEndpoints } from '../endpoints-for-traffic';
import type { CheckedPort } from '../checked-port';
import { frontendKey } from '../frontend-index';
import type { EndpointInfo, Protocol } from '../types';
import { ipPortEntry, type IpsetEntry, type IpsetId } from './ipsets';
import type { IpvsScheduler } from './scheduler';

export interface VirtualServer {
  protocol: Protocol;
  ip: string;
  port: number;
  scheduler: IpvsScheduler;
  /** Persistence timeout (s) for ClientIP affinity. */
  persistent?: number;
  /** `ip:port` of the real servers, sorted. */
  reals: readonly string[];
}

export interface IpvsProgram {
  key: string;
  /** `PROTO ip:port` → virtual server. */
  virtualServers: (readonly [string, VirtualServer])[];
  ipsets: IpsetEntry[];
}

export interface IpvsContext {
  nodeName: string;
  nodeIP: string;
  nodeIPNumber: number | undefined;
  scheduler: IpvsScheduler;
}

const addr = (ep: EndpointInfo): string => `${ep.ip}:${ep.port}`;

export function buildIpvsProgram(port: CheckedPort, ctx: IpvsContext, sourceContains: (cidr: string, ip: number) => boolean): IpvsProgram {
  const { svc, proto } = port;
  const subject = { ...svc, externalIPs: port.externalIPs, loadBalancerIPs: port.loadBalancerIPs, externalPolicyLocal: port.externalLocal };
  const cat = categorizeEndpoints(port.endpoints, subject, ctx.nodeName);
  const onlyLocal = (local: boolean): readonly string[] => (local && cat.local.length > 0 ? cat.local : cat.cluster).map(addr);
  const internal = onlyLocal(svc.internalPolicyLocal);
  const external = onlyLocal(port.externalLocal);
  const program: IpvsProgram = { key: svc.key, virtualServers: [], ipsets: [] };
  const vs = (ip: string, p: number, reals: readonly string[]): void => {
    const v: VirtualServer = { protocol: svc.protocol, ip, port: p, scheduler: ctx.scheduler, reals };
    if (svc.stickySeconds !== undefined) v.persistent = svc.stickySeconds;
    program.virtualServers.push([frontendKey(svc.protocol, ip, p), v]);
  };
  const set = (id: IpsetId, value: string): void => {
    program.ipsets.push([id, value]);
  };
  const isNodeAddress = (ip: string): boolean => ip === ctx.nodeIP;

  for (const ep of port.endpoints) {
    if (ep.nodeName !== undefined && ep.nodeName === ctx.nodeName) set('loopBack', `${ep.ip},${proto}:${ep.port},${ep.ip}`);
  }
  set('clusterIP', ipPortEntry(svc.clusterIP, proto, svc.port));
  vs(svc.clusterIP, svc.port, internal);
  set('ipvsIPs', svc.clusterIP);

  for (const eip of port.externalIPs) {
    set(port.externalLocal ? 'externalIPLocal' : 'externalIP', ipPortEntry(eip, proto, svc.port));
    vs(eip, svc.port, external);
    if (!isNodeAddress(eip)) set('ipvsIPs', eip);
  }

  for (const lb of port.loadBalancerIPs) {
    const entry = ipPortEntry(lb, proto, svc.port);
    set('loadBalancer', entry);
    if (port.externalLocal) set('loadBalancerLocal', entry);
    if (port.sourceRanges.length) {
      set('loadBalancerFW', entry);
      let allowFromNode = false;
      for (const cidr of port.sourceRanges) {
        set('loadBalancerSourceCIDR', `${entry},${cidr}`);
        if (ctx.nodeIPNumber !== undefined && sourceContains(cidr, ctx.nodeIPNumber)) allowFromNode = true;
      }
      if (allowFromNode) set('loadBalancerSourceIP', `${entry},${lb}`);
    }
    vs(lb, svc.port, external);
    if (!isNodeAddress(lb)) set('ipvsIPs', lb);
  }

  if (svc.nodePort !== 0) {
    const local = port.externalLocal;
    if (proto === 'sctp') {
      const entry = ipPortEntry(ctx.nodeIP, proto, svc.nodePort);
      set('nodePortSCTP', entry);
      if (local) set('nodePortLocalSCTP', entry);
    } else {
      set(proto === 'tcp' ? 'nodePortTCP' : 'nodePortUDP', String(svc.nodePort));
      if (local) set(proto === 'tcp' ? 'nodePortLocalTCP' : 'nodePortLocalUDP', String(svc.nodePort));
    }
    vs(ctx.nodeIP, svc.nodePort, external);
  }
  if (port.healthCheckNodePort !== 0) set('healthCheckNodePort', String(port.healthCheckNodePort));
  return program;
}
