/**
 * ClusterIP and NodePort allocation for Services, done by the API server on create as upstream's service REST
 * does: a free address of the service CIDR (default 10.96.0.0/12; `.1` is the `kubernetes` Service) unless the
 * Service is headless (`None`) or ExternalName, a free node port (30000–32767) for every port of a NodePort or
 * LoadBalancer Service that has none, and 422 for an address or port already taken or outside the range. On update
 * allocated values the client left out are kept. Addresses in use are read from the watch cache; addresses handed
 * out but not yet stored are reserved in memory so concurrent creates never collide.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { isPlainObject, type StoredObject } from '../../api/object';
import { StatusError } from '../../api/status';
import { defaultServiceIPFamilies, normalizeServiceClusterIPs } from '../../api/defaults';
import type { ResourceCache } from '../watch/resource-cache';

export interface ServiceRanges {
  /** e.g. 10.96.0.0/12 */
  cidr: string;
  nodePortMin: number;
  nodePortMax: number;
}

export const DEFAULT_RANGES: ServiceRanges = { cidr: '10.96.0.0/12', nodePortMin: 30000, nodePortMax: 32767 };

interface Port {
  port?: number;
  nodePort?: number;
  protocol?: string;
  name?: string;
}

interface Spec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Port[];
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class ServiceAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly reservedIps = new Set<string>();
  private readonly reservedPorts = new Set<number>();

  constructor(
    private readonly services: () => ResourceCache | undefined,
    readonly ranges: ServiceRanges = DEFAULT_RANGES,
  ) {
    const [ip, bits] = ranges.cidr.split('/');
    const n = ipToInt(ip);
    const b = Number(bits);
    if (n === undefined || !Number.isInteger(b) || b < 8 || b > 30) throw new Error(`invalid service CIDR ${ranges.cidr}`);
    this.size = 2 ** (32 - b);
    this.base = n - (n % this.size);
  }

  /** The address at `offset` in the range (`kubernetes` Service: 1). */
  addressAt(offset: number): string {
    return intToIp(this.base + offset);
  }

  private used(): { ips: Set<string>; ports: Set<number> } {
    const ips = new Set(this.reservedIps);
    const ports = new Set(this.reservedPorts);
    for (const c of this.services()?.list() ?? []) {
      const s = c.obj.spec as Spec | undefined;
      for (const ip of s?.clusterIPs ?? (s?.clusterIP ? [s.clusterIP] : [])) ips.add(ip);
      for (const p of s?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    }
    return { ips, ports };
  }

  /** Fills clusterIP(s), ipFamilies and node ports of a new Service; returns a release function for the reservations. */
  allocate(svc: StoredObject, name: string, old?: Readonly<StoredObject>): () => void {
    const spec = (isPlainObject(svc.spec) ? svc.spec : (svc.spec = {})) as Spec;
    const oldSpec = old?.spec as Spec | undefined;
    if (oldSpec) keepAllocated(spec, oldSpec);
    normalizeServiceClusterIPs(svc as never, old as never);
    defaultServiceIPFamilies(svc as never);
    const { ips, ports } = this.used();
    const errs: FieldError[] = [];
    const taken: string[] = [];
    const takenPorts: number[] = [];
    if (spec.type !== 'ExternalName' && !oldSpec?.clusterIP) {
      if (!spec.clusterIP) {
        const ip = this.freeIp(ips);
        if (!ip) throw StatusError.internal(new Error('failed to allocate a serviceIP: range is full'));
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
        taken.push(ip);
      } else if (spec.clusterIP !== 'None') {
        const n = ipToInt(spec.clusterIP);
        if (n === undefined || n < this.base || n >= this.base + this.size) {
          errs.push(fieldErr.invalid('spec.clusterIPs', goIps(spec.clusterIPs), `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${this.ranges.cidr}`));
        } else if (ips.has(spec.clusterIP)) {
          errs.push(fieldErr.invalid('spec.clusterIPs', goIps(spec.clusterIPs), `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`));
        } else taken.push(spec.clusterIP);
      }
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      (spec.ports ?? []).forEach((p, i) => {
        if (!p) return; // validation reports the null port
        if (p.nodePort) {
          const was = oldSpec?.ports?.some((o) => o.nodePort === p.nodePort);
          if (was) return;
          if (p.nodePort < this.ranges.nodePortMin || p.nodePort > this.ranges.nodePortMax) {
            errs.push(fieldErr.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.ranges.nodePortMin}-${this.ranges.nodePortMax}`));
          } else if (ports.has(p.nodePort)) {
            errs.push(fieldErr.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
          } else {
            ports.add(p.nodePort);
            takenPorts.push(p.nodePort);
          }
          return;
        }
        const free = this.freePort(ports);
        if (!free) throw StatusError.internal(new Error('failed to allocate a nodePort: range is full'));
        p.nodePort = free;
        ports.add(free);
        takenPorts.push(free);
      });
    }
    if (errs.length) throw StatusError.invalid('', 'Service', name, errs);
    for (const ip of taken) this.reservedIps.add(ip);
    for (const p of takenPorts) this.reservedPorts.add(p);
    return () => {
      for (const ip of taken) this.reservedIps.delete(ip);
      for (const p of takenPorts) this.reservedPorts.delete(p);
    };
  }

  private freeIp(used: Set<string>): string | undefined {
    // Upstream allocates at random from the upper part of the range, keeping the lower part for static addresses.
    const lowReserved = Math.min(Math.max(16, Math.floor(this.size / 16)), 256);
    const span = this.size - 1 - lowReserved;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const ip = intToIp(this.base + lowReserved + ((start + i) % span));
      if (!used.has(ip)) return ip;
    }
    for (let i = 2; i <= lowReserved; i++) if (!used.has(intToIp(this.base + i))) return intToIp(this.base + i);
    return undefined;
  }

  private freePort(used: Set<number>): number | undefined {
    const span = this.ranges.nodePortMax - this.ranges.nodePortMin + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const p = this.ranges.nodePortMin + ((start + i) % span);
      if (!used.has(p)) return p;
    }
    return undefined;
  }
}

/** On update, allocated values the client did not send are kept (upstream's patchAllocatedValues). */
function keepAllocated(spec: Spec, old: Spec): void {
  if (!spec.clusterIP && !spec.clusterIPs?.length && old.clusterIP && spec.type !== 'ExternalName') {
    spec.clusterIP = old.clusterIP;
    if (old.clusterIPs) spec.clusterIPs = [...old.clusterIPs];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    for (const p of spec.ports ?? []) {
      if (!p || p.nodePort) continue;
      const o = old.ports?.find((x) => x.port === p.port && (x.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (o?.nodePort) p.nodePort = o.nodePort;
    }
  }
}

function goIps(ips: string[] | undefined): { goString: string } {
  return { goString: `[]string{${(ips ?? []).map((x) => JSON.stringify(x)).join(', ')}}` };
}
