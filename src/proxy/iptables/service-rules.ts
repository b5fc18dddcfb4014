/**
 * The iptables rules kube-proxy 1.32 writes for one service port, written from its plan (service-plan.ts) in the
 * form `iptables-save` prints them (see save-format.ts). Pure.
 *
 * Rules in the shared chains (nat KUBE-SERVICES / KUBE-NODEPORTS, filter KUBE-SERVICES / KUBE-EXTERNAL-SERVICES /
 * KUBE-NODEPORTS / KUBE-PROXY-FIREWALL) come back as text per chain; the port's own chains (KUBE-SVC/SVL/EXT/FW/SEP)
 * as name + rules, in the order upstream writes them. In large-cluster mode the endpoint rules and endpoint-choice
 * rules carry no comment, as upstream. The nfacct counter for localhost nodePorts is taken to exist (upstream
 * writes that rule only when nfacct works on the host).
 */
import { comment, probability } from './save-format';
import { addr, type IptablesContext, type ServicePlan } from './service-plan';
import type { EndpointInfo } from '../types';

export interface OwnChain {
  name: string;
  /** Rule lines, each ending in a newline. */
  rules: string;
}

export interface ServiceRules {
  natServices: string;
  natNodePorts: string;
  filterServices: string;
  filterExternal: string;
  filterNodePorts: string;
  filterFirewall: string;
  own: OwnChain[];
}

export const MARK_MASQ = 'KUBE-MARK-MASQ';
export const LOCALHOST_NODEPORT_COUNTER = 'localhost_nps_accepted_pkts';
const REJECT = 'REJECT --reject-with icmp-port-unreachable';

