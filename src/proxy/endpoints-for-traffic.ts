/**
 * Which endpoints of a service port carry traffic on this node: upstream's CategorizeEndpoints
 * (pkg/proxy/topology.go) and the ServicePort predicates it rests on (pkg/proxy/serviceport.go). Pure.
 *
 * - "Usable" endpoints are the ready ones; when none is ready, the ones that are serving and terminating
 *   (independently for Cluster and Local).
 * - An endpoint is local when its nodeName is this node's name.
 * - A port uses Cluster endpoints when its internal traffic policy is Cluster or it is externally accessible at
 *   all (an ExternalTrafficPolicy Local port still needs them for short-circuiting pod traffic); it uses Local
 *   endpoints when internalTrafficPolicy is Local, or externalTrafficPolicy is Local and it is externally accessible.
 * - Topology-aware hints (zone/node hints, trafficDistribution) are ignored: every ready endpoint is eligible, as
 *   upstream behaves when not every endpoint carries a hint for this node's zone.
 *
 * The order of the input is kept (callers pass endpoints sorted by `ip:port`, as upstream's endpoints map is); the
 * merged `allReachable` list is sorted by `ip:port`.
 */
import type { EndpointInfo, ServicePortInfo } from './types';

/** The parts of a service port the traffic policies depend on. */
export type TrafficPolicySubject = Pick<
  ServicePortInfo,
  'internalPolicyLocal' | 'externalPolicyLocal' | 'nodePort' | 'externalIPs' | 'loadBalancerIPs'
>;

export interface CategorizedEndpoints {
  /** Usable endpoints for Cluster traffic policy ([] when the port never uses Cluster policy). */
  cluster: readonly EndpointInfo[];
  /** Usable endpoints on this node for Local traffic policy ([] when the port never uses Local policy). */
  local: readonly EndpointInfo[];
  /** Every endpoint reachable from this node under the port's policies (the union of the two). */
  allReachable: readonly EndpointInfo[];
  /** True when the port has usable endpoints anywhere in the cluster (even if none is reachable from here). */
  hasAnyEndpoints: boolean;
}

/** Upstream ExternallyAccessible: a nodePort, a load-balancer IP or an external IP. */
export function externallyAccessible(svc: TrafficPolicySubject): boolean {
  return svc.nodePort !== 0 || svc.loadBalancerIPs.length > 0 || svc.externalIPs.length > 0;
}

/** Upstream ExternalPolicyLocal as the proxiers see it: Local and externally accessible. */
export function externalPolicyLocal(svc: TrafficPolicySubject): boolean {
  return svc.externalPolicyLocal && externallyAccessible(svc);
}

export function usesClusterEndpoints(svc: TrafficPolicySubject): boolean {
  return !svc.internalPolicyLocal || externallyAccessible(svc);
}

export function usesLocalEndpoints(svc: TrafficPolicySubject): boolean {
  return svc.internalPolicyLocal || externalPolicyLocal(svc);
}

const servingTerminating = (ep: EndpointInfo): boolean => ep.serving && ep.terminating;

export function categorizeEndpoints(
  endpoints: readonly EndpointInfo[],
  svc: TrafficPolicySubject,
  nodeName: string,
): CategorizedEndpoints {
  const isLocal = (ep: EndpointInfo): boolean => ep.nodeName !== undefined && ep.nodeName === nodeName;
  let cluster: readonly EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  const useCluster = usesClusterEndpoints(svc);
  if (useCluster) {
    cluster = endpoints.filter((ep) => ep.ready);
    if (cluster.length === 0) cluster = endpoints.filter(servingTerminating);
    hasAnyEndpoints = cluster.length > 0;
  }
  if (!usesLocalEndpoints(svc)) return { cluster, local: [], allReachable: cluster, hasAnyEndpoints };

  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (isLocal(ep)) hasLocalReady = true;
    } else if (servingTerminating(ep)) {
      hasAnyEndpoints = true;
      if (isLocal(ep)) hasLocalServingTerminating = true;
    }
  }
  let local: readonly EndpointInfo[] = [];
  let useServingTerminating = false;
  if (hasLocalReady) local = endpoints.filter((ep) => isLocal(ep) && ep.ready);
  else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    local = endpoints.filter((ep) => isLocal(ep) && servingTerminating(ep));
  }
  if (!useCluster) return { cluster, local, allReachable: local, hasAnyEndpoints };
  // Without topology, cluster holds every ready endpoint, so it is a superset of ready local endpoints.
  if (!useServingTerminating) return { cluster, local, allReachable: cluster, hasAnyEndpoints };
  const merged = new Map<string, EndpointInfo>();
  for (const ep of cluster) merged.set(`${ep.ip}:${ep.port}`, ep);
  for (const ep of local) merged.set(`${ep.ip}:${ep.port}`, ep);
  const allReachable = [...merged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  return { cluster, local, allReachable, hasAnyEndpoints };
}

export interface TrafficEndpoints {
  /** Endpoints cluster-IP traffic goes to ([] when it is rejected or dropped). */
  internal: readonly EndpointInfo[];
  /** Endpoints traffic from outside the node goes to via nodePort, external IPs and LB IPs ([] when dropped). */
  external: readonly EndpointInfo[];
  /** Usable endpoints exist somewhere; when false, traffic is rejected rather than dropped. */
  hasAnyEndpoints: boolean;
}

/**
 * The endpoints internal (cluster IP) and external traffic use, as the iptables proxier programs them: the Local
 * policy chain when the matching traffic policy is Local (nothing when no endpoint is local), else the Cluster one.
 */
export function endpointsForTraffic(
  endpoints: readonly EndpointInfo[],
  svc: TrafficPolicySubject,
  nodeName: string,
): TrafficEndpoints {
  const c = categorizeEndpoints(endpoints, svc, nodeName);
  if (!c.hasAnyEndpoints) return { internal: [], external: [], hasAnyEndpoints: false };
  return {
    internal: svc.internalPolicyLocal ? c.local : c.cluster,
    external: externalPolicyLocal(svc) ? c.local : c.cluster,
    hasAnyEndpoints: true,
  };
}
