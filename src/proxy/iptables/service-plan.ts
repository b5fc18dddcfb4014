/**
 * The decisions kube-proxy 1.32's iptables proxier makes for one service port (the per-service part of
 * syncProxyRules in pkg/proxy/iptables/proxier.go): which endpoints each policy chain uses, which chains exist,
 * whether traffic is rejected or dropped — plus what follows from them without writing rule text: the endpoint chain
 * names (hashed here, so a sync does the hashing), the number of nat rules, and where each frontend leads. The rule
 * text itself is written from a plan on demand (service-rules.ts), so a sync allocates little.
 */
import { categorizeEndpoints, externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type CategorizedEndpoints } from '../endpoints-for-traffic';
import type { EndpointInfo } from '../types';
import type { ServiceChains } from './chain-names';
import type { CheckedPort } from '../checked-port';
import { frontendKey } from '../frontend-index';

export interface IptablesContext {
  nodeName: string;
  nodeIP: string;
  /** Parsed node IP (for the load-balancer source-range check), undefined when not IPv4. */
  nodeIPNumber: number | undefined;
  /** The canonical cluster CIDR for the local-traffic detector, '' when none (then no `! -s` masquerade rules). */
  clusterCIDR: string;
  masqueradeAll: boolean;
  /** More than 1,000 endpoints in all: endpoint rules carry no comment (upstream largeClusterMode). */
  largeClusterMode: boolean;
}

export interface ServicePlan {
  key: string;
  port: CheckedPort;
  chains: ServiceChains;
  cat: CategorizedEndpoints;
  hasEndpoints: boolean;
  hasInternal: boolean;
  hasExternal: boolean;
  usesClusterPolicyChain: boolean;
  usesLocalPolicyChain: boolean;
  usesExternalChain: boolean;
  usesFW: boolean;
  allowFromNode: boolean;
  internalChain: string;
  externalPolicyChain: string;
  /** The cluster-IP masquerade rule is written (masqueradeAll, or a cluster CIDR to detect local traffic). */
  masqueradeInternal: boolean;
  endpointCount: number;
  natRuleCount: number;
  /** `PROTO ip:port` → the sorted `ip:port` endpoints traffic to it reaches ([] = rejected or dropped). */
  frontends: (readonly [string, readonly string[]])[];
}

export const addr = (ep: EndpointInfo): string => `${ep.ip}:${ep.port}`;

export function planService(
  port: CheckedPort,
  ctx: IptablesContext,
  chains: ServiceChains,
  sourceContains: (cidr: string, ip: number) => boolean,
): ServicePlan {
  const { svc } = port;
  const subject = { ...svc, externalIPs: port.externalIPs, loadBalancerIPs: port.loadBalancerIPs, externalPolicyLocal: port.externalLocal };
  const cat = categorizeEndpoints(port.endpoints, subject, ctx.nodeName);
  const hasEndpoints = cat.hasAnyEndpoints;
  const hasInternal = hasEndpoints && (!svc.internalPolicyLocal || cat.local.length > 0);
  const hasExternal = hasEndpoints && (!port.externalLocal || cat.local.length > 0);
  const usesFW = hasEndpoints && port.loadBalancerIPs.length > 0 && port.sourceRanges.length > 0;
  let allowFromNode = false;
  if (usesFW && ctx.nodeIPNumber !== undefined) allowFromNode = port.sourceRanges.some((c) => sourceContains(c, ctx.nodeIPNumber!));
  const plan: ServicePlan = {
    key: svc.key,
    port,
    chains,
    cat,
    hasEndpoints,
    hasInternal,
    hasExternal,
    usesClusterPolicyChain: cat.cluster.length > 0 && usesClusterEndpoints(subject),
    usesLocalPolicyChain: cat.local.length > 0 && usesLocalEndpoints(subject),
    usesExternalChain: hasEndpoints && externallyAccessible(subject),
    usesFW,
    allowFromNode,
    internalChain: svc.internalPolicyLocal ? chains.local : chains.cluster,
    externalPolicyChain: port.externalLocal ? chains.local : chains.cluster,
    masqueradeInternal: hasInternal && (ctx.masqueradeAll || ctx.clusterCIDR !== ''),
    endpointCount: port.endpoints.length,
    natRuleCount: 0,
    frontends: [],
  };
  for (const ep of cat.allReachable) chains.endpoint(addr(ep));
  plan.natRuleCount = countNatRules(plan, ctx);

  const list = (eps: readonly EndpointInfo[]): readonly string[] => eps.map(addr);
  const internal = hasInternal ? list(svc.internalPolicyLocal ? cat.local : cat.cluster) : [];
  const external = hasExternal ? list(port.externalLocal ? cat.local : cat.cluster) : [];
  plan.frontends.push([frontendKey(svc.protocol, svc.clusterIP, svc.port), internal]);
  for (const ip of port.externalIPs) plan.frontends.push([frontendKey(svc.protocol, ip, svc.port), external]);
  for (const ip of port.loadBalancerIPs) plan.frontends.push([frontendKey(svc.protocol, ip, svc.port), external]);
  if (svc.nodePort !== 0) {
    plan.frontends.push([frontendKey(svc.protocol, ctx.nodeIP, svc.nodePort), external]);
    // From the node itself (127.0.0.1) the EXT chain sends even Local-policy traffic to the Cluster chain.
    plan.frontends.push([frontendKey(svc.protocol, '127.0.0.1', svc.nodePort), hasEndpoints ? list(cat.cluster) : []]);
  }
  return plan;
}

/** The nat rules service-rules.ts writes for the plan (tests check the two agree). */
function countNatRules(p: ServicePlan, ctx: IptablesContext): number {
  const { port } = p;
  const affinity = port.svc.stickySeconds !== undefined ? 2 : 1;
  let n = p.hasInternal ? 1 : 0;
  if (p.hasEndpoints) n += port.externalIPs.length + port.loadBalancerIPs.length + (port.svc.nodePort !== 0 ? 2 : 0);
  if (p.masqueradeInternal) n++;
  if (p.usesExternalChain) n += (port.externalLocal ? (ctx.clusterCIDR ? 3 : 2) : 1) + (p.hasExternal ? 1 : 0);
  if (p.usesFW) n += port.sourceRanges.length + (p.allowFromNode ? port.loadBalancerIPs.length : 0) + 1;
  if (p.usesClusterPolicyChain) n += affinity * p.cat.cluster.length;
  if (p.usesLocalPolicyChain) n += affinity * p.cat.local.length;
  return n + 2 * p.cat.allReachable.length;
}
