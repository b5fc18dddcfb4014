/**
 * Builds the ProxyMode a node's kube-proxy runs, by name (the ClusterConfig's `kubeProxy.mode`). The userspace mode
 * needs the machine's pod network (to reach pods) and its shared loopback port table (every simulated node is this
 * one host, so a NodePort is one listener shared by every node's kube-proxy).
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { PodNetwork } from '../addons/cni/pod-network';
import { IptablesMode } from './iptables';
import { IpvsMode } from './ipvs';
import { HostPorts, UserspaceMode } from './userspace';
import type { ProxyMode, ProxyModeName, ProxyNode } from './types';

export interface ProxyModeDeps {
  network: PodNetwork;
  hostPorts: HostPorts;
  clock: Clock;
  logger: Logger;
  ipvsScheduler?: string;
}

export function createProxyMode(name: ProxyModeName, node: ProxyNode, d: ProxyModeDeps): ProxyMode {
  switch (name) {
    case 'iptables':
      return new IptablesMode(node, { logger: d.logger });
    case 'ipvs':
      return new IpvsMode(node, { logger: d.logger, scheduler: d.ipvsScheduler });
    case 'userspace':
      return new UserspaceMode(node, { network: d.network, ports: d.hostPorts, logger: d.logger, clock: d.clock });
  }
}
