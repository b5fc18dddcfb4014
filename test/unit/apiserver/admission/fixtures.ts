/**
 * Test fixtures for admission plugins: a tiny in-memory ClusterReader, request attributes built from the built-in
 * resource registry, and an AdmissionContext with a fixed clock.
 */
import type { StoredObject } from '../../../../src/api/object';
import { builtinResources, type ResourceInfo } from '../../../../src/api/resources';
import type { ClusterReader } from '../../../../src/apiserver/reader';
import type { UserInfo } from '../../../../src/apiserver/request';
import type { AdmissionAttributes, AdmissionContext, Operation } from '../../../../src/apiserver/admission/types';

export class FakeReader implements ClusterReader {
  private readonly items = new Map<string, StoredObject>();

  add(group: string, resource: string, o: StoredObject): this {
    this.items.set(`${group}/${resource}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o);
    return this;
  }

  remove(group: string, resource: string, namespace: string, name: string): this {
    this.items.delete(`${group}/${resource}/${namespace}/${name}`);
    return this;
  }

  get(group: string, resource: string, namespace: string, name: string): Readonly<StoredObject> | undefined {
    return this.items.get(`${group}/${resource}/${namespace}/${name}`);
  }

  list(group: string, resource: string, namespace?: string): readonly Readonly<StoredObject>[] {
    const prefix = `${group}/${resource}/`;
    return [...this.items.entries()]
      .filter(([k, o]) => k.startsWith(prefix) && (namespace === undefined || (o.metadata.namespace ?? '') === namespace))
      .map(([, o]) => o);
  }
}

const RESOURCES = builtinResources();

export function resourceInfo(groupResource: string): ResourceInfo {
  const [group, resource] = groupResource.includes('/') ? groupResource.split('/') : ['', groupResource];
  const found = RESOURCES.find((r) => r.group === group && r.resource === resource);
  if (found) return found;
  return { group, version: 'v1', resource, singular: resource, kind: resource, listKind: `${resource}List`, namespaced: true, verbs: [], shortNames: [], categories: [], subresources: [], storagePrefix: `/registry/${resource}` };
}

export const ADMIN: UserInfo = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };

export function nodeUser(name: string): UserInfo {
  return { name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] };
}

export interface AttrsInit {
  operation?: Operation;
  /** `pods`, `apps/deployments`, … */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  object?: StoredObject;
  oldObject?: StoredObject;
  user?: UserInfo;
}

export function attrs(init: AttrsInit): AdmissionAttributes {
  return {
    operation: init.operation ?? 'CREATE',
    resource: resourceInfo(init.resource),
    subresource: init.subresource ?? '',
    namespace: init.namespace ?? init.object?.metadata.namespace ?? '',
    name: init.name ?? init.object?.metadata.name ?? '',
    object: init.object,
    oldObject: init.oldObject,
    user: init.user ?? ADMIN,
    dryRun: false,
    warnings: [],
    auditAnnotations: {},
  };
}

export function context(reader: ClusterReader, nowMs = Date.UTC(2025, 0, 1)): AdmissionContext {
  return {
    reader,
    client: {
      updateStatus: () => Promise.reject(new Error('no writes expected')),
    },
    now: () => new Date(nowMs),
  };
}

export function namespace(name: string, labels: Record<string, string> = {}, extra: Partial<StoredObject> = {}): StoredObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' }, ...extra };
}

export function pod(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}, ns = 'default'): StoredObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...meta }, spec };
}

/** The error a promise or function throws (fails when nothing is thrown). */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error to be thrown');
}
