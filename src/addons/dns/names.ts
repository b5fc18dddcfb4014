/**
 * Query-name parsing for the cluster DNS, as CoreDNS's kubernetes plugin (parse.go, reverse lookups) reads names.
 * Pure.
 *
 * - `normalizeName`: drops one trailing dot; matching is case-insensitive (callers compare the lower-cased form).
 * - `zoneOf`: which of our zones holds a name (the cluster domain, `in-addr.arpa`, `ip6.arpa`), or undefined.
 * - `parseRequest`: the labels left of the zone, read from the right: `svc|pod`, namespace, service (or pod),
 *   then either one endpoint label or `_port._proto`; more labels are an invalid (NXDOMAIN) request. The apex,
 *   `svc.<zone>` and `pod.<zone>` parse to an empty request (NODATA).
 * - `reverseToIPv4`: `4.3.2.1.in-addr.arpa` → `1.2.3.4` (undefined when it is not a whole IPv4 reverse name).
 * - `endpointHostname`: an endpoint's hostname, or its IP with dots (colons) turned into dashes.
 */
import { isIPv4 } from 'node:net';

export const REVERSE_ZONES = ['in-addr.arpa', 'ip6.arpa'] as const;

export interface RecordRequest {
  /** `svc`, `pod`, or '' for the apex / `svc.<zone>` / `pod.<zone>`. */
  podOrSvc: '' | 'svc' | 'pod';
  namespace: string;
  /** The service name (or the pod label of a pod name). */
  service: string;
  endpoint: string;
  /** The `_port` label without its underscore ('' when absent). */
  port: string;
  /** The `_proto` label without its underscore ('' when absent). */
  protocol: string;
}

/** The name without its trailing dot ('' for the root). */
export function normalizeName(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether `name` is `zone` or below it (both normalized, compared case-insensitively). */
export function isInZone(name: string, zone: string): boolean {
  const n = name.toLowerCase();
  const z = zone.toLowerCase();
  return n === z || n.endsWith(`.${z}`);
}

/** The zone (as configured) holding `name`, or undefined when the name is outside every zone. */
export function zoneOf(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) if (isInZone(name, z) && (!best || z.length > best.length)) best = z;
  return best;
}

/** The labels of `name` left of `zone` ('' when name is the zone itself). */
export function trimZone(name: string, zone: string): string {
  return name.length === zone.length ? '' : name.slice(0, name.length - zone.length - 1);
}

const stripUnderscore = (s: string): string => (s.startsWith('_') ? s.slice(1) : s);

/** parseRequest; `name` and `zone` lower-cased and normalized. Returns undefined for an invalid request. */
export function parseRequest(name: string, zone: string): RecordRequest | undefined {
  const r: RecordRequest = { podOrSvc: '', namespace: '', service: '', endpoint: '', port: '', protocol: '' };
  const base = trimZone(name, zone);
  if (base === '' || base === 'svc' || base === 'pod') return r;
  const segs = base.split('.');
  let last = segs.length - 1;
  const kind = segs[last];
  if (kind !== 'svc' && kind !== 'pod') return undefined;
  r.podOrSvc = kind;
  if (--last < 0) return r;
  r.namespace = segs[last]!;
  if (--last < 0) return r;
  r.service = segs[last]!;
  if (--last < 0) return r;
  if (last === 0) {
    r.endpoint = segs[0]!;
  } else if (last === 1) {
    r.protocol = stripUnderscore(segs[1]!);
    r.port = stripUnderscore(segs[0]!);
  } else {
    return undefined;
  }
  return r;
}

/** The IPv4 address a reverse name stands for, or undefined. */
export function reverseToIPv4(name: string): string | undefined {
  const n = name.toLowerCase();
  const suffix = '.in-addr.arpa';
  if (!n.endsWith(suffix)) return undefined;
  const labels = n.slice(0, -suffix.length).split('.');
  if (labels.length !== 4) return undefined;
  const ip = labels.reverse().join('.');
  return isIPv4(ip) ? ip : undefined;
}

/** `<d>.<c>.<b>.<a>.in-addr.arpa` for `a.b.c.d`. */
export function ipv4ToReverse(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** endpointHostname: the endpoint's hostname, else its address with `.` / `:` replaced by `-`. */
export function endpointHostname(ip: string, hostname: string | undefined): string {
  if (hostname) return hostname;
  if (ip.includes('.')) return ip.replace(/\./g, '-');
  if (ip.includes(':')) return ip.replace(/:/g, '-');
  return '';
}

/** The address a pod label (`1-2-3-4`, or an IPv6 address with `-` for `:`) stands for, as CoreDNS reads it. */
export function podLabelToIP(label: string): string {
  const dashes = label.split('-').length - 1;
  return dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':');
}
