/**
 * The ingress controller's routing table, built purely from networking.k8s.io/v1 Ingress objects.
 *
 * Which Ingresses: those of our class (`servesIngress`) — `spec.ingressClassName` equal to our class name; else the
 * legacy `kubernetes.io/ingress.class` annotation equal to it; else (no class at all) only when our IngressClass is
 * the cluster default. The field wins over the annotation, as ingress-nginx reads them.
 *
 * Merging several Ingresses (as ingress-nginx does): Ingresses are taken oldest first (creationTimestamp; equal
 * times: `namespace/name` descending, ingress-nginx's sortIngressSlice). Each rule host is one "server" (a rule
 * without host belongs to the catch-all server); each (path, path type) is one location of its server. When two
 * Ingresses define the same host + path + type, the OLDER one wins and the later one is reported in `conflicts`
 * (ingress-nginx logs and skips it). A server's fallback — used when none of its locations match — is the
 * `spec.defaultBackend` of the Ingress that created the server; the catch-all server's fallback is the oldest
 * Ingress that has a defaultBackend and no rules. No fallback: the caller answers 404.
 *
 * Matching (the Ingress API's rules):
 * - Host: the Host header without port, lower-cased, trailing dot dropped. A precise rule host wins; else a
 *   wildcard `*.foo.com`, which matches exactly one extra label (`bar.foo.com`, not `foo.com`, not `a.b.foo.com`);
 *   else the catch-all server. A request whose host has a server never falls through to another server.
 * - Path (query string removed, not %-decoded): `Exact` compares the whole path (case-sensitive, the trailing slash
 *   counts). `Prefix` compares element-wise on `/`: `/foo` matches `/foo`, `/foo/`, `/foo/bar`, not `/foobar`; a
 *   trailing slash on either side is ignored. `ImplementationSpecific` is treated exactly as `Prefix` here (an empty
 *   path meaning `/`); note ingress-nginx matches it as a plain string prefix instead, so `/foo` would also match
 *   `/foobar` there. It shares the location key of `Prefix` for conflict detection.
 * - Several matching locations: the longest path wins (trailing slash of a Prefix path not counted); equal
 *   lengths: Exact beats Prefix; still equal: the location defined first.
 * Paths whose backend is not a Service (`backend.resource`) are skipped and reported in `conflicts`.
 */
import type { HTTPIngressPath, Ingress, IngressBackend } from 'kubernetes-types/networking/v1';

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const IS_DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface ClassFilter {
  /** Our IngressClass name (KubeLab: `kubelab`). */
  className: string;
  /** Whether our IngressClass is annotated as the cluster default (then class-less Ingresses are ours). */
  classIsDefault: boolean;
}

/** A Service backend: the Service (in the Ingress's namespace) and its port, by number or by name. */
export interface ServiceBackend {
  namespace: string;
  service: string;
  port: number | string;
}

export interface RouteMatch {
  backend: ServiceBackend;
  /** `namespace/name` of the Ingress that defined what matched. */
  ingress: string;
  /** The rule host ('' for the catch-all server). */
  host: string;
  /** The matching location, or undefined when the server's default backend answered. */
  path?: string;
  pathType?: PathType;
}

interface Location {
  path: string;
  pathType: PathType;
  /** The path elements of a Prefix/ImplementationSpecific location. */
  elements: string[];
  /** The length used to rank matches. */
  rank: number;
  backend: ServiceBackend;
  ingress: string;
}

interface Server {
  locations: Location[];
  fallback?: { backend: ServiceBackend; ingress: string };
}

/** Whether the controller of `filter.className` serves this Ingress. */
export function servesIngress(ing: Readonly<Ingress>, filter: ClassFilter): boolean {
  const field = ing.spec?.ingressClassName;
  if (typeof field === 'string') return field === filter.className;
  const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation === filter.className;
  return filter.classIsDefault;
}

