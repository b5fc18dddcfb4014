/**
 * The one builder of kube-proxy service ports for tests, conformance suites and benchmarks: a ClusterIP TCP port 80
 * with no node port, external addresses or Local policies, keyed by upstream's ServicePortName; `o` overrides any
 * field (its `key` follows the given namespace, name and port name).
 */
import { servicePortKey, type EndpointInfo, type ServicePortInfo } from '../../src/proxy/types';

export function servicePort(namespace: string, name: string, portName: string, o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    key: servicePortKey(namespace, name, portName),
    namespace,
    name,
    portName,
    protocol: 'TCP',
    type: 'ClusterIP',
    clusterIP: '10.96.0.10',
    port: 80,
    nodePort: 0,
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    externalPolicyLocal: false,
    internalPolicyLocal: false,
    healthCheckNodePort: 0,
    ...o,
  };
}

/** A ready endpoint (port 80 unless overridden). */
export function readyEndpoint(ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo {
  return { ip, port: 80, ready: true, serving: true, terminating: false, ...o };
}
