/**
 * DnsRecords: the cluster DNS's in-memory record model, fed with API objects (Services, discovery.k8s.io/v1
 * EndpointSlices, Namespaces) and answering `resolve(name, type)` with CoreDNS's kubernetes-plugin semantics under
 * kubeadm's Corefile (`kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa
 * ip6.arpa; ttl 30 }`). Pure: no I/O; time only through the injected `now` (the SOA serial is the last change, in
 * seconds, as CoreDNS's `Modified`).
 *
 * Names (case-insensitive, trailing dot optional):
 * - `<svc>.<ns>.svc.<zone>`: the cluster IP(s); for a headless Service the addresses of its ready endpoints
 *   (NXDOMAIN when there are none); for an ExternalName Service a CNAME.
 * - `<hostname>.<svc>.<ns>.svc.<zone>`: the endpoint(s) with that hostname, or whose address with dashes is that label
 *   (`web-0.web.default…` for a StatefulSet pod: the endpointslice controller copies the pod's hostname when its
 *   subdomain names the Service).
 * - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV (and the bare Service name: SRV for every port).
 * - `<a>-<b>-<c>-<d>.<ns>.pod.<zone>` A `<a>.<b>.<c>.<d>` for any address (`pods insecure`), if the namespace exists.
 * - `ns.dns.<zone>` and the apex NS: the DNS Service (the Service whose cluster IP is `nameserverIP`).
 * - `<ip reversed>.in-addr.arpa` PTR: the Service with that cluster IP, else every ready endpoint with that address.
 * A name under `<ns>.svc` / `<ns>.pod` needs the namespace to exist (CoreDNS watches namespaces for this).
 */
import { isIP } from 'node:net';
import { answerQuestion, type Backend, type DnsAnswer, type Lookup } from './answers';
import { hostType, metaOf, toDnsService, toDnsSlice, type BackendItem, type DnsPort, type DnsService, type DnsSlice } from './model';
import { endpointHostname, parseRequest, podLabelToIP, REVERSE_ZONES, type RecordRequest } from './names';

export interface DnsRecordsOptions {
  /** The cluster domain; default `cluster.local`. */
  zone?: string;
  /** TTL of every record; default 30 (kubeadm's Corefile). */
  ttl?: number;
  /** The cluster IP of the DNS Service (kube-dns, the service CIDR's 10th address): the zone's name server. */
  nameserverIP?: string;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

const NONE: Lookup = { items: [], nameError: false };
const NAME_ERROR: Lookup = { items: [], nameError: true };
const key = (namespace: string, name: string): string => `${namespace}/${name}`.toLowerCase();
const matchPort = (r: RecordRequest, p: DnsPort): boolean =>
  (r.port === '' || r.port === p.name.toLowerCase()) && (r.protocol === '' || r.protocol === p.protocol.toLowerCase());

export class DnsRecords implements Backend {
  readonly clusterZone: string;
  readonly zones: readonly string[];
  readonly ttl: number;
  private readonly nameserverIP: string | undefined;
  private readonly now: () => number;
  private readonly svcs = new Map<string, DnsService>();
  private readonly slices = new Map<string, DnsSlice>();
  private readonly slicesBySvc = new Map<string, Set<string>>();
  private readonly namespaces = new Set<string>();
  private isSynced = false;
  private modified: number;

  constructor(o: DnsRecordsOptions = {}) {
    this.clusterZone = (o.zone ?? 'cluster.local').replace(/\.$/, '').toLowerCase();
    this.zones = [this.clusterZone, ...REVERSE_ZONES];
    this.ttl = o.ttl ?? 30;
    this.nameserverIP = o.nameserverIP;
    this.now = o.now ?? Date.now;
    this.modified = this.seconds();
  }

  /** Adds or replaces a Service (a v1 Service object). */
  setService(obj: unknown): void {
    const s = toDnsService(obj);
    this.svcs.set(key(s.namespace, s.name), s);
    this.touch();
  }

  deleteService(namespace: string, name: string): void {
    if (this.svcs.delete(key(namespace, name))) this.touch();
  }

  /** Adds or replaces an EndpointSlice (a discovery.k8s.io/v1 object). */
  setEndpointSlice(obj: unknown): void {
    const s = toDnsSlice(obj);
    const k = key(s.namespace, s.name);
    this.unindex(k);
    this.slices.set(k, s);
    const sk = key(s.namespace, s.service);
    let set = this.slicesBySvc.get(sk);
    if (!set) this.slicesBySvc.set(sk, (set = new Set()));
    set.add(k);
    this.touch();
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    const k = key(namespace, name);
    if (!this.slices.has(k)) return;
    this.unindex(k);
    this.slices.delete(k);
    this.touch();
  }

  /** Records that a namespace exists (a v1 Namespace object or its name). */
  setNamespace(obj: unknown): void {
    const name = typeof obj === 'string' ? obj : metaOf(obj).name;
    if (!this.namespaces.has(name.toLowerCase())) this.touch();
    this.namespaces.add(name.toLowerCase());
  }

  deleteNamespace(name: string): void {
    if (this.namespaces.delete(name.toLowerCase())) this.touch();
  }

