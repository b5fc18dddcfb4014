/**
 * Names the storage key of an object the panel shows (`/registry/pods/default/web-1`, `/registry/minions/node-1`),
 * so the host can open its registry document. Keys follow the resource's storage prefix and scope, as the API
 * server stores them (src/api/resources.ts). Unknown kinds give undefined.
 */
import { parseApiVersion } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import type { ObjectRef } from './protocol';

/** A resolver over the given resources (e.g. `registry.all()`; call again after CRDs change). */
export function registryKeyResolver(resources: readonly ResourceInfo[]): (ref: ObjectRef) => string | undefined {
  const byGroupKind = new Map<string, ResourceInfo>();
  const byKind = new Map<string, ResourceInfo>();
  for (const r of resources) {
    if (r.virtual) continue;
    const gk = `${r.group}/${r.kind}`;
    if (!byGroupKind.has(gk)) byGroupKind.set(gk, r);
    // Without an apiVersion, the legacy group wins over others (Event: v1 over events.k8s.io).
    if (!byKind.has(r.kind) || (r.group === '' && byKind.get(r.kind)!.group !== '')) byKind.set(r.kind, r);
  }
  return (ref) => {
    if (ref.kind === '' || ref.name === '') return undefined;
    const r = ref.apiVersion ? byGroupKind.get(`${parseApiVersion(ref.apiVersion).group}/${ref.kind}`) : byKind.get(ref.kind);
    if (!r) return undefined;
    if (r.namespaced && ref.namespace === '') return undefined;
    return r.namespaced ? `${r.storagePrefix}/${ref.namespace}/${ref.name}` : `${r.storagePrefix}/${ref.name}`;
  };
}
