/**
 * What kube-proxy works from, and the contract every proxy mode (iptables, ipvs, userspace) implements.
 *
 * kube-proxy turns Services and EndpointSlices into a per-node state (`ProxyState`): one `ServicePortInfo` per port
 * of every Service that has a cluster IP (ExternalName and headless Services are not proxied, as upstream), keyed by
 * upstream's ServicePortName string (`ns/name:portName`, or `ns/name` when the port has no name — see
 * `servicePortKey`), and the endpoints of each such port from all its EndpointSlices (deduplicated by `ip:port`).
 * A `ProxyMode` programs that state: the iptables mode as the rule set real kube-proxy would write, the ipvs mode as
 * the virtual-server table, the userspace mode as real loopback listeners that forward TCP.
 *
 * ProxyMode contract:
 * - `sync(req)` makes the mode's state match `req.state`. `req.changed` lists the service port keys whose Service
 *   or endpoints changed since the previous sync (added, updated or removed); when it is absent the sync is a full
 *   resync and every key must be treated as changed. A partial sync must leave the mode in exactly the state a full
 *   sync of the same `state` would produce (tests compare the two). `sync` never throws for bad data in the state
 *   (skip that service port and count it in `SyncStats.skipped`); it may reject only when the mode is disposed.
 * - Endpoints used for traffic follow upstream's CategorizeEndpoints: ready endpoints; when a port has none ready,
 *   serving-and-terminating ones; with a Local traffic policy only endpoints on this node. Ports without usable
 *   endpoints reject traffic (iptables: a REJECT rule in KUBE-SERVICES' filter table, userspace: the connection is
 *   closed, ipvs: a virtual server without real servers).
 * - `backends(ip, port, protocol)` answers, after a sync, which endpoints (`ip:port`, sorted) traffic sent to that
 *   frontend (a cluster IP, or this node's IP / 127.0.0.1 for a NodePort) can reach; undefined when nothing is
 *   programmed for it, [] when it is programmed but rejects. All modes must agree on it (the shared conformance
 *   suite in test/conformance checks that).
 * - `render()` is the human view: `iptables-save` text (nat then filter table), `ipvsadm -Ln` text, or the
 *   userspace table of listeners. `ruleCount()` is the metric upstream exports for the mode (iptables: the number
 *   of rules in the nat table; ipvs: virtual servers + real servers; userspace: listeners).
 * - `dispose()` releases every resource (listeners, timers); afterwards `sync` rejects.
 */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export type ProxyModeName = 'iptables' | 'ipvs' | 'userspace';

/** One port of one Service as kube-proxy sees it (upstream BaseServicePortInfo). */
export interface ServicePortInfo {
  /** Upstream ServicePortName.String(): `ns/name:portName`, or `ns/name` when the port is unnamed. */
  key: string;
  namespace: string;
  name: string;
  /** The port's name ('' when unnamed). */
  portName: string;
  protocol: Protocol;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** The IPv4 cluster IP (KubeLab is IPv4 only). */
  clusterIP: string;
  port: number;
  /** 0 when the port has none. */
  nodePort: number;
  externalIPs: readonly string[];
  /** IPs from status.loadBalancer.ingress. */
  loadBalancerIPs: readonly string[];
  /** spec.loadBalancerSourceRanges (CIDRs); empty = any source. */
  loadBalancerSourceRanges: readonly string[];
  /** sessionAffinity ClientIP: its timeout (default 10800 s); undefined when affinity is None. */
  stickySeconds?: number;
  /** externalTrafficPolicy Local (NodePort/LoadBalancer/external IPs only use this node's endpoints). */
  externalPolicyLocal: boolean;
  /** internalTrafficPolicy Local (cluster IP traffic only uses this node's endpoints). */
  internalPolicyLocal: boolean;
  /** healthCheckNodePort, for externalTrafficPolicy Local LoadBalancers (0 when none). */
  healthCheckNodePort: number;
}

/** One endpoint of a service port, from an EndpointSlice. */
export interface EndpointInfo {
  ip: string;
  port: number;
  /** conditions.ready (nil counts as true, as upstream). */
  ready: boolean;
  /** conditions.serving (nil: same as ready). */
  serving: boolean;
  /** conditions.terminating (nil: false). */
  terminating: boolean;
  /** The node the endpoint's pod runs on, when the slice says. */
  nodeName?: string;
  zone?: string;
}

export interface ProxyState {
  services: ReadonlyMap<string, ServicePortInfo>;
  /** Endpoints per service port key; a key may be missing (no endpoints) or hold endpoints of a gone service. */
  endpoints: ReadonlyMap<string, readonly EndpointInfo[]>;
}

export interface SyncRequest {
  state: ProxyState;
  /** Service port keys changed since the last sync; absent: a full resync. */
  changed?: ReadonlySet<string>;
}

export interface SyncStats {
  /** Service ports programmed after this sync. */
  services: number;
  /** Service ports this sync touched (all of them on a full resync). */
  touched: number;
  /** Service ports skipped for bad data (with the reason logged by the caller from `problems`). */
  skipped: number;
  problems: readonly string[];
}

/** Where this proxy runs. */
export interface ProxyNode {
  nodeName: string;
  /** The node's InternalIP. */
  nodeIP: string;
  /** The cluster's pod CIDR (masquerade decisions), e.g. 10.244.0.0/16. */
  clusterCIDR: string;
}

export interface ProxyMode {
  readonly name: ProxyModeName;
  sync(req: SyncRequest): Promise<SyncStats>;
  backends(ip: string, port: number, protocol: Protocol): readonly string[] | undefined;
  render(): string;
  ruleCount(): number;
  dispose(): Promise<void>;
}

/** Upstream v1.DefaultClientIPServiceAffinitySeconds: the ClientIP affinity timeout when none is given (3 hours). */
export const DEFAULT_STICKY_SECONDS = 10800;

/** Upstream ServicePortName.String(). */
export function servicePortKey(namespace: string, name: string, portName: string): string {
  return portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`;
}
