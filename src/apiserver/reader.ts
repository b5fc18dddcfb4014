/**
 * ClusterReader: synchronous, read-only access to current objects as the API server's watch cache holds them (what
 * upstream's authorizers and admission plugins read through informers). Objects are frozen and shared: never mutate
 * them. The view may lag a just-acknowledged write by a moment, exactly like an informer.
 */
import type { StoredObject } from '../api/object';

export interface ClusterReader {
  /** One object, or undefined. `namespace` is '' for cluster-scoped resources. `group` '' is the core group. */
  get(group: string, resource: string, namespace: string, name: string): Readonly<StoredObject> | undefined;
  /** All objects of a resource, in one namespace or (namespace undefined) in all. */
  list(group: string, resource: string, namespace?: string): readonly Readonly<StoredObject>[];
}
