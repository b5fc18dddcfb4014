/**
 * Discovery as the garbage collector and the namespace controller use it (client-go discovery's
 * ServerGroupsAndResources + ServerPreferredResources, and the REST mapper built from them): reads /api, /api/v1,
 * /apis and every /apis/<group>/<version> through an ApiClient. A group version whose document fails is reported
 * in `failed` (upstream ErrGroupDiscoveryFailed) and the rest is still returned.
 */
import { apiVersionOf, parseApiVersion } from '../../api/object';
import type { ResourceRef } from '../../client/informers';
import type { ApiClient } from '../framework/api-client';

export interface ApiResource extends ResourceRef {
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
}

export interface Discovery {
  /** Every top-level resource of every served group version. */
  all: ApiResource[];
  /** One version per group-resource: the group's preferred version where the resource is served in it. */
  preferred: ApiResource[];
  /** groupVersion → error message, for documents that could not be read. */
  failed: Map<string, string>;
}

interface GroupDoc {
  name: string;
  versions?: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

interface ResourceListDoc {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

/** upstream ErrGroupDiscoveryFailed.Error(). */
export function discoveryFailedMessage(failed: ReadonlyMap<string, string>): string {
  const parts = [...failed].map(([gv, msg]) => `${gv}: ${msg}`).sort();
  return `unable to retrieve the complete list of server APIs: ${parts.join(', ')}`;
}

export async function discover(client: ApiClient): Promise<Discovery> {
  const failed = new Map<string, string>();
  const groups: GroupDoc[] = [];
  const core = (await client.call({ method: 'GET', path: '/api' })) as { versions?: string[] };
  groups.push({ name: '', versions: (core.versions ?? []).map((v) => ({ groupVersion: v, version: v })), preferredVersion: { version: core.versions?.[0] ?? 'v1' } });
  const apis = (await client.call({ method: 'GET', path: '/apis' })) as { groups?: GroupDoc[] };
  groups.push(...(apis.groups ?? []));
  const docs = await Promise.all(
    groups.flatMap((g) =>
      (g.versions ?? []).map(async (v) => {
        const path = g.name ? `/apis/${v.groupVersion}` : `/api/${v.version}`;
        try {
          return { g, v: v.version, doc: (await client.call({ method: 'GET', path })) as ResourceListDoc };
        } catch (e) {
          failed.set(apiVersionOf(g.name, v.version), e instanceof Error ? e.message : String(e));
          return { g, v: v.version, doc: undefined };
        }
      }),
    ),
  );
  const all: ApiResource[] = [];
  const preferred = new Map<string, ApiResource>();
  for (const { g, v, doc } of docs) {
    for (const r of doc?.resources ?? []) {
      if (r.name.includes('/')) continue;
      const res: ApiResource = { group: g.name, version: v, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] };
      all.push(res);
      const gr = `${g.name}/${r.name}`;
      if (preferred.has(gr) && v !== g.preferredVersion?.version) continue;
      preferred.set(gr, res);
    }
  }
  return { all, preferred: [...preferred.values()], failed };
}

export function supportsAll(r: ApiResource, verbs: readonly string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}

export const resourceKey = (r: ResourceRef): string => `${r.group}/${r.version}/${r.resource}`;

/** Raised when an apiVersion/kind has no resource (upstream restMappingError). */
export class RestMappingError extends Error {
  constructor(kind: string, apiVersion: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}.`);
    this.name = 'RestMappingError';
  }
}

/** Kind → resource for every served group version (upstream's discovery REST mapper). */
export class RestMapper {
  private byKind = new Map<string, ApiResource>();

  constructor(resources: readonly ApiResource[] = []) {
    this.reset(resources);
  }

  reset(resources: readonly ApiResource[]): void {
    this.byKind = new Map(resources.map((r) => [`${apiVersionOf(r.group, r.version)}|${r.kind}`, r]));
  }

  /** The resource serving `kind` in `apiVersion`; throws RestMappingError when there is none. */
  mapping(apiVersion: string, kind: string): ApiResource {
    const { group, version } = parseApiVersion(apiVersion);
    const r = this.byKind.get(`${apiVersionOf(group, version)}|${kind}`);
    if (!r) throw new RestMappingError(kind, apiVersion);
    return r;
  }
}
