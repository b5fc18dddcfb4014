/**
 * API discovery: legacy (/api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>) and aggregated
 * (apidiscovery.k8s.io/v2 and v2beta1 on /api and /apis when the Accept header asks for it), built from the
 * resource registry so custom resources appear as soon as their CRD is established.
 */
import type { ResourceInfo, ResourceRegistry } from '../../api/resources';

const AGGREGATED = /application\/json;\s*g=apidiscovery\.k8s\.io;\s*v=(v2|v2beta1);\s*as=APIGroupDiscoveryList/;

export interface DiscoveryResult {
  body: unknown;
  contentType?: string;
}

/** Which aggregated discovery version the client asked for first, if any. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const m = AGGREGATED.exec(part.replace(/\s+/g, ' ').trim());
    if (m) return m[1] as 'v2' | 'v2beta1';
  }
  return undefined;
}

function groups(reg: ResourceRegistry): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const { group, version } of reg.groupVersions()) {
    if (!group) continue;
    const vs = m.get(group) ?? [];
    if (!vs.includes(version)) vs.push(version);
    m.set(group, vs);
  }
  for (const vs of m.values()) vs.sort(compareVersions);
  return m;
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const p = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const x = p(a);
  const y = p(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return a.localeCompare(b);
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupObject(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(reg: ResourceRegistry): unknown {
  const gs = [...groups(reg)].map(([name, versions]) => groupObject(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: gs };
}

export function apiGroup(reg: ResourceRegistry, group: string): unknown | undefined {
  const vs = groups(reg).get(group);
  return vs ? { kind: 'APIGroup', apiVersion: 'v1', ...groupObject(group, vs) } : undefined;
}

export function apiResourceList(reg: ResourceRegistry, group: string, version: string): unknown | undefined {
  const rs = reg.inGroupVersion(group, version);
  if (!rs.length) return undefined;
  const resources: unknown[] = [];
  for (const r of rs.sort((a, b) => a.resource.localeCompare(b.resource))) {
    const e: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) e.shortNames = r.shortNames;
    if (r.categories.length) e.categories = r.categories;
    e.storageVersionHash = storageVersionHash(r);
    resources.push(e);
    for (const s of r.subresources) {
      const se: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind.kind, verbs: s.verbs };
      if (s.kind.group !== r.group || s.kind.version !== r.version) {
        se.group = s.kind.group;
        se.version = s.kind.version;
      }
      resources.push(se);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function storageVersionHash(r: ResourceInfo): string {
  let h = 0;
  for (const c of `${r.group}/${r.version}/${r.kind}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return Buffer.from(String(h >>> 0)).toString('base64').slice(0, 11);
}

function aggregatedResource(r: ResourceInfo): unknown {
  const e: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) e.shortNames = r.shortNames;
  if (r.categories.length) e.categories = r.categories;
  if (r.subresources.length) {
    e.subresources = r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.kind.group, version: s.kind.version, kind: s.kind.kind }, verbs: s.verbs }));
  }
  return e;
}

/** Aggregated discovery for /api (legacy: true) or /apis. */
export function aggregated(reg: ResourceRegistry, legacy: boolean, version: 'v2' | 'v2beta1'): DiscoveryResult {
  const byGroup = new Map<string, Map<string, ResourceInfo[]>>();
  for (const r of reg.all()) {
    if (legacy !== (r.group === '')) continue;
    const g = byGroup.get(r.group) ?? new Map<string, ResourceInfo[]>();
    const list = g.get(r.version) ?? [];
    list.push(r);
    g.set(r.version, list);
    byGroup.set(r.group, g);
  }
  const items = [...byGroup].sort(([a], [b]) => a.localeCompare(b)).map(([group, versions]) => ({
    metadata: { name: group, creationTimestamp: null },
    versions: [...versions.keys()].sort(compareVersions).map((v) => ({
      version: v,
      resources: versions.get(v)!.sort((a, b) => a.resource.localeCompare(b.resource)).map(aggregatedResource),
      freshness: 'Current',
    })),
  }));
  return {
    body: { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items },
    contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
  };
}