export function writeServiceRules(plan: ServicePlan, ctx: IptablesContext): ServiceRules {
  const { port, chains, cat, hasEndpoints, hasInternal, hasExternal, usesFW } = plan;
  const { svc, proto: P } = port;
  const key = svc.key;
  const r: ServiceRules = { natServices: '', natNodePorts: '', filterServices: '', filterExternal: '', filterNodePorts: '', filterFirewall: '', own: [] };
  const dst = (ip: string): string => `-d ${ip}/32 -p ${P}`;
  const dport = `-m ${P} --dport ${svc.port}`;
  // Filter-table verdicts: no endpoints at all → REJECT everywhere; no local endpoints for a Local policy → DROP.
  const filterComment = comment(hasEndpoints ? `${key} has no local endpoints` : `${key} has no endpoints`);
  const filterTarget = hasEndpoints ? 'DROP' : REJECT;
  const lbChain = usesFW ? chains.firewall : chains.external;

  if (hasInternal) r.natServices += `-A KUBE-SERVICES ${dst(svc.clusterIP)} ${comment(`${key} cluster IP`)} ${dport} -j ${plan.internalChain}\n`;
  else r.filterServices += `-A KUBE-SERVICES ${dst(svc.clusterIP)} ${filterComment} ${dport} -j ${filterTarget}\n`;
  for (const ip of port.externalIPs) {
    if (hasEndpoints) r.natServices += `-A KUBE-SERVICES ${dst(ip)} ${comment(`${key} external IP`)} ${dport} -j ${chains.external}\n`;
    if (!hasExternal) r.filterExternal += `-A KUBE-EXTERNAL-SERVICES ${dst(ip)} ${filterComment} ${dport} -j ${filterTarget}\n`;
  }
  for (const ip of port.loadBalancerIPs) {
    if (hasEndpoints) r.natServices += `-A KUBE-SERVICES ${dst(ip)} ${comment(`${key} loadbalancer IP`)} ${dport} -j ${lbChain}\n`;
    if (usesFW) {
      r.filterFirewall += `-A KUBE-PROXY-FIREWALL ${dst(ip)} ${comment(`${key} traffic not accepted by ${chains.firewall}`)} ${dport} -j DROP\n`;
    }
  }
  if (!hasExternal) {
    for (const ip of port.loadBalancerIPs) r.filterExternal += `-A KUBE-EXTERNAL-SERVICES ${dst(ip)} ${filterComment} ${dport} -j ${filterTarget}\n`;
  }
  if (svc.nodePort !== 0) {
    const np = `-m ${P} --dport ${svc.nodePort}`;
    if (hasEndpoints) {
      r.natNodePorts +=
        `-A KUBE-NODEPORTS -d 127.0.0.0/8 -p ${P} ${comment(key)} ${np} -m nfacct --nfacct-name  ${LOCALHOST_NODEPORT_COUNTER} -j ${chains.external}\n` +
        `-A KUBE-NODEPORTS -p ${P} ${comment(key)} ${np} -j ${chains.external}\n`;
    }
    if (!hasExternal) {
      r.filterExternal += `-A KUBE-EXTERNAL-SERVICES -p ${P} ${filterComment} -m addrtype --dst-type LOCAL ${np} -j ${filterTarget}\n`;
    }
  }
  if (port.healthCheckNodePort !== 0) {
    r.filterNodePorts += `-A KUBE-NODEPORTS -p tcp ${comment(`${key} health check node port`)} -m tcp --dport ${port.healthCheckNodePort} -j ACCEPT\n`;
  }

  // The port's own chains.
  // Lines are collected and joined once per chain, so the cached text is flat (render then only copies it).
  const own = new Map<string, string[]>();
  const add = (chain: string, rule: string): void => {
    const lines = own.get(chain);
    if (lines) lines.push(`-A ${chain} ${rule}\n`);
    else own.set(chain, [`-A ${chain} ${rule}\n`]);
  };
  if (plan.masqueradeInternal) {
    const notLocal = ctx.masqueradeAll ? '' : `! -s ${ctx.clusterCIDR} `;
    add(plan.internalChain, `${notLocal}${dst(svc.clusterIP)} ${comment(`${key} cluster IP`)} ${dport} -j ${MARK_MASQ}`);
  }
  if (plan.usesExternalChain) {
    const ext = chains.external;
    own.set(ext, []);
    if (!port.externalLocal) {
      add(ext, `${comment(`masquerade traffic for ${key} external destinations`)} -j ${MARK_MASQ}`);
    } else {
      if (ctx.clusterCIDR) add(ext, `-s ${ctx.clusterCIDR} ${comment(`pod traffic for ${key} external destinations`)} -j ${chains.cluster}`);
      add(ext, `${comment(`masquerade LOCAL traffic for ${key} external destinations`)} -m addrtype --src-type LOCAL -j ${MARK_MASQ}`);
      add(ext, `${comment(`route LOCAL traffic for ${key} external destinations`)} -m addrtype --src-type LOCAL -j ${chains.cluster}`);
    }
    if (hasExternal) add(ext, `-j ${plan.externalPolicyChain}`);
  }
  if (usesFW) {
    const fw = chains.firewall;
    const lbComment = comment(`${key} loadbalancer IP`);
    for (const cidr of port.sourceRanges) add(fw, `-s ${cidr} ${lbComment} -j ${chains.external}`);
    if (plan.allowFromNode) for (const ip of port.loadBalancerIPs) add(fw, `-s ${ip}/32 ${lbComment} -j ${chains.external}`);
    add(fw, comment(`other traffic to ${key} will be dropped by KUBE-PROXY-FIREWALL`));
  }
  const affinity = svc.stickySeconds !== undefined;
  const choiceComment = (ep: EndpointInfo): string => (ctx.largeClusterMode ? '' : `${comment(`${key} -> ${addr(ep)}`)} `);
  const dispatch = (chain: string, eps: readonly EndpointInfo[]): void => {
    if (!own.has(chain)) own.set(chain, []);
    if (affinity) {
      for (const ep of eps) {
        const sep = chains.endpoint(addr(ep));
        add(chain, `${choiceComment(ep)}-m recent --rcheck --seconds ${svc.stickySeconds} --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`);
      }
    }
    const n = eps.length;
    eps.forEach((ep, i) => {
      const stat = i < n - 1 ? `-m statistic --mode random --probability ${probability(n - i)} ` : '';
      add(chain, `${choiceComment(ep)}${stat}-j ${chains.endpoint(addr(ep))}`);
    });
  };
  if (plan.usesClusterPolicyChain) dispatch(chains.cluster, cat.cluster);
  if (plan.usesLocalPolicyChain) dispatch(chains.local, cat.local);
  const sepComment = ctx.largeClusterMode ? '' : `${comment(key)} `;
  for (const ep of cat.allReachable) {
    const sep = chains.endpoint(addr(ep));
    const recent = affinity ? `-m recent --set --name ${sep} --mask 255.255.255.255 --rsource ` : '';
    own.set(sep, [
      `-A ${sep} -s ${ep.ip}/32 ${sepComment}-j ${MARK_MASQ}\n`,
      `-A ${sep} -p ${P} ${sepComment}${recent}-m ${P} -j DNAT --to-destination ${addr(ep)}\n`,
    ]);
  }
  for (const [name, lines] of own) r.own.push({ name, rules: lines.join('') });
  return r;
}
