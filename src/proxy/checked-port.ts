/**
 * Validation of one service port and its endpoints before a proxy mode programs them (shared by the iptables and
 * ipvs modes). Pure.
 *
 * `checkPort` returns the port in the form the modes work from, or a problem text when the port must be skipped
 * (the ProxyMode contract: bad data never makes `sync` throw; the port is skipped and counted). What upstream's
 * change trackers would drop silently is dropped here too, each with a problem text: endpoints whose address is not
 * an IPv4 address or whose port is out of range, external/load-balancer IPs that are not IPv4 addresses, source
 * ranges that are not IPv4 CIDRs (surrounding whitespace is trimmed first, as upstream does). Endpoints are
 * deduplicated by `ip:port` and sorted by that string, as upstream's endpoints map is.
 */
import { formatCidr, tryParseCidr } from '../addons/cni/cidr';
import { externalPolicyLocal } from './endpoints-for-traffic';
import type { EndpointInfo, Protocol, ServicePortInfo } from './types';

export type ProtocolLower = 'tcp' | 'udp' | 'sctp';

export interface CheckedPort {
  svc: ServicePortInfo;
  /** Lower-case protocol, as iptables and ipset write it (and as upstream hashes chain names). */
  proto: ProtocolLower;
  externalIPs: readonly string[];
  loadBalancerIPs: readonly string[];
  /** Canonical CIDRs (host bits cleared). */
  sourceRanges: readonly string[];
  /** ExternalTrafficPolicy Local, effective only for an externally accessible port. */
  externalLocal: boolean;
  /** The health check node port when upstream serves one (LoadBalancer, externalTrafficPolicy Local), else 0. */
  healthCheckNodePort: number;
  /** Valid endpoints, deduplicated, sorted by `ip:port`. */
  endpoints: readonly EndpointInfo[];
}

export type CheckResult = { ok: true; port: CheckedPort; problems: string[] } | { ok: false; problem: string };

const PROTOCOLS: Record<Protocol, ProtocolLower> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

const isPort = (n: unknown, min = 1): boolean => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= 65535;

export function checkPort(svc: ServicePortInfo, rawEndpoints: readonly EndpointInfo[] | undefined): CheckResult {
  const key = svc.key;
  const proto = PROTOCOLS[svc.protocol];
  if (!proto) return { ok: false, problem: `${key}: skipped: unsupported protocol ${JSON.stringify(svc.protocol)}` };
  if (!isIPv4(svc.clusterIP)) {
    return { ok: false, problem: `${key}: skipped: cluster IP ${JSON.stringify(svc.clusterIP)} is not an IPv4 address` };
  }
  if (!isPort(svc.port)) return { ok: false, problem: `${key}: skipped: invalid port ${svc.port}` };
  if (!isPort(svc.nodePort, 0)) return { ok: false, problem: `${key}: skipped: invalid nodePort ${svc.nodePort}` };
  if (!isPort(svc.healthCheckNodePort, 0)) {
    return { ok: false, problem: `${key}: skipped: invalid healthCheckNodePort ${svc.healthCheckNodePort}` };
  }
  if (svc.stickySeconds !== undefined && !(Number.isInteger(svc.stickySeconds) && svc.stickySeconds > 0)) {
    return { ok: false, problem: `${key}: skipped: invalid session affinity timeout ${svc.stickySeconds}` };
  }
  const problems: string[] = [];
  const ips = (list: readonly string[], what: string): string[] =>
    list.filter((ip) => {
      const ok = isIPv4(ip);
      if (!ok) problems.push(`${key}: ignored ${what} ${JSON.stringify(ip)}: not an IPv4 address`);
      return ok;
    });
  const externalIPs = ips(svc.externalIPs, 'external IP');
  const loadBalancerIPs = ips(svc.loadBalancerIPs, 'load-balancer IP');
  const sourceRanges: string[] = [];
  for (const raw of svc.loadBalancerSourceRanges) {
    const c = tryParseCidr(raw.trim());
    if (c) sourceRanges.push(formatCidr(c));
    else problems.push(`${key}: ignored load-balancer source range ${JSON.stringify(raw)}: not an IPv4 CIDR`);
  }
  const endpoints = checkEndpoints(key, rawEndpoints ?? [], problems);
  const subject = { ...svc, externalIPs, loadBalancerIPs };
  const externalLocal = externalPolicyLocal(subject);
  const healthCheckNodePort = svc.type === 'LoadBalancer' && externalLocal ? svc.healthCheckNodePort : 0;
  return {
    ok: true,
    port: { svc, proto, externalIPs, loadBalancerIPs, sourceRanges, externalLocal, healthCheckNodePort, endpoints },
    problems,
  };
}

function checkEndpoints(key: string, raw: readonly EndpointInfo[], problems: string[]): EndpointInfo[] {
  const byAddr = new Map<string, EndpointInfo>();
  let sorted = true;
  let last = '';
  for (const ep of raw) {
    if (!isIPv4(ep.ip) || !isPort(ep.port)) {
      problems.push(`${key}: ignored endpoint ${JSON.stringify(`${ep.ip}:${ep.port}`)}: not an IPv4 address and port`);
      continue;
    }
    const addr = `${ep.ip}:${ep.port}`;
    if (byAddr.has(addr)) continue;
    if (addr < last) sorted = false;
    last = addr;
    byAddr.set(addr, ep);
  }
  const out = [...byAddr.values()];
  if (!sorted) out.sort((a, b) => cmp(`${a.ip}:${a.port}`, `${b.ip}:${b.port}`));
  return out;
}

/**
 * A strict dotted-quad IPv4 address (as cidr.ts's tryParseIPv4: decimal octets 0–255, no leading zeros), checked
 * without allocating — it runs for every endpoint of every synced port.
 */
export function isIPv4(text: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  let first = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || (digits > 1 && first === 48) || value > 255) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      if (++digits > 3) return false;
      value = value * 10 + (c - 48);
    } else return false;
  }
  return parts === 4;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
