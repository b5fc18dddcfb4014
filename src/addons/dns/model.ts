/**
 * The cluster DNS's view of API objects, reduced to what CoreDNS's kubernetes plugin keeps (object/service.go,
 * object/endpoint.go): pure converters from Service and discovery.k8s.io/v1 EndpointSlice objects, and the
 * "backend items" (CoreDNS's msg.Service) a lookup returns before they become resource records.
 *
 * - A Service is headless when `spec.clusterIP` is `None`; its cluster IPs are `spec.clusterIPs` (else
 *   `[spec.clusterIP]`); ports keep name, protocol (default TCP) and number.
 * - An EndpointSlice belongs to the Service named by its `kubernetes.io/service-name` label. An endpoint counts when
 *   `conditions.ready` is not false (unset means ready, as the API documents), or when its Service sets
 *   `publishNotReadyAddresses` (the endpointslice controller then already reports it ready). A slice without ports
 *   gets the sentinel port -1 (A records, no SRV). Only IP addresses are kept (FQDN slices are ignored).
 */
import { isIP } from 'node:net';

export interface DnsPort {
  name: string;
  protocol: string;
  port: number;
}

export interface DnsService {
  namespace: string;
  name: string;
  headless: boolean;
  externalName?: string;
  clusterIPs: string[];
  ports: DnsPort[];
  publishNotReadyAddresses: boolean;
}

export interface DnsEndpoint {
  ip: string;
  hostname?: string;
  ready: boolean;
}

export interface DnsSlice {
  namespace: string;
  name: string;
  /** The Service the slice belongs to ('' when unlabelled). */
  service: string;
  ports: DnsPort[];
  endpoints: DnsEndpoint[];
}

/** One answer candidate (CoreDNS msg.Service): an address or a name, a port (-1: none), and the name it is known as. */
export interface BackendItem {
  host: string;
  port: number;
  /** The owner name of this item's address record (SRV target / PTR data), without trailing dot. */
  target: string;
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

type Obj = Readonly<Record<string, unknown>>;
const rec = (x: unknown): Obj => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {});
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

export function metaOf(obj: unknown): { namespace: string; name: string; labels: Obj } {
  const m = rec(rec(obj).metadata);
  return { namespace: str(m.namespace), name: str(m.name), labels: rec(m.labels) };
}

function portsOf(list: unknown[]): DnsPort[] {
  return list.map((p) => {
    const o = rec(p);
    return { name: str(o.name), protocol: str(o.protocol) || 'TCP', port: typeof o.port === 'number' ? o.port : -1 };
  });
}

export function toDnsService(obj: unknown): DnsService {
  const { namespace, name } = metaOf(obj);
  const spec = rec(rec(obj).spec);
  const clusterIP = str(spec.clusterIP);
  const ips = arr(spec.clusterIPs).map(str).filter(Boolean);
  const svc: DnsService = {
    namespace,
    name,
    headless: clusterIP === 'None',
    clusterIPs: ips.length ? ips : clusterIP ? [clusterIP] : [],
    ports: portsOf(arr(spec.ports)),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
  };
  if (spec.type === 'ExternalName') svc.externalName = str(spec.externalName);
  return svc;
}

export function toDnsSlice(obj: unknown): DnsSlice {
  const { namespace, name, labels } = metaOf(obj);
  const o = rec(obj);
  const ports = portsOf(arr(o.ports));
  const endpoints: DnsEndpoint[] = [];
  for (const e of arr(o.endpoints)) {
    const ep = rec(e);
    const ready = rec(ep.conditions).ready !== false;
    const hostname = str(ep.hostname) || undefined;
    for (const a of arr(ep.addresses)) {
      const ip = str(a);
      if (isIP(ip)) endpoints.push(hostname ? { ip, hostname, ready } : { ip, ready });
    }
  }
  return { namespace, name, service: str(labels[SERVICE_NAME_LABEL]), ports: ports.length ? ports : [{ name: '', protocol: '', port: -1 }], endpoints };
}

/** msg.Service.HostType: 'A' / 'AAAA' for an address, 'CNAME' for a name. */
export function hostType(host: string): 'A' | 'AAAA' | 'CNAME' {
  const v = isIP(host);
  return v === 4 ? 'A' : v === 6 ? 'AAAA' : 'CNAME';
}
