/**
 * What the userspace mode opens for one service port: its frontends (the cluster IP:port, the NodePort, each external
 * IP and load-balancer IP on the service port), each with the HostPorts key of its loopback listener and the load
 * balancer key whose endpoints it uses (cluster IP: the internal traffic policy; every other frontend: the external
 * one); plus the validation that makes `sync` skip a service port with bad data instead of throwing.
 *
 * Load balancer keys: `<service port key>` for the cluster-wide endpoints and `<service port key>#local` for this
 * node's (a Local traffic policy), so a frontend's key changes when its policy does.
 */
import { tryParseIPv4 } from '../../addons/cni/cidr';
import { externalPolicyLocal } from '../endpoints-for-traffic';
import type { Protocol, ServicePortInfo } from '../types';
import { clusterKey, externalKey, nodePortKey } from './host-ports';

export type FrontendKind = 'cluster' | 'nodePort' | 'externalIP' | 'loadBalancer';

export interface FrontendSpec {
  kind: FrontendKind;
  /** The HostPorts key of its loopback listener. */
  hostKey: string;
  /** The address traffic is sent to: cluster/external/LB IP; '' for a NodePort (any of this node's addresses). */
  ip: string;
  /** The service port, or the node port. */
  port: number;
  protocol: Protocol;
  lbKey: string;
}

export const localKey = (key: string): string => `${key}#local`;

export function internalLbKey(info: ServicePortInfo): string {
  return info.internalPolicyLocal ? localKey(info.key) : info.key;
}

export function externalLbKey(info: ServicePortInfo): string {
  return externalPolicyLocal(info) ? localKey(info.key) : info.key;
}

export function frontendsOf(info: ServicePortInfo): FrontendSpec[] {
  const { protocol, port } = info;
  const out: FrontendSpec[] = [
    { kind: 'cluster', hostKey: clusterKey(protocol, info.clusterIP, port), ip: info.clusterIP, port, protocol, lbKey: internalLbKey(info) },
  ];
  const ext = externalLbKey(info);
  if (info.nodePort > 0) out.push({ kind: 'nodePort', hostKey: nodePortKey(protocol, info.nodePort), ip: '', port: info.nodePort, protocol, lbKey: ext });
  for (const ip of new Set(info.externalIPs)) out.push({ kind: 'externalIP', hostKey: externalKey(protocol, ip, port), ip, port, protocol, lbKey: ext });
  for (const ip of new Set(info.loadBalancerIPs)) {
    if (info.externalIPs.includes(ip)) continue;
    out.push({ kind: 'loadBalancer', hostKey: externalKey(protocol, ip, port), ip, port, protocol, lbKey: ext });
  }
  return out;
}

const validPort = (p: number, min: number): boolean => Number.isInteger(p) && p >= min && p <= 65535;

/** Why the service port cannot be programmed, or undefined when it can. */
export function invalidReason(info: ServicePortInfo): string | undefined {
  if (tryParseIPv4(info.clusterIP) === undefined) return `invalid cluster IP "${info.clusterIP}"`;
  if (!validPort(info.port, 1)) return `invalid port ${info.port}`;
  if (!validPort(info.nodePort, 0)) return `invalid node port ${info.nodePort}`;
  if (info.protocol !== 'TCP' && info.protocol !== 'UDP' && info.protocol !== 'SCTP') return `unknown protocol "${String(info.protocol)}"`;
  for (const ip of [...info.externalIPs, ...info.loadBalancerIPs]) if (tryParseIPv4(ip) === undefined) return `invalid IP "${ip}"`;
  return undefined;
}
