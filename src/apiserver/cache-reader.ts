/**
 * The API server's ClusterReader: reads straight from the watch cache (no storage access, no copies). Resources are
 * found by group and resource name in any served version; a resource that is not served reads as empty.
 */
import type { StoredObject } from '../api/object';
import type { ResourceInfo, ResourceRegistry } from '../api/resources';
import { storageKey } from './registry/meta';
import type { ClusterReader } from './reader';
import type { CacheRouter } from './watch/cache-router';

export function cacheReader(resources: ResourceRegistry, router: CacheRouter): ClusterReader {
  const byGroupResource = new Map<string, ResourceInfo | null>();
  resources.onChange(() => byGroupResource.clear());
  const find = (group: string, resource: string): ResourceInfo | undefined => {
    const k = `${group}/${resource}`;
    let r = byGroupResource.get(k);
    if (r === undefined) {
      r = resources.all().find((x) => x.group === group && x.resource === resource && !x.virtual) ?? null;
      byGroupResource.set(k, r);
    }
    return r ?? undefined;
  };
  return {
    get(group, resource, namespace, name) {
      const r = find(group, resource);
      if (!r) return undefined;
      return router.cache(r.storagePrefix)?.get(storageKey(r, r.namespaced ? namespace : '', name))?.obj;
    },
    list(group, resource, namespace) {
      const r = find(group, resource);
      if (!r) return [];
      const c = router.cache(r.storagePrefix);
      if (!c) return [];
      return c.list(r.namespaced ? namespace : undefined).map((o) => o.obj as Readonly<StoredObject>);
    },
  };
}
