/**
 * Test support for admission plugins: an in-memory ClusterReader + AdmissionClient (objects are deep-frozen like
 * the watch cache's, status writes check resourceVersion and can be made to conflict or to lag behind the reader),
 * and builders for AdmissionAttributes/AdmissionContext. Objects are run through upstream defaulting when added,
 * as the real registry stores them.
 */
import { deepCopy, parseApiVersion, type StoredObject } from '../../../../src/api/object';
import { builtinResources, type ResourceInfo } from '../../../../src/api/resources';
import { StatusError } from '../../../../src/api/status';
import { defaultObject } from '../../../../src/api/defaults';
import type { ClusterReader } from '../../../../src/apiserver/reader';
import type { AdmissionAttributes, AdmissionClient, AdmissionContext, Operation } from '../../../../src/apiserver/admission/types';

const RESOURCES = builtinResources();

export function resourceInfo(group: string, resource: string): ResourceInfo {
  const r = RESOURCES.find((x) => x.group === group && x.resource === resource);
  if (!r) throw new Error(`no resource ${group}/${resource}`);
  return r;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

export class FakeCluster implements ClusterReader, AdmissionClient {
  private readonly objects = new Map<string, StoredObject>();
  private rv = 100;
  /** Status writes that succeeded, in order. */
  readonly writes: StoredObject[] = [];
  /** The next N status writes fail with Conflict (after bumping the stored resourceVersion, as a rival would). */
  conflicts = 0;
  /** When true, status writes are stored but the reader keeps returning the previous copy. */
  lagging = false;
  private readonly stale = new Map<string, StoredObject>();

  private key(group: string, resource: string, ns: string, name: string): string {
    return `${group}/${resource}/${ns}/${name}`;
  }

  /** Adds an object (defaulted, with uid/resourceVersion/creationTimestamp when absent). */
  add(resource: string, obj: Record<string, unknown>): StoredObject {
    const o = deepCopy(obj) as StoredObject;
    const { group } = parseApiVersion(String(o.apiVersion ?? 'v1'));
    defaultObject({ group, version: 'v1', kind: String(o.kind) }, o);
    o.metadata.uid ??= `uid-${o.metadata.name}`;
    o.metadata.resourceVersion ??= String(++this.rv);
    o.metadata.creationTimestamp ??= '2024-01-01T00:00:00Z';
    this.objects.set(this.key(group, resource, o.metadata.namespace ?? '', o.metadata.name ?? ''), deepFreeze(o));
    return o;
  }

  get(group: string, resource: string, namespace: string, name: string): Readonly<StoredObject> | undefined {
    const k = this.key(group, resource, namespace, name);
    return this.stale.get(k) ?? this.objects.get(k);
  }

  list(group: string, resource: string, namespace?: string): readonly Readonly<StoredObject>[] {
    const prefix = `${group}/${resource}/`;
    const out: StoredObject[] = [];
    for (const [k, v] of this.objects) {
      if (!k.startsWith(prefix)) continue;
      if (namespace !== undefined && (v.metadata.namespace ?? '') !== namespace) continue;
      out.push(this.stale.get(k) ?? v);
    }
    return out;
  }

  /** The current stored copy (ignoring any reader lag). */
  stored(group: string, resource: string, namespace: string, name: string): StoredObject | undefined {
    return this.objects.get(this.key(group, resource, namespace, name));
  }

  /** Sequenced and durable at once (as a store whose only ordering point is the commit). */
  async updateStatus(group: string, resource: string, obj: StoredObject, opts?: { onSequenced?(saved: StoredObject): void }): Promise<StoredObject> {
    await Promise.resolve();
    const k = this.key(group, resource, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const current = this.objects.get(k);
    const qr = { group, resource };
    if (!current) throw StatusError.notFound(qr, obj.metadata.name ?? '');
    if (this.conflicts > 0) {
      this.conflicts--;
      this.objects.set(k, deepFreeze({ ...current, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } }));
      throw StatusError.modified(qr, obj.metadata.name ?? '');
    }
    if (obj.metadata.resourceVersion !== current.metadata.resourceVersion) throw StatusError.modified(qr, obj.metadata.name ?? '');
    const next = deepCopy({ ...current, status: obj.status, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } });
    if (this.lagging && !this.stale.has(k)) this.stale.set(k, current);
    this.objects.set(k, deepFreeze(next));
    this.writes.push(next);
    opts?.onSequenced?.(deepCopy(next));
    return deepCopy(next);
  }
}

export function context(cluster: FakeCluster, now = new Date('2024-06-01T00:00:00Z')): AdmissionContext {
  return { reader: cluster, client: cluster, now: () => now };
}

export interface AttrOptions {
  namespace?: string;
  oldObject?: Record<string, unknown>;
  dryRun?: boolean;
  subresource?: string;
}

/** Attributes for a request; the object is defaulted as the API server decodes it. */
export function attributes(
  operation: Operation,
  group: string,
  resource: string,
  obj: Record<string, unknown> | undefined,
  opts: AttrOptions = {},
): AdmissionAttributes {
  const info = resourceInfo(group, resource);
  const object = obj ? (deepCopy(obj) as StoredObject) : undefined;
  if (object) {
    object.metadata ??= {};
    defaultObject({ group, version: info.version, kind: info.kind }, object);
  }
  const namespace = opts.namespace ?? (info.namespaced ? (object?.metadata.namespace ?? 'default') : '');
  return {
    operation,
    resource: info,
    subresource: opts.subresource ?? '',
    namespace,
    name: object?.metadata.name ?? String((opts.oldObject?.metadata as { name?: string } | undefined)?.name ?? ''),
    ...(object ? { object } : {}),
    ...(opts.oldObject ? { oldObject: opts.oldObject as StoredObject } : {}),
    user: { name: 'admin', groups: ['system:masters'] },
    dryRun: opts.dryRun ?? false,
    warnings: [],
    auditAnnotations: {},
  };
}

/** A pod in `default` with one container per entry of `containers` ({name: {requests?, limits?}}). */
export function pod(name: string, containers: Record<string, { requests?: Record<string, string>; limits?: Record<string, string> }> = { web: {} }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { spec: extraSpec, metadata: extraMeta, ...rest } = extra as { spec?: object; metadata?: object };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...extraMeta },
    spec: {
      containers: Object.entries(containers).map(([n, r]) => ({ name: n, image: 'nginx:1.27', ...(r.requests || r.limits ? { resources: r } : {}) })),
      ...extraSpec,
    },
    ...rest,
  };
}

/** Runs `fn` and returns the StatusError it throws (fails when it does not throw one). */
export async function rejection(fn: () => unknown): Promise<StatusError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError, nothing was thrown');
}
