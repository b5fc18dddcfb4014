/**
 * From a query (name, type) to a response (rcode, answer, authority, additional records), as CoreDNS's kubernetes
 * plugin handler and plugin/backend_lookup.go build it over a Backend (the record model). Pure.
 *
 * - Names in the cluster zone: A/AAAA (with ExternalName CNAME chains resolved inside the zone, at most 8 deep),
 *   SRV (priority 0, weight ⌊100/n⌋ ≥ 1, targets' addresses in the additional section), CNAME, TXT
 *   (`dns-version.<zone>` → the schema version; every other TXT query is NODATA, as CoreDNS), SOA (the zone's SOA for
 *   any name), NS (at the apex; NODATA elsewhere), everything else a "fake A lookup" that tells NXDOMAIN from NODATA.
 *   NXDOMAIN and NODATA carry the zone's SOA in the authority section; while the model has not synced, NXDOMAIN
 *   becomes SERVFAIL (CoreDNS's "not synced" rule).
 * - Reverse zones: PTR for Service cluster IPs and endpoint addresses.
 * - Anything CoreDNS would forward to /etc/resolv.conf (names outside the zones; unknown reverse names, which
 *   kubeadm's Corefile lets fall through) is answered REFUSED at once, not authoritative: KubeLab has no upstream.
 */
import type { Answer } from 'dns-packet';
import { hostType, type BackendItem } from './model';
import { isInZone, normalizeName, reverseToIPv4, trimZone, zoneOf } from './names';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export interface DnsAnswer {
  rcode: Rcode;
  authoritative: boolean;
  answers: Answer[];
  authority: Answer[];
  additionals: Answer[];
}

export interface Lookup {
  items: BackendItem[];
  /** CoreDNS's IsNameError: the name does not exist (NXDOMAIN). */
  nameError: boolean;
}

/** What the handler needs from the record model. Names passed in are lower-cased and have no trailing dot. */
export interface Backend {
  readonly clusterZone: string;
  readonly zones: readonly string[];
  readonly ttl: number;
  synced(): boolean;
  serial(): number;
  /** Kubernetes.Services: the items for `name` under `qtype` (SRV leaves CNAME items out). */
  services(name: string, zone: string, qtype: string): Lookup;
  /** serviceRecordForIP: items whose host is the PTR target name. */
  reverse(ip: string): BackendItem[];
}

/** The schema version CoreDNS 1.11 serves at `dns-version.<zone>` (TXT, TTL 28800). */
export const DNS_SCHEMA_VERSION = '1.1.0';
const MAX_CNAME_CHAIN = 7;

export const refused = (): DnsAnswer => ({ rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additionals: [] });

export function soaRecord(b: Backend, zone: string): Answer {
  return {
    type: 'SOA',
    name: zone,
    ttl: Math.min(300, b.ttl),
    class: 'IN',
    data: { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: b.serial() >>> 0, refresh: 7200, retry: 1800, expire: 86400, minimum: b.ttl },
  };
}

