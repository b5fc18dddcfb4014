/**
 * The cluster's addresses: IPv4 CIDR parsing (network address required, as `ip/prefix`), overlap tests, each node's
 * internal IP (kind-style: 172.18.0.2 for the control plane, then .3, .4 … running on through 172.18.0.0/16) and its
 * /24 of the pod CIDR (node-ipam's default mask size), the service-CIDR size limit kube-apiserver enforces, and etcd
 * endpoint URL checks. Pure functions; problems are returned as message strings without the field path.
 */
import { cidrOverlaps, formatCidr, formatIPv4, prefixMask, tryParseIPv4, type Ipv4Cidr } from '../../addons/cni/cidr';
import { DEFAULT_POD_CIDR, NODE_CIDR_MASK_SIZE, NODE_NETWORK } from './types';

/** An IPv4 network (the CIDR arithmetic is the CNI add-on's: src/addons/cni/cidr.ts). */
export type Cidr = Ipv4Cidr;
export { formatCidr, formatIPv4, tryParseIPv4 as parseIPv4 };

const maskOf = prefixMask;

/** `10.244.0.0/16` → Cidr, or a problem message. Host bits must be zero (the message suggests the network). */
export function parseCidr(s: string): Cidr | string {
  const slash = s.indexOf('/');
  if (slash < 0) return `invalid CIDR ${JSON.stringify(s)}: expected an IPv4 network such as 10.244.0.0/16`;
  const ip = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  if (ip.includes(':')) return `invalid CIDR ${JSON.stringify(s)}: only IPv4 is supported`;
  const addr = tryParseIPv4(ip);
  if (addr === undefined || !/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    return `invalid CIDR ${JSON.stringify(s)}: expected an IPv4 network such as 10.244.0.0/16`;
  }
  const prefix = Number(prefixText);
  const base = (addr & maskOf(prefix)) >>> 0;
  if (base !== addr) return `${JSON.stringify(s)} is not a network address (host bits are set); did you mean "${formatIPv4(base)}/${prefix}"?`;
  return { base, prefix };
}

export const cidrsOverlap = cidrOverlaps;

/** How many nodes a pod CIDR can serve, one /24 each. */
export function nodeCapacityOf(pod: Cidr): number {
  return pod.prefix > NODE_CIDR_MASK_SIZE ? 0 : 2 ** (NODE_CIDR_MASK_SIZE - pod.prefix);
}

/** The index-th /24 of the pod CIDR (index 0 = the first; the caller has checked it fits). */
export function nodePodCidr(pod: Cidr, index: number): string {
  return formatCidr({ base: (pod.base + index * 2 ** (32 - NODE_CIDR_MASK_SIZE)) >>> 0, prefix: NODE_CIDR_MASK_SIZE });
}

const NODE_NET = parseCidr(NODE_NETWORK) as Cidr;
/** Addresses .2 … .(2^16 − 2) of the node network: .0 is the network, .1 the gateway, the last the broadcast. */
export const MAX_NODE_ADDRESSES = 2 ** (32 - NODE_NET.prefix) - 3;

/** The internal IP of the node at position `index` (0 = control plane → 172.18.0.2). */
export function nodeInternalIP(index: number): string {
  return formatIPv4((NODE_NET.base + 2 + index) >>> 0);
}

export function nodeNetwork(): Cidr {
  return NODE_NET;
}

/** The smallest prefix length that holds `nodes` /24 blocks. */
export function prefixForNodes(nodes: number): number {
  return NODE_CIDR_MASK_SIZE - Math.ceil(Math.log2(Math.max(1, nodes)));
}

/** The default pod CIDR for `nodes` nodes: 10.244.0.0/16, or the smallest aligned block around it with a /24 for
 * each node (so the first 256 nodes keep 10.244.i.0/24 up to a /14). */
export function defaultPodCidrFor(nodes: number): Cidr {
  const def = parseCidr(DEFAULT_POD_CIDR) as Cidr;
  const prefix = Math.min(def.prefix, prefixForNodes(nodes));
  return { base: (def.base & maskOf(prefix)) >>> 0, prefix };
}

/** kube-apiserver's limit: at most 20 host bits (`for 32-bit addresses, the mask must be >= 12`), and room for the
 * `kubernetes` Service's .1 plus at least one more address. */
export function serviceCidrProblem(c: Cidr): string | undefined {
  if (32 - c.prefix > 20) return `${formatCidr(c)} is too large; for 32-bit addresses, the mask must be >= 12`;
  if (c.prefix > 29) return `${formatCidr(c)} is too small; use a /29 or larger`;
  return undefined;
}

/** An etcd client URL: http(s)://host[:port], nothing else. Returns a problem message or undefined. */
export function etcdEndpointProblem(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `invalid URL ${JSON.stringify(s)}: expected https://host:port (e.g. https://127.0.0.1:2379)`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `invalid URL ${JSON.stringify(s)}: the scheme must be https or http, not ${u.protocol.slice(0, -1)}`;
  if (!u.hostname) return `invalid URL ${JSON.stringify(s)}: a host is required`;
  if (u.username || u.password) return `invalid URL ${JSON.stringify(s)}: credentials do not belong in the URL`;
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash) return `invalid URL ${JSON.stringify(s)}: an etcd endpoint has no path, query or fragment`;
  return undefined;
}

/** Whole-cluster address checks: the pod CIDR has a /24 for every node, and the pod, service and node networks
 * are disjoint. Returns [field, message] pairs. */
export function addressingProblems(nodeCount: number, pod: Cidr | undefined, svc: Cidr | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (pod) {
    const room = nodeCapacityOf(pod);
    if (room < nodeCount) {
      out.push([
        'podCIDR',
        `${formatCidr(pod)} has room for ${room} node${room === 1 ? '' : 's'} (a /${NODE_CIDR_MASK_SIZE} each), not ${nodeCount}; use a /${prefixForNodes(nodeCount)} or larger`,
      ]);
    }
    if (cidrsOverlap(pod, NODE_NET)) out.push(['podCIDR', `${formatCidr(pod)} overlaps the node network ${NODE_NETWORK}`]);
  }
  if (svc) {
    if (pod && cidrsOverlap(pod, svc)) out.push(['serviceCIDR', `${formatCidr(svc)} overlaps podCIDR ${formatCidr(pod)}`]);
    if (cidrsOverlap(svc, NODE_NET)) out.push(['serviceCIDR', `${formatCidr(svc)} overlaps the node network ${NODE_NETWORK}`]);
  }
  return out;
}