  /** Until the model has synced with the API, a name that is not found is SERVFAIL rather than NXDOMAIN. */
  setSynced(synced = true): void {
    this.isSynced = synced;
  }

  /** Answers one question (`type` as dns-packet names it: `A`, `SRV`, `UNKNOWN_65280` …). */
  resolve(name: string, type: string): DnsAnswer {
    return answerQuestion(this, name, type);
  }

  synced(): boolean {
    return this.isSynced;
  }

  serial(): number {
    return this.modified;
  }

  services(name: string, zone: string, qtype: string): Lookup {
    if (qtype === 'NS') return { items: this.nsItems(zone), nameError: false };
    if (name === `ns.dns.${this.clusterZone}`) return { items: this.nsItems(zone).filter((i) => hostType(i.host) === qtype), nameError: false };
    const l = this.records(name, zone);
    return qtype === 'SRV' ? { ...l, items: l.items.filter((i) => hostType(i.host) !== 'CNAME') } : l;
  }

  reverse(ip: string): BackendItem[] {
    for (const s of this.svcs.values()) {
      if (!s.headless && s.clusterIPs.includes(ip)) return [{ host: `${s.name}.${s.namespace}.svc.${this.clusterZone}`, port: 0, target: '' }];
    }
    const items: BackendItem[] = [];
    for (const sl of this.slices.values()) {
      if (!sl.service) continue;
      const svc = this.svcs.get(key(sl.namespace, sl.service));
      for (const ep of sl.endpoints) {
        if (ep.ip !== ip || !(ep.ready || svc?.publishNotReadyAddresses)) continue;
        items.push({ host: `${endpointHostname(ep.ip, ep.hostname)}.${sl.service}.${sl.namespace}.svc.${this.clusterZone}`, port: 0, target: '' });
      }
    }
    return items;
  }

  private records(name: string, zone: string): Lookup {
    const r = parseRequest(name, this.clusterZone);
    if (!r) return NAME_ERROR;
    if (r.podOrSvc === '') return NONE;
    if (!this.namespaces.has(r.namespace)) return NAME_ERROR;
    return r.podOrSvc === 'pod' ? this.findPods(r, zone) : this.findServices(r, zone);
  }

  /** findPods under `pods insecure`: the address is read from the name itself. */
  private findPods(r: RecordRequest, zone: string): Lookup {
    if (r.service === '') return NONE;
    const ip = podLabelToIP(r.service);
    if (!isIP(ip)) return NAME_ERROR;
    return { items: [{ host: ip, port: 0, target: `${r.service}.${r.namespace}.pod.${zone}` }], nameError: false };
  }

  private findServices(r: RecordRequest, zone: string): Lookup {
    if (r.service === '') return NONE;
    const svc = this.svcs.get(key(r.namespace, r.service));
    if (!svc) return NAME_ERROR;
    const base = `${svc.name}.${svc.namespace}.svc.${zone}`;
    if (svc.externalName !== undefined) {
      if (r.endpoint || hostType(svc.externalName) !== 'CNAME') return NAME_ERROR;
      return { items: [{ host: svc.externalName, port: 0, target: base }], nameError: false };
    }
    const items: BackendItem[] = [];
    let found = false;
    if (svc.headless || r.endpoint) {
      for (const sk of this.slicesBySvc.get(key(svc.namespace, svc.name)) ?? []) {
        const sl = this.slices.get(sk)!;
        for (const ep of sl.endpoints) {
          if (!ep.ready && !svc.publishNotReadyAddresses) continue;
          const hn = endpointHostname(ep.ip, ep.hostname);
          if (r.endpoint && r.endpoint !== hn.toLowerCase()) continue;
          for (const p of sl.ports) {
            if (!matchPort(r, p)) continue;
            items.push({ host: ep.ip, port: p.port, target: `${hn}.${base}` });
            found = true;
          }
        }
      }
      return { items, nameError: !found };
    }
    for (const p of svc.ports) {
      if (!matchPort(r, p)) continue;
      found = true;
      for (const ip of svc.clusterIPs) items.push({ host: ip, port: p.port, target: base });
    }
    return { items, nameError: !found };
  }

  /** nsAddrs: the DNS Service's name and cluster IP, else `ns.dns.<zone>` at the configured (or loopback) address. */
  private nsItems(zone: string): BackendItem[] {
    const ip = this.nameserverIP;
    const items: BackendItem[] = [];
    if (ip) {
      for (const s of this.svcs.values()) {
        if (!s.headless && s.externalName === undefined && s.clusterIPs.includes(ip)) items.push({ host: ip, port: 0, target: `${s.name}.${s.namespace}.svc.${zone}` });
      }
    }
    return items.length ? items : [{ host: ip ?? '127.0.0.1', port: 0, target: `ns.dns.${zone}` }];
  }

  private unindex(sliceKey: string): void {
    const old = this.slices.get(sliceKey);
    if (!old) return;
    const sk = key(old.namespace, old.service);
    const set = this.slicesBySvc.get(sk);
    set?.delete(sliceKey);
    if (set && set.size === 0) this.slicesBySvc.delete(sk);
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private touch(): void {
    this.modified = this.seconds();
  }
}