const record = (type: 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR', name: string, ttl: number, data: string): Answer => ({ type, name, ttl, class: 'IN', data });

/** Answers one question. */
export function answerQuestion(b: Backend, qname: string, qtype: string): DnsAnswer {
  const name = normalizeName(qname);
  const lower = name.toLowerCase();
  const zoneCfg = zoneOf(lower, b.zones);
  if (zoneCfg === undefined) return refused();
  if (zoneCfg !== b.clusterZone) return answerReverse(b, name, lower, qtype);
  // The zone as the query spells it (CoreDNS keeps the query's case for the zone part of names it builds).
  const zone = name.slice(name.length - zoneCfg.length);
  let records: Answer[] = [];
  let extra: Answer[] = [];
  let nameError = false;
  switch (qtype) {
    case 'A':
    case 'AAAA':
      ({ records, nameError } = addresses(b, name, zone, qtype, []));
      break;
    case 'TXT':
      if (trimZone(lower, zoneCfg) === 'dns-version') records = [{ type: 'TXT', name, ttl: 28800, class: 'IN', data: DNS_SCHEMA_VERSION }];
      break;
    case 'CNAME': {
      const l = b.services(lower, zone, qtype);
      nameError = l.nameError;
      const first = l.items[0];
      if (first && hostType(first.host) === 'CNAME') records = [record('CNAME', name, b.ttl, normalizeName(first.host))];
      break;
    }
    case 'SRV':
      ({ records, extra, nameError } = srv(b, name, zone));
      break;
    case 'SOA':
      records = [soaRecord(b, zone)];
      break;
    case 'NS':
      if (lower === zoneCfg) {
        ({ records, extra } = ns(b, name, zone));
        break;
      }
      nameError = b.services(lower, zone, qtype).nameError;
      break;
    default:
      // MX, PTR inside the zone and every other type: a lookup that only tells NXDOMAIN from NODATA.
      nameError = b.services(lower, zone, qtype).nameError;
  }
  if (nameError) return { rcode: b.synced() ? 'NXDOMAIN' : 'SERVFAIL', authoritative: true, answers: [], authority: [soaRecord(b, zone)], additionals: [] };
  if (records.length === 0) return { rcode: 'NOERROR', authoritative: true, answers: [], authority: [soaRecord(b, zone)], additionals: [] };
  return { rcode: 'NOERROR', authoritative: true, answers: records, authority: [], additionals: extra };
}

function answerReverse(b: Backend, name: string, lower: string, qtype: string): DnsAnswer {
  const ip = qtype === 'PTR' ? reverseToIPv4(lower) : undefined;
  if (ip === undefined) return refused();
  const seen = new Set<string>();
  const answers: Answer[] = [];
  for (const item of b.reverse(ip)) {
    if (seen.has(item.host)) continue;
    seen.add(item.host);
    answers.push(record('PTR', name, b.ttl, item.host));
  }
  // Not found: kubeadm's Corefile has `fallthrough in-addr.arpa ip6.arpa`, i.e. CoreDNS would forward the query.
  return answers.length ? { rcode: 'NOERROR', authoritative: true, answers, authority: [], additionals: [] } : refused();
}

/** plugin.A / plugin.AAAA, with CNAMEs of ExternalName Services followed inside the zone. */
function addresses(b: Backend, name: string, zone: string, qtype: 'A' | 'AAAA', previous: Answer[]): { records: Answer[]; nameError: boolean } {
  const lower = name.toLowerCase();
  const l = b.services(lower, zone, qtype);
  if (l.nameError) return { records: [], nameError: true };
  const records: Answer[] = [];
  const seen = new Set<string>();
  for (const item of l.items) {
    const t = hostType(item.host);
    if (t === 'CNAME') {
      const target = normalizeName(item.host);
      if (target.toLowerCase() === lower || previous.length > MAX_CNAME_CHAIN) continue;
      const cname = record('CNAME', name, b.ttl, target);
      if (previous.some((p) => p.type === 'CNAME' && p.name.toLowerCase() === lower && String(p.data).toLowerCase() === target.toLowerCase())) continue;
      if (isInZone(target, b.clusterZone)) {
        const next = addresses(b, target, zone, qtype, [...previous, cname]);
        if (!next.nameError && next.records.length) records.push(cname, ...next.records);
        continue;
      }
      // CoreDNS would look the target up upstream; KubeLab has none, so the CNAME stands alone.
      records.push(cname);
      continue;
    }
    if (t !== qtype || seen.has(item.host)) continue;
    seen.add(item.host);
    records.push(record(t, name, b.ttl, item.host));
  }
  return { records, nameError: false };
}

/** plugin.SRV: one SRV per (target, port), the targets' addresses as additional records. */
function srv(b: Backend, name: string, zone: string): { records: Answer[]; extra: Answer[]; nameError: boolean } {
  const l = b.services(name.toLowerCase(), zone, 'SRV');
  if (l.nameError) return { records: [], extra: [], nameError: true };
  // Every item has priority 0 and the default weight 100, so each gets ⌊100 / (100 n) × 100⌋, at least 1.
  const weight = Math.max(1, Math.floor((100 / (100 * l.items.length)) * 100));
  const records: Answer[] = [];
  const extra: Answer[] = [];
  const seen = new Set<string>();
  for (const item of l.items) {
    if (item.port === -1) continue;
    const t = hostType(item.host);
    if (t === 'CNAME') continue;
    const srvKey = `${item.target.toLowerCase()}\u0000${item.port}`;
    if (!seen.has(srvKey)) {
      seen.add(srvKey);
      records.push({ type: 'SRV', name, ttl: b.ttl, class: 'IN', data: { priority: 0, weight, port: item.port, target: item.target } });
    }
    const addrKey = `${item.target.toLowerCase()}\u0000${item.host}`;
    if (!seen.has(addrKey)) {
      seen.add(addrKey);
      extra.push(record(t, item.target, b.ttl, item.host));
    }
  }
  return { records, extra, nameError: false };
}

/** plugin.NS at the apex: the name server's name(s), their addresses as additional records. */
function ns(b: Backend, name: string, zone: string): { records: Answer[]; extra: Answer[] } {
  const records: Answer[] = [];
  const extra: Answer[] = [];
  const seen = new Set<string>();
  for (const item of b.services(name.toLowerCase(), zone, 'NS').items) {
    const t = hostType(item.host);
    if (t === 'CNAME') continue;
    extra.push(record(t, item.target, b.ttl, item.host));
    if (seen.has(item.target)) continue;
    seen.add(item.target);
    records.push(record('NS', name, b.ttl, item.target));
  }
  return { records, extra };
}
