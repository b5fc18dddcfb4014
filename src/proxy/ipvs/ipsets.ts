/**
 * The ipsets kube-proxy's ipvs mode keeps (pkg/proxy/ipvs/ipset.go, IPv4 names), their entry formats
 * (pkg/proxy/ipvs/ipset: `ip,proto:port`, `ip,proto:port,ip`, `ip,proto:port,net`, a bare port, a bare ip) and their
 * rendering as `ipset save` prints them: `create` lines with the options kube-proxy creates the set with (hash sets:
 * family inet hashsize 1024 maxelem 65536; bitmap:port: range 0-65535), then one `add` line per member. Sets come in
 * the order kube-proxy creates them; members are sorted (ipset save prints hash sets in hash order, bitmaps
 * ascending). Kernel-chosen options newer ipset versions add (bucketsize, initval) are not shown.
 */

export type IpsetType = 'hash:ip,port,ip' | 'hash:ip,port' | 'hash:ip,port,net' | 'bitmap:port' | 'hash:ip';

export const IPSETS = {
  loopBack: { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip' },
  clusterIP: { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port' },
  externalIP: { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port' },
  externalIPLocal: { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port' },
  loadBalancer: { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port' },
  loadBalancerFW: { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port' },
  loadBalancerLocal: { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port' },
  loadBalancerSourceIP: { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip' },
  loadBalancerSourceCIDR: { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net' },
  nodePortTCP: { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port' },
  nodePortLocalTCP: { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port' },
  nodePortUDP: { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port' },
  nodePortLocalUDP: { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port' },
  nodePortSCTP: { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port' },
  nodePortLocalSCTP: { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port' },
  healthCheckNodePort: { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port' },
  ipvsIPs: { name: 'KUBE-IPVS-IPS', type: 'hash:ip' },
} as const satisfies Record<string, { name: string; type: IpsetType }>;

export type IpsetId = keyof typeof IPSETS;

/** One member of one set. */
export type IpsetEntry = readonly [IpsetId, string];

export const ipPortEntry = (ip: string, proto: string, port: number): string => `${ip},${proto}:${port}`;

function createLine(name: string, type: IpsetType): string {
  return type === 'bitmap:port'
    ? `create ${name} ${type} range 0-65535`
    : `create ${name} ${type} family inet hashsize 1024 maxelem 65536`;
}

/** `ipset save` text for the union of the given entries (every set is listed, empty ones too). */
export function renderIpsetSave(entries: Iterable<IpsetEntry>): string {
  const members = new Map<IpsetId, Set<string>>();
  for (const [id, value] of entries) {
    let set = members.get(id);
    if (!set) members.set(id, (set = new Set()));
    set.add(value);
  }
  let out = '';
  for (const id of Object.keys(IPSETS) as IpsetId[]) {
    const { name, type } = IPSETS[id];
    out += `${createLine(name, type)}\n`;
    const values = [...(members.get(id) ?? [])];
    if (type === 'bitmap:port') values.sort((a, b) => Number(a) - Number(b));
    else values.sort();
    for (const v of values) out += `add ${name} ${v}\n`;
  }
  return out;
}