/** The Host header's host as matched against rules: no port, lower case, no trailing dot. */
export function normalizeHost(hostHeader: string): string {
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    h = end < 0 ? h : h.slice(0, end + 1);
  } else {
    const colon = h.lastIndexOf(':');
    if (colon >= 0 && h.indexOf(':') === colon) h = h.slice(0, colon);
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The request target's path without query string or fragment. */
export function requestPath(url: string): string {
  const cut = url.search(/[?#]/);
  const p = cut < 0 ? url : url.slice(0, cut);
  return p || '/';
}

const elementsOf = (p: string): string[] => p.split('/').filter((e) => e !== '');

/** Element-wise prefix match of the Ingress API (Prefix path type). */
export function prefixMatches(rulePath: string, path: string): boolean {
  const rule = elementsOf(rulePath);
  const req = elementsOf(path);
  return rule.length <= req.length && rule.every((e, i) => e === req[i]);
}

/** Whether rule host `ruleHost` (precise or `*.` wildcard) matches the normalized request host. */
export function hostMatches(ruleHost: string, host: string): boolean {
  const rule = ruleHost.toLowerCase();
  if (!rule.startsWith('*.')) return rule === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === rule.slice(2);
}

function serviceBackend(ns: string, b: IngressBackend | undefined): ServiceBackend | undefined {
  const svc = b?.service;
  if (!svc?.name) return undefined;
  const port = svc.port?.name ? svc.port.name : svc.port?.number;
  if (port === undefined || port === '' || port === 0) return undefined;
  return { namespace: ns, service: svc.name, port };
}

const ingressKey = (ing: Readonly<Ingress>): string => `${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`;

/** ingress-nginx's order: oldest first; equal times by `namespace/name` descending. */
export function sortIngresses<T extends Readonly<Ingress>>(ingresses: readonly T[]): T[] {
  const time = (i: Readonly<Ingress>): number => {
    const t = Date.parse(i.metadata?.creationTimestamp ?? '');
    return Number.isNaN(t) ? 0 : t;
  };
  return [...ingresses].sort((a, b) => {
    const d = time(a) - time(b);
    if (d !== 0) return d;
    const ka = ingressKey(a);
    const kb = ingressKey(b);
    return ka > kb ? -1 : ka < kb ? 1 : 0;
  });
}

function location(p: HTTPIngressPath, backend: ServiceBackend, ingress: string): Location {
  const pathType: PathType = p.pathType === 'Exact' || p.pathType === 'Prefix' ? p.pathType : 'ImplementationSpecific';
  const path = p.path || '/';
  const prefix = pathType !== 'Exact';
  return { path, pathType, elements: prefix ? elementsOf(path) : [], rank: prefix ? path.replace(/\/+$/, '').length : path.length, backend, ingress };
}

const locationKey = (l: Location): string => `${l.pathType === 'Exact' ? 'Exact' : 'Prefix'} ${l.pathType === 'Exact' ? l.path : `/${l.elements.join('/')}`}`;

export class RouteTable {
  private constructor(
    private readonly servers: ReadonlyMap<string, Server>,
    /** `namespace/name` of every Ingress of our class, in merge order. */
    readonly ingresses: readonly string[],
    /** Human-readable notes on what was skipped (conflicting locations, non-Service backends). */
    readonly conflicts: readonly string[],
  ) {}

  static build(all: readonly Readonly<Ingress>[], filter: ClassFilter): RouteTable {
    const servers = new Map<string, Server>([['', { locations: [] }]]);
    const served: string[] = [];
    const conflicts: string[] = [];
    for (const ing of sortIngresses(all.filter((i) => servesIngress(i, filter)))) {
      const key = ingressKey(ing);
      const ns = ing.metadata?.namespace ?? '';
      served.push(key);
      const rules = ing.spec?.rules ?? [];
      const def = serviceBackend(ns, ing.spec?.defaultBackend);
      if (ing.spec?.defaultBackend && !def) conflicts.push(`Ingress ${key}: defaultBackend is not a Service backend; ignored`);
      const catchAll = servers.get('')!;
      if (def && rules.length === 0 && !catchAll.fallback) catchAll.fallback = { backend: def, ingress: key };
      for (const rule of rules) {
        const host = (rule.host ?? '').toLowerCase();
        let server = servers.get(host);
        if (!server) {
          server = { locations: [], ...(def ? { fallback: { backend: def, ingress: key } } : {}) };
          servers.set(host, server);
        }
        for (const p of rule.http?.paths ?? []) {
          const backend = serviceBackend(ns, p.backend);
          if (!backend) {
            conflicts.push(`Ingress ${key}: path ${JSON.stringify(p.path ?? '')} of host ${JSON.stringify(host || '*')} has no Service backend; skipped`);
            continue;
          }
          const loc = location(p, backend, key);
          const lk = locationKey(loc);
          const existing = server.locations.find((l) => locationKey(l) === lk);
          if (existing) {
            conflicts.push(`Ingress ${key}: location ${lk} of host ${JSON.stringify(host || '*')} is already defined by Ingress ${existing.ingress}; skipped`);
            continue;
          }
          server.locations.push(loc);
        }
      }
    }
    return new RouteTable(servers, served, conflicts);
  }

  /** The server a request host lands on: precise host, else one-label wildcard, else the catch-all (''). */
  serverHost(host: string): string {
    if (host && this.servers.has(host)) return host;
    const dot = host.indexOf('.');
    if (dot > 0) {
      const wildcard = `*${host.slice(dot)}`;
      if (this.servers.has(wildcard)) return wildcard;
    }
    return '';
  }

  /** The backend for a request (Host header and request target), or undefined (404). */
  match(hostHeader: string, url: string): RouteMatch | undefined {
    const hostKey = this.serverHost(normalizeHost(hostHeader));
    const server = this.servers.get(hostKey)!;
    const path = requestPath(url);
    const req = elementsOf(path);
    let best: Location | undefined;
    for (const l of server.locations) {
      const ok = l.pathType === 'Exact' ? l.path === path : l.elements.length <= req.length && l.elements.every((e, i) => e === req[i]);
      if (!ok) continue;
      if (!best || l.rank > best.rank || (l.rank === best.rank && l.pathType === 'Exact' && best.pathType !== 'Exact')) best = l;
    }
    if (best) return { backend: best.backend, ingress: best.ingress, host: hostKey, path: best.path, pathType: best.pathType };
    if (server.fallback) return { backend: server.fallback.backend, ingress: server.fallback.ingress, host: hostKey };
    return undefined;
  }

  /** Every Service backend the table can route to (for watching or display). */
  backends(): ServiceBackend[] {
    const out: ServiceBackend[] = [];
    for (const s of this.servers.values()) {
      if (s.fallback) out.push(s.fallback.backend);
      for (const l of s.locations) out.push(l.backend);
    }
    return out;
  }
}
