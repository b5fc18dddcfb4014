/**
 * A tiny in-memory ClusterReader for the authorization tests: objects are frozen on insertion (as the watch cache
 * hands them out), keyed by group/resource/namespace/name, and list() returns them in insertion order. `put`
 * replaces an object with a new frozen one carrying a fresh resourceVersion, so identity-based caches see the change.
 */
import type { StoredObject } from '../../../../src/api/object';
import type { ClusterReader } from '../../../../src/apiserver/reader';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

export class MemoryReader implements ClusterReader {
  private readonly objects = new Map<string, Map<string, Readonly<StoredObject>>>();
  private rv = 1;
  /** Counts list() calls per group/resource (tests assert the reader is consulted on every decision). */
  readonly listCalls = new Map<string, number>();

  put(group: string, resource: string, obj: StoredObject): Readonly<StoredObject> {
    const copy = JSON.parse(JSON.stringify(obj)) as StoredObject;
    copy.metadata.resourceVersion = String(++this.rv);
    const frozen = deepFreeze(copy);
    this.bucket(group, resource).set(`${copy.metadata.namespace ?? ''}/${copy.metadata.name}`, frozen);
    return frozen;
  }

  delete(group: string, resource: string, namespace: string, name: string): void {
    this.bucket(group, resource).delete(`${namespace}/${name}`);
  }

  get(group: string, resource: string, namespace: string, name: string): Readonly<StoredObject> | undefined {
    return this.objects.get(`${group}/${resource}`)?.get(`${namespace}/${name}`);
  }

  list(group: string, resource: string, namespace?: string): readonly Readonly<StoredObject>[] {
    const key = `${group}/${resource}`;
    this.listCalls.set(key, (this.listCalls.get(key) ?? 0) + 1);
    const all = [...(this.objects.get(key)?.values() ?? [])];
    return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
  }

  private bucket(group: string, resource: string): Map<string, Readonly<StoredObject>> {
    const key = `${group}/${resource}`;
    let b = this.objects.get(key);
    if (!b) this.objects.set(key, (b = new Map()));
    return b;
  }
}
