/**
 * Builders for kube-proxy state in tests, with upstream proxier_test.go's conventions: pod IPs in 10.0.0.0/8,
 * cluster IPs in 172.30.0.0/16, this node `test-node` at 192.168.0.2, external IPs in 192.168.99.0/24,
 * load-balancer IPs 1.2.3.4 / 5.6.7.8, source range 203.0.113.0/25.
 */
import type { EndpointInfo, ProxyNode, ProxyState, ServicePortInfo } from '../../../src/proxy/types';
import { readyEndpoint, servicePort } from '../../helpers/proxy-state';

export const NODE: ProxyNode = { nodeName: 'test-node', nodeIP: '192.168.0.2', clusterCIDR: '10.0.0.0/8' };

export function svc(ns: string, name: string, o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return servicePort(ns, name, o.portName ?? 'p80', { clusterIP: '172.30.0.41', ...o });
}

export function ep(ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo {
  return readyEndpoint(ip, o);
}

export class TestState implements ProxyState {
  readonly services = new Map<string, ServicePortInfo>();
  readonly endpoints = new Map<string, readonly EndpointInfo[]>();

  /** Adds or replaces a service port and its endpoints; returns its key. */
  set(s: ServicePortInfo, eps: readonly EndpointInfo[] = []): string {
    this.services.set(s.key, s);
    this.endpoints.set(s.key, eps);
    return s.key;
  }

  remove(key: string): void {
    this.services.delete(key);
    this.endpoints.delete(key);
  }
}

/** upstream TestOverallIPTablesRules' services and endpoints. */
export function overallState(): TestState {
  const st = new TestState();
  st.set(svc('ns1', 'svc1'), [ep('10.180.0.1')]);
  st.set(
    svc('ns2', 'svc2', {
      type: 'LoadBalancer',
      externalPolicyLocal: true,
      clusterIP: '172.30.0.42',
      nodePort: 3001,
      loadBalancerIPs: ['1.2.3.4'],
      externalIPs: ['192.168.99.22'],
      healthCheckNodePort: 30000,
    }),
    [ep('10.180.0.2')],
  );
  st.set(svc('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', nodePort: 3003 }), [ep('10.180.0.3')]);
  st.set(svc('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'] }), [
    ep('10.180.0.4'),
    ep('10.180.0.5', { nodeName: 'test-node' }),
  ]);
  st.set(
    svc('ns5', 'svc5', {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.45',
      nodePort: 3002,
      loadBalancerIPs: ['5.6.7.8'],
      healthCheckNodePort: 30000,
      loadBalancerSourceRanges: [' 203.0.113.0/25'],
      stickySeconds: 10800,
    }),
    [ep('10.180.0.3')],
  );
  st.set(svc('ns6', 'svc6', { clusterIP: '172.30.0.46' }), []);
  return st;
}

/** The lines of one table (`nat` or `filter`) of an iptables-save text, without the table/COMMIT/comment lines. */
export function tableLines(save: string, table: string): string[] {
  const start = save.indexOf(`*${table}\n`);
  const end = save.indexOf('COMMIT\n', start);
  return save.slice(start + table.length + 2, end).split('\n').filter(Boolean);
}

/** The rules of one chain of one table, in order. */
export function chainRules(save: string, table: string, chain: string): string[] {
  return tableLines(save, table).filter((l) => l.startsWith(`-A ${chain} `) || l === `-A ${chain}`);
}
